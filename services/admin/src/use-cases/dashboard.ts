// The dashboard: payment statistics from the payments service (its admin-only /payments/stats,
// called with the administrator's token) and the latest audit entries. Payments being down or
// not answering degrades its section; the dashboard itself still answers 200. Volume by currency
// counts completed payments only: failed and cancelled ones never moved money.
import type { AdminContext } from '../context.ts';
import { callUpstream } from '../clients/upstream.ts';
import { recentActivity } from './audit.ts';
import type { Caller } from './users.ts';

interface PaymentStats {
  byStatus: Array<{ status: string; count: number }>;
  byCurrency: Array<{ currency: string; completedCount: number; completedAmount: string }>;
}

/** Completed volume per currency; currencies with no completed payment are left out. */
const completedVolume = (byCurrency: PaymentStats['byCurrency']) =>
  byCurrency.filter((c) => c.completedCount > 0).map((c) => ({ currency: c.currency, count: c.completedCount, amount: Number(c.completedAmount) }));

const isStats = (body: unknown): body is PaymentStats =>
  typeof body === 'object' && body !== null && Array.isArray((body as PaymentStats).byStatus) && Array.isArray((body as PaymentStats).byCurrency);

async function paymentStats(ctx: Pick<AdminContext, 'config' | 'log'>, caller: Caller) {
  try {
    const res = await callUpstream(`${ctx.config.PAYMENTS_URL}/payments/stats`, {
      authorization: caller.authorization,
      requestId: caller.requestId,
      timeoutMs: ctx.config.UPSTREAM_TIMEOUT_MS,
    });
    if (res.status === 200 && isStats(res.body)) {
      return { status: 'ok' as const, byStatus: res.body.byStatus, byCurrency: completedVolume(res.body.byCurrency) };
    }
    return { status: 'unavailable' as const, byStatus: [], byCurrency: [], detail: `payments answered ${res.status}` };
  } catch (err) {
    ctx.log.warn({ err: { message: (err as Error).message } }, 'payment statistics unavailable');
    return { status: 'unavailable' as const, byStatus: [], byCurrency: [], detail: (err as Error).message };
  }
}

export async function dashboard(ctx: Pick<AdminContext, 'config' | 'log' | 'db'>, caller: Caller) {
  const [payments, activity] = await Promise.all([paymentStats(ctx, caller), recentActivity(ctx, 20)]);
  return { payments, recentActivity: activity };
}
