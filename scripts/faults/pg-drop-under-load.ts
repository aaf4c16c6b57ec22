// Fault drill without stopping the shared server: the kit's PostgreSQL pool under load
// (transactions like the services' — insert + outbox row — at a fixed rate) while, several times,
// every backend of its database is terminated (FATAL 57P01, as a shutdown sends) and new
// connections are refused for 2.5 s through a fault proxy: what a PostgreSQL restart does to a client. Run in a child process so a crash is observed, not suffered.
//   node scripts/faults/pg-drop-under-load.ts            (prints a JSON summary)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DROPS = Number(process.env.DROPS ?? 5);
const RATE = Number(process.env.RATE ?? 200);

if (process.argv[2] !== '--child') {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../../services/kit/', import.meta.url)) });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = out.trim().split('\n').at(-1) ?? '';
  console.log(JSON.stringify({ exitCode: code, survived: code === 0, summary: last.startsWith('{') ? JSON.parse(last) : undefined, crash: err.split('\n').find((l) => /Error/.test(l)) }, null, 2));
  process.exit(0);
}

const { createSql } = await import('../../services/kit/src/db.ts');
const { createFaultProxy } = await import('../../services/kit/src/fault-proxy.ts');
const { createTestDatabase } = await import('../../services/kit/src/testing.ts');
const db = await createTestDatabase('drop_drill');
const proxy = await createFaultProxy({ host: '127.0.0.1', port: 5432 });
const sql = createSql(proxy.url(db.url), 10);
const { default: postgres } = await import('postgres');
const admin = postgres(db.url, { max: 1, onnotice: () => {} });
await sql`create table items (id bigserial primary key, v text)`;
await sql`create table outbox (id bigserial primary key, payload jsonb)`;
const outcomes: Record<string, number> = {};
const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
let running = true;
const inflight = new Set<Promise<unknown>>();
const load = (async () => {
  while (running) {
    const p = sql
      .begin(async (tx) => {
        const [row] = await tx`insert into items (v) values (${'x'.repeat(20)}) returning id`;
        await tx`select pg_sleep(0.005)`;
        await tx`insert into outbox (payload) values (${sql.json({ id: String(row!.id) })})`;
      })
      .then(() => count('ok'), (e: { code?: string }) => count(e.code ?? 'error'));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
})();
for (let i = 0; i < DROPS; i++) {
  await new Promise((r) => setTimeout(r, 1_000));
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${db.name} and pid <> pg_backend_pid()`;
  await proxy.down();
  await new Promise((r) => setTimeout(r, 2_500));
  await proxy.up();
}
await new Promise((r) => setTimeout(r, 1_500));
running = false;
await load;
await Promise.allSettled([...inflight]);
const [after] = await sql`select count(*)::int as n from items`;
await sql.end({ timeout: 2 });
await admin.end();
await proxy.close();
await db.drop();
console.log(JSON.stringify({ drops: DROPS, ratePerSecond: RATE, outcomes, rowsCommitted: after!.n }));
