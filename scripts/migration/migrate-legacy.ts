// The legacy POC-2 → per-service databases migration (runbook: docs/migration.md).
//
//   npm run migrate:legacy -- --source postgres://…/mfe_poc2 [--dry-run] [--resume] [--batch-size 5000]
//                             [--accept-refusals reviewed.jsonl] [--out DIR]
//   npm run migrate:legacy -- verify --source postgres://…/mfe_poc2     (report only, writes nothing)
//   npm run migrate:legacy -- rollback [--dry-run]                       (removes exactly what it wrote)
//
// Targets: --auth-url/--payments-url/--admin-url/--profile-url, else AUTH_DATABASE_URL …, else the
// native databases `npm start` provisions (scripts/lib/provision.ts). Source: --source, else
// LEGACY_DATABASE_URL (read, like every script setting, in scripts/lib/local-env.ts).
//
// Exit status: 0 reconciled and no refusal outside --accept-refusals; 1 not reconciled (or an
// error); 2 reconciled but rows were refused that nobody accepted yet; 64 usage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RUN_DIR, settings } from '../lib/local-env.ts';
import { databaseUrl, loadSecrets } from '../lib/provision.ts';
import { closeTargets, migrate, openSource, openTargets, rollback } from './lib/migrate.ts';
import { printReport, validate, writeRefusals, type Report } from './lib/report.ts';
import { TARGETS, type TargetName } from './lib/targets.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    source: { type: 'string' },
    'auth-url': { type: 'string' },
    'payments-url': { type: 'string' },
    'admin-url': { type: 'string' },
    'profile-url': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '5000' },
    'accept-refusals': { type: 'string' },
    out: { type: 'string' },
  },
});

const command = positionals[0] ?? 'migrate';
const usage = (message: string): never => {
  console.error(`${message}\nusage: migrate-legacy.ts [migrate|verify|rollback] --source URL [--dry-run] [--resume] [--batch-size N] [--accept-refusals FILE] [--out DIR]`);
  process.exit(64);
};
if (!['migrate', 'verify', 'rollback'].includes(command)) usage(`unknown command ${command}`);
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) usage('--batch-size must be an integer from 1 to 10000');

const targetUrls = {} as Record<TargetName, string>;
for (const name of TARGETS) {
  const url = values[`${name}-url`] ?? settings.legacyMigration[name];
  targetUrls[name] = url ?? databaseUrl(name, loadSecrets());
}
const source = values.source ?? settings.legacyMigration.source;
if (command !== 'rollback' && !source) usage('--source (or LEGACY_DATABASE_URL) is required');
const dryRun = values['dry-run'];
const log = (line: string) => console.error(`${new Date().toISOString()} ${dryRun ? '[dry run] ' : ''}${line}`);
const hidePassword = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

if (command === 'rollback') {
  for (const name of TARGETS) log(`target ${name}: ${hidePassword(targetUrls[name])}`);
  const targets = await openTargets(targetUrls, dryRun, false);
  try {
    const removed = await rollback(targets, batchSize, log);
    for (const r of removed) console.log(`${r.step.padEnd(32)} ${String(r.removed).padStart(10)} rows removed`);
    console.log(dryRun ? 'Dry run: nothing was removed.' : 'Rollback complete: every row the tool wrote is removed, and its bookkeeping dropped.');
  } finally {
    await closeTargets(targets);
  }
  process.exit(0);
}

const started = Date.now();
const out = values.out ?? join(RUN_DIR, 'migration', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(out, { recursive: true });
log(`source: ${hidePassword(source!)}`);
for (const name of TARGETS) log(`target ${name}: ${hidePassword(targetUrls[name])}`);

const sourceSql = openSource(source!);
// verify only reads: it never creates the bookkeeping schema.
const targets = await openTargets(targetUrls, dryRun, command === 'migrate');
let exitCode = 1;
try {
  // The source must not change under the run (docs/migration.md: POC-2 is stopped and read-only).
  const runs = command === 'migrate' ? await migrate({ source: source!, targets: targetUrls, dryRun, resume: values.resume, batchSize, log }, targets, sourceSql) : [];
  const validation = await validate(sourceSql, targets);
  const unacceptedRefusals = await writeRefusals(targets, join(out, 'refusals.jsonl'), values['accept-refusals']);
  const report: Report = { ...validation, unacceptedRefusals };
  printReport(report, (line) => console.log(line));
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const inserted = runs.reduce((n, r) => n + r.inserted, 0);
  if (command === 'migrate') console.log(`This run: ${inserted} rows inserted, ${runs.reduce((n, r) => n + r.alreadyMigrated, 0)} already migrated, in ${seconds} s${dryRun ? ' (dry run: rolled back)' : ''}.`);
  exitCode = !report.reconciled ? 1 : unacceptedRefusals > 0 ? 2 : 0;
  writeFileSync(join(out, 'report.json'), `${JSON.stringify({ command, dryRun, resume: values.resume, seconds, runs, ...report, exitCode }, null, 2)}\n`);
  console.log(`Report: ${join(out, 'report.json')}; every refusal: ${join(out, 'refusals.jsonl')}`);
  if (exitCode === 2) console.log(`Exit 2: ${unacceptedRefusals} refused rows await review (accept a reviewed refusals file with --accept-refusals).`);
} finally {
  await closeTargets(targets);
  await sourceSql.end({ timeout: 5 });
}
process.exit(exitCode);
