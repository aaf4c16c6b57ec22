// Cache keys and tags of payment reads. Every write invalidates the tags of the payment it
// touched: its own, its two parties' lists, and the admin views ("all").
import { createHash } from 'node:crypto';
import type { PaymentsContext } from '../context.ts';
import { canonicalJson } from '../domain/idempotency.ts';
import type { PaymentRow } from '../repositories/payments.ts';

export const ALL_TAG = 'all';
export const userTag = (userId: string) => `user:${userId}`;
export const paymentTag = (paymentId: string) => `payment:${paymentId}`;

export const paymentKey = (paymentId: string) => `payment:${paymentId}`;
/** One entry per (scope, filters, page): the query is hashed so keys stay short and valid. */
export const listKey = (scope: string, query: object) =>
  `list:${scope}:${createHash('sha256').update(canonicalJson(query)).digest('hex').slice(0, 32)}`;
export const STATS_KEY = 'stats';

export const tagsOfPayment = (p: Pick<PaymentRow, 'id' | 'senderId' | 'recipientId'>) => [
  paymentTag(p.id),
  userTag(p.senderId),
  userTag(p.recipientId),
  ALL_TAG,
];

/** After a commit: stale reads are bounded by the TTL if Redis is unreachable (logged). */
export async function invalidatePayment(ctx: PaymentsContext, p: Pick<PaymentRow, 'id' | 'senderId' | 'recipientId'>) {
  const ok = await ctx.cache.invalidateTags(tagsOfPayment(p));
  if (!ok) ctx.log.warn({ paymentId: p.id }, 'cache invalidation failed; reads may be stale until the TTL');
}

/** After a batch's commit: every tag of every payment, deduplicated, in one Redis pipeline. */
export async function invalidatePayments(ctx: PaymentsContext, list: Array<Pick<PaymentRow, 'id' | 'senderId' | 'recipientId'>>) {
  if (list.length === 0) return;
  const ok = await ctx.cache.invalidateTags([...new Set(list.flatMap(tagsOfPayment))]);
  if (!ok) ctx.log.warn({ payments: list.length }, 'cache invalidation failed; reads may be stale until the TTL');
}
