// Each service owns its database: its role may connect to its own database only, and no
// service's credentials open another's tables. Reads the runner's generated credentials.
import t from 'tap';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { REPO_ROOT } from '../../../scripts/lib/local-env.ts';

const secrets = JSON.parse(readFileSync(`${REPO_ROOT}/.run/secrets.json`, 'utf8')) as { db: Record<string, string> };
const services = Object.keys(secrets.db);
const url = (role: string, db: string) => `postgres://${role}:${encodeURIComponent(secrets.db[role] ?? '')}@127.0.0.1:5432/${db}`;

t.test('every service database is reachable only by its own role', async (t) => {
  t.ok(services.length >= 4, `roles: ${services.join(', ')}`);
  for (const role of services) {
    for (const owner of services) {
      const sql = postgres(url(role, `${owner}_db`), { max: 1, connect_timeout: 5, onnotice: () => {} });
      try {
        const [row] = await sql`select current_user as me, current_database() as db`;
        t.equal(role, owner, `${role} connected to ${owner}_db`);
        t.equal(row?.me, role);
      } catch (err) {
        t.not(role, owner, `${role} refused on ${owner}_db`);
        t.match((err as Error).message, /permission denied for database/);
      } finally {
        await sql.end({ timeout: 1 });
      }
    }
  }
});

t.test('no service role is a superuser or may create roles or databases', async (t) => {
  const admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
  t.teardown(() => admin.end());
  const rows = await admin`select rolname, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = any(${services})`;
  t.equal(rows.length, services.length);
  for (const r of rows) t.same([r.rolsuper, r.rolcreaterole, r.rolcreatedb], [false, false, false], `${r.rolname} has no admin rights`);
});
