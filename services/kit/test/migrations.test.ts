// Several replicas starting at once must apply each migration exactly once.
import t from 'tap';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { runMigrations } from '../src/index.ts';
import { createTestDatabase } from '../src/testing.ts';

async function migrationsFolder() {
  const dir = await mkdtemp(join(tmpdir(), 'kit-migrations-'));
  await mkdir(join(dir, 'meta'));
  // A migration that fails if applied twice (plain CREATE TABLE + a counted insert).
  await writeFile(join(dir, '0000_init.sql'), 'CREATE TABLE applied (id serial primary key);\n--> statement-breakpoint\nINSERT INTO applied DEFAULT VALUES;');
  await writeFile(
    join(dir, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1700000000000, tag: '0000_init', breakpoints: true }] }),
  );
  return dir;
}

t.test('concurrent migrators apply a migration once', async (t) => {
  const db = await createTestDatabase('migrate');
  t.teardown(() => db.drop());
  const folder = await migrationsFolder();
  await Promise.all(Array.from({ length: 5 }, () => runMigrations(db.url, folder, 'kit-test')));
  const sql = postgres(db.url, { max: 1 });
  t.teardown(() => sql.end());
  const [row] = await sql`select count(*)::int as n from applied`;
  t.equal(row?.n, 1);
  const [journal] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
  t.equal(journal?.n, 1);
});
