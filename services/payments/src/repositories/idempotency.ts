// idempotency_keys: claimed (repositories/create-claim.ts) inside the payment's transaction (see use-cases/create-payment.ts).
// A key expires IDEMPOTENCY_KEY_TTL_HOURS after it was first used: from then on it is free again
// (the same key makes a new payment) and the retention job deletes the row.
import { and, eq } from 'drizzle-orm';
import type { RetentionTask } from '@bank/kit/retention';
import { idempotencyKeys } from '../db/schema.ts';
import type { DbOrTx } from './tx.ts';

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

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

export async function recordResponse(db: DbOrTx, senderId: string, key: string, r: IdempotentResponse) {
  await recordResponseQuery(db, senderId, key, r);
}

type IdempotentResponse = { statusCode: number; response: unknown; paymentId?: string | null };

const recordResponseQuery = (db: DbOrTx, senderId: string, key: string, r: IdempotentResponse) =>
  db
    .update(idempotencyKeys)
    .set(r)
    .where(and(eq(idempotencyKeys.senderId, senderId), eq(idempotencyKeys.key, key)));
