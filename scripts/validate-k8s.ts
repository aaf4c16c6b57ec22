// What real Helm cannot check about the Kubernetes delivery: consistency between Dockerfiles,
// charts, Skaffold, Tilt, k8s/ and the services' own code and config schemas.
//   node scripts/validate-k8s.ts          (npm run validate:k8s)
// Helm itself (Helm 3 and Helm 4, lint --strict and template of every chart in every mode the
// repository uses, values against values.schema.json, every rendered object against the
// Kubernetes schemas) is scripts/test/helm.test.ts. Here:
// 1. yamllint over every delivery YAML file (.yamllint; Helm templates excluded)
// 2. charts: repository conventions (thin one-kind-per-file templates, library usage comments,
//    one shared values.schema.json, every .Values path a template reads defined in values.yaml)
// 3. k8s/: every object against the Kubernetes / CRD schemas, unknown fields rejected
//    (scripts/lib/k8s-schema.ts, shared with the Helm suite), kustomization, READMEs, namespaces
// 4. cross-checks: charts ↔ skaffold.yaml ↔ Tiltfile ↔ Dockerfiles ↔ services' code (ports, health
//    paths, package names, migrations) ↔ k8s/ (databases, Secrets, namespaces, RabbitMQ topology vs
//    the event contracts) ↔ ingress-nginx native config (TLS, headers) ↔ dashboards (metric names);
//    each service's env as the pinned Helm 4 renders it, against the service's config schema
// Exits 1 when any check fails. VALIDATE_K8S_ROOT points it at another tree (used by its tests).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { pinnedHelms } from './lib/helm.ts';
import { prepareKinds, validateObject as validateSchema } from './lib/k8s-schema.ts';

const ROOT = path.resolve(process.env.VALIDATE_K8S_ROOT ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const rel = (p: string) => path.relative(ROOT, p) || '.';
const at = (...parts: string[]) => path.join(ROOT, ...parts);
const read = (p: string) => readFileSync(p, 'utf8');

// ── report ────────────────────────────────────────────────────────────────────────────────
type Section = { name: string; passed: number; failed: number };
const sections: Section[] = [];
const failures: string[] = [];
const warnings: string[] = [];
let current: Section;
function section(name: string) {
  current = { name, passed: 0, failed: 0 };
  sections.push(current);
}
function check(ok: boolean, what: string, detail = ''): boolean {
  if (ok) current.passed++;
  else {
    current.failed++;
    failures.push(`[${current.name}] ${what}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}
const warn = (msg: string) => warnings.push(`[${current.name}] ${msg}`);

// ── helpers ───────────────────────────────────────────────────────────────────────────────
type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}
function get(o: Obj, dotted: string): unknown {
  return dotted.split('.').reduce<any>((acc, k) => (acc == null ? undefined : acc[k]), o);
}
function walk(dir: string, filter: (f: string) => boolean, skip = /(^|\/)(node_modules|\.tap|\.git|charts\/[^/]+\/charts)(\/|$)/): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (skip.test(rel(full))) continue;
    if (statSync(full).isDirectory()) out.push(...walk(full, filter, skip));
    else if (filter(full)) out.push(full);
  }
  return out.sort();
}
const isYaml = (f: string) => /\.ya?ml$/.test(f);
function yamlDocs(file: string): Obj[] {
  return parseAllDocuments(read(file))
    .map((d) => {
      if (d.errors.length) throw new Error(`${rel(file)}: ${d.errors[0]!.message}`);
      return d.toJS() as Obj;
    })
    .filter((d) => d != null);
}
const setEq = (a: Iterable<string>, b: Iterable<string>) => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return JSON.stringify(x) === JSON.stringify(y) ? '' : `${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`;
};

// ── the components (single source: the skaffold releases; everything else must agree) ──────
const SERVICES = ['gateway', 'auth', 'payments', 'admin', 'profile'] as const;
const FRONTENDS: Record<string, string> = { shell: 'shell', 'mfe-auth': 'auth', 'mfe-payments': 'payments', 'mfe-admin': 'admin' };
const COMPONENTS = [...SERVICES, ...Object.keys(FRONTENDS)];
const OPERATOR_NAMESPACES = ['ingress-nginx', 'cert-manager', 'cnpg-system', 'rabbitmq-system', 'kube-system', 'monitoring'];

// ═════════════════════════════════════════════════════════════════════════════════════════
// 1. yamllint
section('yamllint');
function ensureYamllint(): boolean {
  const has = () => spawnSync('yamllint', ['--version'], { stdio: 'ignore' }).status === 0;
  if (has()) return true;
  if (process.getuid?.() === 0 && process.env.VALIDATE_K8S_NO_INSTALL !== '1') {
    console.error('› yamllint missing: apt-get install -y yamllint');
    spawnSync('bash', ['-c', 'apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq yamllint >/dev/null 2>&1'], { stdio: 'inherit' });
  }
  return has();
}
const yamlTargets = ['charts', 'k8s', 'ingress-nginx/values-kind.yaml', 'skaffold.yaml', '.yamllint'].filter((p) => existsSync(at(p)));
const lintedFiles = yamlTargets.flatMap((t) => (statSync(at(t)).isDirectory() ? walk(at(t), isYaml, /(^|\/)(node_modules|charts\/[^/]+\/(templates|charts))(\/|$)/) : [at(t)]));
if (check(ensureYamllint(), 'yamllint is installed', 'apt-get install yamllint')) {
  const r = spawnSync('yamllint', ['-s', '-f', 'parsable', '-c', at('.yamllint'), ...yamlTargets], { cwd: ROOT, encoding: 'utf8' });
  check(r.status === 0, `yamllint clean on ${lintedFiles.length} files`, `\n${(r.stdout + r.stderr).trim()}`);
}

// ═════════════════════════════════════════════════════════════════════════════════════════
// 2. charts
section('charts');
const libDir = at('charts/lib/templates');
const libText = new Map(walk(libDir, (f) => f.endsWith('.tpl')).map((f) => [f, read(f)]));
const defines = new Map<string, string>(); // name → body (text up to the next define)
for (const [file, text] of libText) {
  const re = /\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}/g;
  const matches = [...text.matchAll(re)];
  matches.forEach((m, i) => {
    const body = text.slice(m.index!, matches[i + 1]?.index ?? text.length);
    check(!defines.has(m[1]!), `define "${m[1]}" is unique`);
    defines.set(m[1]!, body);
    const before = text.slice(0, m.index!).trimEnd();
    check(before.endsWith('*/}}') && /Usage/.test(before.slice(before.lastIndexOf('{{/*'))), `define "${m[1]}" has a usage comment above it`, rel(file));
  });
}
check(read(at('charts/lib/Chart.yaml')).includes('type: library'), 'charts/lib is a library chart');
const includesOf = (text: string) => [...text.matchAll(/include\s+"([^"]+)"/g)].map((m) => m[1]!);
for (const [name, body] of defines) for (const inc of includesOf(body)) check(defines.has(inc), `lib: "${name}" includes a defined template "${inc}"`);
/** .Values paths used by a define and everything it includes (transitively). */
function valuesPaths(name: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(name) || !defines.has(name)) return out;
  seen.add(name);
  const body = defines.get(name)!;
  for (const m of body.matchAll(/\$?\.Values\.([A-Za-z0-9_.]+)/g)) out.add(m[1]!.replace(/\.$/, ''));
  for (const inc of includesOf(body)) for (const p of valuesPaths(inc, seen)) out.add(p);
  return out;
}

const schemaTexts = new Map<string, string>();
const chartValues = new Map<string, Obj>(); // component → merged values.yaml (prod)
const chartDirs = readdirSync(at('charts')).filter((d) => d !== 'lib' && statSync(at('charts', d)).isDirectory());
check(!setEq(chartDirs, COMPONENTS), 'charts/ holds exactly one chart per component', setEq(chartDirs, COMPONENTS));
const EXPECTED_KINDS: Record<string, string> = {
  'deployment.yaml': 'lib.deployment', 'service.yaml': 'lib.service', 'serviceaccount.yaml': 'lib.serviceAccount', 'configmap.yaml': 'lib.configMap',
  'hpa.yaml': 'lib.hpa', 'pdb.yaml': 'lib.pdb', 'networkpolicy.yaml': 'lib.networkPolicy', 'servicemonitor.yaml': 'lib.serviceMonitor',
  'dashboards.yaml': 'lib.dashboards', 'prometheusrule.yaml': 'lib.prometheusRule',
};
// Chart.yaml validity, values against values.schema.json (every values file, as each tool passes
// it) and template syntax are real Helm's job: scripts/test/helm.test.ts.
for (const c of chartDirs) {
  const dir = at('charts', c);
  const chart = parseYaml(read(path.join(dir, 'Chart.yaml'))) as Obj;
  check((chart.dependencies ?? []).some((d: Obj) => d.name === 'lib' && d.repository === 'file://../lib'), `${c}: depends on the library chart (file://../lib)`);
  check(existsSync(path.join(dir, 'templates', 'NOTES.txt')), `${c}: has templates/NOTES.txt`);
  const schemaFile = path.join(dir, 'values.schema.json');
  if (!check(existsSync(schemaFile), `${c}: has values.schema.json`)) continue;
  schemaTexts.set(c, read(schemaFile));
  const base = parseYaml(read(path.join(dir, 'values.yaml'))) as Obj;
  chartValues.set(c, base);
  // Thin templates: one include of the library per file, one file per kind.
  const templates = readdirSync(path.join(dir, 'templates')).filter((f) => f !== 'NOTES.txt');
  const expected: Record<string, string> = { ...EXPECTED_KINDS };
  if (base.database?.enabled) expected['job-migrate.yaml'] = 'lib.migrationJob';
  if (base.ingress) expected['ingress.yaml'] = 'lib.ingress';
  check(!setEq(templates, Object.keys(expected)), `${c}: template files are one per kind`, setEq(templates, Object.keys(expected)));
  const used = new Set<string>();
  for (const t of templates) {
    const text = read(path.join(dir, 'templates', t)).trim();
    const m = /^\{\{ include "([^"]+)" \. \}\}$/.exec(text);
    if (check(!!m, `${c}/templates/${t} is a thin include`, text.slice(0, 80))) {
      check(defines.has(m![1]!), `${c}/templates/${t} includes a defined template`, m![1]);
      check(expected[t] === m![1], `${c}/templates/${t} renders ${expected[t]}`, m![1]);
      used.add(m![1]!);
    }
  }
  for (const inc of includesOf(read(path.join(dir, 'templates', 'NOTES.txt')))) check(defines.has(inc), `${c}/NOTES.txt includes a defined template "${inc}"`);
  // Every .Values path the used library templates read exists in values.yaml.
  const paths = new Set<string>();
  for (const u of used) for (const p of valuesPaths(u)) paths.add(p);
  const missing = [...paths].filter((p) => get(base, p) === undefined && !/^(env|nameOverride|fullnameOverride)\./.test(p));
  check(missing.length === 0, `${c}: values.yaml defines every .Values path its templates read (${paths.size})`, missing.join(', '));
}
const schemaVariants = new Set(schemaTexts.values());
check(schemaVariants.size === 1, 'every component chart carries the same values.schema.json', `${schemaVariants.size} variants`);

// ═════════════════════════════════════════════════════════════════════════════════════════
// 3. k8s/ manifests
section('k8s manifests');
const kustomization = parseYaml(read(at('k8s/kustomization.yaml'))) as Obj;
const listed = new Set<string>((kustomization.resources ?? []).map((r: string) => path.normalize(r)));
const manifestFiles = walk(at('k8s'), isYaml).filter((f) => !/k8s\/(kind\/|kustomization\.yaml$)/.test(rel(f)));
check(!setEq(listed, manifestFiles.map((f) => path.relative(at('k8s'), f))), 'k8s/kustomization.yaml lists every manifest', setEq(listed, manifestFiles.map((f) => path.relative(at('k8s'), f))));
for (const d of walk(at('k8s'), () => true).map((f) => path.dirname(f)).filter((d, i, a) => a.indexOf(d) === i)) {
  check(existsSync(path.join(d, 'README.md')), `${rel(d)} has a README.md`);
}

// Schemas: Kubernetes OpenAPI (kubernetes-models) and the cert-manager / prometheus-operator CRDs
// (@kubernetes-models/*) with unknown fields rejected, CloudNativePG / RabbitMQ subset schemas —
// scripts/lib/k8s-schema.ts, the same validator the Helm suite applies to rendered charts.
const allObjects: Array<Obj & { __file: string }> = [];
const kinds = new Map<string, number>();
for (const f of manifestFiles) {
  try { for (const o of yamlDocs(f)) allObjects.push({ ...o, __file: rel(f) }); } catch (e) { check(false, `${rel(f)} parses`, (e as Error).message); }
}
prepareKinds(allObjects);
for (const { __file, ...o } of allObjects) {
  const { problems } = await validateSchema(o);
  check(problems.length === 0, `${__file}: ${o.kind} ${o.metadata?.name} matches its schema`, problems.slice(0, 4).join('; '));
  kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
}
// kind cluster config (not a Kubernetes object): minimal schema.
{
  const kind = parseYaml(read(at('k8s/kind/cluster.yaml'))) as Obj;
  const cp = (kind.nodes ?? []).find((n: Obj) => n.role === 'control-plane') ?? {};
  const ports = (cp.extraPortMappings ?? []).map((p: Obj) => `${p.containerPort}:${p.hostPort}`);
  check(kind.kind === 'Cluster' && kind.apiVersion === 'kind.x-k8s.io/v1alpha4', 'kind config apiVersion/kind');
  check(ports.includes('80:80') && ports.includes('443:443'), 'kind maps ports 80 and 443', ports.join(','));
  check((cp.kubeadmConfigPatches ?? []).some((p: string) => p.includes('ingress-ready=true')), 'kind node labelled ingress-ready=true');
}
// Namespaces used anywhere exist.
const namespaces = new Set(allObjects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string));
for (const o of allObjects) {
  if (['Namespace', 'ClusterIssuer'].includes(o.kind)) continue;
  const ns = o.metadata?.namespace;
  check(!!ns && (namespaces.has(ns) || OPERATOR_NAMESPACES.includes(ns)), `${o.__file}: ${o.kind} ${o.metadata?.name} is in a known namespace`, ns);
}
const find = (kind: string, name: string, ns?: string) => allObjects.find((o) => o.kind === kind && o.metadata?.name === name && (ns === undefined || o.metadata?.namespace === ns));

// ═════════════════════════════════════════════════════════════════════════════════════════
// 4. delivery consistency: skaffold, Tiltfile, Dockerfiles, charts, k8s, services' code
section('consistency');
const skaffold = parseYaml(read(at('skaffold.yaml'))) as Obj;
const artifacts: Obj[] = skaffold.build?.artifacts ?? [];
const releases: Obj[] = skaffold.deploy?.helm?.releases ?? [];
check(!setEq(artifacts.map((a) => a.image), COMPONENTS.map((c) => `bank/${c}`)), 'skaffold builds one image bank/<component> per component', setEq(artifacts.map((a) => a.image), COMPONENTS.map((c) => `bank/${c}`)));
check(!setEq(releases.map((r) => r.name), COMPONENTS), 'skaffold deploys one release per component', setEq(releases.map((r) => r.name), COMPONENTS));
const profiles = new Map<string, Obj>((skaffold.profiles ?? []).map((p: Obj) => [p.name, p]));
check(profiles.has('dev') && profiles.has('ci'), 'skaffold has dev and ci profiles');
const ciArtifacts: Obj[] = profiles.get('ci')?.build?.artifacts ?? [];
check(!setEq(ciArtifacts.map((a) => `${a.image}=${a.docker?.dockerfile}`), artifacts.map((a) => `${a.image}=${a.docker?.dockerfile}`)), 'skaffold ci profile builds the same images');
const tilt = read(at('Tiltfile'));
const tiltBlock = (name: string) => (new RegExp(`${name}\\s*=\\s*\\{([\\s\\S]*?)\\n\\}`).exec(tilt)?.[1] ?? '');
const tiltEntries = (block: string) => new Map([...block.matchAll(/'([\w-]+)':\s*\{([^}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
const tiltServices = tiltEntries(tiltBlock('SERVICES'));
const tiltFrontends = tiltEntries(tiltBlock('FRONTENDS'));
check(!setEq(tiltServices.keys(), SERVICES), 'Tiltfile SERVICES = service charts', setEq(tiltServices.keys(), SERVICES));
check(!setEq(tiltFrontends.keys(), Object.keys(FRONTENDS)), 'Tiltfile FRONTENDS = front-end charts', setEq(tiltFrontends.keys(), Object.keys(FRONTENDS)));
check(/docker_build\(\s*image/.test(tilt) && /'bank\/' \+ name/.test(tilt) && /image_keys=\[\('image\.repository', 'image\.tag'\)\]/.test(tilt), 'Tiltfile builds bank/<component> and passes image keys to helm_resource');
check(/live_update=\[/.test(tilt) && /sync\('services\/%s\/src' % name/.test(tilt), 'Tiltfile live-updates services/<svc>/src');

const SERVICE_CMD = '["node", "--import", "@bank/kit/instrument", "src/server.ts"]';
const kitHealth = existsSync(at('services/kit/src/health.ts')) ? read(at('services/kit/src/health.ts')) : '';
const kitMetrics = existsSync(at('services/kit/src/metrics.ts')) ? read(at('services/kit/src/metrics.ts')) : '';
for (const c of COMPONENTS) {
  const v = chartValues.get(c);
  const rel_ = releases.find((r) => r.name === c) ?? {};
  const art = artifacts.find((a) => a.image === `bank/${c}`) ?? {};
  const isService = (SERVICES as readonly string[]).includes(c);
  const dockerfile = isService ? `services/${c}/Dockerfile` : `frontends/${FRONTENDS[c]}/Dockerfile`;
  check(art.docker?.dockerfile === dockerfile && art.context === '.', `${c}: skaffold builds ${dockerfile} from the repo root`);
  check(rel_.chartPath === `charts/${c}` && (rel_.valuesFiles ?? []).every((f: string) => existsSync(at(f))), `${c}: skaffold release uses charts/${c} and existing values files`);
  const key = c.replace(/-/g, '_');
  check(rel_.setValueTemplates?.['image.repository'] === `{{.IMAGE_REPO_bank_${key}}}` && rel_.setValueTemplates?.['image.tag'] === `{{.IMAGE_TAG_bank_${key}}}`, `${c}: skaffold sets image.repository/tag from the built image`);
  const tiltEntry = isService ? tiltServices.get(c) : tiltFrontends.get(c);
  if (!check(existsSync(at(dockerfile)), `${c}: ${dockerfile} exists`) || !v) continue;
  const df = read(at(dockerfile));
  check(v.image.repository === `bank/${c}`, `${c}: chart image.repository is bank/${c}`, v.image.repository);
  // Debian's engine (20.10) uses BuildKit's built-in frontend: a `# syntax=` line makes it pull a
  // frontend image (fails offline) and heredocs are not supported. .npmrc must reach `npm ci`.
  check(!/^# ?syntax=/m.test(df) && !/<<-?['"]?[A-Za-z_]+['"]?(\s|$)/m.test(df), `${c}: Dockerfile builds with the engine's built-in frontend (no # syntax= line, no heredoc)`);
  check(/^COPY package\.json package-lock\.json \.npmrc /m.test(df), `${c}: Dockerfile copies .npmrc with the lock file (npm ci needs legacy-peer-deps)`);
  if (isService) check(/^COPY patches \.\/patches$/m.test(df), `${c}: Dockerfile copies patches/ before npm ci (the postgres.js fix applied by the root postinstall)`);
  check(/^USER (\d+):(\d+)$/m.test(df) && !/^USER (0|root)\b/m.test(df.slice(df.lastIndexOf('FROM '))), `${c}: image runs as a numeric non-root user`);
  const user = Number(/^USER (\d+):/m.exec(df.slice(df.lastIndexOf('FROM ')))?.[1] ?? /^USER (\d+):/m.exec(df)?.[1]);
  check(user === v.podSecurityContext.runAsUser, `${c}: chart runAsUser = image USER`, `${v.podSecurityContext.runAsUser} vs ${user}`);
  const expose = Number(/^EXPOSE (\d+)/m.exec(df)?.[1]);
  check(expose === v.containerPort && v.service.port === v.containerPort, `${c}: Dockerfile EXPOSE = chart containerPort = service.port`, `${expose} / ${v.containerPort} / ${v.service.port}`);
  check(v.probes.liveness.path === '/health/live' && v.probes.readiness.path === '/health/ready', `${c}: probes on /health/live and /health/ready`);
  check(v.securityContext.readOnlyRootFilesystem === true, `${c}: read-only root FS in production values`);
  if (isService) {
    check(/^FROM \$\{NODE_IMAGE\}/m.test(df) && /ARG NODE_IMAGE=node:24-/.test(df), `${c}: Node 24 base image`);
    check(df.includes(`CMD ${SERVICE_CMD}`), `${c}: image starts ${SERVICE_CMD}`);
    check(/npm ci --omit=dev .*-w (\S+)/.test(df), `${c}: production dependencies only (npm ci --omit=dev -w)`);
    check(df.includes(`ENV NODE_ENV=production`) && new RegExp(`PORT=${v.containerPort}\\b`).test(df), `${c}: image ENV PORT = containerPort`);
    check(String(v.env.PORT) === String(v.containerPort) && v.env.HOST === '0.0.0.0', `${c}: ConfigMap PORT = containerPort, HOST 0.0.0.0`);
    check(!!tiltEntry && new RegExp(`'port':\\s*${v.containerPort}\\b`).test(tiltEntry) && tiltEntry.includes(`'namespace': '${rel_.namespace}'`), `${c}: Tiltfile port/namespace = chart/skaffold`, tiltEntry);
    check(v.metrics.path === '/metrics' && v.metrics.serviceMonitor.enabled === true, `${c}: ServiceMonitor on /metrics`);
    if (kitHealth) check(kitHealth.includes(`'${v.probes.liveness.path}'`) && kitHealth.includes(`'${v.probes.readiness.path}'`), `${c}: probe paths exist in services/kit/src/health.ts`);
    if (kitMetrics) check(kitMetrics.includes(`'${v.metrics.path}'`), `${c}: metrics path exists in services/kit/src/metrics.ts`);
    const pkgFile = at(`services/${c}/package.json`);
    if (existsSync(pkgFile)) {
      const pkg = JSON.parse(read(pkgFile));
      check(df.includes(`-w ${pkg.name} `), `${c}: Dockerfile installs workspace ${pkg.name}`);
      if (pkg.scripts?.start) check(pkg.scripts.start === 'node --import @bank/kit/instrument src/server.ts', `${c}: package.json start script = image CMD`, pkg.scripts.start);
    } else warn(`${c}: services/${c}/package.json not written yet`);
    // Database ↔ migrations ↔ CloudNativePG cluster ↔ Secrets
    const hasDbCode = existsSync(at(`services/${c}/src/db`)) || existsSync(at(`services/${c}/drizzle`));
    if (hasDbCode) check(v.database.enabled && v.migrations.enabled, `${c}: has a database in code → chart builds DATABASE_URL and runs the migration hook Job`);
    if (v.database.enabled) {
      check(v.migrations.enabled && JSON.stringify(v.migrations.command) === '["node","src/db/migrate-cli.ts"]', `${c}: migration Job runs node src/db/migrate-cli.ts`);
      check(existsSync(at(`services/${c}/src/db/migrate-cli.ts`)), `${c}: services/${c}/src/db/migrate-cli.ts exists (the hook Job's command)`);
      const cluster = find('Cluster', v.database.host.replace(/-rw$/, ''), rel_.namespace);
      if (check(!!cluster, `${c}: CloudNativePG Cluster ${v.database.host.replace(/-rw$/, '')} in ${rel_.namespace}`)) {
        const initdb = cluster!.spec.bootstrap.initdb;
        check(initdb.database === v.database.name && initdb.owner === c && initdb.secret.name === v.database.existingSecret, `${c}: database name/owner/Secret agree with the Cluster`, `${initdb.database}/${initdb.owner}/${initdb.secret.name}`);
      }
      check(v.networkPolicy.egressTo.some((p: Obj) => p.namespace === rel_.namespace && p.podLabels?.['cnpg.io/cluster'] === v.database.host.replace(/-rw$/, '')), `${c}: NetworkPolicy egress to its own database only`);
      check(!v.networkPolicy.egressTo.some((p: Obj) => p.podLabels?.['cnpg.io/cluster'] && p.podLabels['cnpg.io/cluster'] !== v.database.host.replace(/-rw$/, '')), `${c}: no egress to another service's database`);
    } else check(!hasDbCode, `${c}: no database in code and none in the chart`);
    if (v.rabbitmq.enabled) {
      check(v.rabbitmq.host === 'bank-rabbitmq.bank-messaging.svc.cluster.local' && !!find('RabbitmqCluster', 'bank-rabbitmq', 'bank-messaging'), `${c}: RABBITMQ host is the RabbitmqCluster Service`);
      check(!!find('User', c, 'bank-messaging') && find('User', c)?.spec.importCredentialsSecret.name === `${c}-rabbitmq-user` && v.rabbitmq.existingSecret === `${c}-rabbitmq-credentials`, `${c}: RabbitMQ User CR + Secrets named after the service`);
    }
    if (v.redis.enabled) check(v.redis.host === 'redis.bank-redis.svc.cluster.local' && !!find('Service', 'redis', 'bank-redis') && v.redis.existingSecret === 'redis-credentials', `${c}: REDIS host is the redis Service`);
  } else {
    check(/ARG NGINX_IMAGE=nginxinc\/nginx-unprivileged:/.test(df) && /vite|npm run build/.test(df), `${c}: built with the workspace build, served by nginx-unprivileged`);
    // The nginx site config is a file next to the Dockerfile, copied into the image.
    const siteFile = `frontends/${FRONTENDS[c]}/nginx.conf`;
    const site = existsSync(at(siteFile)) ? read(at(siteFile)) : '';
    check(df.includes(`COPY ${siteFile} /etc/nginx/conf.d/default.conf`), `${c}: image serves ${siteFile}`);
    check(/remoteEntry\\\.js\$ \{\s*add_header Cache-Control "no-cache"/.test(site) && /assets\/ \{\s*add_header Cache-Control "public, max-age=31536000, immutable"/.test(site) && /location \/[\w/]* \{\s*add_header Cache-Control "no-cache"/.test(site), `${c}: cache headers (HTML/remoteEntry no-cache, hashed assets immutable 1 y)`);
    check(site.indexOf('remoteEntry') < site.indexOf('assets/ {'), `${c}: remoteEntry.js rule precedes the immutable assets rule`);
    check(rel_.namespace === 'bank-edge', `${c}: deployed next to the gateway's Ingress (bank-edge)`);
    check(!!tiltEntry && tiltEntry.includes(`'dir': '${FRONTENDS[c]}'`), `${c}: Tiltfile builds frontends/${FRONTENDS[c]}`);
  }
  // NetworkPolicy peers point at namespaces that exist.
  for (const p of [...v.networkPolicy.ingressFrom, ...v.networkPolicy.egressTo]) check(namespaces.has(p.namespace) || OPERATOR_NAMESPACES.includes(p.namespace), `${c}: NetworkPolicy peer namespace ${p.namespace} exists`);
}
// Who reaches whom: only the gateway, ingress-nginx (edge only), admin and Prometheus reach services
// (plus the named exceptions below).
for (const s of SERVICES) {
  const v = chartValues.get(s);
  if (!v) continue;
  const from = v.networkPolicy.ingressFrom.map((p: Obj) => p.podLabels?.['app.kubernetes.io/name'] ?? `*${p.namespace}`);
  // auth: JWKS for every service; admin: the configuration values payments applies (/internal/config).
  const allowed =
    s === 'gateway' ? ['ingress-nginx', 'admin', 'prometheus']
    : s === 'auth' ? ['gateway', 'admin', 'prometheus', 'payments', 'profile']
    : s === 'admin' ? ['gateway', 'admin', 'prometheus', 'payments']
    : ['gateway', 'admin', 'prometheus'];
  check(from.every((f: string) => allowed.includes(f)), `${s}: ingress only from ${allowed.join(', ')}`, from.join(', '));
}
for (const f of Object.keys(FRONTENDS)) {
  const v = chartValues.get(f);
  if (v) check(v.networkPolicy.ingressFrom.length === 1 && v.networkPolicy.ingressFrom[0].namespace === 'ingress-nginx' && v.networkPolicy.egressTo.length === 0, `${f}: reachable from ingress-nginx only, no egress`);
}
// Gateway Ingress: routes, TLS from cert-manager, WebSocket timeouts, front-end backends.
const gw = chartValues.get('gateway');
if (gw?.ingress) {
  const routes: Obj[] = gw.ingress.routes.filter((r: Obj) => r.enabled);
  const paths = new Map<string, Obj>(routes.flatMap((r) => r.paths.map((p: Obj) => [p.path, { ...p, route: r }] as [string, Obj])));
  const ann = (r: Obj) => ({ ...gw.ingress.annotations, ...r.annotations });
  check(Number(ann(paths.get('/ws')?.route ?? {})['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600 && Number(ann(paths.get('/ws')?.route ?? {})['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 3600, 'gateway: /ws read/send timeouts ≥ 3600 s');
  check(ann(paths.get('/api')?.route ?? {})['nginx.ingress.kubernetes.io/limit-rpm'] === '100' && ann(paths.get('/api/auth/signin')?.route ?? {})['nginx.ingress.kubernetes.io/limit-rpm'] === '10', 'gateway: /api 100 req/min, sign-in 10 req/min');
  check(!!gw.ingress.annotations['nginx.ingress.kubernetes.io/proxy-body-size'], 'gateway: request body size limit');
  for (const [p, fe] of [['/', 'shell'], ['/mfe/auth', 'mfe-auth'], ['/mfe/payments', 'mfe-payments'], ['/mfe/admin', 'mfe-admin']] as const) {
    check(paths.get(p)?.service === fe, `gateway: ${p} routes to ${fe}`);
    const feDockerfile = at(`frontends/${FRONTENDS[fe]}/Dockerfile`);
    if (fe !== 'shell') check(existsSync(feDockerfile) && read(feDockerfile).includes(`/usr/share/nginx/html${p}/`), `${fe}: image serves files under ${p}/ (no rewrite needed)`);
  }
  check(![...paths.keys()].some((p) => /^\/(metrics|health)/.test(p)), 'gateway: /metrics and /health are never routed');
  const cert = allObjects.find((o) => o.kind === 'Certificate' && o.spec?.secretName === gw.ingress.tls.secretName && o.metadata.namespace === 'bank-edge');
  check(!!cert || !!gw.ingress.tls.clusterIssuer, `gateway: TLS Secret ${gw.ingress.tls.secretName} is issued by cert-manager in bank-edge`);
  if (cert) check(!!find('ClusterIssuer', cert.spec.issuerRef.name), 'gateway: the Certificate\'s ClusterIssuer exists');
}

// ═════════════════════════════════════════════════════════════════════════════════════════
// 4b. each service's real configuration (src/config.ts) ↔ the env its chart renders
// The schema is the service's own `configProperties` (imported, TypeBox) merged with the kit's
// base properties, and "required" is decided by the kit's own loadConfig: what a pod would
// refuse to start without. A config.ts without that export falls back to a line parser.
section('service env');
let configsRead = 0;
const kitConfigFile = at('services/kit/src/config.ts');
const kitConfigMod: Obj | undefined = existsSync(kitConfigFile) ? await import(pathToFileURL(kitConfigFile).href) : undefined;
check(!!kitConfigMod?.loadConfig && !!kitConfigMod?.baseConfigProperties, 'services/kit/src/config.ts exports loadConfig and baseConfigProperties');
const kitInstrument = existsSync(at('services/kit/src/instrument.ts')) ? read(at('services/kit/src/instrument.ts')) : '';
/** Read straight from process.env by @bank/kit/instrument (before any config is loaded). */
const KIT_RUNTIME_VARS = new Set([...kitInstrument.matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
/** Platform-wide names (CONTRIBUTING "Common env vars"): set on a service that does not read them → warning, not failure. */
const KIT_WIDE = new Set([...Object.keys(kitConfigMod?.baseConfigProperties ?? {}), ...KIT_RUNTIME_VARS, 'PORT', 'DATABASE_URL', 'REDIS_URL', 'RABBITMQ_URL', 'AUTH_JWKS_URL', 'MIGRATE_ON_START', 'EVENTS_PREFIX']);

type ServiceSchema = {
  source: 'configProperties' | 'parsed';
  names: Set<string>;
  required: Set<string>;
  defaults: Record<string, unknown>;
  /** Problems the service's loadConfig reports for an env (undefined when only parsed). */
  problems?: (env: Record<string, string>) => string[];
};
const requiredProblem = /^([A-Z][A-Z0-9_]*): is required/;
async function serviceSchema(c: string): Promise<ServiceSchema | undefined> {
  const file = at(`services/${c}/src/config.ts`);
  if (!existsSync(file)) return undefined;
  const src = read(file);
  const base = (kitConfigMod?.baseConfigProperties ?? {}) as Obj;
  if (/export const configProperties\b/.test(src) && kitConfigMod) {
    const props = (await import(pathToFileURL(file).href)).configProperties as Obj;
    const problems = (env: Record<string, string>): string[] => {
      try { kitConfigMod.loadConfig(c, props, env); return []; } catch (e) { return (e as { problems?: string[] }).problems ?? [(e as Error).message]; }
    };
    const all = { ...base, ...props };
    return {
      source: 'configProperties',
      names: new Set(Object.keys(all)),
      required: new Set(problems({}).map((p) => requiredProblem.exec(p)?.[1]).filter((n): n is string => !!n)),
      defaults: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, (v as Obj).default])),
      problems,
    };
  }
  // Fallback: `NAME: <expr>` property lines of `configProperties` (and the kit's base). A property
  // is optional when its expression (up to the next property) has `default:`, `Type.Optional(`,
  // or calls a local helper whose definition has `default`.
  const helpersWithDefault = new Set([...src.matchAll(/const (\w+)\s*=\s*\([^)]*\)\s*=>[^\n]*default/g)].map((m) => m[1]!));
  const names = new Set<string>(Object.keys(base));
  const required = new Set<string>();
  const defaults: Record<string, unknown> = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, (v as Obj).default]));
  const body = src.slice(src.indexOf('configProperties'));
  const props = [...body.matchAll(/^\s*([A-Z][A-Z0-9_]+)\s*:\s*([\s\S]*?)(?=^\s*(?:\/\*\*|\/\/|[A-Z][A-Z0-9_]+\s*:|\}))/gm)];
  for (const [, name, expr] of props) {
    names.add(name!);
    const helper = /^(\w+)\(\s*(?:'([^']*)'|"([^"]*)"|([\d_]+))?/.exec(expr!.trim());
    const viaHelper = !!helper && helpersWithDefault.has(helper[1]!);
    const def = /default:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))/.exec(expr!);
    const raw = def ? (def[1] ?? def[2] ?? def[3]) : viaHelper ? (helper![2] ?? helper![3] ?? helper![4]) : undefined;
    defaults[name!] = raw === undefined ? undefined : /^[\d_]+$/.test(raw) ? Number(raw.replace(/_/g, '')) : raw;
    if (!def && !viaHelper && !/Type\.Optional\(/.test(expr!)) required.add(name!);
  }
  return { source: 'parsed', names, required, defaults };
}

// The env each container really gets, rendered by real Helm (the pinned Helm 4 of
// scripts/lib/helm.sh) from a copy of the charts, with the library dependency built as the
// repository does (`helm dependency build`). Secrets are not readable here: a secretKeyRef
// becomes a placeholder (URL-safe, like the generated passwords), an optional one is left out;
// $(VAR) references are expanded the way Kubernetes does (from variables defined before).
const helm4 = pinnedHelms().find((h) => h.major === 'v4')!.path;
const renderDir = mkdtempSync(path.join(tmpdir(), 'validate-k8s-'));
process.on('exit', () => rmSync(renderDir, { recursive: true, force: true }));
cpSync(at('charts'), path.join(renderDir, 'charts'), { recursive: true, filter: (src) => !/\/charts\/[^/]+\/(charts|Chart\.lock)$/.test(src) });
const helmEnv = { ...process.env, HELM_CACHE_HOME: `${renderDir}/.helm`, HELM_CONFIG_HOME: `${renderDir}/.helm`, HELM_DATA_HOME: `${renderDir}/.helm` };
function helmRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(helm4, args, { cwd: renderDir, env: helmEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
const renderable = SERVICES.filter((c) => chartValues.has(c));
await Promise.all(renderable.map((c) => helmRun(['dependency', 'build', `charts/${c}`])));
/** `${chart}/${values file}` → the rendered objects, or Helm's error. */
const renders = new Map<string, Obj[] | string>();
await Promise.all(renderable.flatMap((c) => ['values.yaml', ...readdirSync(at('charts', c)).filter((f) => /^values-.+\.ya?ml$/.test(f))].map(async (file) => {
  const ns = releases.find((r) => r.name === c)?.namespace ?? 'default';
  const r = await helmRun(['template', c, `charts/${c}`, '-n', ns, ...(file === 'values.yaml' ? [] : ['-f', `charts/${c}/${file}`])]);
  renders.set(`${c}/${file}`, r.code === 0 ? parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj).filter((d) => d != null) : r.stderr.trim());
})));
/** What the first container of the rendered Deployment or migration Job gets: name → value. */
function renderedEnv(objects: Obj[], v: Obj, kind: 'Deployment' | 'Job'): { env: Record<string, string>; chartSet: string[] } | undefined {
  const workload = objects.find((o) => o.kind === kind);
  const container = workload?.spec?.template?.spec?.containers?.[0];
  if (!container) return undefined;
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === from.configMapRef?.name);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value).replace(/\$\((\w+)\)/g, (ref: string, n: string) => env[n] ?? ref);
    else if (e.valueFrom?.secretKeyRef) { if (!e.valueFrom.secretKeyRef.optional) env[e.name] = 'placeholder'; }
    else if (e.valueFrom) env[e.name] = 'placeholder';
  }
  const chartSet = [...Object.keys(v.env ?? {}), ...(v.secretEnv ?? []).map((s: Obj) => s.name as string)];
  return { env, chartSet };
}
const effective = (v: Obj, schema: ServiceSchema, name: string) => (v.env?.[name] !== undefined ? String(v.env[name]) : schema.defaults[name] === undefined ? undefined : String(schema.defaults[name]));
const schemas = new Map<string, ServiceSchema>();
const urlTarget = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local:(\d+)(\/[^\s]*)?$/;
for (const c of SERVICES) {
  const base = chartValues.get(c);
  if (!base) continue;
  const schema = await serviceSchema(c);
  if (!check(!!schema, `${c}: services/${c}/src/config.ts exists`)) continue;
  schemas.set(c, schema!);
  configsRead++;
  check(schema!.source === 'configProperties', `${c}: config.ts exports configProperties (schema imported, not parsed)`);
  check(Number(schema!.defaults.PORT) === base.containerPort, `${c}: chart containerPort = PORT default in config.ts`, `${base.containerPort} vs ${String(schema!.defaults.PORT)}`);
  const release = releases.find((r) => r.name === c) ?? {};
  const variants: Array<[string, Obj]> = [['values.yaml', base], ...readdirSync(at('charts', c)).filter((f) => /^values-.+\.ya?ml$/.test(f)).map((f) => [f, deepMerge(base, parseYaml(read(at('charts', c, f))) as Obj)] as [string, Obj])];
  for (const [file, v] of variants) {
    const where = `${c} (${file})`;
    const objects = renders.get(`${c}/${file}`);
    if (!check(Array.isArray(objects), `${where}: helm template renders the chart`, typeof objects === 'string' ? objects.slice(0, 400) : 'not rendered')) continue;
    const pod = renderedEnv(objects as Obj[], v, 'Deployment');
    if (!pod) { check(false, `${where}: renders a Deployment`); continue; }
    // Required variables: present in the Deployment, and in the migration Job (migrate-cli.ts loads the same config).
    for (const r of schema!.required) check(r in pod.env, `${where}: required env var ${r} is set by the chart's Deployment`, `missing from charts/${c} (env, secretEnv or the lib's connection env)`);
    if (schema!.problems) check(schema!.problems(pod.env).length === 0, `${where}: the Deployment's env passes the service's loadConfig`, schema!.problems(pod.env).join('; '));
    if (v.migrations?.enabled && v.database?.enabled) {
      const job = renderedEnv(objects as Obj[], v, 'Job');
      if (!job) { check(false, `${where}: renders the migration Job`); continue; }
      for (const r of schema!.required) check(r in job.env, `${where}: required env var ${r} is set in the migration Job`, `the hook Job runs migrate-cli.ts, which loads the full config`);
      if (schema!.problems) check(schema!.problems(job.env).length === 0, `${where}: the migration Job's env passes the service's loadConfig`, schema!.problems(job.env).join('; '));
    }
    // Variables the chart sets must be read by the service (kit-wide names only warn).
    const unread = pod.chartSet.filter((n) => !schema!.names.has(n) && !KIT_RUNTIME_VARS.has(n));
    const hard = unread.filter((n) => !KIT_WIDE.has(n));
    check(hard.length === 0, `${where}: every env var the chart sets is read by config.ts or the kit`, hard.join(', '));
    for (const n of unread.filter((x) => KIT_WIDE.has(x))) warn(`${where}: sets kit-wide ${n}, which ${c} does not read`);
    // A default pointing at 127.0.0.1 would make the pod talk to itself: the chart must override it.
    const loopback = [...schema!.names].filter((n) => n !== 'HOST' && /(^|\/\/|@)(127\.0\.0\.1|localhost)\b/.test(String(schema!.defaults[n] ?? '')) && !(n in pod.env));
    check(loopback.length === 0, `${where}: no 127.0.0.1 default is left for a pod (URLs of peers set)`, loopback.join(', '));
    check(v.env?.HOST === '0.0.0.0', `${where}: HOST=0.0.0.0`);
    if (schema!.names.has('MIGRATE_ON_START')) check(String(v.env?.MIGRATE_ON_START) === 'false', `${where}: MIGRATE_ON_START=false (the hook Job migrates)`, String(v.env?.MIGRATE_ON_START));
    check(!('EVENTS_PREFIX' in (v.env ?? {})), `${where}: EVENTS_PREFIX unset (test-only hub prefix)`);
    if (schema!.names.has('SEED_DEMO_USERS')) check(effective(v, schema!, 'SEED_DEMO_USERS') === 'false', `${where}: SEED_DEMO_USERS false on a cluster`);
    // *_FILE variables point into a mounted Secret.
    for (const [n, val] of Object.entries(v.env ?? {}).filter(([n]) => /_FILE$/.test(n))) {
      const mount = (v.secretFiles ?? []).find((f: Obj) => String(val).startsWith(`${f.mountPath}/`));
      if (check(!!mount, `${where}: ${n} points into a Secret mounted by secretFiles`, String(val))) {
        const secretKey = String(val).slice(mount.mountPath.length + 1);
        const doc = existsSync(at('docs/deploy.md')) ? read(at('docs/deploy.md')) : '';
        const documented = doc.includes(`\`${mount.secretName}\``) && doc.includes(`\`${secretKey}\``);
        check(documented, `${where}: Secret ${mount.secretName} key ${secretKey} is in docs/deploy.md`);
      }
    }
    // In-cluster URLs: the target chart exists with that namespace/port, and both NetworkPolicies allow the call.
    for (const [n, val] of Object.entries(v.env ?? {})) {
      const m = urlTarget.exec(String(val));
      if (!m) continue;
      const [, host, ns, port, urlPath] = m;
      const tv = chartValues.get(host!);
      const trel = releases.find((r) => r.name === host) ?? {};
      if (!check(!!tv && trel.namespace === ns && tv.service.port === Number(port), `${where}: ${n} names the ${host} Service in ${ns} on its port`, String(val))) continue;
      check(v.networkPolicy.egressTo.some((p: Obj) => p.namespace === ns && p.podLabels?.['app.kubernetes.io/name'] === host && (p.ports ?? []).some((x: Obj) => x.port === tv!.containerPort)), `${where}: NetworkPolicy egress allows ${n} (${host}:${tv!.containerPort})`);
      check(tv!.networkPolicy.ingressFrom.some((p: Obj) => p.namespace === release.namespace && p.podLabels?.['app.kubernetes.io/name'] === c), `${host}: NetworkPolicy ingress allows ${c} (${n})`);
      if (urlPath && /jwks\.json$/.test(urlPath)) check(existsSync(at(`services/${host}/src`)) && walk(at(`services/${host}/src`), (f) => f.endsWith('.ts')).some((f) => read(f).includes(`'${urlPath.replace(`/${host}`, '')}'`)), `${where}: ${n} path ${urlPath} is a route of ${host}`);
    }
    // Shutdown budget: preStop sleep + the service's grace (+ WebSocket close grace) fit in the pod's grace period.
    const grace = Number(effective(v, schema!, 'SHUTDOWN_GRACE_MS') ?? 0) + Number(effective(v, schema!, 'WS_CLOSE_GRACE_MS') ?? 0);
    check(v.preStopSleepSeconds + grace / 1000 < v.terminationGracePeriodSeconds, `${where}: preStop + SHUTDOWN_GRACE_MS fit in terminationGracePeriodSeconds`, `${v.preStopSleepSeconds} s + ${grace} ms vs ${v.terminationGracePeriodSeconds} s`);
  }
  // Every workspace package the service links (transitively) is copied into its image.
  {
    const pkgDirs = new Map(readdirSync(at('services')).filter((d) => existsSync(at('services', d, 'package.json'))).map((d) => [JSON.parse(read(at('services', d, 'package.json'))).name as string, d]));
    const linked = new Set<string>();
    const visit = (dir: string) => {
      const deps = Object.keys(JSON.parse(read(at('services', dir, 'package.json'))).dependencies ?? {});
      for (const d of deps) if (pkgDirs.has(d) && !linked.has(pkgDirs.get(d)!)) { linked.add(pkgDirs.get(d)!); visit(pkgDirs.get(d)!); }
    };
    if (existsSync(at('services', c, 'package.json'))) visit(c);
    const df = existsSync(at(`services/${c}/Dockerfile`)) ? read(at(`services/${c}/Dockerfile`)) : '';
    const missing = [...linked].filter((d) => !new RegExp(`^COPY services/${d} \\./services/${d}$`, 'm').test(df));
    check(missing.length === 0, `${c}: Dockerfile copies every linked workspace (${[...linked].sort().join(', ')})`, missing.join(', '));
  }
  // A service with a database in its config has the migration hook Job.
  if (schema!.names.has('DATABASE_URL')) {
    check(base.database.enabled && base.migrations.enabled && existsSync(at('charts', c, 'templates', 'job-migrate.yaml')) && /lib\.migrationJob/.test(read(at('charts', c, 'templates', 'job-migrate.yaml'))), `${c}: reads DATABASE_URL → chart has the migration hook Job (templates/job-migrate.yaml)`);
    const cli = at(`services/${c}/src/db/migrate-cli.ts`);
    check(existsSync(cli) && /runMigrations\(/.test(read(cli)), `${c}: src/db/migrate-cli.ts runs the migrations`);
  }
  if (schema!.names.has('RABBITMQ_URL')) check(base.rabbitmq.enabled && base.networkPolicy.egressTo.some((p: Obj) => p.namespace === 'bank-messaging' && (p.ports ?? []).some((x: Obj) => x.port === base.rabbitmq.port)), `${c}: reads RABBITMQ_URL → chart builds it and may reach RabbitMQ`);
}
// Gateway ↔ auth: the session-activity hash lives in the same Redis DB under the same name;
// the WebSocket heartbeat and body limit agree with the Ingress.
{
  const gwv = chartValues.get('gateway'); const auv = chartValues.get('auth');
  const gs = schemas.get('gateway'); const as = schemas.get('auth');
  if (gwv && auv && gs && as) {
    check(effective(gwv, gs, 'SESSION_ACTIVITY_KEY') === effective(auv, as, 'SESSION_ACTIVITY_KEY') && gwv.redis.host === auv.redis.host && gwv.redis.db === auv.redis.db, 'gateway and auth share the session-activity hash (same SESSION_ACTIVITY_KEY, Redis host and DB)');
    check(effective(gwv, gs, 'WS_BRIDGE_ENABLED') !== 'true' || gwv.rabbitmq.enabled, 'gateway: WS bridge enabled → RABBITMQ_URL built from the gateway user Secret');
    check(effective(gwv, gs, 'REVOCATION_EVENTS_ENABLED') !== 'true' || gwv.rabbitmq.enabled, 'gateway: revocation events enabled → RABBITMQ_URL built from the gateway user Secret (else every request asks Redis)');
    const ws = (gwv.ingress?.routes ?? []).find((r: Obj) => r.paths.some((p: Obj) => p.path === '/ws'));
    const timeout = Math.min(Number(ws?.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout']), Number(ws?.annotations?.['nginx.ingress.kubernetes.io/proxy-send-timeout']));
    check(Number(effective(gwv, gs, 'WS_HEARTBEAT_INTERVAL_MS')) / 1000 < timeout, 'gateway: WS heartbeat interval < /ws Ingress read/send timeouts', `${effective(gwv, gs, 'WS_HEARTBEAT_INTERVAL_MS')} ms vs ${timeout} s`);
    const size = String(gwv.ingress?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] ?? '');
    const bytes = Number(/^(\d+)/.exec(size)?.[1]) * ({ k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[size.slice(-1).toLowerCase()] ?? 1);
    check(bytes <= Number(effective(gwv, gs, 'BODY_LIMIT_BYTES')), 'gateway: Ingress proxy-body-size ≤ BODY_LIMIT_BYTES', `${size} vs ${effective(gwv, gs, 'BODY_LIMIT_BYTES')}`);
  }
}

// ═════════════════════════════════════════════════════════════════════════════════════════
// 5. RabbitMQ topology vs the event contracts (services/events)
section('event topology');
const eventsSrc = at('services/events/src');
if (existsSync(path.join(eventsSrc, 'contracts.ts')) && existsSync(path.join(eventsSrc, 'topology.ts'))) {
  const contracts = await import(pathToFileURL(path.join(eventsSrc, 'contracts.ts')).href);
  const topology = await import(pathToFileURL(path.join(eventsSrc, 'topology.ts')).href);
  const names = await import(pathToFileURL(path.join(eventsSrc, 'names.ts')).href);
  const backoff = await import(pathToFileURL(path.join(eventsSrc, 'backoff.ts')).href);
  const queues = allObjects.filter((o) => o.kind === 'Queue');
  const bindings = allObjects.filter((o) => o.kind === 'Binding');
  const ex = allObjects.find((o) => o.kind === 'Exchange');
  check(ex?.spec.name === names.EVENTS_EXCHANGE && ex?.spec.type === 'topic' && ex?.spec.durable === true, `exchange ${names.EVENTS_EXCHANGE} is a durable topic exchange`);
  const consumers = [...new Set(queues.map((q) => q.spec.name.split('.')[0] as string))];
  for (const svc of consumers) {
    const n = names.queueNames(svc);
    const q = (name: string) => queues.find((x) => x.spec.name === name);
    const args = (o: Obj | undefined) => ({ ...(o?.spec.arguments ?? {}), ...(o?.spec.type ? { 'x-queue-type': o.spec.type } : {}) });
    const same = (a: Obj, b: Obj) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    check(same(args(q(n.work)), topology.workQueueArguments(svc)), `${n.work}: arguments = workQueueArguments()`, JSON.stringify(args(q(n.work))));
    n.retry.forEach((name: string, i: number) => check(same(args(q(name)), { 'x-message-ttl': backoff.RETRY_DELAYS_MS[i], 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': n.work }), `${name}: TTL ${backoff.RETRY_DELAYS_MS[i]} ms, dead-letters to ${n.work}`));
    check(same(args(q(n.dlq)), { 'x-queue-type': 'quorum' }), `${n.dlq}: quorum dead-letter queue`);
    check(queues.filter((x) => x.spec.name.startsWith(`${svc}.`)).every((x) => x.spec.durable === true), `${svc}: every queue is durable`);
    const bound = bindings.filter((b) => b.spec.destination === n.work).map((b) => b.spec.routingKey as string);
    const expected = contracts.typesConsumedBy(svc) as string[];
    check(!setEq(bound, expected), `${svc}: bindings = typesConsumedBy('${svc}') (${expected.length})`, setEq(bound, expected));
  }
  const allConsumers = new Set((contracts.eventTypes as string[]).flatMap((t) => contracts.consumersOf(t) as string[]));
  check(!setEq(consumers, [...allConsumers].filter((s) => s !== 'gateway')), 'a queue set per consuming service (gateway uses per-replica exclusive queues)', setEq(consumers, [...allConsumers].filter((s) => s !== 'gateway')));
  for (const svc of SERVICES) check(!!find('User', svc, 'bank-messaging') && !!find('Permission', svc, 'bank-messaging'), `${svc}: RabbitMQ User + Permission`);
  for (const p of allObjects.filter((o) => o.kind === 'Permission')) {
    const user = p.spec.userReference.name as string;
    for (const [what, re] of Object.entries(p.spec.permissions as Record<string, string>)) check((() => { try { new RegExp(re); return true; } catch { return false; } })(), `permission ${user}.${what} is a valid regex`);
    const write = new RegExp(p.spec.permissions.write);
    const others = SERVICES.filter((s) => s !== user && s !== 'gateway');
    check(!others.some((o) => write.test(`${o}.events`)), `permission ${user}: cannot write another service's work queue`);
    if (consumers.includes(user)) check(new RegExp(p.spec.permissions.read).test(`${user}.events`) && new RegExp(p.spec.permissions.configure).test(names.EVENTS_EXCHANGE), `permission ${user}: may read its queue and declare the exchange`);
  }
  // Permissions = what the native runner provisions (permissionsFor; admin is the operator). The
  // gateway only consumes, so it gets less: its per-replica exclusive queues + configure/read on events.
  const provisionFile = path.join(eventsSrc, 'provision.ts');
  if (check(existsSync(provisionFile), 'services/events/src/provision.ts exists (permissionsFor)')) {
    const { permissionsFor } = await import(pathToFileURL(provisionFile).href);
    const perm = (user: string) => find('Permission', user, 'bank-messaging')?.spec.permissions as Record<string, string> | undefined;
    for (const svc of SERVICES.filter((s) => s !== 'gateway')) {
      const expected = permissionsFor({ service: svc, operator: svc === 'admin' });
      check(JSON.stringify(perm(svc)) === JSON.stringify({ configure: expected.configure, write: expected.write, read: expected.read }), `permission ${svc} = permissionsFor('${svc}'${svc === 'admin' ? ', operator' : ''})`, JSON.stringify(perm(svc)));
    }
    const admin = perm('admin');
    for (const q of queues.filter((x) => x.spec.name.endsWith('.dlq'))) check(!!admin && new RegExp(admin.read).test(q.spec.name) && new RegExp(admin.configure).test(q.spec.name), `permission admin (operator): may read and passively declare ${q.spec.name}`);
    const gwp = perm('gateway');
    const bridgeFile = at('services/gateway/src/ws/bridge.ts');
    const sample: string = existsSync(bridgeFile) ? (await import(pathToFileURL(bridgeFile).href)).bridgeQueueName('') : 'gateway.ws.gateway-0-00000000';
    check(/^gateway\.ws\./.test(sample), `gateway bridge queue name is gateway.ws.* (${sample})`);
    if (check(!!gwp, 'permission gateway exists')) {
      const re = (k: string) => new RegExp(gwp![k]!);
      check(['configure', 'write', 'read'].every((k) => re(k).test(sample)), `permission gateway: configure/write/read its bridge queue ${sample}`);
      check(re('configure').test(names.EVENTS_EXCHANGE) && re('read').test(names.EVENTS_EXCHANGE), 'permission gateway: declare and bind from the events exchange (configure + read)');
      check(!re('write').test(names.EVENTS_EXCHANGE) && !re('write').test('amq.default'), 'permission gateway: cannot publish (no write on events or amq.default)');
      check(!queues.some((q) => ['configure', 'write', 'read'].some((k) => re(k).test(q.spec.name))), 'permission gateway: no access to other services\' queues');
    }
  }
} else warn('services/events/src/{contracts,topology}.ts missing — topology not cross-checked');

// ═════════════════════════════════════════════════════════════════════════════════════════
// 6. ingress-nginx: values-kind.yaml ↔ native nginx config (when the lead's files exist)
section('ingress-nginx');
const iv = parseYaml(read(at('ingress-nginx/values-kind.yaml'))) as Obj;
const cfg = iv.controller.config as Record<string, string>;
check(cfg['ssl-protocols'] === 'TLSv1.2 TLSv1.3', 'TLS 1.2/1.3 only');
check(cfg['ssl-ciphers'].split(':').every((c) => /GCM|CHACHA20-POLY1305|CCM/.test(c)), 'AEAD ciphers only');
check(cfg.hsts === 'true' && Number(cfg['hsts-max-age']) >= 31536000, 'HSTS ≥ 1 year');
check(cfg['use-gzip'] === 'true' && cfg['http-redirect-code'] === '301' && cfg['allow-snippet-annotations'] === undefined && iv.controller.allowSnippetAnnotations === false, 'gzip, 301 redirect, no snippet annotations');
const headers = iv.controller.addHeaders as Record<string, string>;
for (const h of ['X-Frame-Options', 'X-Content-Type-Options', 'Referrer-Policy', 'Content-Security-Policy']) check(!!headers[h], `security header ${h}`);
check(/default-src 'self'/.test(headers['Content-Security-Policy'] ?? '') && /frame-ancestors 'none'/.test(headers['Content-Security-Policy'] ?? ''), 'CSP is restrictive (default-src self, frame-ancestors none)');
const nativeFiles = walk(at('ingress-nginx/native'), (f) => /\.(conf|template|tmpl|inc)$/.test(f) || !path.extname(f));
if (nativeFiles.length) {
  const native = nativeFiles.map(read).join('\n');
  const norm = (s: string) => s.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
  const nativeHeader = (name: string) => {
    const m = new RegExp(`add_header\\s+${name}\\s+(?:"([^"]*)"|'([^']*)'|(\\S+))`, 'i').exec(native);
    return m ? norm(m[1] ?? m[2] ?? m[3]!.replace(/;$/, '')) : undefined;
  };
  for (const [h, value] of Object.entries(headers)) {
    const n = nativeHeader(h);
    if (n === undefined) warn(`native nginx has no ${h} header`);
    else check(n === norm(value), `${h} identical in values-kind.yaml and ingress-nginx/native`, `kind: ${value} | native: ${n}`);
  }
  const protocols = /ssl_protocols\s+([^;]+);/.exec(native)?.[1];
  if (protocols) check(norm(protocols) === cfg['ssl-protocols'], 'ssl_protocols identical to native', protocols);
  const ciphers = /ssl_ciphers\s+['"]?([^;'"]+)['"]?;/.exec(native)?.[1];
  if (ciphers) check(new Set(ciphers.split(':')).size === new Set(cfg['ssl-ciphers'].split(':')).size && ciphers.split(':').every((c) => cfg['ssl-ciphers'].split(':').includes(c)), 'ssl_ciphers identical to native', ciphers);
  const hsts = /Strict-Transport-Security\s+["']?max-age=(\d+)/.exec(native)?.[1];
  if (hsts) check(Number(hsts) === Number(cfg['hsts-max-age']), 'HSTS max-age identical to native', hsts);
} else warn('ingress-nginx/native not present yet — header/TLS parity unchecked');

// ═════════════════════════════════════════════════════════════════════════════════════════
// 7. dashboards and alerts (generated into the charts by k8s/monitoring/generate-dashboards.ts)
section('dashboards');
const gen = at('k8s/monitoring/generate-dashboards.ts');
if (check(existsSync(gen), 'dashboard generator exists')) {
  const { renderMonitoringFiles } = await import(pathToFileURL(gen).href);
  const { analysePromql, metricFamily } = await import(pathToFileURL(at('k8s/monitoring/promql.ts')).href);
  const { EXTERNAL_METRICS, allAlerts } = await import(pathToFileURL(at('k8s/monitoring/alerts.ts')).href);
  const files: Record<string, string> = renderMonitoringFiles();
  for (const [name, text] of Object.entries(files)) check(existsSync(at(name)) && read(at(name)) === text, `${name} is up to date with k8s/monitoring/generate-dashboards.ts`);
  const onDisk = chartDirs.flatMap((c) => walk(at('charts', c, 'monitoring'), () => true).map(rel));
  const extra = onDisk.filter((f) => !(f in files));
  check(extra.length === 0, 'charts/*/monitoring holds only generated files', extra.join(', '));
  // Metric names the services' code declares (prom-client constructors and the cache's counter()).
  const declared = new Set<string>();
  for (const f of walk(at('services'), (f) => /\/src\/.*\.ts$/.test(f))) {
    const text = read(f);
    if (!/prom-client|\bprom\./.test(text)) continue;
    for (const m of text.matchAll(/(?:\bname: |\bcounter\()'([a-z][a-z0-9_]*)'/g)) declared.add(m[1]!);
  }
  // prom-client's collectDefaultMetrics() names (process_*, nodejs_*), from the installed package.
  const promMetricsDir = path.join(path.dirname(fileURLToPath(import.meta.resolve('prom-client'))), 'lib/metrics');
  const promDefaults = readdirSync(promMetricsDir).filter((f) => f.endsWith('.js')).map((f) => read(path.join(promMetricsDir, f))).join('\n');
  // The expressions as the charts ship them (the files on disk).
  const exprs: Array<[where: string, expr: string]> = [];
  for (const [name, generated] of Object.entries(files)) {
    const text = existsSync(at(name)) ? read(at(name)) : generated;
    try {
      if (name.endsWith('.json')) for (const p of JSON.parse(text).panels) for (const t of p.targets) exprs.push([`${name} "${p.title}"`, t.expr]);
      else for (const g of (parseYaml(text) as Obj).groups) for (const r of g.rules) exprs.push([`${name} ${r.alert}`, r.expr]);
    } catch (e) {
      check(false, `${name} parses`, (e as Error).message);
    }
  }
  const used = new Set<string>();
  for (const [where, expr] of exprs) {
    const { errors, selectors } = analysePromql(expr);
    check(errors.length === 0, `${where}: PromQL parses`, errors.join('; '));
    for (const { metric } of selectors) {
      const family = metricFamily(metric);
      used.add(family);
      const known = declared.has(family) || family in EXTERNAL_METRICS || promDefaults.includes(`'${family}'`) || promDefaults.includes(`'${metric}'`);
      check(known, `${where}: ${metric} is declared by the services' code, prom-client's default metrics or EXTERNAL_METRICS`);
    }
  }
  const unused = [...declared].filter((m) => !used.has(m));
  check(unused.length === 0, `every metric the services declare is on a dashboard or alert (${declared.size})`, unused.join(', '));
  for (const alert of allAlerts().keys()) {
    const runbook = at('docs/runbooks', `${alert}.md`);
    if (!check(existsSync(runbook), `docs/runbooks/${alert}.md exists`)) continue;
    const text = read(runbook);
    const missingSections = ['Meaning', 'Impact', 'Diagnosis', 'Remediation', 'Escalation'].filter((h) => !new RegExp(`^## ${h}`, 'm').test(text));
    check(missingSections.length === 0, `docs/runbooks/${alert}.md has the sections Meaning, Impact, Diagnosis, Remediation, Escalation`, missingSections.join(', '));
  }
}

// ═════════════════════════════════════════════════════════════════════════════════════════
// report
const total = sections.reduce((a, s) => ({ passed: a.passed + s.passed, failed: a.failed + s.failed }), { passed: 0, failed: 0 });
console.log('validate-k8s — static checks of the Kubernetes delivery');
console.log(`  files: ${lintedFiles.length} YAML linted, ${chartDirs.length} charts (+ lib, ${defines.size} named templates), ${renders.size} renders of the service charts by Helm 4, ${allObjects.length} k8s objects in ${manifestFiles.length} files (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${artifacts.length} images, ${configsRead} service config.ts read`);
for (const s of sections) console.log(`  ${s.failed ? '✗' : '✓'} ${s.name.padEnd(16)} ${s.passed} passed, ${s.failed} failed`);
for (const w of warnings) console.log(`  ! ${w}`);
for (const f of failures) console.log(`  ✗ ${f}`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = total.failed ? 1 : 0;
