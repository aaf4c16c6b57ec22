// The four service databases as migration targets. Each holds, next to the service's tables, the
// tool's own bookkeeping in schema `legacy_migration`: checkpoints (resume), the ledger of rows
// the tool inserted (idempotency, validation, exact rollback) and the refused source rows. A
// batch's rows, ledger entries, refusals and checkpoint commit in ONE transaction of that
// database, so a crash at any instant leaves a consistent checkpoint to resume from.
import postgres from 'postgres';

export type Sql = postgres.Sql;
export const TARGETS = ['auth', 'payments', 'admin', 'profile'] as const;
export type TargetName = (typeof TARGETS)[number];

const LEDGER_DDL = `
create schema if not exists legacy_migration;
create table if not exists legacy_migration.checkpoints (
  step text primary key,
  last_key text,
  done boolean not null default false,
  batches integer not null default 0,
  notes jsonb not null default '{}',
  updated_at timestamptz not null default now()
);
create table if not exists legacy_migration.written (
  step text not null,
  id text not null,
  written_at timestamptz not null default now(),
  primary key (step, id)
);
create table if not exists legacy_migration.refused (
  step text not null,
  source_id text not null,
  code text not null,
  message text not null,
  detail jsonb,
  primary key (step, source_id)
);`;

/** Order-independent checksum of ids: the sum of the first 60 bits of each id's md5, exact (numeric). */
export const idsum = (expr: string) => `coalesce(sum(('x' || substr(md5(${expr}), 1, 15))::bit(60)::bigint), 0)::text`;

export class Target {
  readonly sql: Sql;
  readonly name: TargetName;
  /** Dry run: everything happens inside one transaction that is rolled back at close(). */
  readonly dryRun: boolean;
  constructor(name: TargetName, url: string, dryRun: boolean) {
    this.name = name;
    this.dryRun = dryRun;
    // One connection: batches are sequential, and a dry run's reads must see its own writes.
    this.sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10, idle_timeout: 0, connection: { application_name: 'legacy-migration' } });
  }

  async open(opts: { ledger: boolean }): Promise<void> {
    if (this.dryRun) await this.sql`begin`;
    if (opts.ledger) await this.sql.unsafe(LEDGER_DDL);
  }

  async hasLedger(): Promise<boolean> {
    const [row] = await this.sql`select to_regclass('legacy_migration.written') is not null as present`;
    return Boolean(row?.present);
  }

  /** Runs fn in a transaction (in a dry run: inside the run's single transaction). */
  async tx<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    if (this.dryRun) return fn(this.sql);
    await this.sql`begin`;
    try {
      const result = await fn(this.sql);
      await this.sql`commit`;
      return result;
    } catch (err) {
      await this.sql`rollback`.catch(() => {});
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.dryRun) await this.sql`rollback`.catch(() => {});
    await this.sql.end({ timeout: 5 });
  }
}

/**
 * insert into <table> (<columns>) select * from unnest($1::t1[], $2::t2[] …) <suffix>:
 * one statement per batch with one array parameter per column (not rows × columns parameters).
 */
export async function unnestInsert(q: Sql, table: string, columns: [name: string, type: string][], rows: unknown[][], suffix: string): Promise<string[]> {
  if (rows.length === 0) return [];
  const arrays = columns.map((_, c) => rows.map((r) => r[c] ?? null));
  const text = `insert into ${table} (${columns.map(([n]) => n).join(', ')})
    select * from unnest(${columns.map(([, t], i) => `$${i + 1}::text[]::${t}[]`).join(', ')}) ${suffix}`;
  const asText = (v: unknown, type: string) =>
    v === null ? null : type === 'jsonb' ? JSON.stringify(v) : v instanceof Date ? v.toISOString() : String(v);
  const result = await q.unsafe<{ id: string }[]>(text, arrays.map((a, c) => a.map((v) => asText(v, columns[c]![1]))) as never);
  return result.map((r) => r.id);
}
