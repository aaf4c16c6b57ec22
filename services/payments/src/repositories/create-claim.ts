// The first statement of every create (POST /payments, POST /payments/schedules): claims the
// (sender, Idempotency-Key) row and reads the sender's and the recipient's replica rows in one
// round trip — each statement costs the service a socket write and PostgreSQL a statement, and a
// create ran three for this (claim, sender, recipient). The text is constant, so each connection
// prepares it once (@bank/kit clientOf) instead of Drizzle building and PostgreSQL parsing it per create.
import type { Tx } from './tx.ts';
import { clientOf, dateOf } from '@bank/kit/drizzle-client';
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

interface ClaimRow {
  claimed_at: unknown;
  id: string | null;
  email: string;
  name: string;
  role: KnownUser['role'];
  status: KnownUser['status'];
  last_event_at: unknown;
  updated_at: unknown;
}

/**
 * Inserts (sender, key) unless it exists and has not expired; an expired row is taken over
 * (request hash replaced, response cleared). A data-modifying WITH runs exactly once whatever the
 * outer query reads; the outer query reads the replica rows (one row with null user columns when
 * neither is known). The recipient is matched by id or by email, whichever is given (the other
 * parameter is null and matches nothing).
 */
export async function claimKeyReadingParties(
  tx: Tx,
  p: { senderId: string; key: string; hash: string; ttlHours: number; recipient: { id?: string | undefined; email?: string | undefined } },
): Promise<CreateClaim> {
  const email = p.recipient.id === undefined && p.recipient.email !== undefined ? normaliseEmail(p.recipient.email) : undefined;
  const rows = await clientOf(tx)<ClaimRow[]>`
    with claim as (
      insert into idempotency_keys (sender_id, key, request_hash) values (${p.senderId}::uuid, ${p.key}::text, ${p.hash}::text)
      on conflict (sender_id, key) do update
        set request_hash = excluded.request_hash, status_code = null, response = null, payment_id = null, created_at = now()
        where idempotency_keys.created_at < now() - make_interval(hours => ${p.ttlHours}::int)
      returning now()::timestamptz(3) as at
    )
    select (select at from claim) as claimed_at,
           u.id, u.email, u.name, u.role, u.status, u.last_event_at, u.updated_at
      from (select 1) as one
      left join known_users u on u.id = ${p.senderId}::uuid or u.id = ${p.recipient.id ?? null}::uuid or u.email = ${email ?? null}::text`;
  const users: KnownUser[] = rows.flatMap((r) =>
    r.id === null
      ? []
      : [{ id: r.id, email: r.email, name: r.name, role: r.role, status: r.status, lastEventAt: dateOf(r.last_event_at), updatedAt: dateOf(r.updated_at) }],
  );
  const recipient =
    p.recipient.id !== undefined
      ? users.find((u) => u.id === p.recipient.id)
      : users.filter((u) => u.email === email).sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))[0];
  const claimedAt = rows[0]?.claimed_at;
  return { claimedAt: claimedAt === null || claimedAt === undefined ? null : dateOf(claimedAt), sender: users.find((u) => u.id === p.senderId), recipient };
}
