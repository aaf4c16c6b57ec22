// Collecting front-end analytics from any signed-in user, summarised for admins.
import type { AdminContext } from '../context.ts';
import { occurredAt } from '../domain/analytics.ts';
import { insertAnalytics, summarise } from '../repositories/analytics.ts';
import { assertRange } from './audit.ts';

export interface AnalyticsInput {
  name: string;
  value: number;
  tags?: Record<string, string>;
  page?: string;
  at?: string;
}

export async function collectAnalytics(ctx: Pick<AdminContext, 'db'>, userId: string, events: AnalyticsInput[]) {
  const now = new Date();
  await insertAnalytics(
    ctx.db,
    events.map((e) => ({ name: e.name, value: e.value, tags: e.tags ?? {}, page: e.page ?? null, userId, occurredAt: occurredAt(e.at, now) })),
  );
  return { accepted: events.length };
}

/** Default window: the last 24 hours. */
export async function analyticsSummary(ctx: Pick<AdminContext, 'db'>, q: { from?: string; to?: string; userId?: string }) {
  assertRange(q.from, q.to);
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 24 * 3_600_000);
  return { from: from.toISOString(), to: to.toISOString(), metrics: await summarise(ctx.db, from, to, q.userId) };
}
