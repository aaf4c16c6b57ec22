// GET /payments, /payments/:id, /payments/stats — cached in Redis per caller scope and filters.
// Visibility: customers and vendors see payments they sent or received; admins see all. Another
// user's payment is reported exactly like a missing one (404), so ids reveal nothing.
import { decodeCursor, toPage } from '@bank/kit';
import { isAdmin, type Actor, type PaymentsContext } from '../context.ts';
import { InvalidFilter, PaymentNotFound } from '../domain/errors.ts';
import type { PaymentStatus } from '../domain/status.ts';
import { findPayment, listPayments, paymentStats, publicPayment, publicTransaction, transactionsOf } from '../repositories/payments.ts';
import { ALL_TAG, listKey, paymentKey, paymentTag, STATS_KEY, userTag } from './cache-tags.ts';
import { cached } from './cached.ts';
import { asSeenBy, withParties } from './payment-parties.ts';

export interface ListQuery {
  /** Seen from the caller: payments they sent, received, or both (default). */
  direction?: 'sent' | 'received' | 'all';
  status?: PaymentStatus;
  currency?: string;
  from?: string;
  to?: string;
  minAmount?: number;
  maxAmount?: number;
  cursor?: string;
  limit: number;
}

export async function listVisiblePayments(ctx: PaymentsContext, actor: Actor, q: ListQuery) {
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && from > to) throw InvalidFilter('`from` must not be after `to`');
  if (q.minAmount !== undefined && q.maxAmount !== undefined && q.minAmount > q.maxAmount) {
    throw InvalidFilter('`minAmount` must not exceed `maxAmount`');
  }
  const after = decodeCursor(q.cursor);
  const admin = isAdmin(actor);
  const direction = q.direction ?? 'all';
  // An admin's "sent"/"received" narrows to their own payments, so it is cached in their own scope.
  const ownOnly = !admin || direction !== 'all';
  const scope = ownOnly ? actor.sub : 'all';
  const page = await cached(ctx, listKey(scope, { ...q, direction }), ctx.config.CACHE_LIST_TTL_SECONDS, [ownOnly ? userTag(actor.sub) : ALL_TAG], async () => {
    const rows = await listPayments(ctx.db, {
      ...(direction === 'all' && !admin ? { partyId: actor.sub } : {}),
      ...(direction === 'sent' ? { senderId: actor.sub } : {}),
      ...(direction === 'received' ? { recipientId: actor.sub } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.currency ? { currency: q.currency } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(q.minAmount !== undefined ? { minAmount: q.minAmount } : {}),
      ...(q.maxAmount !== undefined ? { maxAmount: q.maxAmount } : {}),
      ...(after ? { after } : {}),
      limit: q.limit,
    });
    const page = toPage(rows, q.limit, (p) => ({ at: p.createdAt.toISOString(), id: p.id }));
    return { items: await withParties(ctx.db, page.items.map(publicPayment)), nextCursor: page.nextCursor };
  });
  return { items: page.items.map((p) => asSeenBy(actor, p)), nextCursor: page.nextCursor };
}

export async function getVisiblePayment(ctx: PaymentsContext, actor: Actor, id: string) {
  // The entry is per payment (shared by its parties and admins); visibility is checked after.
  const payment = await cached(ctx, paymentKey(id), ctx.config.CACHE_ITEM_TTL_SECONDS, [paymentTag(id)], async () => {
    const row = await findPayment(ctx.db, id);
    if (!row) throw PaymentNotFound();
    const [withNames] = await withParties(ctx.db, [publicPayment(row)]);
    return { ...withNames!, transactions: (await transactionsOf(ctx.db, id)).map(publicTransaction) };
  });
  if (!isAdmin(actor) && payment.senderId !== actor.sub && payment.recipientId !== actor.sub) throw PaymentNotFound();
  return asSeenBy(actor, payment);
}

export async function getStats(ctx: PaymentsContext) {
  return cached(ctx, STATS_KEY, ctx.config.CACHE_LIST_TTL_SECONDS, [ALL_TAG], () => paymentStats(ctx.db));
}
