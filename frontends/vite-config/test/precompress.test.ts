// precompress.mjs: a .gz next to each text file that gzip makes smaller, with the same content.
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { precompress } from '../precompress.mjs';

t.test('writes smaller gzip copies of text files only', async (t) => {
  const dir = t.testdir({});
  mkdirSync(join(dir, 'assets'));
  const js = 'export const answer = 42;\n'.repeat(200);
  writeFileSync(join(dir, 'assets', 'app-abcdef12.js'), js);
  writeFileSync(join(dir, 'tiny.json'), '{}');
  writeFileSync(join(dir, 'app.js.map'), js);
  writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096));
  const result = precompress(dir);
  t.equal(result.files, 1);
  t.equal(gunzipSync(readFileSync(join(dir, 'assets', 'app-abcdef12.js.gz'))).toString(), js, 'same content');
  t.notOk(existsSync(join(dir, 'tiny.json.gz')), 'no copy that is not smaller');
  t.notOk(existsSync(join(dir, 'app.js.map.gz')), 'source maps are not served to browsers');
  t.notOk(existsSync(join(dir, 'logo.png.gz')), 'binary files left alone');
  t.ok(result.after < result.before);
});

t.test('run as a script: compresses the folder given', async (t) => {
  const dir = t.testdir({ 'app.js': 'export const answer = 42;\n'.repeat(200) });
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, [new URL('../precompress.mjs', import.meta.url).pathname, dir], { encoding: 'utf8' });
  t.equal(run.status, 0, run.stderr);
  t.match(run.stderr, /precompressed 1 files/);
  t.ok(existsSync(join(dir, 'app.js.gz')));
  // Without an argument: ./dist of the working directory (an app's build folder).
  const app = t.testdir({ dist: { 'app.js': 'export const answer = 42;\n'.repeat(200) } });
  t.equal(spawnSync(process.execPath, [new URL('../precompress.mjs', import.meta.url).pathname], { cwd: app }).status, 0);
  t.ok(existsSync(join(app, 'dist', 'app.js.gz')));
});
