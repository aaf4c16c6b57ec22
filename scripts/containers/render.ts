// Renders the charts with real Helm for this machine, the way a release would be installed:
// the chart's own values.yaml, then ONE values file per chart that says only what differs on
// this machine (the locally built image tag, PostgreSQL without TLS) — written to
// .run/containers/values/<chart>.yaml so it can be read and re-used with `helm template -f`.
// Cluster DNS names in the rendered env stay as rendered: the containers resolve them to
// 127.0.0.1 through /etc/hosts entries (see pods.ts urlHosts), where every Service has the
// same port as in the cluster. Secrets are the ones scripts/kind-up creates, filled from the
// native provisioning (scripts/lib/provision.ts).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse, stringify } from 'yaml';
import { imageRef } from '../lib/images.ts';
import { pinnedHelms } from '../lib/helm.ts';
import { REPO_ROOT, RUN_DIR } from '../lib/local-env.ts';
import { jwtKeyFile, type Secrets } from '../lib/provision.ts';
import { SERVICES } from '../lib/services.ts';
import type { K8sObject, SecretStore } from './pods.ts';

export const CONTAINERS_DIR = `${RUN_DIR}/containers`;

export interface Release {
  /** Release name = chart name (skaffold.yaml). */
  name: string;
  chart: string;
  namespace: string;
}

/** The releases as skaffold.yaml deploys them (name, chart, namespace). */
export function releases(): Release[] {
  const skaffold = parse(readFileSync(`${REPO_ROOT}/skaffold.yaml`, 'utf8')) as { deploy: { helm: { releases: Array<{ name: string; chartPath: string; namespace: string }> } } };
  return skaffold.deploy.helm.releases.map((r) => ({ name: r.name, chart: r.chartPath.replace(/^charts\//, ''), namespace: r.namespace }));
}

/**
 * What a profile adds over the machine values:
 *   machine   image tag + PostgreSQL without TLS + TRUSTED_PROXIES=loopback (the host network
 *             stands in for the pod network; nothing else differs from the chart)
 *   platform  + the demo users (as the native `npm start` seeds them), so a person can sign in
 *   test      + the limits the native stack phase raises for the test suites (many sign-ins from
 *               one IP), a shorter simulated PSP step (logs stay at the chart's level: they are
 *               read only when a container fails)
 */
export type Profile = 'machine' | 'platform' | 'test';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = Record<string, any>;

export function chartValues(chart: string): Values {
  return parse(readFileSync(`${REPO_ROOT}/charts/${chart}/values.yaml`, 'utf8')) as Values;
}

export function localValues(chart: string, profile: Profile): Values {
  const defaults = chartValues(chart);
  const [repository, tag] = imageRef(chart).split(':') as [string, string];
  const v: Values = { image: { repository, tag } };
  if (defaults.database?.enabled) v.database = { sslmode: 'disable' }; // this machine's PostgreSQL has no TLS
  const env: Record<string, string> = {};
  // The pods share the host network here: the edge and the gateway reach the services over
  // loopback, which stands in for the cluster's pod network the charts trust.
  if (defaults.env?.TRUSTED_PROXIES) env.TRUSTED_PROXIES = 'loopback';
  if (profile === 'machine') {
    if (Object.keys(env).length) v.env = env;
    return v;
  }
  if (chart === 'auth') env.SEED_DEMO_USERS = 'true';
  if (profile === 'test') {
    if (chart === 'gateway') env.RATE_LIMIT_MAX = '100000';
    if (chart === 'payments') env.PROCESSOR_STEP_DELAY_MS = '400';
    // Every test client is 127.0.0.1: like the native stack phase, raise the per-address sign-in allowance.
    if (chart === 'auth') env.LOGIN_THROTTLE_FREE_PER_ADDRESS = '100000';
    if (defaults.ingress?.routes) {
      // Same per-IP limits as the native stack phase (scripts/run-tests.ts): 100× the rates.
      // Helm replaces lists, so the routes are the chart's own with only limit-rpm changed.
      v.ingress = {
        routes: (defaults.ingress.routes as Values[]).map((r) => {
          const rpm = r.annotations?.['nginx.ingress.kubernetes.io/limit-rpm'];
          return rpm ? { ...r, annotations: { ...r.annotations, 'nginx.ingress.kubernetes.io/limit-rpm': String(Number(rpm) * 600) } } : r;
        }),
      };
    }
  }
  if (Object.keys(env).length) v.env = env;
  return v;
}

let chartCopy: string | undefined;
/** A private copy of charts/ with the lib dependency built (never writes into the worktree). */
function chartsWithDependencies(helm: string): string {
  if (chartCopy && existsSync(chartCopy)) return chartCopy;
  const dir = mkdtempSync(join(tmpdir(), 'bank-charts-'));
  cpSync(`${REPO_ROOT}/charts`, dir, { recursive: true, filter: (src) => !/\/charts\/[^/]+\/charts(\/|$)/.test(src.slice(REPO_ROOT.length)) });
  for (const r of releases()) execFileSync(helm, ['dependency', 'build', `${dir}/${r.chart}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  chartCopy = dir;
  return dir;
}

export interface Rendered {
  release: Release;
  valuesFile: string;
  objects: K8sObject[];
}

/** `helm template <release> charts/<chart> -n <ns> -f charts/<chart>/values.yaml -f <local values>` with the pinned Helm 4. */
export function render(release: Release, profile: Profile): Rendered {
  const helm = pinnedHelms().find((h) => h.major === 'v4')!.path;
  const charts = chartsWithDependencies(helm);
  mkdirSync(`${CONTAINERS_DIR}/values`, { recursive: true });
  const valuesFile = `${CONTAINERS_DIR}/values/${release.chart}.${profile}.yaml`;
  writeFileSync(valuesFile, `# Generated by scripts/containers/render.ts (profile ${profile}): this machine's differences from charts/${release.chart}/values.yaml.\n${stringify(localValues(release.chart, profile))}`);
  const out = execFileSync(helm, ['template', release.name, `${charts}/${release.chart}`, '--namespace', release.namespace, '-f', `${charts}/${release.chart}/values.yaml`, '-f', valuesFile], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // YAML 1.1 like Kubernetes' decoder: `defaultMode: 0440` is octal there (288), decimal 440 in YAML 1.2.
  const objects = parseAllDocuments(out, { version: '1.1' })
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => Boolean(o?.kind));
  return { release, valuesFile, objects };
}

/**
 * The Secrets scripts/kind-up creates in the cluster, with this machine's values from the
 * native provisioning: <svc>-db-credentials and <svc>-rabbitmq-credentials (username,
 * password), redis-credentials (this machine's Redis has no password: empty), auth-jwt
 * (private.pem). No `sentry` Secret: SENTRY_DSN is optional.
 */
export function localSecrets(secrets: Secrets): SecretStore {
  const store: SecretStore = { 'redis-credentials': { password: '' }, 'auth-jwt': { 'private.pem': readFileSync(jwtKeyFile(), 'utf8') } };
  for (const s of SERVICES) {
    if (s.database) store[`${s.name}-db-credentials`] = { username: s.name, password: secrets.db[s.name] ?? '' };
    if (s.rabbit) store[`${s.name}-rabbitmq-credentials`] = { username: s.name, password: secrets.rabbit[s.name] ?? '' };
  }
  return store;
}
