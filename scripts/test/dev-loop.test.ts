// The development loop's files, checked without tilt or skaffold (neither can run here; no tilt
// binary is installed): the Tiltfile is parsed and linted by buildifier, a real Starlark parser
// (scripts/lib/buildifier.sh); chart edits redeploy (helm_resource deps); an edited library chart
// is re-vendored (the Tiltfile's digest command, executed, and `helm dependency build` with the
// pinned Helm); Skaffold's dev sync lists and Tilt's live update sync the same shared packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { pinnedHelms } from '../lib/helm.ts';
import { REPO_ROOT } from '../lib/local-env.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML
const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');
const tiltfile = read('Tiltfile');
const buildifier = execFileSync('bash', [`${REPO_ROOT}/scripts/lib/buildifier.sh`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const SERVICES = ['gateway', 'auth', 'payments', 'admin', 'profile'];

t.test('the Tiltfile parses as Starlark and has no buildifier lint warnings', async (t) => {
  const parse = (text: string) => spawnSync(buildifier, ['--type=default'], { input: text, encoding: 'utf8' });
  const ok = parse(tiltfile);
  t.equal(ok.status, 0, 'buildifier parses the Tiltfile', { stderr: ok.stderr });
  const lint = spawnSync(buildifier, ['--type=default', '--lint=warn', '--warnings=-module-docstring', '--mode=check', 'Tiltfile'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const warnings = `${lint.stdout}${lint.stderr}`.split('\n').filter((l) => l.trim() && !/ # reformat$/.test(l));
  t.same(warnings, [], 'no lint warnings');
  const broken = parse(tiltfile.replace("allow_k8s_contexts('kind-bank')", "allow_k8s_contexts('kind-bank'"));
  t.not(broken.status, 0, 'a syntax error is caught (negative control)');
});

t.test('a chart, its values or the library chart changing redeploys the chart', async (t) => {
  const calls = [...tiltfile.matchAll(/helm_resource\(([\s\S]*?)\n    \)/g)].map((m) => m[1]!);
  t.equal(calls.length, 2, 'two helm_resource calls (services, front-ends)');
  for (const c of calls) t.match(c, /\n\s+deps=chart_deps\(name\),/, 'helm_resource(..., deps=chart_deps(name))');
  const body = /def chart_deps\(chart\):\n\s+return (\[.*\])/.exec(tiltfile)?.[1];
  t.equal(body, "['charts/%s' % chart, 'charts/lib']", 'chart_deps = the chart directory (templates, values, Chart.yaml, vendored lib) and charts/lib');
});

t.test('an edited library chart is re-vendored, not only a missing one', async (t) => {
  t.notMatch(tiltfile, /os\.path\.exists\('charts\/%s\/charts'/, 'no "only when missing" rebuild');
  t.match(tiltfile, /watch_file\('charts\/lib'\)/, 'the Tiltfile re-runs on a library edit');
  const cmd = /LIB_DIGEST_CMD = "([^"]+)"/.exec(tiltfile)?.[1];
  if (!t.ok(cmd, 'LIB_DIGEST_CMD')) return;
  t.match(tiltfile, /if built != digest:\n\s+local\('helm dependency build charts\/%s && echo %s > %s' % \(chart, digest, stamp\)/, 'rebuilds when the stamp differs');
  const dir = mkdtempSync(path.join(tmpdir(), 'bank-devloop-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(REPO_ROOT, 'charts'), path.join(dir, 'charts'), { recursive: true, filter: (src) => !/\/charts\/[^/]+\/(charts|Chart\.lock)$/.test(src) });
  const digest = (chart: string) => execFileSync('bash', ['-c', cmd!.replaceAll('%s', chart)], { cwd: dir, encoding: 'utf8' }).trim();
  const [payments0, shell0] = [digest('payments'), digest('shell')];
  t.match(payments0, /^[0-9a-f]{16}$/, `digest ${payments0}`);
  // Vendor once the way the Tiltfile does (pinned Helm 4 as `helm`), then edit the library.
  const helm = pinnedHelms().find((h) => h.major === 'v4')!;
  const env = { ...process.env, PATH: `${path.dirname(helm.path)}:${process.env.PATH}`, HELM_CACHE_HOME: `${dir}/.helm`, HELM_CONFIG_HOME: `${dir}/.helm`, HELM_DATA_HOME: `${dir}/.helm` };
  const vendor = (chart: string) => execFileSync('bash', ['-c', `helm dependency build charts/${chart} >/dev/null && echo ${digest(chart)} > charts/${chart}/charts/.lib-digest`], { cwd: dir, env });
  vendor('payments');
  appendFileSync(path.join(dir, 'charts/lib/templates/_names.tpl'), '\n{{/* Usage: none (test edit) */}}\n');
  const payments1 = digest('payments');
  t.not(payments1, payments0, 'a library edit changes the digest');
  t.not(readFileSync(path.join(dir, 'charts/payments/charts/.lib-digest'), 'utf8').trim(), payments1, 'so the stamp is stale and the Tiltfile rebuilds');
  vendor('payments');
  const vendored = execFileSync('tar', ['-xzOf', path.join(dir, 'charts/payments/charts/lib-0.1.0.tgz'), 'lib/templates/_names.tpl'], { encoding: 'utf8' });
  t.match(vendored, /test edit/, 'the rebuilt archive carries the edit');
  writeFileSync(path.join(dir, 'charts/payments/Chart.yaml'), `${readFileSync(path.join(dir, 'charts/payments/Chart.yaml'), 'utf8')}# edit\n`);
  t.not(digest('payments'), payments1, "the chart's Chart.yaml is part of its digest");
  t.not(digest('shell'), shell0, 'every chart sees the library edit');
  t.ok(existsSync(path.join(dir, 'charts/payments/charts/.lib-digest')), 'stamp written next to the vendored archive');
});

t.test('Skaffold dev and Tilt sync the same shared packages, covering every linked workspace', async (t) => {
  const shared = /SHARED_PACKAGES = \[([^\]]*)\]/.exec(tiltfile)?.[1]?.match(/'([\w-]+)'/g)?.map((s) => s.slice(1, -1)) ?? [];
  t.ok(shared.length > 0, `Tiltfile SHARED_PACKAGES = ${shared.join(', ')}`);
  t.match(tiltfile, /\[sync\('services\/%s\/src' % p, '\/app\/services\/%s\/src' % p\) for p in SHARED_PACKAGES\]/, 'Tilt live-updates every shared package');
  const skaffold = parseYaml(read('skaffold.yaml')) as Obj;
  const artifacts: Obj[] = skaffold.build.artifacts;
  const dev = (skaffold.profiles as Obj[]).find((p) => p.name === 'dev')!;
  for (const svc of SERVICES) {
    const i = artifacts.findIndex((a) => a.image === `bank/${svc}`);
    const sync = dev.patches.find((p: Obj) => p.path === `/build/artifacts/${i}/sync`)?.value?.manual ?? [];
    t.same(sync.map((s: Obj) => s.src).sort(), [`services/${svc}/src/**`, ...shared.map((p) => `services/${p}/src/**`)].sort(), `skaffold dev syncs ${svc} + ${shared.join(', ')}`);
    t.ok(sync.every((s: Obj) => s.dest === '/app'), `${svc}: synced under /app (the dev image's workspace root)`);
  }
  // Every @bank/* workspace a service links (transitively) is synced.
  const dirs = new Map<string, string>();
  for (const d of ['kit', 'events', 'cache', ...SERVICES]) if (existsSync(path.join(REPO_ROOT, 'services', d, 'package.json'))) dirs.set(JSON.parse(read(`services/${d}/package.json`)).name, d);
  const linked = new Set<string>();
  const visit = (d: string) => {
    for (const dep of Object.keys(JSON.parse(read(`services/${d}/package.json`)).dependencies ?? {})) {
      const dir = dirs.get(dep);
      if (dir && !linked.has(dir)) { linked.add(dir); visit(dir); }
    }
  };
  SERVICES.forEach(visit);
  t.same([...linked].sort(), [...shared].sort(), `the services link exactly ${[...linked].sort().join(', ')}`);
});
