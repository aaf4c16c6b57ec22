// The engine: runs the steps batch by batch (keyset pages of the source, one target transaction
// per batch with its ledger entries, refusals and checkpoint), and rollback (deletes exactly the
// ledger's rows, then the bookkeeping). Memory per batch is bounded by --batch-size; the only
// state held for a whole run is the set of case-duplicate email accounts (rare by nature).
import postgres from 'postgres';
import { STEPS, type Candidate, type RefusedRow, type Step, type StepContext } from './steps.ts';
import { Target, TARGETS, unnestInsert, type Sql, type TargetName } from './targets.ts';

export interface Connections {
  source?: string;
  targets: Record<TargetName, string>;
}
export interface RunOptions extends Connections {
  source: string;
  dryRun: boolean;
  resume: boolean;
  batchSize: number;
  log(line: string): void;
}
export interface StepRun {
  step: string;
  batches: number;
  inserted: number;
  alreadyMigrated: number;
  refused: number;
  skipped: boolean;
}

export function openSource(url: string): Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10, idle_timeout: 0, connection: { application_name: 'legacy-migration' } });
}

export async function openTargets(urls: Record<TargetName, string>, dryRun: boolean, ledger: boolean): Promise<Record<TargetName, Target>> {
  const targets = Object.fromEntries(TARGETS.map((name) => [name, new Target(name, urls[name], dryRun)])) as Record<TargetName, Target>;
  try {
    for (const t of Object.values(targets)) await t.open({ ledger });
  } catch (err) {
    await closeTargets(targets);
    throw err;
  }
  return targets;
}
export const closeTargets = (targets: Record<TargetName, Target>) => Promise.all(Object.values(targets).map((t) => t.close()));

export async function migrate(opts: RunOptions, targets: Record<TargetName, Target>, source: Sql): Promise<StepRun[]> {
  let losers: Map<string, string> | undefined;
  const ctx: StepContext = {
    source,
    targets,
    async duplicateLosers() {
      losers ??= await findDuplicateLosers(source);
      return losers;
    },
  };
  const runs: StepRun[] = [];
  for (const step of STEPS) {
    const target = targets[step.target];
    const [checkpoint] = await target.sql`select last_key, done from legacy_migration.checkpoints where step = ${step.name}`;
    const run: StepRun = { step: step.name, batches: 0, inserted: 0, alreadyMigrated: 0, refused: 0, skipped: false };
    runs.push(run);
    if (opts.resume && checkpoint?.done) {
      run.skipped = true;
      opts.log(`${step.name}: done in a previous run, skipped (--resume)`);
      continue;
    }
    let key: string | null = opts.resume ? ((checkpoint?.last_key as string | null) ?? null) : null;
    if (key !== null) opts.log(`${step.name}: resuming after key ${key}`);
    await target.sql`
      insert into legacy_migration.checkpoints (step, last_key, done) values (${step.name}, ${key}, false)
      on conflict (step) do update set last_key = excluded.last_key, done = false, updated_at = now()`;
    for (;;) {
      const rows = await step.read(source, key, opts.batchSize);
      if (rows.length === 0) break;
      const plan = await step.plan(rows, ctx);
      key = rows.at(-1)!.key as string;
      const counts = await target.tx((q) => commitBatch(q, step, plan.insert, plan.refused, key!));
      run.batches++;
      run.inserted += counts.inserted;
      run.alreadyMigrated += counts.already;
      run.refused += counts.refused;
      opts.log(`${step.name}: batch ${run.batches} committed: ${counts.inserted} inserted, ${counts.already} already migrated, ${counts.refused} refused`);
    }
    await target.sql`update legacy_migration.checkpoints set done = true, updated_at = now() where step = ${step.name}`;
    const mb = (n: number) => Math.round(n / 1e6);
    const memory = process.memoryUsage();
    opts.log(
      `${step.name}: done (${run.inserted} inserted, ${run.alreadyMigrated} already migrated, ${run.refused} refused; ` +
        `rss ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)} MB, buffers ${mb(memory.arrayBuffers)} MB)`,
    );
  }
  return runs;
}

/** One batch, in one transaction of the step's target database. */
async function commitBatch(q: Sql, step: Step, candidates: Candidate[], planned: RefusedRow[], lastKey: string) {
  const ids = candidates.map((c) => c.id);
  let inserted: string[];
  if (step.write) {
    inserted = await step.write(q, candidates);
    if (inserted.length) await q`insert into legacy_migration.written (step, id) select ${step.name}, unnest(${inserted}::text[]) on conflict do nothing`;
  } else {
    const rows = ids.length ? await q`insert into legacy_migration.written (step, id) select ${step.name}, unnest(${ids}::text[]) on conflict do nothing returning id` : [];
    inserted = rows.map((r) => r.id as string);
  }
  const insertedSet = new Set(inserted);
  const notInserted = ids.filter((id) => !insertedSet.has(id));
  // Not inserted: either this tool wrote it before (a re-run: fine) or the target already had a
  // row with that id or unique key (e.g. an email registered on the new platform): refused.
  // Joins against unnest(…) rather than `= any(array)`: with thousands of ids the latter makes
  // PostgreSQL compare every row with every array element.
  const ours = notInserted.length
    ? new Set(
        (await q`select w.id from unnest(${notInserted}::text[]) as u(id) join legacy_migration.written w on w.step = ${step.name} and w.id = u.id`).map(
          (r) => r.id as string,
        ),
      )
    : new Set<string>();
  const refused: RefusedRow[] = [
    ...planned,
    ...notInserted
      .filter((id) => !ours.has(id))
      .map((id) => ({ id, code: 'target.conflict', message: 'the target already has a row with this id or unique key (e.g. the email) that this tool did not write' })),
  ];
  const accounted = [...inserted, ...ours];
  if (accounted.length) {
    await q`delete from legacy_migration.refused r using unnest(${accounted}::text[]) as u(id) where r.step = ${step.name} and r.source_id = u.id`;
  }
  await unnestInsert(
    q,
    'legacy_migration.refused',
    [['step', 'text'], ['source_id', 'text'], ['code', 'text'], ['message', 'text'], ['detail', 'jsonb']],
    refused.map((r) => [step.name, r.id, r.code, r.message, r.detail ?? null]),
    'on conflict (step, source_id) do update set code = excluded.code, message = excluded.message, detail = excluded.detail returning source_id as id',
  );
  // Field-level notes are counted for the rows inserted now only, so re-runs never double them.
  const notes: Record<string, number> = {};
  for (const c of candidates) if (insertedSet.has(c.id)) for (const n of c.notes ?? []) notes[n] = (notes[n] ?? 0) + 1;
  const [cp] = await q`select notes from legacy_migration.checkpoints where step = ${step.name} for update`;
  const merged: Record<string, number> = { ...(cp?.notes as Record<string, number> | undefined) };
  for (const [n, count] of Object.entries(notes)) merged[n] = (merged[n] ?? 0) + count;
  await q`update legacy_migration.checkpoints set last_key = ${lastKey}, batches = batches + 1, notes = ${q.json(merged)}, updated_at = now() where step = ${step.name}`;
  return { inserted: inserted.length, already: ours.size, refused: refused.length };
}

/**
 * Accounts whose email equals another's once trimmed and lower-cased. The oldest (created_at,
 * then id) is kept; the others are refused and reported. One grouped scan of users per run.
 */
async function findDuplicateLosers(source: Sql): Promise<Map<string, string>> {
  const rows = await source`
    select id, kept from (
      select id, first_value(id) over (partition by lower(trim(email)) order by created_at, id) as kept
      from users
      where lower(trim(email)) in (select lower(trim(email)) from users where email is not null group by 1 having count(*) > 1)
    ) d where id <> kept`;
  return new Map(rows.map((r) => [r.id as string, r.kept as string]));
}

export interface RollbackStep {
  step: string;
  removed: number;
}

/** Deletes every row the ledger says this tool inserted, step by step in reverse, then the bookkeeping. */
export async function rollback(targets: Record<TargetName, Target>, batchSize: number, log: (line: string) => void): Promise<RollbackStep[]> {
  const result: RollbackStep[] = [];
  for (const step of [...STEPS].reverse()) {
    const target = targets[step.target];
    const entry = { step: step.name, removed: 0 };
    result.push(entry);
    if (!(await target.hasLedger())) continue;
    let last = '';
    for (;;) {
      const ids = (await target.sql`select id from legacy_migration.written where step = ${step.name} and id > ${last} order by id limit ${batchSize}`).map((r) => r.id as string);
      if (ids.length === 0) break;
      await target.tx(async (q) => {
        await step.remove?.(q, ids);
        await q`delete from legacy_migration.written where step = ${step.name} and id = any(${ids}::text[])`;
      });
      last = ids.at(-1)!;
      entry.removed += ids.length;
      log(`rollback ${step.name}: ${entry.removed} removed`);
    }
  }
  for (const target of Object.values(targets)) {
    await target.tx((q) => q`drop schema if exists legacy_migration cascade`);
  }
  return result;
}
