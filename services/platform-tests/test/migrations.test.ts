// Every committed migration is applied to the running databases exactly as committed: a
// migration edited after it shipped would silently never run (Drizzle tracks by timestamp).
import t from 'tap';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { REPO_ROOT } from '../../../scripts/lib/local-env.ts';
import { SERVICES } from '../../../scripts/lib/services.ts';

for (const service of SERVICES.filter((s) => s.database)) {
  t.test(`${service.name}: applied migrations match the committed SQL`, async (t) => {
    const folder = `${REPO_ROOT}/services/${service.name}/drizzle`;
    const files = readdirSync(folder).filter((f) => f.endsWith('.sql')).sort();
    t.ok(files.length > 0, `${files.length} migration(s)`);
    const sql = postgres(`postgres://postgres@127.0.0.1:5432/${service.name}_db`, { max: 1, onnotice: () => {} });
    t.teardown(() => sql.end());
    const applied = new Set((await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`).map((r) => r.hash));
    t.equal(applied.size, files.length, 'as many applied as committed');
    for (const file of files) {
      const hash = createHash('sha256').update(readFileSync(`${folder}/${file}`, 'utf8')).digest('hex');
      t.ok(applied.has(hash), `${file} applied unchanged`);
    }
  });
}
