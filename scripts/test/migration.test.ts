// The legacy migration tool end to end, as an SRE runs it (the real CLI in a child process):
// a generated POC-2 database (awkward data included) migrated into four throwaway service
// databases — dry run, run, re-run, a drifted target, rollback, a crash and --resume — and a
// migrated bcrypt user signing in through the auth app and being upgraded to argon2id.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import postgres from 'postgres';
import { MAX_AMOUNT_MINOR } from '../../services/payments/src/domain/money.ts';
import { addDecimals, currencyCode, MAX_AMOUNT_MINOR as TOOL_MAX_AMOUNT_MINOR, normaliseEmail, profileAddress, toMinorUnits } from '../migration/lib/convert.ts';
import { legacyPassword, legacyUserId } from '../migration/generate-legacy.ts';
import { TARGETS, type TargetName } from '../migration/lib/targets.ts';
import { createMigrationDatabases, targetFlags, type MigrationDatabases } from './lib/migration-dbs.ts';

// The end-to-end migration generates, migrates, resumes and rolls back several thousand rows in
// throwaway databases; with the cores shared by other suites it ran past .taprc's 120 s.
t.setTimeout(300_000);

const CLI = fileURLToPath(new URL('../migration/migrate-legacy.ts', import.meta.url));

t.test('amounts: exact minor units per currency exponent, refused rather than rounded', async (t) => {
  const minor = (amount: string | null, currency: string) => {
    const c = currencyCode(currency);
    if (!c.ok) return c.refusal.code;
    const r = toMinorUnits(amount, c.value.code, c.value.exponent);
    return r.ok ? r.value : r.refusal.code;
  };
  t.equal(minor('1500.000000000000000000000000000000', 'JPY'), 1500);
  t.equal(minor('10.500000000000000000000000000000', 'EUR'), 1050);
  t.equal(minor('0.01', 'eur '), 1, 'currency codes are trimmed and upper-cased');
  t.equal(minor('12.345', 'KWD'), 12345);
  t.equal(minor('100.5', 'JPY'), 'amount.too_many_decimals');
  t.equal(minor('10.505', 'EUR'), 'amount.too_many_decimals');
  t.equal(minor('1.0001', 'KWD'), 'amount.too_many_decimals');
  t.equal(minor('0', 'EUR'), 'amount.not_positive');
  t.equal(minor('-3.50', 'EUR'), 'amount.not_positive');
  t.equal(minor('10000000000000', 'EUR'), 'amount.too_large');
  t.equal(TOOL_MAX_AMOUNT_MINOR, MAX_AMOUNT_MINOR, "the tool's maximum is payments' maximum");
  t.equal(minor(null, 'EUR'), 'amount.null');
  t.equal(minor('1', 'XYZ'), 'currency.unknown');
  t.equal(minor('0.1', 'BTC'), 'currency.unknown');
  t.equal(addDecimals('0.1', '0.2', '-0.3'), '0');
  t.equal(addDecimals('10000000000000.125', '0.875'), '10000000000001');
  t.same(normaliseEmail(' Ann@Example.COM '), { ok: true, value: 'ann@example.com' });
  t.equal(profileAddress({ street: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'gb' }).address?.country, 'GB');
  t.equal(profileAddress({ street: '1 Main St', city: 'Berlin', country: 'Germany' }).dropped, true);
});

interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  out: string;
}
interface Report {
  reconciled: boolean;
  refusedRows: number;
  unacceptedRefusals: number;
  runs: { step: string; inserted: number; alreadyMigrated: number; skipped: boolean }[];
  steps: { step: string; source: { rows: number }; migrated: { rows: number }; refused: { rows: number }; missingInTarget: number; reconciled: boolean }[];
  currencies: { currency: string; reconciled: boolean }[];
  refusals: { step: string; code: string; rows: number }[];
  orphans: Record<string, number>;
}

const work = mkdtempSync(join(tmpdir(), 'legacy-migration-'));
let runs = 0;
function tool(dbs: MigrationDatabases, args: string[], opts: { killAfterBatches?: number } = {}): Promise<ToolResult> {
  const out = join(work, `run-${++runs}`);
  const source = args[0] === 'rollback' ? [] : ['--source', dbs.source.url, '--out', out];
  const child = spawn(process.execPath, [CLI, ...args, ...source, ...targetFlags(dbs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let batches = 0;
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    batches = (stderr.match(/batch \d+ committed/g) ?? []).length;
    // A crash at an arbitrary point: SIGKILL, no chance to clean up.
    if (opts.killAfterBatches && batches >= opts.killAfterBatches) child.kill('SIGKILL');
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      let report = {} as Report;
      try {
        report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
      } catch {
        // no report: a rollback, a crash, or a failure (asserted by the caller)
      }
      resolve({ code, stdout, stderr, report, out });
    }),
  );
}

/** A fingerprint of every service table's content (columns the database fills with now() left out). */
const SNAPSHOT: Record<TargetName, Record<string, string>> = {
  auth: { users: 'select id::text as k, t::text as v from users t', sessions: 'select id::text as k, t::text as v from sessions t' },
  payments: {
    known_users: 'select id::text as k, (id, email, name, role, status, last_event_at)::text as v from known_users',
    payments: 'select id::text as k, t::text as v from payments t',
    payment_transactions: 'select id::text as k, t::text as v from payment_transactions t',
  },
  admin: {
    audit_log: 'select id::text as k, (id, event_id, type, version, source, user_id, occurred_at, correlation_id, causation_id, data)::text as v from audit_log',
    config_entries: 'select key as k, t::text as v from config_entries t',
    config_history: 'select key as k, (key, value, version, updated_at, updated_by)::text as v from config_history',
  },
  profile: { profiles: 'select user_id::text as k, t::text as v from profiles t' },
};
async function snapshot(dbs: MigrationDatabases) {
  const result: Record<string, string> = {};
  for (const name of TARGETS) {
    const sql = postgres(dbs.targets[name].url, { max: 1, onnotice: () => {} });
    try {
      for (const [table, query] of Object.entries(SNAPSHOT[name])) {
        const [row] = await sql.unsafe(`select count(*)::text || ':' || coalesce(md5(string_agg(v, '|' order by k)), '') as f from (${query}) s`);
        result[`${name}.${table}`] = row!.f as string;
      }
    } finally {
      await sql.end();
    }
  }
  return result;
}
async function query<T extends postgres.Row>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}
/** Extra diagnostics for an assertion on a run's exit code (shown only when it fails). */
const failure = (r: ToolResult) => ({ stderr: r.stderr.slice(-3000), stdout: r.stdout.slice(-3000) });
const empty = (snap: Record<string, string>) => Object.values(snap).every((f) => f === '0:');
const stepOf = (r: Report, step: string) => r.steps.find((s) => s.step === step)!;
const refusedWith = (r: Report, code: string) => r.refusals.filter((x) => x.code === code).reduce((n, x) => n + x.rows, 0);

t.test('the legacy migration, end to end', async (t) => {
  const dbs = await createMigrationDatabases(300);
  t.teardown(async () => {
    await dbs.drop();
    rmSync(work, { recursive: true, force: true });
  });

  const dry = await tool(dbs, ['--dry-run', '--batch-size', '100']);
  t.equal(dry.code, 2, 'dry run: reconciled, refusals to review (exit 2)', failure(dry));
  t.equal(dry.report.reconciled, true);
  t.ok(empty(await snapshot(dbs)), 'a dry run leaves the targets empty');
  t.same(await query(dbs.targets.auth.url, "select 1 from pg_namespace where nspname = 'legacy_migration'"), [], 'not even the bookkeeping');

  const first = await tool(dbs, ['--batch-size', '100']);
  t.equal(first.code, 2, 'refused rows (amounts among them) make a non-zero exit');
  t.equal(first.report.reconciled, true, 'every source row is migrated or refused; ids and sums add up');
  for (const s of first.report.steps) t.equal(s.source.rows, s.migrated.rows + s.refused.rows, `${s.step}: counts add up`);
  t.ok(first.report.currencies.every((c) => c.reconciled), 'sums per currency add up');
  t.same(first.report.steps.map((s) => s.refused.rows), dry.report.steps.map((s) => s.refused.rows), 'the dry run predicted the refusals');
  t.same(first.report.steps.map((s) => s.migrated.rows), dry.report.steps.map((s) => s.migrated.rows), 'and the migrated rows');
  t.ok(refusedWith(first.report, 'amount.too_many_decimals') > 0, 'amounts with too many decimals are refused');
  t.ok(refusedWith(first.report, 'user.duplicate_email') > 0, 'case-duplicate emails are refused');
  t.ok(refusedWith(first.report, 'currency.unknown') > 0, 'unknown currencies are refused');
  t.ok(first.report.orphans['orphan.payment_user_deleted'], 'payments of deleted users are reported as orphans');
  t.ok(first.report.orphans['orphan.transaction_payment_missing'], 'transactions of missing payments are reported as orphans');
  t.match(first.stdout, /RECONCILED/);

  // What landed: bcrypt kept, oldest of each case-duplicate kept, replica and profiles complete.
  const [auth] = await query<{ users: number; bcrypt: number; upper: number }>(dbs.targets.auth.url, "select count(*)::int as users, count(*) filter (where password_hash like '$2%')::int as bcrypt, count(*) filter (where email <> lower(email))::int as upper from users");
  t.equal(auth!.bcrypt, auth!.users, 'every migrated user keeps their bcrypt hash');
  t.equal(auth!.upper, 0, 'emails are lower-cased');
  const [known] = await query<{ n: number }>(dbs.targets.payments.url, 'select count(*)::int as n from known_users');
  t.equal(known!.n, auth!.users, "payments' replica of users is filled");
  const [profiles] = await query<{ n: number }>(dbs.targets.profile.url, 'select count(*)::int as n from profiles');
  t.equal(profiles!.n, auth!.users, 'every migrated user has a profile');
  // The generator's case-duplicates are the 'USER<n>@example.com' accounts, a month younger.
  const dupes = await query<{ id: string; email: string }>(dbs.source.url, "select id, lower(email) as email from users where email like 'USER%'");
  t.ok(dupes.length > 0, 'the generator made case-duplicates');
  const keptIds = (await query<{ id: string }>(dbs.targets.auth.url, `select id::text as id from users where email in (${dupes.map((d) => `'${d.email}'`).join(',')})`)).map((r) => r.id);
  t.notOk(keptIds.some((id) => dupes.some((d) => d.id === id)), 'the newer duplicate account is not the one kept');
  const migratedSnapshot = await snapshot(dbs);

  // Idempotent: a second run changes nothing; accepted refusals give a clean exit.
  const accepted = join(work, 'accepted.jsonl');
  writeFileSync(accepted, readFileSync(join(first.out, 'refusals.jsonl')));
  const second = await tool(dbs, ['--accept-refusals', accepted]);
  t.equal(second.code, 0, 'reconciled, every refusal reviewed: exit 0');
  t.equal(second.report.runs.reduce((n, r) => n + r.inserted, 0), 0, 'nothing inserted');
  t.same(await snapshot(dbs), migratedSnapshot, 'the targets are unchanged');

  // An accepted list without the refused amounts still fails.
  const withoutAmounts = join(work, 'without-amounts.jsonl');
  writeFileSync(withoutAmounts, readFileSync(accepted, 'utf8').split('\n').filter((l) => l && !l.includes('"code":"amount.')).join('\n'));
  const unreviewed = await tool(dbs, ['--accept-refusals', withoutAmounts]);
  t.equal(unreviewed.code, 2, 'a refused amount nobody accepted: non-zero exit');
  t.equal(unreviewed.report.unacceptedRefusals, first.report.refusals.filter((r) => r.code.startsWith('amount.')).reduce((n, r) => n + r.rows, 0));

  // A target that drifted (a migrated payment deleted behind the tool's back) does not reconcile.
  await query(dbs.targets.payments.url, "delete from payments where id = (select id::uuid from legacy_migration.written where step = 'payments.payments' order by id limit 1)");
  const drifted = await tool(dbs, ['verify']);
  t.equal(drifted.code, 1, 'verify: not reconciled → exit 1');
  t.equal(stepOf(drifted.report, 'payments.payments').missingInTarget, 1);
  t.equal(stepOf(drifted.report, 'payments.payments').reconciled, false);
  const repaired = await tool(dbs, ['--accept-refusals', accepted]);
  t.equal(repaired.code, 0, 'a re-run puts the missing payment (and its transactions) back');
  t.same(await snapshot(dbs), migratedSnapshot);

  const rolledBack = await tool(dbs, ['rollback']);
  t.equal(rolledBack.code, 0, 'rollback', failure(rolledBack));
  t.ok(empty(await snapshot(dbs)), 'rollback: the targets are back to empty');
  t.same(await query(dbs.targets.admin.url, "select 1 from pg_namespace where nspname = 'legacy_migration'"), [], 'bookkeeping dropped');
  const [trigger] = await query<{ enabled: string }>(dbs.targets.admin.url, "select tgenabled as enabled from pg_trigger where tgname = 'audit_log_no_update_delete'");
  t.equal(trigger!.enabled, 'O', 'the audit log is append-only again');

  // Crash (SIGKILL in the payments step, batches of 50), then --resume.
  const crashed = await tool(dbs, ['--batch-size', '50'], { killAfterBatches: 30 });
  t.equal(crashed.code, null, 'killed mid-run');
  t.match(crashed.stderr, /payments\.payments: batch \d+ committed/, 'the kill happened inside the payments step');
  const resumed = await tool(dbs, ['--resume', '--batch-size', '50', '--accept-refusals', accepted]);
  t.equal(resumed.code, 0, '--resume after the crash: clean report', failure(resumed));
  t.match(resumed.stderr, /auth\.users: done in a previous run, skipped/);
  t.match(resumed.stderr, /payments\.payments: resuming after key/);
  t.same(await snapshot(dbs), migratedSnapshot, 'same data as an uninterrupted run');

  await t.test('a migrated bcrypt user signs in through the auth app and is upgraded to argon2id', async (t) => {
    const [user] = await query<{ id: string; email: string; password_hash: string }>(dbs.targets.auth.url, "select id::text as id, email, password_hash from users where email ~ '^user[0-9]+@example\\.com$' order by email limit 1");
    const n = Number(/^user(\d+)@/.exec(user!.email)![1]);
    t.equal(user!.id, legacyUserId(n));
    t.match(user!.password_hash, /^\$2[aby]\$/);
    const app = await buildAuth(t, dbs.targets.auth.url);
    const wrong = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: '10.9.8.7', payload: { email: user!.email, password: 'not the password' } });
    t.equal(wrong.statusCode, 401);
    const res = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: '10.9.8.7', payload: { email: user!.email.toUpperCase(), password: legacyPassword(n) } });
    t.equal(res.statusCode, 200, 'signed in with the legacy password', { body: res.body });
    t.equal((res.json() as { user: { id: string } }).user.id, user!.id);
    const [after] = await query<{ password_hash: string }>(dbs.targets.auth.url, `select password_hash from users where id = '${user!.id}'`);
    t.match(after!.password_hash, /^\$argon2id\$/, 'the hash is upgraded on sign-in');
  });

  const finalRollback = await tool(dbs, ['rollback']);
  t.equal(finalRollback.code, 0);
  t.ok(empty(await snapshot(dbs)), 'rollback after go-live sign-ins removes their sessions with the users');
});

async function buildAuth(t: { teardown(fn: () => unknown): void }, databaseUrl: string) {
  // As services/auth/test/helper.ts builds it, against the migrated database.
  const { createService } = await import('@bank/kit');
  const { default: app } = await import('../../services/auth/src/app.ts');
  const { loadAuthConfig } = await import('../../services/auth/src/config.ts');
  const { signingKeyFromPem } = await import('../../services/auth/src/domain/tokens.ts');
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const config = loadAuthConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    JWT_PRIVATE_KEY_FILE: '/unused-in-tests',
    EVENTS_PREFIX: `test.${randomBytes(3).toString('hex')}.`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const service = await createService({ name: 'auth', config, app: (fastify, opts) => app(fastify, { ...opts, signingKey: signingKeyFromPem(pem) }) });
  await service.ready();
  t.teardown(() => service.close());
  return service;
}
