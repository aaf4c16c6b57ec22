// The postgres.js client under a Drizzle database or transaction, for hot-path statements sent as
// constant texts (prepared once per connection) instead of queries Drizzle builds and sends unnamed.
import type postgres from 'postgres';

/**
 * A Drizzle (postgres-js) database or transaction, typed structurally: each workspace may resolve
 * its own copy of drizzle-orm, and nominal Drizzle types from two copies do not mix.
 */
export interface DrizzleExecutor {
  execute(query: never): PromiseLike<unknown>;
}

/**
 * The postgres.js client a Drizzle database or transaction runs on. Drizzle sends every query it
 * builds unnamed (postgres.js `prepare: false`): a Parse/Describe round trip before the
 * Bind/Execute one, and PostgreSQL parses and plans the text each time. A constant tagged template
 * sent through this client is prepared once per connection (postgres.js keys its statements by
 * text and parameter types) and then costs one round trip. Inside a transaction this is the
 * transaction's own connection (a Drizzle `.prepare()`d query would run on the pool).
 * Mind the generic-plan trap: after five executions PostgreSQL may keep a generic plan for the
 * connection's life; a statement that scans a growing table needs a pool with `customPlans`.
 */
export function clientOf(db: DrizzleExecutor): postgres.Sql {
  const client = (db as unknown as { _?: { session?: { client?: postgres.Sql } } })._?.session?.client;
  if (!client) throw new Error('clientOf: not a Drizzle postgres-js database or transaction');
  return client;
}

/**
 * A timestamptz column read through `clientOf`: Drizzle's driver turns postgres.js' timestamp
 * parsers off (it maps them itself), so the value arrives as PostgreSQL's text — or as a Date from a
 * client Drizzle has not wrapped.
 */
export const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));
