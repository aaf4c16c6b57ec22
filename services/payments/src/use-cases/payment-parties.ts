// Who is on each side of a payment, and how the caller sees it. Parties come from known_users
// (the replica of auth's users, so payments never asks auth); direction and counterparty are
// computed per caller after the cache, because a cached payment is shared by both its parties.
import type { Actor } from '../context.ts';
import type { PublicPayment } from '../repositories/payments.ts';
import { findUsersByIds, type KnownUser } from '../repositories/users.ts';
import type { DbOrTx } from '../repositories/tx.ts';

export interface Party {
  id: string;
  /** Null if the replica has not heard of the user (yet). */
  name: string | null;
  email: string | null;
}
export type Direction = 'sent' | 'received';
export type WithParties<P> = P & { sender: Party; recipient: Party };

const partyOf = (id: string, known: Map<string, KnownUser>, fallbackEmail: string | null = null): Party => {
  const user = known.get(id);
  return { id, name: user?.name ?? null, email: user?.email ?? fallbackEmail };
};

/** Adds `sender` and `recipient` (name/email) to each payment with one replica query. */
export async function withParties<P extends PublicPayment>(db: DbOrTx, items: P[]): Promise<Array<WithParties<P>>> {
  const known = await findUsersByIds(db, items.flatMap((p) => [p.senderId, p.recipientId]));
  return items.map((p) => ({ ...p, sender: partyOf(p.senderId, known), recipient: partyOf(p.recipientId, known, p.recipientEmail) }));
}

/**
 * The caller's view: `direction` sent|received and `counterparty` the other side. An admin looking
 * at other people's payment is neither party: both null.
 */
export function asSeenBy<P extends WithParties<PublicPayment>>(actor: Actor, p: P): P & { direction: Direction | null; counterparty: Party | null } {
  if (p.senderId === actor.sub) return { ...p, direction: 'sent', counterparty: p.recipient };
  if (p.recipientId === actor.sub) return { ...p, direction: 'received', counterparty: p.sender };
  return { ...p, direction: null, counterparty: null };
}
