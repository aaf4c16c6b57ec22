// The shell image's entrypoint (frontends/shell/entrypoint.sh), run with `sh` as the container
// runs it: /config.json gets the browser's Sentry settings from BROWSER_SENTRY_*, escaped as JSON;
// values that cannot be right stop the container (exit status 1, the variable named) instead of
// being served; without a DSN the built file is served as is. The chart side: helm.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { REPO_ROOT } from '../lib/local-env.ts';

const ENTRYPOINT = `${REPO_ROOT}/frontends/shell/entrypoint.sh`;
const BUILT = `${REPO_ROOT}/frontends/shell/public/config.json`;

function run(t: Parameters<Parameters<typeof t.test>[0]>[0], env: Record<string, string>, args: string[] = [], source = BUILT) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bank-shell-entrypoint-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const target = `${dir}/runtime/config.json`;
  const r = spawnSync('sh', [ENTRYPOINT, ...args], { env: { PATH: process.env.PATH, ...env, SHELL_CONFIG_SOURCE: source, SHELL_CONFIG_TARGET: target }, encoding: 'utf8' });
  const read = () => readFileSync(target, 'utf8');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, read, dir };
}

t.test('every setting, escaped: the built file plus a sentry object', async (t) => {
  const r = run(t, {
    BROWSER_SENTRY_DSN: 'https://publickey@o1.ingest.sentry.io/2',
    BROWSER_SENTRY_ENVIRONMENT: 'pre"prod\\eu',
    BROWSER_SENTRY_SAMPLE_RATE: '.5',
    BROWSER_SENTRY_RELEASE: '1.4.0',
    BROWSER_SENTRY_TUNNEL: '/errors',
  });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /browser error reporting on/);
  const config = JSON.parse(r.read());
  t.same(config.sentry, { dsn: 'https://publickey@o1.ingest.sentry.io/2', environment: 'pre"prod\\eu', sampleRate: 0.5, release: '1.4.0', tunnel: '/errors' });
  const { sentry: _, ...rest } = config;
  t.same(rest, JSON.parse(readFileSync(BUILT, 'utf8')), 'everything else as built');
});

t.test("tunnel unset: the gateway's same-origin tunnel; set empty: none (the DSN's host)", async (t) => {
  const unset = run(t, { BROWSER_SENTRY_DSN: 'https://k@sentry.example/1' });
  t.equal(unset.status, 0, unset.stderr);
  t.equal(JSON.parse(unset.read()).sentry.tunnel, '/api/monitoring/sentry-tunnel');
  const empty = run(t, { BROWSER_SENTRY_DSN: 'https://k@sentry.example/1', BROWSER_SENTRY_TUNNEL: '' });
  t.equal(empty.status, 0, empty.stderr);
  t.notOk('tunnel' in JSON.parse(empty.read()).sentry);
});

t.test('no DSN: the built file unchanged, whatever else is set', async (t) => {
  const r = run(t, { BROWSER_SENTRY_DSN: '', BROWSER_SENTRY_ENVIRONMENT: 'production', BROWSER_SENTRY_SAMPLE_RATE: '1' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /browser error reporting off/);
  t.same(JSON.parse(r.read()), JSON.parse(readFileSync(BUILT, 'utf8')));
});

t.test('an empty built object gets no stray comma', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bank-shell-built-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(`${dir}/config.json`, '{ }\n');
  const r = run(t, { BROWSER_SENTRY_DSN: 'https://k@sentry.example/1', BROWSER_SENTRY_TUNNEL: '' }, [], `${dir}/config.json`);
  t.equal(r.status, 0, r.stderr);
  t.same(JSON.parse(r.read()), { sentry: { dsn: 'https://k@sentry.example/1' } });
});

for (const [name, value, expected] of [
  ['BROWSER_SENTRY_SAMPLE_RATE', '2', /BROWSER_SENTRY_SAMPLE_RATE must be a number from 0 to 1/],
  ['BROWSER_SENTRY_SAMPLE_RATE', '1.', /BROWSER_SENTRY_SAMPLE_RATE must be a number/],
  ['BROWSER_SENTRY_SAMPLE_RATE', 'half', /BROWSER_SENTRY_SAMPLE_RATE must be a number/],
  ['BROWSER_SENTRY_DSN', 'publickey@o1.ingest.sentry.io/2', /BROWSER_SENTRY_DSN is not an http\(s\) URL/],
  ['BROWSER_SENTRY_ENVIRONMENT', 'prod\nuction', /BROWSER_SENTRY_ENVIRONMENT contains a control character/],
] as const) {
  t.test(`${name}=${JSON.stringify(value)} stops the container`, async (t) => {
    const r = run(t, { BROWSER_SENTRY_DSN: 'https://k@sentry.example/1', [name]: value }, ['echo', 'nginx started']);
    t.equal(r.status, 1);
    t.match(r.stderr, expected);
    t.notMatch(r.stdout, /nginx started/, 'the command is not run');
  });
}

t.test('then runs the command (nginx) in its place', async (t) => {
  const r = run(t, {}, ['sh', '-c', 'echo "command ran with $# arguments: $*"', 'sh', '-g', 'daemon off;']);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, 'command ran with 2 arguments: -g daemon off;');
});
