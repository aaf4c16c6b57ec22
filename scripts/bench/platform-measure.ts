// What the platform benchmark reads back after each load step: completion lag from the payments
// database, the audit trail from admin's database, and the CPU time each process spent (from
// /proc/<pid>/stat). Read as the PostgreSQL superuser the runner provisions with.
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { settings } from '../lib/local-env.ts';
import { SERVICES } from '../lib/services.ts';
import { percentile } from './platform-load.ts';

const databaseUrl = (db: string) => {
  const url = new URL(settings.pgAdminUrl);
  url.pathname = `/${db}`;
  return url.toString();
};

export const paymentsDb = () => postgres(databaseUrl('payments_db'), { max: 2, onnotice: () => {} });
export const adminDb = () => postgres(databaseUrl('admin_db'), { max: 2, onnotice: () => {} });

const FINAL = ['completed', 'failed'];

/**
 * Waits until no payment whose description is like `descriptionLike` is pending or processing, or
 * the time is up; returns how many still are. After a step: its tag (`bench:<run>:<rate>`, no
 * wildcard in it). Before a step and at the end: the whole run (`bench:<run>:%`) — the previous
 * step's backlog must not land in this step's figures, and a payment unfinished at its step's
 * drain is lost only if it never finishes.
 */
export async function waitForCompletion(sql: postgres.Sql, descriptionLike: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await sql<{ open: number }[]>`
      select count(*)::int as open from payments
       where description like ${descriptionLike} and status in ('pending', 'processing')`;
    if (row!.open === 0 || Date.now() > deadline) return row!.open;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface LagFigures {
  payments: number;
  finished: number;
  unfinished: number;
  /** completed − created − the two simulated step delays, in ms. */
  lagMs: { p50: number; p95: number; p99: number; max: number };
  ids: Set<string>;
}

export async function completionLag(sql: postgres.Sql, tag: string, simulatedMs: number): Promise<LagFigures> {
  // The finishing transition's row in payment_transactions is the completion time (updated_at
  // would move again on any later write).
  const rows = await sql<{ id: string; status: string; lag_ms: number | null }[]>`
    select p.id, p.status,
           extract(epoch from (t.created_at - p.created_at)) * 1000 - ${simulatedMs}::float8 as lag_ms
      from payments p
      left join payment_transactions t on t.payment_id = p.id and t.to_status in ('completed', 'failed')
     where p.description = ${tag}`;
  const lags = rows.filter((r) => FINAL.includes(r.status) && r.lag_ms !== null).map((r) => Number(r.lag_ms)).sort((a, b) => a - b);
  const round = (n: number) => Math.round(n);
  return {
    payments: rows.length,
    finished: lags.length,
    unfinished: rows.length - lags.length,
    lagMs: { p50: round(percentile(lags, 50)), p95: round(percentile(lags, 95)), p99: round(percentile(lags, 99)), max: round(lags.at(-1) ?? Number.NaN) },
    ids: new Set(rows.map((r) => r.id)),
  };
}

export interface AuditFigures {
  /** Payments whose three events (created, updated, completed|failed) are each in admin's log exactly once. */
  exactlyOnce: number;
  missing: number;
  doubled: number;
}

/**
 * Each payment must appear in admin's audit log with `payments.payment.created`,
 * `payments.payment.updated` (→ processing) and one finishing event, each once. Waits (up to
 * timeoutMs) for the audit to catch up, since admin consumes asynchronously.
 */
export async function auditOnce(sql: postgres.Sql, ids: Set<string>, since: Date, timeoutMs: number): Promise<AuditFigures> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await sql<{ pid: string; type: string; n: number }[]>`
      select data->>'paymentId' as pid, type, count(*)::int as n
        from audit_log
       where occurred_at >= ${since.toISOString()} and type like 'payments.payment.%'
       group by 1, 2`;
    const perPayment = new Map<string, Map<string, number>>();
    for (const r of rows) {
      if (!ids.has(r.pid)) continue;
      const types = perPayment.get(r.pid) ?? new Map<string, number>();
      // completed and failed both finish a payment: one of them, once.
      const key = r.type === 'payments.payment.failed' ? 'payments.payment.completed' : r.type;
      types.set(key, (types.get(key) ?? 0) + r.n);
      perPayment.set(r.pid, types);
    }
    let exactlyOnce = 0;
    let missing = 0;
    let doubled = 0;
    for (const id of ids) {
      const types = perPayment.get(id);
      const counts = ['payments.payment.created', 'payments.payment.updated', 'payments.payment.completed'].map((t) => types?.get(t) ?? 0);
      if (counts.some((n) => n > 1)) doubled++;
      else if (counts.some((n) => n === 0)) missing++;
      else exactlyOnce++;
    }
    if (missing === 0 || Date.now() > deadline) return { exactlyOnce, missing, doubled };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** utime + stime of a process in seconds (the kernel's clock ticks are 100 Hz on Linux). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function pidsOf(command: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (command.test(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The pid listening on each service's port, plus the shared infrastructure's processes. */
export function processGroups(): Record<string, number[]> {
  const groups: Record<string, number[]> = {};
  for (const s of SERVICES) {
    const pid = /pid=(\d+)/.exec(spawnSync('ss', ['-Hltnp', `sport = :${s.port}`], { encoding: 'utf8' }).stdout)?.[1];
    groups[s.name] = pid ? [Number(pid)] : [];
  }
  // Every PostgreSQL backend (also other users' — the machine is shared), the broker, Redis.
  groups.postgres = pidsOf(/^postgres$/);
  groups.rabbitmq = pidsOf(/^beam\.smp$/);
  groups.redis = pidsOf(/^redis-server$/);
  return groups;
}

export type CpuSnapshot = Record<string, number>;

/** CPU seconds per group; PostgreSQL backends come and go, so its pids are re-read each time. */
export function cpuSnapshot(groups: Record<string, number[]>): CpuSnapshot {
  const fresh = { ...groups, postgres: pidsOf(/^postgres$/) };
  return Object.fromEntries(Object.entries(fresh).map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0)]));
}

export function cpuPerPayment(before: CpuSnapshot, after: CpuSnapshot, payments: number): Record<string, number> {
  return Object.fromEntries(
    Object.keys(after).map((name) => [name, payments > 0 ? Math.max(0, (after[name]! - (before[name] ?? 0)) / payments) : Number.NaN]),
  );
}
