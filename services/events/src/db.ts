// The minimal database surface the hub needs from a caller's Drizzle instance or transaction.
// Typed structurally on purpose: each workspace may resolve its own copy of drizzle-orm, and
// nominal Drizzle types from two copies do not mix; at run time Drizzle's `is()` checks work
// across copies (they compare entity kinds, not classes).
import type postgres from 'postgres';
import type { DrizzleExecutor } from '@bank/kit/drizzle-client';

/** A Drizzle database or transaction (anything with Drizzle's `execute`): the kit's, whose clientOf the hub's statements use. */
export type SqlExecutor = DrizzleExecutor;

/** A Drizzle database whose transactions hand out `Tx`. */
export interface TransactionalDb<Tx extends SqlExecutor> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export type Sql = postgres.Sql;

/** Rows of a postgres-js `execute` (Drizzle returns the driver's result array). */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
