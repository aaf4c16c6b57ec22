// The postgres.js patch (patches/postgres+3.4.9.patch, applied by patch-package at `npm install`):
// the crash it fixes is reproduced against an unpatched copy of the driver (the patch reversed in
// a temporary folder), and the installed, patched driver survives the same dropped connection.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { createTestDatabase } from '../src/testing.ts';

const exec = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PATCH = join(REPO_ROOT, 'patches/postgres+3.4.9.patch');
const INSTALLED = join(REPO_ROOT, 'node_modules/postgres');
const SCRIPT = fileURLToPath(new URL('./fixtures/terminate-in-transaction.mjs', import.meta.url));

async function runRepro(postgresDir: string, url: string) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [SCRIPT, join(postgresDir, 'src/index.js'), url], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

t.test('the installed driver carries the patch', async (t) => {
  const source = readFileSync(join(INSTALLED, 'src/connection.js'), 'utf8');
  t.match(source, /if \(!socket\) \{\s+chunk = nextWriteTimer = null/, 'nextWrite guards a closed socket (run `npm install` if this fails)');
  t.match(readFileSync(join(INSTALLED, 'cjs/src/connection.js'), 'utf8'), /Patched \(bank platform/, 'the CommonJS build too');
});

t.test('a backend killed inside a transaction: unpatched crashes, patched survives', async (t) => {
  const db = await createTestDatabase('pg_patch');
  t.teardown(() => db.drop());

  const unpatchedRoot = mkdtempSync(join(tmpdir(), 'postgres-unpatched-'));
  t.teardown(() => rmSync(unpatchedRoot, { recursive: true, force: true }));
  cpSync(INSTALLED, join(unpatchedRoot, 'node_modules/postgres'), { recursive: true });
  await exec('git', ['apply', '-R', PATCH], { cwd: unpatchedRoot });
  t.notMatch(readFileSync(join(unpatchedRoot, 'node_modules/postgres/src/connection.js'), 'utf8'), /Patched/, 'patch reversed in the copy');

  const unpatched = await runRepro(join(unpatchedRoot, 'node_modules/postgres'), db.url);
  t.not(unpatched.code, 0, 'without the patch the process dies');
  t.match(unpatched.stderr, /TypeError: Cannot read properties of null \(reading 'write'\)/);
  t.match(unpatched.stderr, /nextWrite/);

  const patched = await runRepro(INSTALLED, db.url);
  t.equal(patched.code, 0, `with the patch the process lives on${patched.stderr ? `: ${patched.stderr}` : ''}`);
  t.match(patched.stdout, /transaction rejected: CONNECTION_CLOSED/);
  t.match(patched.stdout, /pool still works: true/);
  t.match(patched.stdout, /survived/);
});
