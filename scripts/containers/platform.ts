// The whole platform in containers: the 9 images with the settings the charts render (migration
// Jobs first, then the Deployments, probed like the kubelet probes them) and an edge nginx
// container generated from the gateway chart's Ingress objects (edge.ts), over TLS on 8443
// (HTTP 8080 redirects) — the same ports as the native runner, so services/platform-tests runs
// against it unchanged. Used by scripts/containers.ts (up/down) and the images phase of npm test.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { parse } from 'yaml';
import { BASE_IMAGES, IMAGES } from '../lib/images.ts';
import { REPO_ROOT, RUN_DIR, settings } from '../lib/local-env.ts';
import { ensureCertificate, ensureDatabases, ensureJwtKey, ensureRabbitUsers, loadSecrets } from '../lib/provision.ts';
import { SERVICES } from '../lib/services.ts';
import { ingressNginxConf } from './edge.ts';
import { workloads, type K8sObject, type SecretStore, type Workload } from './pods.ts';
import { CONTAINERS_DIR, localSecrets, releases, render, type Profile, type Rendered } from './render.ts';
import { containerState, dockerAvailable, imageExists, logsOf, prepare, probeAll, removeContainers, runJob, startDeployment, type ProbeResult, type Started } from './runner.ts';

export const SESSION = 'platform';
export const READY_FILE = `${CONTAINERS_DIR}/ready`;

/** Missing prerequisites (engine, images), as lines a person can act on. */
export function missingPrerequisites(components?: string[]): string[] {
  const engine = dockerAvailable();
  if (engine) return [engine];
  const missing = IMAGES.filter((i) => !components || components.includes(i.component))
    .map((i) => i.tags.runtime!)
    .filter((ref) => !imageExists(ref));
  if (!components && !imageExists(BASE_IMAGES.nginx)) missing.push(BASE_IMAGES.nginx);
  return missing.length ? [`images missing (build them with \`npm run images\`): ${missing.join(', ')}`] : [];
}

/** Ports of the host network the containers bind (services and the edge) that something already listens on. */
export async function busyPorts(ports = [...SERVICES.map((s) => s.port), settings.httpPort, settings.httpsPort]): Promise<number[]> {
  const open = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  const states = await Promise.all(ports.map(async (p) => [p, await open(p)] as const));
  return states.filter(([, busy]) => busy).map(([p]) => p);
}

/** The native provisioning (databases, roles, RabbitMQ users, JWT key, TLS certificate) as the charts' Secrets. */
export async function provision(): Promise<SecretStore> {
  const secrets = loadSecrets();
  ensureCertificate();
  ensureJwtKey();
  await ensureDatabases(secrets);
  await ensureRabbitUsers(secrets);
  return localSecrets(secrets);
}

export interface UpReport {
  url: string;
  seconds: number;
  jobs: Array<{ name: string; exitCode: number; seconds: number }>;
  probes: Array<{ name: string; results: ProbeResult[] }>;
}

const say = (m: string) => console.log(`\x1b[1m▸\x1b[0m ${m}`);

/** Service name → "address:port" of the container behind it (Service port "http" → targetPort → containerPort). */
function backendsOf(rendered: Rendered[], started: Map<string, Started>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rendered) {
    for (const svc of r.objects.filter((o) => o.kind === 'Service')) {
      const dep = [...started.values()].find((s) => s.prepared.workload.namespace === r.release.namespace && s.prepared.workload.name === svc.metadata.name);
      if (!dep) continue;
      const port = (svc.spec.ports as Array<{ name: string; targetPort: string | number }>).find((p) => p.name === 'http');
      const target = typeof port?.targetPort === 'number' ? port.targetPort : dep.prepared.run.ports[String(port?.targetPort)];
      if (!target) throw new Error(`Service ${svc.metadata.name}: no target port`);
      out[svc.metadata.name] = `${dep.prepared.network === 'host' ? '127.0.0.1' : dep.address}:${target}`;
    }
  }
  return out;
}

/** The edge as a pod of its own on the host network (it binds 8443/8080, like the kind node's host ports): nginx (Debian, uid 101) with the generated config and the TLS Secret as read-only volumes. */
function edgeWorkload(conf: string): { workload: Workload; objects: K8sObject[]; secrets: SecretStore } {
  const objects: K8sObject[] = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edge-nginx', namespace: 'ingress-nginx' }, data: { 'nginx.conf': conf } }];
  const secrets: SecretStore = { 'bank-edge-tls': { 'tls.crt': readFileSync(`${RUN_DIR}/certs/tls.crt`, 'utf8'), 'tls.key': readFileSync(`${RUN_DIR}/certs/tls.key`, 'utf8') } };
  const workload: Workload = {
    kind: 'Deployment',
    name: 'edge',
    namespace: 'ingress-nginx',
    pod: {
      securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101 },
      containers: [
        {
          name: 'nginx',
          image: BASE_IMAGES.nginx,
          command: ['nginx', '-c', '/etc/bank-edge/conf/nginx.conf'],
          securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '384Mi' } },
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'conf', mountPath: '/etc/bank-edge/conf', readOnly: true },
            { name: 'tls', mountPath: '/etc/bank-edge/tls', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        { name: 'conf', configMap: { name: 'edge-nginx', defaultMode: 0o444 } },
        { name: 'tls', secret: { secretName: 'bank-edge-tls', defaultMode: 0o440 } },
      ],
      terminationGracePeriodSeconds: 10,
    },
  };
  return { workload, objects, secrets };
}

async function waitEdge(url: string, timeoutMs = 20_000): Promise<void> {
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connect: { rejectUnauthorized: false } });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      try {
        const res = await request(`${url}/api/auth/.well-known/jwks.json`, { dispatcher: agent });
        await res.body.dump();
        if (res.statusCode === 200) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the edge did not answer on ${url} within ${timeoutMs / 1000}s:\n${logsOf(`bank-${SESSION}-edge`)}`);
  } finally {
    await agent.close();
  }
}

/** Starts everything; throws (after removing what it started) when a step fails. */
export async function up(profile: Profile = 'platform'): Promise<UpReport> {
  const t0 = Date.now();
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(missing.join('\n'));
  removeContainers(SESSION);
  rmSync(READY_FILE, { force: true });
  const busy = await busyPorts();
  if (busy.length) throw new Error(`ports ${busy.join(', ')} are in use (the native platform? stop it with \`npm run stop\`)`);
  try {
    say('provisioning databases, roles, RabbitMQ users, the JWT key and the TLS certificate (native provisioning)');
    const secrets = await provision();
    say(`rendering ${releases().length} charts with Helm 4 (profile ${profile}; values in ${CONTAINERS_DIR}/values)`);
    const rendered = releases().map((r) => render(r, profile));
    const report: UpReport = { url: `https://localhost:${settings.httpsPort}`, seconds: 0, jobs: [], probes: [] };

    // Helm hooks (pre-install): the migration Jobs, to completion, before any Deployment.
    const jobs = rendered.flatMap((r) => workloads(r.objects).filter((w) => w.kind === 'Job').map((w) => prepare(w, r.objects, secrets, SESSION, r.release.chart)));
    say(`migration Jobs: ${jobs.map((j) => j.workload.name).join(', ')}`);
    const jobResults = await Promise.all(jobs.map(async (j) => ({ j, r: await runJob(j) })));
    for (const { j, r } of jobResults) {
      report.jobs.push({ name: j.workload.name, exitCode: r.exitCode, seconds: r.seconds });
      if (r.exitCode !== 0) throw new Error(`Job ${j.workload.name} exited ${r.exitCode}:\n${r.logs.slice(-4000)}`);
    }

    // Deployments: the front-ends (own network namespaces) together, then the services in the
    // native runner's order (event consumers before auth, whose demo-user seeding publishes).
    const byName = new Map<string, { r: Rendered; w: Workload }>();
    for (const r of rendered) for (const w of workloads(r.objects)) if (w.kind === 'Deployment') byName.set(r.release.chart, { r, w });
    const serviceOrder = SERVICES.map((s) => s.name as string).filter((n) => byName.has(n));
    const others = [...byName.keys()].filter((n) => !serviceOrder.includes(n));
    const started = new Map<string, Started>();
    const startAndProbe = async (chart: string) => {
      const { r, w } = byName.get(chart)!;
      const s = await startDeployment(prepare(w, r.objects, secrets, SESSION, chart));
      started.set(chart, s);
      const results = await probeAll(s);
      report.probes.push({ name: w.name, results });
      const failed = results.find((x) => !x.ok);
      if (failed) {
        const state = containerState(s.prepared.name);
        throw new Error(`${w.name}: ${failed.kind} probe ${failed.path} failed after ${failed.attempts} attempts in ${(failed.afterMs / 1000).toFixed(1)} s (${failed.last}); container ${state.running ? 'running' : `exited ${state.exitCode}${state.oomKilled ? ', OOM-killed' : ''}`}; its log:\n${logsOf(s.prepared.name, 200)}`);
      }
    };
    say(`front-ends: ${others.join(', ')}`);
    await Promise.all(others.map(startAndProbe));
    for (const chart of serviceOrder) {
      say(`${chart}`);
      await startAndProbe(chart);
    }

    // The edge: ingress-nginx's view of the gateway chart's Ingress objects.
    const gateway = rendered.find((r) => r.release.chart === 'gateway')!;
    const controller = (parse(readFileSync(`${REPO_ROOT}/ingress-nginx/values-kind.yaml`, 'utf8')) as { controller: Record<string, unknown> }).controller;
    const conf = ingressNginxConf({
      ingresses: gateway.objects.filter((o) => o.kind === 'Ingress'),
      controller,
      backends: backendsOf(rendered, started),
      httpsPort: settings.httpsPort,
      httpPort: settings.httpPort,
      certDir: '/etc/bank-edge/tls',
    });
    writeFileSync(`${CONTAINERS_DIR}/edge-nginx.conf`, conf);
    const edge = edgeWorkload(conf);
    say(`edge nginx (${gateway.objects.filter((o) => o.kind === 'Ingress').length} Ingress objects → ${CONTAINERS_DIR}/edge-nginx.conf)`);
    await startDeployment(prepare(edge.workload, edge.objects, edge.secrets, SESSION, 'edge', 'host'));
    await waitEdge(report.url);

    report.seconds = (Date.now() - t0) / 1000;
    writeFileSync(READY_FILE, report.url);
    return report;
  } catch (err) {
    down();
    throw err;
  }
}

export function down(): string[] {
  rmSync(READY_FILE, { force: true });
  return removeContainers(SESSION);
}

export const isUp = () => existsSync(READY_FILE);
