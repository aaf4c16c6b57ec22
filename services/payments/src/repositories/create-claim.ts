// The first statement of every create (POST /payments, POST /payments/schedules): claims the
// (sender, Idempotency-Key) row and reads the sender's and the recipient's replica rows in one
// round trip — each statement costs the service a socket write and PostgreSQL a statement, and a
// create ran three for this (claim, sender, recipient).
import { eq, or, sql } from 'drizzle-orm';
import { idempotencyKeys, knownUsers } from '../db/schema.ts';
import type { Tx } from './tx.ts';
import { normaliseEmail, type KnownUser } from './users.ts';

export interface CreateClaim {
  /**
   * The transaction's now() at the tables' millisecond precision — what `created_at` defaults to —
   * when the key is ours; null when it is taken (a replay, or a concurrent duplicate that has
   * committed meanwhile: the claim waits for it on the key's primary key).
   */
  claimedAt: Date | null;
  sender: KnownUser | undefined;
  /** By id, else by email (emails are unique in auth; if a stale replica row shares one, the active account wins). */
  recipient: KnownUser | undefined;
}

/**
 * Inserts (sender, key) unless it exists and has not expired; an expired row is taken over
 * (request hash replaced, response cleared). A data-modifying WITH runs exactly once whatever the
 * outer query reads; the outer query reads the replica rows (one row with null user columns when
 * neither is known).
 */
export async function claimKeyReadingParties(
  tx: Tx,
  p: { senderId: string; key: string; hash: string; ttlHours: number; recipient: { id?: string | undefined; email?: string | undefined } },
): Promise<CreateClaim> {
  const claim = tx.$with('claim').as(
    tx
      .insert(idempotencyKeys)
      .values({ senderId: p.senderId, key: p.key, requestHash: p.hash })
      .onConflictDoUpdate({
        target: [idempotencyKeys.senderId, idempotencyKeys.key],
        set: { requestHash: p.hash, statusCode: null, response: null, paymentId: null, createdAt: sql`now()` },
        setWhere: sql`${idempotencyKeys.createdAt} < now() - make_interval(hours => ${p.ttlHours})`,
      })
      .returning({ at: sql<string>`now()::timestamptz(3)`.as('at') }),
  );
  const email = p.recipient.email === undefined ? undefined : normaliseEmail(p.recipient.email);
  const recipientMatch =
    p.recipient.id !== undefined ? eq(knownUsers.id, p.recipient.id) : email !== undefined ? eq(knownUsers.email, email) : sql`false`;
  const rows = await tx
    .with(claim)
    .select({ claimedAt: sql<Date | null>`(select at from ${claim})`.mapWith(idempotencyKeys.createdAt), user: knownUsers })
    .from(sql`(select 1) as one`)
    .leftJoin(knownUsers, or(eq(knownUsers.id, p.senderId), recipientMatch));
  const users = rows.flatMap((r) => (r.user ? [r.user] : []));
  const recipient =
    p.recipient.id !== undefined
      ? users.find((u) => u.id === p.recipient.id)
      : users.filter((u) => u.email === email).sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))[0];
  return { claimedAt: rows[0]?.claimedAt ?? null, sender: users.find((u) => u.id === p.senderId), recipient };
}
