// PostgreSQL through postgres.js with Drizzle on top. One pool per service, closed in
// onClose; readiness pings the database. Migrations run under a PostgreSQL advisory lock
// because Drizzle's migrator takes none: several replicas (or the k8s hook Job and a pod in
// dev) may start at once and must not apply the same migration twice.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { dbTargetOf, traceSql } from './db-tracing.ts';
import { registerDependencyEndpoint } from './dependency-errors.ts';

export type Sql = postgres.Sql;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = PostgresJsDatabase<any>;

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    sql: Sql;
  }
}

export interface DbOptions {
  url: string;
  schema?: Record<string, unknown>;
  max?: number;
  /** Folder of drizzle-kit SQL migrations to apply at start-up (MIGRATE_ON_START). */
  migrationsFolder?: string;
  migrationLockName?: string;
  /** SqlPoolOptions.customPlans for the service's pool. */
  customPlans?: boolean;
}

export interface SqlPoolOptions {
  /**
   * Plan every execution with its parameters (`plan_cache_mode = force_custom_plan`) instead of
   * letting PostgreSQL switch a prepared statement to a cached generic plan. For pools whose
   * queries scan queue-like tables (the outbox relay): a generic plan chosen while the table was
   * empty is kept until the table is next analyzed, and for a claim over a growing table it is a
   * scan of every unsent index entry per candidate — measured at 1.4–15 s per claim on 60,000
   * rows, against 5 ms with a custom plan (docs/benchmarks/platform.md). Also for pools whose
   * prepared statements join a growing table to a parameter list (payments' status changes): their
   * generic plan, made while the table was small, hash-joins a sequential scan of it.
   */
  customPlans?: boolean;
}

export function createSql(url: string, max = 10, opts: SqlPoolOptions = {}): Sql {
  registerDependencyEndpoint('postgres', url, 5432);
  // Every query of the pool (and of its transactions) gets a span inside a traced request/delivery.
  const sql = postgres(url, {
    max,
    ...(opts.customPlans ? { connection: { plan_cache_mode: 'force_custom_plan' } } : {}),
    idle_timeout: 30,
    connect_timeout: 10,
    // postgres.js waits before reconnecting after a failed connection, growing to 20 s; every query
    // queued meanwhile waits too. A refused connection costs microseconds, so retry at once: while
    // the database is down each request fails in milliseconds (503 DATABASE_UNAVAILABLE, see
    // dependency-errors.ts), and the first request after it is back succeeds.
    backoff: () => 0,
    onnotice: () => {},
  });
  return traceSql(sql, dbTargetOf(url));
}

/** Apply migrations while holding a session-level advisory lock on a dedicated connection. */
export async function runMigrations(
  url: string,
  migrationsFolder: string,
  lockName: string,
  log?: { info(obj: object, msg: string): void },
): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(hashtext(${lockName}))`;
    log?.info({ migrationsFolder, lockName }, 'applying migrations');
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(hashtext(${lockName}))`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function dbPlugin(fastify: FastifyInstance, opts: DbOptions) {
  if (opts.migrationsFolder) {
    await runMigrations(opts.url, opts.migrationsFolder, opts.migrationLockName ?? 'migrations', fastify.log);
  }
  const sql = createSql(opts.url, opts.max, { customPlans: opts.customPlans ?? false });
  const db = drizzle(sql, opts.schema ? { schema: opts.schema } : {});
  fastify.decorate('sql', sql);
  fastify.decorate('db', db);
  fastify.health.addCheck('postgres', () => sql`select 1`);
  fastify.addHook('onClose', async () => {
    await sql.end({ timeout: 5 });
  });
}

export const database = fp(dbPlugin, { name: 'kit-db', fastify: '5.x', dependencies: ['kit-health'] });
