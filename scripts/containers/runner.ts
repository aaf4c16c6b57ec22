// Starts rendered workloads as containers and plays the kubelet's part: a migration Job runs to
// completion first; a Deployment's container is probed like the kubelet probes it (startup
// probe first, then liveness and readiness, each attempt bounded by timeoutSeconds, at most
// failureThreshold attempts every periodSeconds after initialDelaySeconds).
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import { dockerRun, probePort, urlHosts, type ContainerSpec, type DockerRun, type K8sObject, type Probe, type SecretStore, type Workload } from './pods.ts';
import { CONTAINERS_DIR } from './render.ts';

const execFileAsync = promisify(execFile);

/** Debian's 20.10 client matches Debian's engine; any docker client on the PATH otherwise. */
export const DOCKER = process.env.DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
/** Label on every container started here (`down` removes exactly these). */
export const LABEL = 'bank.containers';

export function docker(args: string[], opts: { input?: string } = {}): string {
  return execFileSync(DOCKER, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...(opts.input !== undefined ? { input: opts.input } : {}) });
}

export function dockerAvailable(): string | undefined {
  try {
    docker(['info', '--format', '{{.ServerVersion}}']);
    return undefined;
  } catch (err) {
    return `no Docker engine reachable with ${DOCKER}: ${String((err as { stderr?: string }).stderr ?? err).trim().split('\n')[0]}`;
  }
}

export function imageExists(ref: string): boolean {
  try {
    docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
    return true;
  } catch {
    return false;
  }
}

/** The address the kubelet would probe for a host-network pod: the node's own (non-loopback) IPv4. */
export function nodeIP(): string {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (name === 'lo' || name.startsWith('docker') || name.startsWith('veth') || name.startsWith('br-')) continue;
    const v4 = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return '127.0.0.1';
}

export function removeContainers(session: string): string[] {
  const ids = docker(['ps', '-aq', '--filter', `label=${LABEL}=${session}`]).split('\n').filter(Boolean);
  if (ids.length) docker(['rm', '-f', ...ids]);
  rmSync(`${CONTAINERS_DIR}/${session}`, { recursive: true, force: true });
  return ids;
}

export interface Prepared {
  workload: Workload;
  container: ContainerSpec;
  name: string;
  run: DockerRun;
  network: 'host' | 'bridge';
}

/**
 * Translates a workload's (single) container. Services run on the host network (they reach
 * this machine's PostgreSQL/Redis/RabbitMQ and each other on 127.0.0.1, as pods reach Services);
 * a workload that needs none of them (the front-ends) gets its own network namespace, like a
 * pod, so the four nginx pods can all listen on 8080.
 */
export function prepare(w: Workload, objects: K8sObject[], secrets: SecretStore, session: string, component: string, networkOverride?: 'host' | 'bridge'): Prepared {
  if (w.pod.containers.length !== 1) throw new Error(`${w.name}: ${w.pod.containers.length} containers; the runner handles one per pod`);
  const container = w.pod.containers[0]!;
  const name = `bank-${session}-${w.name}`;
  const volumeDir = `${CONTAINERS_DIR}/${session}/${name}`;
  rmSync(volumeDir, { recursive: true, force: true });
  mkdirSync(volumeDir, { recursive: true });
  const base = { containerName: name, objects, secrets, volumeDir, labels: { [LABEL]: session, 'bank.component': component, 'bank.kind': w.kind } };
  // First pass only to see the env: a pod that talks to nothing gets its own network.
  const probeRun = dockerRun(w, container, { ...base, network: 'host' });
  const hosts = urlHosts(probeRun.env);
  const network = networkOverride ?? (hosts.length ? 'host' : 'bridge');
  const run = dockerRun(w, container, { ...base, network, hostAliases: Object.fromEntries(hosts.map((h) => [h, '127.0.0.1'])), ...(network === 'host' ? { podIP: nodeIP() } : {}) });
  return { workload: w, container, name, run, network };
}

export interface JobResult {
  exitCode: number;
  seconds: number;
  logs: string;
}

/** Runs a Job's pod to completion (restartPolicy Never), within activeDeadlineSeconds. */
export async function runJob(p: Prepared): Promise<JobResult> {
  try {
    docker(['rm', '-f', p.name]);
  } catch {
    // not there
  }
  const started = Date.now();
  const deadline = (p.workload.deadlineSeconds ?? 600) * 1000;
  const child = spawn(DOCKER, ['run', ...p.run.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (c: Buffer) => (logs += c.toString()));
  child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
  const timer = setTimeout(() => {
    logs += `\n[runner] activeDeadlineSeconds (${deadline / 1000}s) exceeded: killing\n`;
    try {
      docker(['kill', p.name]);
    } catch {
      // gone
    }
  }, deadline);
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  clearTimeout(timer);
  try {
    docker(['rm', '-f', p.name]);
  } catch {
    // gone
  }
  return { exitCode, seconds: (Date.now() - started) / 1000, logs };
}

export interface Started {
  prepared: Prepared;
  startedAt: number;
  /** Address the probes (and the edge) use: node IP on the host network, the container's IP otherwise. */
  address: string;
}

export async function startDeployment(p: Prepared): Promise<Started> {
  try {
    docker(['rm', '-f', p.name]);
  } catch {
    // not there
  }
  const startedAt = Date.now();
  await execFileAsync(DOCKER, ['run', '-d', ...p.run.args]);
  const address = p.network === 'host' ? nodeIP() : docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', p.name]).trim();
  return { prepared: p, startedAt, address };
}

export function containerState(name: string): { running: boolean; exitCode: number; oomKilled: boolean } {
  const [running, exitCode, oom] = docker(['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}} {{.State.OOMKilled}}', name]).trim().split(' ');
  return { running: running === 'true', exitCode: Number(exitCode), oomKilled: oom === 'true' };
}

export function logsOf(name: string, tail = 80): string {
  const r = spawnSync(DOCKER, ['logs', '--tail', String(tail), name], { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

export interface ProbeResult {
  kind: 'startup' | 'liveness' | 'readiness';
  path: string;
  ok: boolean;
  attempts: number;
  /** Latency of the answering request (ms). */
  latencyMs: number;
  /** ms from the probe's start (container start for startup) to the answer. */
  afterMs: number;
  budgetMs: number;
  timeoutMs: number;
  last: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One probe with the kubelet's timing; an attempt counts only with status 200 within timeoutSeconds. */
export async function runProbe(kind: ProbeResult['kind'], probe: Probe, base: string, from: number, containerName: string): Promise<ProbeResult> {
  const path = probe.httpGet?.path ?? '/';
  const initialDelay = (probe.initialDelaySeconds ?? 0) * 1000;
  const period = (probe.periodSeconds ?? 10) * 1000;
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const failureThreshold = probe.failureThreshold ?? 3;
  const budgetMs = initialDelay + failureThreshold * period;
  await sleep(Math.max(0, from + initialDelay - Date.now()));
  let last = '';
  for (let attempt = 1; attempt <= failureThreshold; attempt++) {
    const tick = Date.now();
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'kube-probe/1.33' } });
      const body = await res.text();
      const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      if (res.status === 200) return { kind, path, ok: true, attempts: attempt, latencyMs, afterMs: Date.now() - from, budgetMs, timeoutMs, last: '' };
      last = `${res.status} ${body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String((err as Error).cause ?? err);
    }
    if (!containerState(containerName).running) {
      last += ' (container exited)';
      break;
    }
    await sleep(Math.max(0, tick + period - Date.now()));
  }
  return { kind, path, ok: false, attempts: failureThreshold, latencyMs: 0, afterMs: Date.now() - from, budgetMs, timeoutMs, last };
}

/** Startup probe first (from the container's start); once it passes, liveness and readiness together. */
export async function probeAll(s: Started): Promise<ProbeResult[]> {
  const c = s.prepared.container;
  const where = s.prepared.name;
  const base = (p: Probe) => `http://${s.address}:${probePort(p, s.prepared.run.ports, where)}`;
  const results: ProbeResult[] = [];
  let from = s.startedAt;
  if (c.startupProbe) {
    const r = await runProbe('startup', c.startupProbe, base(c.startupProbe), from, s.prepared.name);
    results.push(r);
    if (!r.ok) return results;
    from = Date.now();
  }
  const rest = await Promise.all(
    (['liveness', 'readiness'] as const)
      .map((kind) => [kind, kind === 'liveness' ? c.livenessProbe : c.readinessProbe] as const)
      .filter((x): x is readonly ['liveness' | 'readiness', Probe] => Boolean(x[1]))
      .map(([kind, p]) => runProbe(kind, p, base(p), from, s.prepared.name)),
  );
  return [...results, ...rest];
}

/** `docker stop` (SIGTERM, SIGKILL after terminationGracePeriodSeconds): exit code and seconds taken. */
export function stopContainer(name: string): { exitCode: number; seconds: number } {
  const t0 = Date.now();
  docker(['stop', name]);
  const { exitCode } = containerState(name);
  return { exitCode, seconds: (Date.now() - t0) / 1000 };
}
