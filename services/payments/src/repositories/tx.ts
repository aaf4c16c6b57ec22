// A database or a transaction: repositories take either, use-cases own the boundaries.
import type { Db, Sql } from '@bank/kit';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/**
 * The postgres.js client a Drizzle database or transaction runs on, for the hot path's constant
 * statements. Drizzle sends every query it builds unnamed (postgres.js `prepare: false`): a
 * Parse/Describe round trip before the Bind/Execute one, and PostgreSQL parses and plans the text
 * each time. A constant tagged template sent through this client is prepared once per connection
 * (postgres.js keys its statements by text) and then costs one round trip. Inside a transaction
 * this is the transaction's own connection (a Drizzle `.prepare()`d query would run on the pool).
 */
export const clientOf = (db: DbOrTx): Sql => (db as unknown as { _: { session: { client: Sql } } })._.session.client;

/**
 * A timestamptz column read through `clientOf`: Drizzle's driver turns postgres.js' timestamp
 * parsers off (it maps them itself), so the value arrives as PostgreSQL's text — or as a Date from a
 * client Drizzle has not wrapped.
 */
export const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));
