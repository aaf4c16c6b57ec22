// `npm run migrate` (src/db/migrate-cli.ts) needs only DATABASE_URL: the legacy migration's
// runbook (docs/migration.md) prepares the service databases with it, without the signing key.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createTestDatabase } from '@bank/kit/testing';

t.test('migrate-cli migrates with DATABASE_URL alone', async (t) => {
  const db = await createTestDatabase('auth_migrate_cli');
  t.teardown(() => db.drop());
  const cli = fileURLToPath(new URL('../src/db/migrate-cli.ts', import.meta.url));
  const { PATH, HOME } = process.env;
  const run = spawnSync(process.execPath, [cli], { env: { PATH, HOME, DATABASE_URL: db.url }, encoding: 'utf8', timeout: 60_000 });
  t.equal(run.status, 0, `exit 0 (stderr: ${run.stderr.slice(-500)})`);
  const sql = postgres(db.url, { max: 1 });
  t.teardown(() => sql.end());
  const [row] = await sql`select to_regclass('public.users') is not null as users`;
  t.equal(row?.users, true, 'the users table exists');
});
