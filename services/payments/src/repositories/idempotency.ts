// idempotency_keys: claimed inside the payment's transaction (see use-cases/create-payment.ts).
import { and, eq } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema.ts';
import type { DbOrTx } from './tx.ts';

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/**
 * Inserts (sender, key) unless it exists. A concurrent transaction holding the same key makes
 * this wait for its outcome (unique index), so duplicates serialise: true = we own the key.
 */
export async function claimKey(db: DbOrTx, senderId: string, key: string, hash: string): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ senderId, key, requestHash: hash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
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
