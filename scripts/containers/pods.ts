// Runs a rendered Kubernetes pod spec as a Docker container — the settings a kubelet would
// apply, translated one by one, so the containers here run the way the charts say:
//   command/args        → --entrypoint + arguments (command replaces ENTRYPOINT, args replace CMD),
//                         $(VAR) expanded like the kubelet does
//   env / envFrom       → -e, from the rendered ConfigMaps and from Secrets (given as data),
//                         fieldRef metadata.name/namespace, status.podIP; $(VAR) expansion in order
//   securityContext     → --user uid:gid, --group-add fsGroup/supplementalGroups, --read-only,
//                         --cap-drop/--cap-add, no-new-privileges, --privileged; runAsNonRoot
//                         refuses uid 0 (the kubelet refuses to start such a container)
//   volumes             → emptyDir: tmpfs with its sizeLimit; secret/configMap: read-only files
//                         with defaultMode, group fsGroup
//   resources           → limits.memory: --memory (= --memory-swap, no swap like the kubelet),
//                         limits.cpu: --cpus, requests.cpu: --cpu-shares (the kubelet's formula)
//   workingDir          → -w;  terminationGracePeriodSeconds → --stop-timeout
// Anything else the translation does not understand throws, so a chart change cannot be
// silently ignored here. What only a cluster does (probes by the kubelet, preStop hooks,
// Services, NetworkPolicy, HPA/PDB, Helm hooks) is done by the callers or listed in docs/deploy.md.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; data?: Record<string, string> };

export interface Probe {
  httpGet?: { path: string; port: number | string; scheme?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean }; prefix?: string }>;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: unknown;
  imagePullPolicy?: string;
}

export interface PodSpec {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  securityContext?: Record<string, unknown>;
  volumes?: Array<{ name: string; emptyDir?: { sizeLimit?: string; medium?: string }; secret?: { secretName: string; defaultMode?: number; optional?: boolean; items?: unknown[] }; configMap?: { name: string; defaultMode?: number } }>;
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
}

/** A Deployment's or Job's pod, with what the translation needs from the rest of the render. */
export interface Workload {
  kind: 'Deployment' | 'Job';
  name: string;
  namespace: string;
  pod: PodSpec;
  /** activeDeadlineSeconds of a Job. */
  deadlineSeconds?: number;
  /** Helm hook annotation of a Job (pre-install,pre-upgrade → runs before the Deployments). */
  hook?: string;
}

export function workloads(objects: K8sObject[]): Workload[] {
  const out: Workload[] = [];
  for (const o of objects) {
    if (o.kind === 'Deployment' || o.kind === 'Job') {
      out.push({
        kind: o.kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace ?? 'default',
        pod: o.spec.template.spec as PodSpec,
        ...(o.kind === 'Job' ? { deadlineSeconds: o.spec.activeDeadlineSeconds as number } : {}),
        ...(o.metadata.annotations?.['helm.sh/hook'] ? { hook: o.metadata.annotations['helm.sh/hook'] } : {}),
      });
    } else if (['StatefulSet', 'DaemonSet', 'CronJob', 'Pod', 'ReplicaSet'].includes(o.kind)) {
      throw new Error(`${o.kind} ${o.metadata.name}: not supported by the container runner`);
    }
  }
  return out;
}

/** Secret data by Secret name (what `kubectl create secret generic` would hold), plain text. */
export type SecretStore = Record<string, Record<string, string>>;

export interface RunContext {
  /** Docker container name; also the pod name seen through fieldRef metadata.name. */
  containerName: string;
  /** 'host' (reaches this machine's PostgreSQL/Redis/RabbitMQ on 127.0.0.1) or 'bridge'. */
  network: 'host' | 'bridge';
  /** The rendered objects of the release (ConfigMaps are looked up here). */
  objects: K8sObject[];
  secrets: SecretStore;
  /** Where secret/configMap volumes are written (a fresh directory per container). */
  volumeDir: string;
  /** Hostnames → address (/etc/hosts entries; stands in for cluster DNS). */
  hostAliases?: Record<string, string>;
  /** Labels for `docker ps --filter label=…` (cleanup). */
  labels?: Record<string, string>;
  /** Pod IP reported through fieldRef status.podIP. */
  podIP?: string;
}

export interface DockerRun {
  args: string[];
  /** The container's resolved environment (for reports and tests). */
  env: Record<string, string>;
  /** containerPort by port name ("http" → 3002). */
  ports: Record<string, number>;
  container: ContainerSpec;
}

const KNOWN_CONTAINER_KEYS = new Set(['name', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'ports', 'env', 'envFrom', 'resources', 'securityContext', 'volumeMounts', 'startupProbe', 'livenessProbe', 'readinessProbe', 'lifecycle']);
const KNOWN_POD_KEYS = new Set(['containers', 'securityContext', 'volumes', 'restartPolicy', 'terminationGracePeriodSeconds', 'serviceAccountName', 'automountServiceAccountToken', 'imagePullSecrets', 'topologySpreadConstraints', 'nodeSelector', 'affinity', 'tolerations']);
const KNOWN_SECURITY_KEYS = new Set(['runAsNonRoot', 'runAsUser', 'runAsGroup', 'fsGroup', 'supplementalGroups', 'seccompProfile', 'allowPrivilegeEscalation', 'privileged', 'readOnlyRootFilesystem', 'capabilities']);

/** Kubernetes' $(VAR) expansion: `$$` escapes, references to undefined variables stay as they are. */
export function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && Object.hasOwn(vars, name) ? vars[name]! : whole;
  });
}

/** Kubernetes quantities → bytes ("512Mi", "1G", "64Mi"). */
export function bytes(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/.exec(quantity);
  if (!m) throw new Error(`unsupported quantity ${quantity}`);
  const n = Number(m[1]);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3 }[m[2] ?? ''] ?? 1;
  return Math.round(n * unit);
}

/** CPU quantity → millicores ("100m" → 100, "1" → 1000, "0.5" → 500). */
export function millicores(quantity: string | number): number {
  if (typeof quantity === 'number') return Math.round(quantity * 1000);
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function configMap(objects: K8sObject[], name: string): Record<string, string> | undefined {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.data;
}

/** The container's environment exactly as the kubelet builds it: envFrom first, then env in order. */
export function resolveEnv(c: ContainerSpec, ctx: Pick<RunContext, 'objects' | 'secrets' | 'containerName' | 'podIP'>, namespace: string, where: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const data = configMap(ctx.objects, from.configMapRef.name);
      if (!data) {
        if (from.configMapRef.optional) continue;
        fail(where, `envFrom ConfigMap ${from.configMapRef.name} is not in the render`);
      }
      for (const [k, v] of Object.entries(data)) env[prefix + k] = String(v);
    } else if (from.secretRef) {
      const data = ctx.secrets[from.secretRef.name];
      if (!data) {
        if (from.secretRef.optional) continue;
        fail(where, `envFrom Secret ${from.secretRef.name} does not exist`);
      }
      for (const [k, v] of Object.entries(data)) env[prefix + k] = v;
    } else fail(where, `unsupported envFrom entry ${JSON.stringify(from)}`);
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom === undefined) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    const { secretKeyRef, configMapKeyRef, fieldRef } = e.valueFrom;
    if (secretKeyRef) {
      const value = ctx.secrets[secretKeyRef.name]?.[secretKeyRef.key];
      if (value === undefined) {
        if (secretKeyRef.optional) continue;
        fail(where, `env ${e.name}: Secret ${secretKeyRef.name} key ${secretKeyRef.key} does not exist (the kubelet would not start the container)`);
      }
      env[e.name] = value;
    } else if (configMapKeyRef) {
      const value = configMap(ctx.objects, configMapKeyRef.name)?.[configMapKeyRef.key];
      if (value === undefined) {
        if (configMapKeyRef.optional) continue;
        fail(where, `env ${e.name}: ConfigMap ${configMapKeyRef.name} key ${configMapKeyRef.key} is not in the render`);
      }
      env[e.name] = String(value);
    } else if (fieldRef) {
      const fields: Record<string, string> = {
        'metadata.name': ctx.containerName,
        'metadata.namespace': namespace,
        'status.podIP': ctx.podIP ?? '127.0.0.1',
        'status.hostIP': '127.0.0.1',
        'spec.nodeName': 'local',
      };
      const value = fields[fieldRef.fieldPath] ?? fail(where, `env ${e.name}: unsupported fieldRef ${fieldRef.fieldPath}`);
      env[e.name] = value;
    } else fail(where, `env ${e.name}: unsupported valueFrom ${JSON.stringify(e.valueFrom)}`);
  }
  return env;
}

/** `docker run` arguments (without `docker run` itself) for container `c` of workload `w`. */
export function dockerRun(w: Workload, c: ContainerSpec, ctx: RunContext): DockerRun {
  const where = `${w.kind} ${w.name} container ${c.name}`;
  for (const k of Object.keys(w.pod)) if (!KNOWN_POD_KEYS.has(k)) fail(where, `pod field ${k} is not translated`);
  for (const k of Object.keys(c)) if (!KNOWN_CONTAINER_KEYS.has(k)) fail(where, `container field ${k} is not translated`);
  if (w.pod.initContainers?.length) fail(where, 'initContainers are not translated');
  if (w.pod.hostNetwork) fail(where, 'hostNetwork pods are not translated');

  const podSec = w.pod.securityContext ?? {};
  const sec = { ...podSec, ...c.securityContext } as Record<string, unknown>;
  for (const k of Object.keys(sec)) if (!KNOWN_SECURITY_KEYS.has(k)) fail(where, `securityContext.${k} is not translated`);
  const args: string[] = ['--name', ctx.containerName, '--pull', 'never'];
  for (const [k, v] of Object.entries(ctx.labels ?? {})) args.push('--label', `${k}=${v}`);
  args.push('--network', ctx.network);
  for (const [host, ip] of Object.entries(ctx.hostAliases ?? {})) args.push('--add-host', `${host}:${ip}`);

  // User and groups.
  const uid = sec.runAsUser as number | undefined;
  const gid = sec.runAsGroup as number | undefined;
  if (sec.runAsNonRoot === true) {
    if (uid === undefined) fail(where, 'runAsNonRoot without runAsUser: the kubelet would check the image USER; set runAsUser');
    if (uid === 0) fail(where, 'runAsNonRoot with runAsUser 0: the kubelet refuses to start it');
  }
  if (uid !== undefined) args.push('--user', gid !== undefined ? `${uid}:${gid}` : String(uid));
  const fsGroup = podSec.fsGroup as number | undefined;
  for (const g of [fsGroup, ...((podSec.supplementalGroups as number[] | undefined) ?? [])]) if (g !== undefined) args.push('--group-add', String(g));

  // Hardening.
  if (sec.readOnlyRootFilesystem === true) args.push('--read-only');
  if (sec.privileged === true) args.push('--privileged');
  if (sec.allowPrivilegeEscalation === false) args.push('--security-opt', 'no-new-privileges');
  const caps = sec.capabilities as { drop?: string[]; add?: string[] } | undefined;
  for (const cap of caps?.drop ?? []) args.push('--cap-drop', cap);
  for (const cap of caps?.add ?? []) args.push('--cap-add', cap);
  const seccomp = (sec.seccompProfile as { type?: string } | undefined)?.type;
  if (seccomp === 'Unconfined') args.push('--security-opt', 'seccomp=unconfined');
  else if (seccomp !== undefined && seccomp !== 'RuntimeDefault') fail(where, `seccompProfile ${seccomp} is not translated`);

  // Resources.
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  if (limits.memory !== undefined) {
    const m = String(bytes(limits.memory));
    args.push('--memory', m, '--memory-swap', m);
  }
  if (limits.cpu !== undefined) args.push('--cpus', String(millicores(limits.cpu) / 1000));
  // kubelet: cpu.shares = milliCPU * 1024 / 1000 (minimum 2); with no request it is the limit's.
  const cpuRequest = requests.cpu ?? limits.cpu;
  if (cpuRequest !== undefined) args.push('--cpu-shares', String(Math.max(2, Math.floor((millicores(cpuRequest) * 1024) / 1000))));
  for (const k of [...Object.keys(limits), ...Object.keys(requests)]) if (!['cpu', 'memory'].includes(k)) fail(where, `resource ${k} is not translated`);

  // Volumes.
  const volumes = new Map((w.pod.volumes ?? []).map((v) => [v.name, v]));
  for (const mount of c.volumeMounts ?? []) {
    const v = volumes.get(mount.name) ?? fail(where, `volumeMount ${mount.name} has no volume`);
    if (mount.subPath) fail(where, `volumeMount ${mount.name}: subPath is not translated`);
    if (v.emptyDir) {
      if (v.emptyDir.medium && v.emptyDir.medium !== 'Memory') fail(where, `emptyDir medium ${v.emptyDir.medium}`);
      // An emptyDir is a fresh writable directory (group fsGroup, setgid when fsGroup is set).
      const opts = ['rw', 'exec', 'nosuid', 'nodev', `mode=${fsGroup !== undefined ? '3777' : '1777'}`];
      if (v.emptyDir.sizeLimit) opts.push(`size=${bytes(v.emptyDir.sizeLimit)}`);
      args.push('--tmpfs', `${mount.mountPath}:${opts.join(',')}`);
    } else if (v.secret || v.configMap) {
      const dir = `${ctx.volumeDir}/${mount.name}`;
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      let data: Record<string, string> | undefined;
      if (v.secret) {
        if (v.secret.items) fail(where, `secret volume ${mount.name}: items are not translated`);
        data = ctx.secrets[v.secret.secretName];
        if (!data && !v.secret.optional) fail(where, `secret volume ${mount.name}: Secret ${v.secret.secretName} does not exist`);
      } else data = configMap(ctx.objects, v.configMap!.name) ?? fail(where, `configMap volume ${mount.name}: ${v.configMap!.name} is not in the render`);
      const mode = (v.secret ?? v.configMap)!.defaultMode ?? 0o644;
      for (const [key, value] of Object.entries(data ?? {})) {
        const file = `${dir}/${key}`;
        writeFileSync(file, value);
        // The kubelet writes projected files as root with group fsGroup and defaultMode.
        chownSync(file, 0, fsGroup ?? 0);
        chmodSync(file, mode);
      }
      // Secret and ConfigMap volumes are always read-only.
      args.push('--mount', `type=bind,source=${dir},target=${mount.mountPath},readonly`);
    } else fail(where, `volume ${mount.name} of this type is not translated`);
  }

  // Environment.
  const env = resolveEnv(c, ctx, w.namespace, where);
  // An env file (0600), not -e: secrets stay out of the process list.
  for (const [k, v] of Object.entries(env)) if (/[\r\n]/.test(v)) fail(where, `env ${k}: multi-line values cannot be passed to docker`);
  mkdirSync(ctx.volumeDir, { recursive: true });
  writeFileSync(`${ctx.volumeDir}/.env`, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  args.push('--env-file', `${ctx.volumeDir}/.env`);

  if (c.workingDir) args.push('-w', c.workingDir);
  if (w.pod.terminationGracePeriodSeconds !== undefined) args.push('--stop-timeout', String(w.pod.terminationGracePeriodSeconds));

  // command replaces the image's ENTRYPOINT (and drops its CMD); args replace CMD.
  const command = (c.command ?? []).map((x) => expand(x, env));
  const cargs = (c.args ?? []).map((x) => expand(x, env));
  if (command.length) args.push('--entrypoint', command[0]!);
  args.push(c.image);
  if (command.length) args.push(...command.slice(1));
  args.push(...cargs);

  const ports: Record<string, number> = {};
  for (const p of c.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP') fail(where, `port protocol ${p.protocol}`);
    ports[p.name ?? String(p.containerPort)] = p.containerPort;
  }
  return { args, env, ports, container: c };
}

/** Port number of a probe (named ports resolve through the container's ports). */
export function probePort(probe: Probe, ports: Record<string, number>, where: string): number {
  const port = probe.httpGet?.port;
  if (typeof port === 'number') return port;
  if (port !== undefined && ports[port] !== undefined) return ports[port];
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  return fail(where, `probe port ${String(port)} is not a container port`);
}

/** Hostnames in URL-valued environment variables (cluster DNS names) → address, e.g. 127.0.0.1. */
export function urlHosts(env: Record<string, string>): string[] {
  const hosts = new Set<string>();
  for (const value of Object.values(env)) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
    try {
      const host = new URL(value).hostname;
      if (host && host !== 'localhost' && !/^[\d.]+$/.test(host) && !host.startsWith('[')) hosts.add(host);
    } catch {
      // not a URL after all
    }
  }
  return [...hosts].sort();
}
