// idempotency_keys: claimed inside the payment's transaction (see use-cases/create-payment.ts).
// A key expires IDEMPOTENCY_KEY_TTL_HOURS after it was first used: from then on it is free again
// (the same key makes a new payment) and the retention job deletes the row.
import { and, eq, sql } from 'drizzle-orm';
import type { RetentionTask } from '@bank/kit/retention';
import { idempotencyKeys } from '../db/schema.ts';
import type { DbOrTx } from './tx.ts';

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/**
 * Inserts (sender, key) unless it exists and has not expired; an expired row is taken over
 * (request hash replaced, response cleared). A concurrent transaction holding the same key makes
 * this wait for its outcome (primary key), so duplicates serialise: true = we own the key.
 */
export async function claimKey(db: DbOrTx, senderId: string, key: string, hash: string, ttlHours: number): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ senderId, key, requestHash: hash })
    .onConflictDoUpdate({
      target: [idempotencyKeys.senderId, idempotencyKeys.key],
      set: { requestHash: hash, statusCode: null, response: null, paymentId: null, createdAt: sql`now()` },
      setWhere: sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${ttlHours})`,
    })
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

/** Retention task: deletes expired keys (see kit/retention.ts for the batching and locking). */
export function idempotencyKeyRetention(ttlHours: number): RetentionTask {
  return {
    name: 'payments:idempotency-keys',
    async deleteBatch(tx, limit) {
      const rows = await tx`
        delete from idempotency_keys where (sender_id, key) in (
          select sender_id, key from idempotency_keys
          where created_at < now() - make_interval(hours => ${ttlHours})
          limit ${limit}
          for update skip locked)`;
      return rows.count;
    },
  };
}

export async function findKey(db: DbOrTx, senderId: string, key: string): Promise<IdempotencyRecord | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.senderId, senderId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row;
}

export async function recordResponse(db: DbOrTx, senderId: string, key: string, r: { statusCode: number; response: unknown; paymentId?: string | null }) {
  await db
    .update(idempotencyKeys)
    .set(r)
    .where(and(eq(idempotencyKeys.senderId, senderId), eq(idempotencyKeys.key, key)));
}
