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

export interface ListQuery {
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
  const scope = admin ? 'all' : actor.sub;
  return cached(ctx, listKey(scope, q), ctx.config.CACHE_LIST_TTL_SECONDS, [admin ? ALL_TAG : userTag(actor.sub)], async () => {
    const rows = await listPayments(ctx.db, {
      ...(admin ? {} : { partyId: actor.sub }),
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
    return { items: page.items.map(publicPayment), nextCursor: page.nextCursor };
  });
}

export async function getVisiblePayment(ctx: PaymentsContext, actor: Actor, id: string) {
  // The entry is per payment (shared by its parties and admins); visibility is checked after.
  const payment = await cached(ctx, paymentKey(id), ctx.config.CACHE_ITEM_TTL_SECONDS, [paymentTag(id)], async () => {
    const row = await findPayment(ctx.db, id);
    if (!row) throw PaymentNotFound();
    return { ...publicPayment(row), transactions: (await transactionsOf(ctx.db, id)).map(publicTransaction) };
  });
  if (!isAdmin(actor) && payment.senderId !== actor.sub && payment.recipientId !== actor.sub) throw PaymentNotFound();
  return payment;
}

export async function getStats(ctx: PaymentsContext) {
  return cached(ctx, STATS_KEY, ctx.config.CACHE_LIST_TTL_SECONDS, [ALL_TAG], () => paymentStats(ctx.db));
}
