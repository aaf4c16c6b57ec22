// `npm start`'s /config.json (scripts/lib/shell-runtime-config.ts): BROWSER_SENTRY_* from the
// runner's environment become the `sentry` object of the served file, exactly as the shell
// image's entrypoint makes it in Kubernetes; without a DSN — also after a run with one — the
// served file is the built one again, its gzip copy included (nginx's gzip_static serves that).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { browserSentry, writeShellRuntimeConfig } from '../lib/shell-runtime-config.ts';
import { REPO_ROOT } from '../lib/local-env.ts';

const PUBLIC = `${REPO_ROOT}/frontends/shell/public/config.json`;
const ENV = {
  BROWSER_SENTRY_DSN: 'https://publickey@o1.ingest.sentry.io/2',
  BROWSER_SENTRY_ENVIRONMENT: 'local "dev"',
  BROWSER_SENTRY_SAMPLE_RATE: '0.25',
  BROWSER_SENTRY_RELEASE: 'abc123',
  BROWSER_SENTRY_TUNNEL: '/errors',
};

function dist(t: Parameters<Parameters<typeof t.test>[0]>[0]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bank-shell-dist-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a DSN in the environment is served in /config.json, and removed again without it', async (t) => {
  const dir = dist(t);
  copyFileSync(PUBLIC, `${dir}/config.json`);
  t.equal(writeShellRuntimeConfig(PUBLIC, dir, ENV), true, 'reporting on');
  const served = JSON.parse(readFileSync(`${dir}/config.json`, 'utf8'));
  t.same(served.sentry, { dsn: ENV.BROWSER_SENTRY_DSN, environment: 'local "dev"', sampleRate: 0.25, release: 'abc123', tunnel: '/errors' });
  t.same(served.remotes, JSON.parse(readFileSync(PUBLIC, 'utf8')).remotes, 'the rest as built');
  t.same(JSON.parse(gunzipSync(readFileSync(`${dir}/config.json.gz`)).toString()), served, 'the gzip copy nginx serves says the same');

  t.equal(writeShellRuntimeConfig(PUBLIC, dir, {}), false, 'reporting off');
  t.equal(readFileSync(`${dir}/config.json`, 'utf8'), readFileSync(PUBLIC, 'utf8'), 'the built file again');
  const gz = existsSync(`${dir}/config.json.gz`) ? gunzipSync(readFileSync(`${dir}/config.json.gz`)).toString() : undefined;
  t.equal(gz ?? readFileSync(PUBLIC, 'utf8'), readFileSync(PUBLIC, 'utf8'), 'no stale gzip copy with the old DSN');
  t.equal(gzipSync(readFileSync(PUBLIC), { level: 9 }).length < readFileSync(PUBLIC).length, gz !== undefined, 'a gzip copy exactly when smaller');
});

t.test('nothing built: nothing written', async (t) => {
  const dir = dist(t);
  t.equal(writeShellRuntimeConfig(PUBLIC, dir, ENV), false);
  t.notOk(existsSync(`${dir}/config.json`));
});

t.test('a value that cannot be right stops the start, naming the variable', async (t) => {
  t.throws(() => browserSentry({ BROWSER_SENTRY_DSN: 'https://k@s/1', BROWSER_SENTRY_SAMPLE_RATE: '1.5' }), /BROWSER_SENTRY_SAMPLE_RATE must be a number from 0 to 1/);
  t.throws(() => browserSentry({ BROWSER_SENTRY_DSN: 'k@s/1' }), /BROWSER_SENTRY_DSN is not an http\(s\) URL/);
  t.equal(browserSentry({ BROWSER_SENTRY_SAMPLE_RATE: '7' }), undefined, 'no DSN: the other variables are not read');
});

t.test("tunnel unset: the gateway's same-origin tunnel; set empty: none (the DSN's host)", async (t) => {
  t.same(browserSentry({ BROWSER_SENTRY_DSN: 'https://k@s/1' }), { dsn: 'https://k@s/1', tunnel: '/api/monitoring/sentry-tunnel' });
  t.same(browserSentry({ BROWSER_SENTRY_DSN: 'https://k@s/1', BROWSER_SENTRY_TUNNEL: '' }), { dsn: 'https://k@s/1' });
});

t.test('the same sentry object as the shell image makes from the same variables', async (t) => {
  const dir = dist(t);
  const run = spawnSync('sh', [`${REPO_ROOT}/frontends/shell/entrypoint.sh`], {
    env: { PATH: process.env.PATH, ...ENV, SHELL_CONFIG_SOURCE: PUBLIC, SHELL_CONFIG_TARGET: `${dir}/image.json` },
    encoding: 'utf8',
  });
  t.equal(run.status, 0, run.stderr);
  t.same(JSON.parse(readFileSync(`${dir}/image.json`, 'utf8')).sentry, browserSentry(ENV));
});
