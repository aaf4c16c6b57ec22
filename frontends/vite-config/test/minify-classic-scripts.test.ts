// minify-classic-scripts.mjs: the shell's classic scripts shipped without their comments, behaving the same.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { minifyClassicScripts } from '../minify-classic-scripts.mjs';

const SCRIPT = `// A long comment that explains why, kept in the source only.
(function () {
  /* another comment */
  var answer = 40;
  window.__ANSWER__ = answer + 2; // the value the page reads
})();
var topLevelName = 'stays';
`;

t.test('strips comments and whitespace, keeps behaviour and top-level names', async (t) => {
  const dir = t.testdir({ 'early-requests.js': SCRIPT, 'other.js': SCRIPT });
  const result = minifyClassicScripts(dir, ['early-requests.js', 'missing.js']);
  t.equal(result.files, 1, 'a missing file is skipped');
  const code = readFileSync(join(dir, 'early-requests.js'), 'utf8');
  t.notMatch(code, /comment|why/, 'no comments shipped');
  t.ok(code.length < SCRIPT.length / 2, `smaller (${code.length} < ${SCRIPT.length / 2})`);
  t.equal(readFileSync(join(dir, 'other.js'), 'utf8'), SCRIPT, 'files not named are left alone');
  const sandbox: { window: { __ANSWER__?: number }; topLevelName?: string } = { window: {} };
  runInNewContext(code, sandbox);
  t.equal(sandbox.window.__ANSWER__, 42, 'same effect');
  t.equal(sandbox.topLevelName, 'stays', 'classic script: top-level names are not mangled');
});

t.test('the shell\'s early-requests.js minifies and still parses', async (t) => {
  const source = readFileSync(new URL('../../shell/public/early-requests.js', import.meta.url), 'utf8');
  const dir = t.testdir({ 'early-requests.js': source });
  minifyClassicScripts(dir, ['early-requests.js']);
  const code = readFileSync(join(dir, 'early-requests.js'), 'utf8');
  t.ok(code.length < source.length * 0.7, `smaller (${code.length} of ${source.length})`);
  t.doesNotThrow(() => new Function(code), 'valid script');
  t.match(code, /__BANK_EARLY_LIST__/, 'the globals the apps read keep their names');
  t.match(code, /__BANK_EARLY_CONFIG__/);
  t.match(code, /__BANK_EARLY_REFRESH__/);
});

t.test('writing the file again is harmless (vite build --watch runs it on every rebuild)', async (t) => {
  const dir = t.testdir({ 'theme-init.js': SCRIPT });
  minifyClassicScripts(dir, ['theme-init.js']);
  const once = readFileSync(join(dir, 'theme-init.js'), 'utf8');
  writeFileSync(join(dir, 'theme-init.js'), once);
  minifyClassicScripts(dir, ['theme-init.js']);
  t.equal(readFileSync(join(dir, 'theme-init.js'), 'utf8'), once);
});
