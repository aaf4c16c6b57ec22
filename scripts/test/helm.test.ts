// Real Helm over every chart, in every way the repository calls it, with Helm 3 and Helm 4
// (the pinned binaries of scripts/lib/helm.sh): `helm dependency build` (the library chart, as
// Tilt, Skaffold and docs/deploy.md do), `helm lint --strict` and `helm template` for each mode
// of scripts/lib/helm-matrix.ts (chart defaults, Tilt, Skaffold run/dev, the SRE command with an
// all-digit --set image.tag). Every rendered object, and every object of k8s/ (what
// `kubectl apply -k k8s/` applies), is validated offline against the Kubernetes OpenAPI schemas
// with unknown fields rejected (scripts/lib/k8s-schema.ts). Both Helm versions must render the
// same objects. Negative controls prove the checks fail on broken input.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { pinnedHelms, type HelmBinary } from '../lib/helm.ts';
import { matrix, type Mode } from '../lib/helm-matrix.ts';
import { prepareKinds, schemaSources, validateObject } from '../lib/k8s-schema.ts';
import { REPO_ROOT } from '../lib/local-env.ts';
import { alertRules } from '../../k8s/monitoring/alerts.ts';
import { dashboardProblems } from '../../k8s/monitoring/dashboard-schema.ts';
import { DASHBOARDS, SERVICES, type ServiceName } from '../../k8s/monitoring/dashboards.ts';
import { analysePromql } from '../../k8s/monitoring/promql.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML
/** A tap (sub)test. */
type Test = Parameters<Parameters<typeof t.test>[0]>[0];
t.setTimeout(300_000);
const started = Date.now();
const CONCURRENCY = Number(process.env.HELM_TEST_CONCURRENCY ?? 3);

// ── a small process pool ──────────────────────────────────────────────────────────────────
interface Run { code: number; stdout: string; stderr: string }
let running = 0;
const queue: Array<() => void> = [];
const counts = new Map<string, number>();
async function helm(bin: HelmBinary, args: string[], env: Record<string, string>): Promise<Run> {
  if (running >= CONCURRENCY) await new Promise<void>((r) => queue.push(r));
  running++;
  counts.set(`${bin.major} ${args[0]}`, (counts.get(`${bin.major} ${args[0]}`) ?? 0) + 1);
  try {
    return await new Promise<Run>((resolve) => {
      const child = spawn(bin.path, args, { cwd: env.CHARTS_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** A copy of the charts (without vendored dependencies) and the values files the modes read, so
 * `helm dependency build` starts from a clean clone's state and runs never share a directory. */
function workspace(t: Test, major: string): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), `bank-helm-${major}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(REPO_ROOT, 'charts'), path.join(dir, 'charts'), { recursive: true, filter: (src) => !/\/charts\/[^/]+\/(charts|Chart\.lock)$/.test(src) });
  return { CHARTS_ROOT: dir, HELM_CACHE_HOME: `${dir}/.helm/cache`, HELM_CONFIG_HOME: `${dir}/.helm/config`, HELM_DATA_HOME: `${dir}/.helm/data` };
}

const docs = (text: string): Obj[] => parseAllDocuments(text).map((d) => {
  if (d.errors.length) throw new Error(d.errors[0]!.message);
  return d.toJS() as Obj;
}).filter((d) => d != null);
const modes = matrix(REPO_ROOT);
const charts = [...new Set(modes.map((m) => m.chart))];
const appVersion = (chart: string) => String((parseYaml(readFileSync(`${REPO_ROOT}/charts/${chart}/Chart.yaml`, 'utf8')) as Obj).appVersion);
const helms = pinnedHelms();
/** Rendered objects per helm version and mode, compared across versions at the end. */
const rendered = new Map<string, Map<string, Obj[]>>();
let objectsValidated = 0;
const kindsSeen = new Map<string, number>();

// One TypeScript program for every kind the charts and k8s/ produce (built once, ~2 s).
const k8sFiles: string[] = (parseYaml(readFileSync(`${REPO_ROOT}/k8s/kustomization.yaml`, 'utf8')) as Obj).resources;
const k8sObjects: Obj[] = k8sFiles.flatMap((f) => docs(readFileSync(`${REPO_ROOT}/k8s/${f}`, 'utf8')).map((o) => ({ ...o, __file: `k8s/${f}` })));
const CHART_KINDS = [['apps/v1', 'Deployment'], ['v1', 'Service'], ['v1', 'ServiceAccount'], ['v1', 'ConfigMap'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['networking.k8s.io/v1', 'Ingress'], ['batch/v1', 'Job'], ['monitoring.coreos.com/v1', 'ServiceMonitor'], ['monitoring.coreos.com/v1', 'PrometheusRule']];
prepareKinds([...k8sObjects, ...CHART_KINDS.map(([apiVersion, kind]) => ({ apiVersion: apiVersion!, kind: kind! }))]);

async function validateAll(t: Test, objects: Obj[], where: string) {
  prepareKinds(objects);
  for (const o of objects) {
    const { __file, ...obj } = o;
    const v = await validateObject(obj);
    objectsValidated++;
    kindsSeen.set(`${o.kind} (${v.how})`, (kindsSeen.get(`${o.kind} (${v.how})`) ?? 0) + 1);
    t.same(v.problems, [], `${where}${__file ? ` ${__file}` : ''}: ${o.kind} ${o.metadata?.name} is valid (${v.how})`);
  }
}

function modeChecks(t: Test, m: Mode, objects: Obj[]) {
  const kinds = objects.map((o) => o.kind);
  t.ok(kinds.includes('Deployment') && kinds.includes('Service'), `${m.chart} ${m.mode}: renders a Deployment and a Service`);
  t.ok(objects.every((o) => o.metadata?.namespace === m.namespace), `${m.chart} ${m.mode}: every object in ${m.namespace}`);
  const expected = m.image || `bank/${m.chart}:${appVersion(m.chart)}`;
  const images = objects.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image));
  t.ok(images.length > 0 && images.every((i) => i === expected), `${m.chart} ${m.mode}: runs ${expected}`, { found: images });
  // The image tag as a label value: a string, at most 63 characters (a Skaffold inputDigest has 64).
  const tag = expected.slice(expected.lastIndexOf(':') + 1).slice(0, 63);
  t.ok(objects.every((o) => o.metadata?.labels?.['app.kubernetes.io/version'] === tag), `${m.chart} ${m.mode}: version label "${tag}" (the tag, a string)`);
  const dev = m.values.some((v) => v.endsWith('values-dev.yaml'));
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const c0 = deployment?.spec.template.spec.containers[0];
  if (!dev) t.equal(c0?.securityContext?.readOnlyRootFilesystem, true, `${m.chart} ${m.mode}: read-only root file system`);
  t.equal(kinds.includes('HorizontalPodAutoscaler'), !dev, `${m.chart} ${m.mode}: HPA ${dev ? 'off (values-dev)' : 'on'}`);
}

for (const bin of helms) {
  t.test(`Helm ${bin.major}`, async (t) => {
    const env = workspace(t, bin.major);
    const version = await helm(bin, ['version', '--short'], env);
    t.match(version.stdout, bin.major === 'v3' ? /^v3\.17\.3/ : /^v4\.1\.4/, `pinned ${version.stdout.trim()}`);
    // As the repository does it: `helm dependency build charts/<c>` vendors charts/lib.
    const deps = await Promise.all(charts.map((c) => helm(bin, ['dependency', 'build', `charts/${c}`], env)));
    deps.forEach((r, i) => t.equal(r.code, 0, `dependency build charts/${charts[i]}`, { stderr: r.stderr }));
    const byMode = new Map<string, Obj[]>();
    rendered.set(bin.major, byMode);
    await Promise.all(modes.map(async (m) => {
      const valuesArgs = m.values.map((v) => (/^charts\//.test(v) ? `${env.CHARTS_ROOT}/${v}` : v));
      const [lint, template] = await Promise.all([
        helm(bin, ['lint', '--strict', `charts/${m.chart}`, '-n', m.namespace, ...valuesArgs], env),
        helm(bin, ['template', m.release, `charts/${m.chart}`, '-n', m.namespace, ...valuesArgs], env),
      ]);
      const cmd = `${m.chart} ${m.mode} (${m.values.join(' ') || 'defaults'})`;
      t.equal(lint.code, 0, `helm lint --strict ${cmd}`, { output: `${lint.stdout}${lint.stderr}`.trim().slice(-1500) });
      t.notMatch(lint.stdout, /\[(WARNING|ERROR)\]/, `helm lint ${cmd}: no warnings`);
      if (!t.equal(template.code, 0, `helm template ${cmd}`, { stderr: template.stderr.slice(-1500) })) return;
      byMode.set(`${m.chart}/${m.mode}`, docs(template.stdout));
    }));
    // Validate after rendering, so one TypeScript program covers every kind.
    for (const m of modes) {
      const objects = byMode.get(`${m.chart}/${m.mode}`);
      if (!objects) continue;
      modeChecks(t, m, objects);
      await validateAll(t, objects, `${bin.major} ${m.chart} ${m.mode}`);
    }
  });
}

t.test('Helm 3 and Helm 4 render the same objects in every mode', async (t) => {
  const [a, b] = [rendered.get('v3'), rendered.get('v4')];
  t.ok(a && b && a.size === modes.length && b.size === modes.length, 'both versions rendered every mode');
  for (const [key, objects] of a ?? []) t.same(b?.get(key), objects, key);
});

// Issue 12: the dashboards (ConfigMaps for Grafana's sidecar) and alerts (PrometheusRule) as real
// Helm renders them — Grafana dashboard JSON, PromQL through Prometheus' own grammar, runbooks.
const isDashboard = (o: Obj) => o.kind === 'ConfigMap' && o.metadata?.labels?.grafana_dashboard === '1';
t.test('dashboards and alert rules, as Helm renders them', async (t) => {
  const byMode = rendered.get('v4');
  if (!t.ok(byMode?.size, 'Helm 4 rendered the charts')) return;
  const uids = new Map<string, string>();
  let expressions = 0;
  for (const m of modes) {
    const objects = byMode!.get(`${m.chart}/${m.mode}`) ?? [];
    const dashboards = objects.filter(isDashboard);
    const isService = m.chart in SERVICES;
    const expected = DASHBOARDS.filter((d) => d.chart === m.chart).map((d) => d.uid).sort();
    const found = dashboards.map((cm) => JSON.parse(Object.values(cm.data as Record<string, string>)[0]!).uid as string).sort();
    t.same(found, expected, `${m.chart} ${m.mode}: ships the dashboards ${expected.join(', ') || '(none)'}`);
    const rules = objects.filter((o) => o.kind === 'PrometheusRule');
    t.equal(rules.length, isService ? 1 : 0, `${m.chart} ${m.mode}: ${isService ? 'one PrometheusRule' : 'no PrometheusRule (front-end)'}`);
    if (m.mode !== 'defaults') continue;
    for (const cm of dashboards) {
      const keys = Object.keys(cm.data);
      t.ok(keys.length === 1 && keys[0]!.endsWith('.json'), `${cm.metadata.name}: one .json file`);
      t.equal(cm.metadata.annotations?.grafana_folder, 'Bank payments', `${cm.metadata.name}: Grafana folder annotation`);
      const text = cm.data[keys[0]!] as string;
      t.same(dashboardProblems(text), [], `${cm.metadata.name}: valid Grafana dashboard JSON`);
      const d = JSON.parse(text);
      t.notOk(uids.has(d.uid), `${d.uid}: uid unique across charts${uids.has(d.uid) ? ` (also ${uids.get(d.uid)})` : ''}`);
      uids.set(d.uid, m.chart);
      for (const p of d.panels) for (const target of p.targets) {
        expressions++;
        const { errors, selectors } = analysePromql(target.expr);
        t.same(errors, [], `${d.uid} "${p.title}" ${target.refId}: PromQL parses`);
        t.ok(selectors.length > 0, `${d.uid} "${p.title}" ${target.refId}: selects a metric`);
      }
    }
    for (const rule of rules) {
      const got = rule.spec.groups.flatMap((g: Obj) => g.rules) as Obj[];
      t.same(got.map((r) => r.alert), alertRules(m.chart as ServiceName).map((r) => r.alert), `${m.chart}: the alerts of k8s/monitoring/alerts.ts`);
      t.equal(rule.metadata.labels?.release, 'kube-prometheus-stack', `${m.chart}: PrometheusRule labelled for kube-prometheus-stack's ruleSelector`);
      for (const r of got) {
        expressions++;
        t.same(analysePromql(r.expr).errors, [], `${m.chart} ${r.alert}: PromQL parses`);
        t.match(r.labels?.severity, /^(critical|warning)$/, `${m.chart} ${r.alert}: severity label`);
        t.match(r.for, /^[0-9]+[smh]$/, `${m.chart} ${r.alert}: a for duration`);
        t.ok(r.annotations?.summary && r.annotations?.description, `${m.chart} ${r.alert}: summary and description`);
        t.equal(r.annotations?.runbook_url, `docs/runbooks/${r.alert}.md`, `${m.chart} ${r.alert}: runbook_url`);
        t.ok(existsSync(`${REPO_ROOT}/docs/runbooks/${r.alert}.md`), `${m.chart} ${r.alert}: the runbook exists`);
      }
    }
  }
  t.equal(uids.size, DASHBOARDS.length, `all ${DASHBOARDS.length} dashboards rendered, ${expressions} PromQL expressions parsed`);
});

t.test('monitoring switches and the validators fail on broken input', async (t) => {
  for (const bin of helms) {
    const env = workspace(t, bin.major);
    await helm(bin, ['dependency', 'build', 'charts/payments'], env);
    const render = async (...sets: string[]) => {
      const r = await helm(bin, ['template', 'payments', 'charts/payments', '-n', 'bank-payments', ...sets.flatMap((x) => ['--set', x])], env);
      t.equal(r.code, 0, `Helm ${bin.major}: template --set ${sets.join(' ')}`, { stderr: r.stderr.slice(-800) });
      return docs(r.stdout);
    };
    const off = await render('monitoring.dashboards.enabled=false', 'monitoring.alerts.enabled=false');
    t.equal(off.filter(isDashboard).length, 0, `Helm ${bin.major}: monitoring.dashboards.enabled=false renders no dashboard`);
    t.equal(off.filter((o) => o.kind === 'PrometheusRule').length, 0, `Helm ${bin.major}: monitoring.alerts.enabled=false renders no PrometheusRule`);
    const custom = await render('monitoring.alerts.runbookBaseUrl=https://git.example/bank/blob/main/docs/runbooks/', 'monitoring.dashboards.folder=Payments team');
    const urls = custom.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: Obj) => g.rules.map((r: Obj) => r.annotations.runbook_url)));
    t.ok(urls.length > 0 && urls.every((u: string) => /^https:\/\/git\.example\/bank\/blob\/main\/docs\/runbooks\/Bank[A-Za-z0-9]+\.md$/.test(u)), `Helm ${bin.major}: runbookBaseUrl prefixes every runbook_url`, { urls });
    t.ok(custom.filter(isDashboard).every((o) => o.metadata.annotations.grafana_folder === 'Payments team'), `Helm ${bin.major}: the folder annotation follows the values`);
    const lint = await helm(bin, ['lint', '--strict', 'charts/payments', '--set', 'monitoring.dashboards.enable=true'], env);
    t.not(lint.code, 0, `Helm ${bin.major}: a misspelt monitoring value fails the schema`);
    t.match(`${lint.stdout}${lint.stderr}`, /enable/, `Helm ${bin.major}: the error names it`);
  }
  const rule = rendered.get('v4')?.get('payments/defaults')?.find((o) => o.kind === 'PrometheusRule');
  const expr: string = rule!.spec.groups[0].rules[0].expr;
  t.not(analysePromql(expr.replace(/\)\)/, ')')).errors.length, 0, 'a PromQL expression missing a parenthesis fails to parse');
  t.not(analysePromql(expr.replace('sum by', 'sum bye')).errors.length, 0, 'a misspelt PromQL keyword fails to parse');
  const problems = await validateObject({ ...rule, spec: { groups: [{ name: 'x', rulez: [] }] } });
  t.match(problems.problems.join('\n'), /rulez: unknown field/, 'PrometheusRule (prometheus-operator CRD) typo');
  const cm = rendered.get('v4')?.get('payments/defaults')?.find(isDashboard);
  const d = JSON.parse(Object.values(cm!.data as Record<string, string>)[0]!);
  const broken = (f: (d: Obj) => void) => { const c = structuredClone(d); f(c); return dashboardProblems(JSON.stringify(c)).join('\n'); };
  t.match(broken((c) => (c.panels[1].id = c.panels[0].id)), /panel id \d+ is used twice/, 'duplicate panel ids');
  t.match(broken((c) => (c.panels[0].targets[0].expr += ' + on() x{ns="$namespace"}')), /\$namespace is not a dashboard variable/, 'an undeclared variable');
  t.match(broken((c) => (c.panels[0].datasource = { type: 'prometheus', uid: 'prometheus' })), /datasource\/uid/, 'a hard-coded data source uid');
  t.match(broken((c) => delete c.panels[0].gridPos), /gridPos/, 'a panel without gridPos');
  t.match(broken((c) => (c.panels[1].gridPos = { ...c.panels[0].gridPos })), /overlaps/, 'overlapping panels');
  t.match(broken((c) => delete c.schemaVersion), /schemaVersion/, 'no schemaVersion');
});

// Issue 12: the browser's Sentry settings are the shell chart's env values, which the image's
// entrypoint (frontends/shell/entrypoint.sh) writes into /config.json — run here with exactly the
// env the rendered ConfigMap gives the container.
t.test("the shell's browser error reporting values reach /config.json", async (t) => {
  const shellConfig = (env: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bank-shell-config-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const run = spawnSync('sh', [`${REPO_ROOT}/frontends/shell/entrypoint.sh`], {
      env: { PATH: process.env.PATH, ...env, SHELL_CONFIG_SOURCE: `${REPO_ROOT}/frontends/shell/public/config.json`, SHELL_CONFIG_TARGET: `${dir}/config.json` },
      encoding: 'utf8',
    });
    t.equal(run.status, 0, 'the entrypoint writes /config.json', { stderr: run.stderr });
    return JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')) as Obj;
  };
  const built = JSON.parse(readFileSync(`${REPO_ROOT}/frontends/shell/public/config.json`, 'utf8')) as Obj;
  const envOf = (objects: Obj[]) => {
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const name = deployment?.spec.template.spec.containers[0].envFrom?.[0]?.configMapRef?.name;
    return { env: objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.data as Record<string, string> | undefined, checksum: deployment?.spec.template.metadata.annotations['checksum/config'] as string };
  };

  const defaults = envOf(rendered.get('v4')?.get('shell/defaults') ?? []);
  if (!t.ok(defaults.env, 'the shell Deployment loads its env ConfigMap')) return;
  t.match(defaults.env, { BROWSER_SENTRY_DSN: '', BROWSER_SENTRY_ENVIRONMENT: 'production', BROWSER_SENTRY_SAMPLE_RATE: '1' }, 'defaults: no DSN');
  t.same(shellConfig(defaults.env!), built, 'defaults: /config.json is the built file (reporting off)');
  // The CSP's connect-src is 'self': with only a DSN set, the browser posts to the gateway's
  // tunnel, which forwards for the gateway chart's BROWSER_SENTRY_DSN (empty by default: no route).
  const gatewayEnv = envOf(rendered.get('v4')?.get('gateway/defaults') ?? []).env;
  t.match(gatewayEnv, { BROWSER_SENTRY_DSN: '', SENTRY_TUNNEL_MAX_BYTES: '262144' }, "defaults: the gateway's tunnel is off, its limit set");
  t.same(shellConfig({ ...defaults.env!, BROWSER_SENTRY_DSN: 'https://k@o1.ingest.sentry.io/2' }).sentry, {
    dsn: 'https://k@o1.ingest.sentry.io/2',
    environment: 'production',
    sampleRate: 1,
    tunnel: '/api/monitoring/sentry-tunnel',
  }, "defaults plus a DSN: reports go to the gateway's same-origin tunnel");

  const dsn = 'https://publickey@o17.ingest.sentry.io/4242';
  for (const bin of helms) {
    const env = workspace(t, bin.major);
    await helm(bin, ['dependency', 'build', 'charts/shell'], env);
    const sets = [`env.BROWSER_SENTRY_DSN=${dsn}`, 'env.BROWSER_SENTRY_SAMPLE_RATE=0.25', 'env.BROWSER_SENTRY_TUNNEL=/errors', 'env.BROWSER_SENTRY_RELEASE=1.4.0'];
    const r = await helm(bin, ['template', 'shell', 'charts/shell', '-n', 'bank-web', ...sets.flatMap((x) => ['--set', x])], env);
    if (!t.equal(r.code, 0, `Helm ${bin.major}: template --set ${sets.join(' ')}`, { stderr: r.stderr.slice(-800) })) continue;
    const set = envOf(docs(r.stdout));
    t.match(set.env, { BROWSER_SENTRY_DSN: dsn, BROWSER_SENTRY_SAMPLE_RATE: '0.25', BROWSER_SENTRY_TUNNEL: '/errors' }, `Helm ${bin.major}: the values are in the ConfigMap`);
    t.not(set.checksum, defaults.checksum, `Helm ${bin.major}: a changed value rolls the pods (checksum/config)`);
    const config = shellConfig(set.env!);
    t.same(config.sentry, { dsn, environment: 'production', sampleRate: 0.25, release: '1.4.0', tunnel: '/errors' }, `Helm ${bin.major}: /config.json carries them`);
    t.same(config.remotes, built.remotes, `Helm ${bin.major}: the rest of /config.json is the built file`);
    const lint = await helm(bin, ['lint', '--strict', 'charts/shell', '--set', 'env.BROWSER_SENTRY_DSN.x=1'], env);
    t.not(lint.code, 0, `Helm ${bin.major}: a DSN that is not a string fails the schema`);
  }
});

t.test('k8s/ (kubectl apply -k k8s/) validates against the same schemas', async (t) => {
  t.ok(k8sObjects.length > 50, `${k8sObjects.length} objects in ${k8sFiles.length} files`);
  await validateAll(t, k8sObjects, 'k8s');
});

t.test('the checks fail on broken input', async (t) => {
  const deployment = rendered.get('v4')?.get('payments/skaffold')?.find((o) => o.kind === 'Deployment');
  if (!t.ok(deployment, 'a rendered Deployment')) return;
  const mutate = (f: (o: Obj) => void) => { const o = structuredClone(deployment!); f(o); return o; };
  const problems = async (o: Obj) => (await validateObject(o)).problems.join('\n');
  t.match(await problems(mutate((o) => (o.spec.template.spec.containers[0].imagePullPolicyy = 'Always'))), /containers\[0\]\.imagePullPolicyy: unknown field/, 'unknown container field');
  t.match(await problems(mutate((o) => (o.spec.template.spec.securityContex = {}))), /spec\.template\.spec\.securityContex: unknown field/, 'misplaced pod field');
  t.match(await problems(mutate((o) => (o.spec.replicas = 'two'))), /replicas/, 'wrong type');
  t.match(await problems(mutate((o) => (o.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'))), /selector/, 'selector not matching the pod labels');
  t.match(await problems(mutate((o) => (o.metadata.labels['app.kubernetes.io/version'] = 'bad tag!'))), /invalid label value/, 'invalid label value');
  const monitor = rendered.get('v4')?.get('payments/skaffold')?.find((o) => o.kind === 'ServiceMonitor');
  t.match(await problems({ ...monitor, spec: { ...monitor!.spec, endpoint: [] } }), /spec\.endpoint: unknown field/, 'ServiceMonitor (prometheus-operator CRD) typo');
  const cluster = k8sObjects.find((o) => o.kind === 'Cluster');
  const { __file, ...cr } = cluster!;
  t.match(await problems({ ...cr, spec: { ...cr.spec, instancez: 2 } }), /instancez: unknown field/, 'CloudNativePG Cluster typo');
  const cert = k8sObjects.find((o) => o.kind === 'Certificate');
  t.match(await problems({ ...cert, __file: undefined, spec: { ...cert!.spec, secretNam: 'x' } }), /spec\.secretNam: unknown field/, 'cert-manager Certificate typo');
  // Real Helm rejects values that break the schema and templates that do not render.
  for (const bin of helms) {
    const env = workspace(t, bin.major);
    await Promise.all(['payments', 'shell'].map((c) => helm(bin, ['dependency', 'build', `charts/${c}`], env)));
    const fails = async (what: string, args: string[], expected: RegExp) => {
      const r = await helm(bin, args, env);
      t.not(r.code, 0, `Helm ${bin.major}: ${what} fails`);
      t.match(`${r.stdout}${r.stderr}`, expected, `Helm ${bin.major}: ${what}: the error names the cause`);
    };
    await fails('lint --set replicaCount=two', ['lint', '--strict', 'charts/payments', '--set', 'replicaCount=two'], /replicaCount/);
    await fails('lint --set notAValue=1 (unknown key)', ['lint', '--strict', 'charts/payments', '--set', 'notAValue=1'], /notAValue/);
    await fails('template --set image.tag="bad tag"', ['template', 'payments', 'charts/payments', '--set', 'image.tag=bad tag'], /tag/);
    const values = path.join(env.CHARTS_ROOT!, 'charts/payments/values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace(/^replicaCount: 2$/m, 'replicaCount: two'));
    await fails('lint of a values.yaml that breaks its schema', ['lint', '--strict', 'charts/payments'], /replicaCount/);
    writeFileSync(path.join(env.CHARTS_ROOT!, 'charts/shell/templates/pdb.yaml'), '{{ include "lib.podDisruption" . }}\n');
    await fails('template including an undefined library template', ['template', 'shell', 'charts/shell'], /lib\.podDisruption/);
  }
});

t.teardown(() => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const invocations = [...counts].sort().map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`# helm suite: ${invocations}; ${objectsValidated} objects validated (${[...kindsSeen].sort().map(([k, n]) => `${k} ${n}`).join(', ')}); schemas ${JSON.stringify(schemaSources())}; ${seconds} s`);
});
