// The validation report, computed from the databases (not from the run's memory), so it is the
// same after a crash and --resume as after one clean run. Per step: every source row is either
// migrated (in the ledger AND in the service table) or refused with a reason — counts and id
// checksums must add up. Per currency: source sum = migrated sum (minor units back to major) +
// refused sum, exactly.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { CURRENCY_EXPONENTS } from '../../../services/payments/src/domain/currencies.ts';
import { addDecimals, minorToMajor, sameDecimal } from './convert.ts';
import { STEPS } from './steps.ts';
import { idsum, type Sql, type Target, type TargetName } from './targets.ts';

interface Tally {
  rows: number;
  idsum: string;
}
export interface StepReport {
  step: string;
  description: string;
  source: Tally;
  migrated: Tally;
  refused: Tally;
  /** Ledger entries whose service row is missing (deleted behind the tool's back). */
  missingInTarget: number;
  notes: Record<string, number>;
  reconciled: boolean;
}
export interface CurrencyReport {
  currency: string;
  source: { rows: number; sum: string };
  migrated: { rows: number; sum: string };
  refused: { rows: number; sum: string };
  reconciled: boolean;
}
export interface Report {
  steps: StepReport[];
  currencies: CurrencyReport[];
  refusals: { step: string; code: string; rows: number; sample: string[] }[];
  orphans: Record<string, number>;
  notMigrated: Record<string, unknown>;
  reconciled: boolean;
  refusedRows: number;
  unacceptedRefusals: number;
}

const none = (): Tally => ({ rows: 0, idsum: '0' });

export async function validate(source: Sql, targets: Record<TargetName, Target>): Promise<Omit<Report, 'unacceptedRefusals'>> {
  const ledgers = new Map<TargetName, boolean>();
  for (const t of Object.values(targets)) ledgers.set(t.name, await t.hasLedger());

  const steps: StepReport[] = [];
  for (const step of STEPS) {
    const [src] = await source.unsafe(`select count(*)::int as rows, ${idsum(step.sourceId)} as idsum from ${step.sourceTable}`);
    const report: StepReport = { step: step.name, description: step.description, source: { rows: src!.rows, idsum: src!.idsum }, migrated: none(), refused: none(), missingInTarget: 0, notes: {}, reconciled: false };
    if (ledgers.get(step.target)) {
      const q = targets[step.target].sql;
      const [ledger] = await q`select count(*)::int as rows from legacy_migration.written where step = ${step.name}`;
      const [migrated] = await q.unsafe(`select count(*)::int as rows, ${idsum('w.id')} as idsum from legacy_migration.written w ${step.targetJoin ?? ''} where w.step = $1`, [step.name]);
      const [refused] = await q.unsafe(`select count(*)::int as rows, ${idsum('source_id')} as idsum from legacy_migration.refused where step = $1`, [step.name]);
      const [cp] = await q`select notes from legacy_migration.checkpoints where step = ${step.name}`;
      report.migrated = { rows: migrated!.rows, idsum: migrated!.idsum };
      report.refused = { rows: refused!.rows, idsum: refused!.idsum };
      report.missingInTarget = ledger!.rows - migrated!.rows;
      report.notes = (cp?.notes as Record<string, number> | undefined) ?? {};
    }
    report.reconciled =
      report.source.rows === report.migrated.rows + report.refused.rows &&
      sameDecimal(report.source.idsum, addDecimals(report.migrated.idsum, report.refused.idsum)) &&
      report.missingInTarget === 0;
    steps.push(report);
  }

  const currencies = await currencySums(source, targets.payments, ledgers.get('payments') ?? false);
  const refusals: Report['refusals'] = [];
  for (const t of Object.values(targets)) {
    if (!ledgers.get(t.name)) continue;
    const rows = await t.sql`
      select step, code, count(*)::int as rows, (array_agg(source_id order by source_id))[1:3] as sample
      from legacy_migration.refused group by step, code order by step, code`;
    for (const r of rows) refusals.push({ step: r.step, code: r.code, rows: r.rows, sample: r.sample });
  }
  const orphans: Record<string, number> = {};
  for (const r of refusals) if (r.code.startsWith('orphan.')) orphans[r.code] = (orphans[r.code] ?? 0) + r.rows;

  const [tokens] = await source`select count(*)::int as total, count(*) filter (where expires_at > now() at time zone 'UTC')::int as unexpired from refresh_tokens`;
  const [configs] = await source`select count(*) filter (where description is not null)::int as described from system_config`;
  const notMigrated = {
    refresh_tokens: { ...tokens, why: 'invalidated by design: every legacy session ends at the cut-over; users sign in again (their passwords are migrated)' },
    'users.email_verified': 'no such field on the new platform',
    'payments.psp_transaction_id, payments.metadata': 'the simulated processor has no PSP reference; kept in the archived POC-2 database',
    'system_config.description': { rows: configs?.described ?? 0, why: 'the configuration catalogue describes its keys' },
  };
  return {
    steps,
    currencies,
    refusals,
    orphans,
    notMigrated,
    reconciled: steps.every((s) => s.reconciled) && currencies.every((c) => c.reconciled),
    refusedRows: steps.reduce((n, s) => n + s.refused.rows, 0),
  };
}

async function currencySums(source: Sql, payments: Target, hasLedger: boolean): Promise<CurrencyReport[]> {
  const key = (c: string | null) => c ?? '(null)';
  const byCurrency = new Map<string, CurrencyReport>();
  const entry = (c: string) => {
    let e = byCurrency.get(c);
    if (!e) byCurrency.set(c, (e = { currency: c, source: { rows: 0, sum: '0' }, migrated: { rows: 0, sum: '0' }, refused: { rows: 0, sum: '0' }, reconciled: false }));
    return e;
  };
  for (const r of await source`select upper(trim(currency)) as c, count(*)::int as rows, coalesce(sum(amount), 0)::text as sum from payments group by 1`) {
    entry(key(r.c)).source = { rows: r.rows, sum: r.sum };
  }
  if (hasLedger) {
    const q = payments.sql;
    for (const r of await q`
      select t.currency as c, count(*)::int as rows, coalesce(sum(t.amount), 0)::text as sum
      from legacy_migration.written w join payments t on t.id = w.id::uuid where w.step = 'payments.payments' group by 1`) {
      const exponent = CURRENCY_EXPONENTS.get(r.c) ?? 0;
      entry(key(r.c)).migrated = { rows: r.rows, sum: minorToMajor(r.sum, exponent) };
    }
    for (const r of await q`
      select upper(trim(detail->>'currency')) as c, count(*)::int as rows, coalesce(sum((detail->>'amount')::numeric), 0)::text as sum
      from legacy_migration.refused where step = 'payments.payments' group by 1`) {
      entry(key(r.c)).refused = { rows: r.rows, sum: r.sum };
    }
  }
  const list = [...byCurrency.values()].sort((a, b) => b.source.rows - a.source.rows);
  for (const c of list) {
    c.source.sum = addDecimals(c.source.sum);
    c.refused.sum = addDecimals(c.refused.sum);
    c.reconciled = c.source.rows === c.migrated.rows + c.refused.rows && sameDecimal(c.source.sum, addDecimals(c.migrated.sum, c.refused.sum));
  }
  return list;
}

/**
 * Writes every refusal (one JSON line each) and counts those not in the accepted file (a
 * refusals file from an earlier run that the owners reviewed and signed off).
 */
export async function writeRefusals(targets: Record<TargetName, Target>, file: string, acceptedFile?: string): Promise<number> {
  const accepted = new Set<string>();
  if (acceptedFile) {
    if (!existsSync(acceptedFile)) throw new Error(`--accept-refusals: ${acceptedFile} does not exist`);
    for (const line of readFileSync(acceptedFile, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { step: string; id: string };
      accepted.add(`${r.step}\t${r.id}`);
    }
  }
  const out = createWriteStream(file);
  let unaccepted = 0;
  for (const t of Object.values(targets)) {
    if (!(await t.hasLedger())) continue;
    const cursor = t.sql`select step, source_id, code, message, detail from legacy_migration.refused order by step, source_id`.cursor(1000);
    for await (const rows of cursor) {
      for (const r of rows) {
        if (!accepted.has(`${r.step}\t${r.source_id}`)) unaccepted++;
        if (!out.write(`${JSON.stringify({ step: r.step, id: r.source_id, code: r.code, message: r.message, ...(r.detail ? { detail: r.detail } : {}) })}\n`)) await once(out, 'drain');
      }
    }
  }
  out.end();
  await once(out, 'finish');
  return unaccepted;
}

export function printReport(report: Report, print: (line: string) => void): void {
  const pad = (s: unknown, n: number) => String(s).padEnd(n);
  const num = (s: unknown, n: number) => String(s).padStart(n);
  print('');
  print('Validation report (source rows = migrated + refused; id checksums likewise)');
  print(`${pad('step', 32)}${num('source', 10)}${num('migrated', 10)}${num('refused', 9)}  ids  ok`);
  for (const s of report.steps) {
    const ids = sameDecimal(s.source.idsum, addDecimals(s.migrated.idsum, s.refused.idsum)) ? 'ok ' : 'BAD';
    print(`${pad(s.step, 32)}${num(s.source.rows, 10)}${num(s.migrated.rows, 10)}${num(s.refused.rows, 9)}  ${ids}  ${s.reconciled ? 'yes' : 'NO'}${s.missingInTarget ? ` (${s.missingInTarget} ledger rows missing in the target)` : ''}`);
    for (const [note, n] of Object.entries(s.notes)) print(`${pad('', 34)}note: ${n} × ${note}`);
  }
  print('');
  print('Amounts per currency (major units; source = migrated + refused)');
  print(`${pad('currency', 10)}${num('source rows', 12)}${num('source sum', 26)}${num('migrated', 10)}${num('migrated sum', 26)}${num('refused', 9)}${num('refused sum', 26)}  ok`);
  for (const c of report.currencies) {
    print(`${pad(c.currency, 10)}${num(c.source.rows, 12)}${num(c.source.sum, 26)}${num(c.migrated.rows, 10)}${num(c.migrated.sum, 26)}${num(c.refused.rows, 9)}${num(c.refused.sum, 26)}  ${c.reconciled ? 'yes' : 'NO'}`);
  }
  print('');
  print(`Refused rows: ${report.refusedRows} (${report.unacceptedRefusals} not in --accept-refusals)`);
  for (const r of report.refusals) print(`  ${pad(r.step, 32)}${pad(r.code, 36)}${num(r.rows, 8)}  e.g. ${r.sample.join(', ')}`);
  print(`Orphans found: ${Object.entries(report.orphans).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  print('Not migrated by design:');
  for (const [what, why] of Object.entries(report.notMigrated)) print(`  ${what}: ${typeof why === 'string' ? why : JSON.stringify(why)}`);
  print('');
  print(report.reconciled ? 'RECONCILED: every source row is migrated or refused, ids and sums add up.' : 'NOT RECONCILED: see the rows marked NO above.');
}
