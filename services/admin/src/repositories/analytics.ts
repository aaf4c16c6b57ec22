// analytics_events access: batch insert and per-metric summary over a time window.
import { sql } from 'drizzle-orm';
import type { Db } from '@bank/kit';
import { analyticsEvents } from '../db/schema.ts';

export type NewAnalyticsEvent = typeof analyticsEvents.$inferInsert;

export async function insertAnalytics(db: Pick<Db, 'insert'>, rows: NewAnalyticsEvent[]): Promise<void> {
  if (rows.length > 0) await db.insert(analyticsEvents).values(rows);
}

export interface MetricSummary {
  name: string;
  count: number;
  avg: number;
  p50: number;
  p75: number;
  p95: number;
}

export async function summarise(db: Pick<Db, 'execute'>, from: Date, to: Date, userId?: string): Promise<MetricSummary[]> {
  const rows = (await db.execute(sql`
    select name, count(*)::int as count, avg(value)::float8 as avg,
           percentile_cont(0.5) within group (order by value)::float8 as p50,
           percentile_cont(0.75) within group (order by value)::float8 as p75,
           percentile_cont(0.95) within group (order by value)::float8 as p95
    from analytics_events
    where occurred_at >= ${from.toISOString()} and occurred_at < ${to.toISOString()}
      ${userId ? sql`and user_id = ${userId}` : sql``}
    group by name order by name`)) as unknown as MetricSummary[];
  return rows.map((r) => ({ ...r, avg: round(r.avg), p50: round(r.p50), p75: round(r.p75), p95: round(r.p95) }));
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export interface PageVital {
  page: string;
  /** web-vital.lcp, web-vital.inp, web-vital.cls, web-vital.fcp, web-vital.ttfb */
  name: string;
  count: number;
  p75: number;
}

/** p75 of each web vital per page (Core Web Vitals are judged at the 75th percentile). */
export async function webVitalsByPage(db: Pick<Db, 'execute'>, from: Date, to: Date): Promise<PageVital[]> {
  const rows = (await db.execute(sql`
    select coalesce(page, '(unknown)') as page, name, count(*)::int as count,
           percentile_cont(0.75) within group (order by value)::float8 as p75
    from analytics_events
    where name like 'web-vital.%' and occurred_at >= ${from.toISOString()} and occurred_at < ${to.toISOString()}
    group by 1, 2 order by 1, 2
    limit 500`)) as unknown as PageVital[];
  return rows.map((r) => ({ ...r, p75: round(r.p75) }));
}
