// Offline schema validation of Kubernetes objects, strict like `kubectl apply --validate=strict`
// (the API server's fieldValidation=Strict): no cluster is needed.
//
// Built-in kinds, cert-manager and prometheus-operator CRs, in two layers:
//  1. types, required fields, formats and enums: the validators of `kubernetes-models` /
//     `@kubernetes-models/{cert-manager,prometheus-operator}`, compiled from Kubernetes' OpenAPI
//     definitions (and the operators' CRD schemas). They accept unknown fields, so:
//  2. unknown fields: every key of the object must be a property of the model's type, walked
//     recursively through the TypeScript declarations the same packages generate from the same
//     definitions (maps — labels, annotations, resources — are index signatures; free-form
//     fields are `any`). A misspelt or misplaced key anywhere is reported with its path.
// CloudNativePG and RabbitMQ CRs: no npm package ships their CRDs or models, so they are checked
// against the subset schemas in k8s-crd-schemas.ts (the fields this repository uses, typed after
// the operators' API references for the versions scripts/kind-up pins; unknown fields rejected;
// not the real CRDs, which cannot be fetched here).
// On top, a few checks the API server makes beyond the OpenAPI schema (object names, label
// syntax, a Deployment's selector matching its pod template, port and container names).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Ajv, type ValidateFunction } from 'ajv';
import { CRD_SUBSET_SCHEMAS } from './k8s-crd-schemas.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** npm module specifier of the model of apiVersion/kind (undefined: no model package). */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'cert-manager.io' || group === 'acme.cert-manager.io') return `@kubernetes-models/cert-manager/${group}/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === '' || /(^|\.)k8s\.io$/.test(group!) || ['apps', 'batch', 'autoscaling', 'policy'].includes(group!)) return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  return undefined;
}

// ── layer 2: unknown fields through the generated declarations ────────────────────────────
let program: ts.Program | undefined;
const rootTypes = new Map<string, ts.Type | null>();
function declarationFile(spec: string): string | undefined {
  try {
    return fileURLToPath(import.meta.resolve(spec)).replace(/\.js$/, '.d.ts');
  } catch {
    return undefined;
  }
}
/** Builds one TypeScript program over the declaration files of every kind to validate. */
export function prepareKinds(kinds: Array<Record<string, unknown>>): void {
  const files = new Set<string>();
  for (const { apiVersion, kind } of kinds) {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const spec = modelModule(apiVersion, kind);
    const file = spec && declarationFile(spec);
    if (file) files.add(file);
  }
  const known = program ? new Set(program.getRootFileNames()) : new Set<string>();
  if (program && [...files].every((f) => known.has(f))) return;
  program = ts.createProgram([...new Set([...known, ...files])], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    noEmit: true, skipLibCheck: true, types: [],
  });
  rootTypes.clear();
}
function rootType(apiVersion: string, kind: string): ts.Type | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!rootTypes.has(key)) {
    const spec = modelModule(apiVersion, kind);
    const file = spec && declarationFile(spec);
    if (file && !program?.getRootFileNames().includes(file)) prepareKinds([{ apiVersion, kind }]);
    const source = file ? program!.getSourceFile(file) : undefined;
    const decl = source?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${kind}`);
    rootTypes.set(key, decl ? program!.getTypeChecker().getTypeAtLocation(decl.name) : null);
  }
  return rootTypes.get(key) ?? undefined;
}
function unknownFields(value: unknown, type: ts.Type, at: string, out: string[]): void {
  const checker = program!.getTypeChecker();
  if (value === null || value === undefined || type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  let t = checker.getNonNullableType(type);
  if (t.isUnion()) {
    const objects = t.types.filter((x) => x.flags & ts.TypeFlags.Object);
    if (objects.length !== 1) return; // primitives (IntOrString, Quantity) or ambiguous: layer 1 checks them
    t = objects[0]!;
  }
  if (checker.isArrayType(t)) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, checker.getTypeArguments(t as ts.TypeReference)[0]!, `${at}[${i}]`, out));
    return;
  }
  if (!(t.flags & ts.TypeFlags.Object) || !isObj(value)) return;
  const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  for (const [key, v] of Object.entries(value)) {
    const prop = t.getProperty(key);
    if (prop) unknownFields(v, checker.getTypeOfSymbol(prop), `${at}.${key}`, out);
    else if (index) unknownFields(v, index.type, `${at}.${key}`, out);
    else out.push(`${at}.${key}: unknown field`);
  }
}

// ── layer 1: the packages' compiled OpenAPI validators ─────────────────────────────────────
type ModelClass = new (data: Obj) => { validate(): void };
const models = new Map<string, ModelClass | undefined>();
async function model(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const spec = modelModule(apiVersion, kind);
  if (!spec) return undefined;
  if (!models.has(spec)) {
    try {
      models.set(spec, (await import(spec))[kind]);
    } catch {
      models.set(spec, undefined);
    }
  }
  return models.get(spec);
}

// ── CloudNativePG / RabbitMQ subset schemas ────────────────────────────────────────────────
const ajv = new Ajv({ allErrors: true, strict: false });
const crdValidators = new Map<string, ValidateFunction>();
const dns1123Subdomain = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
function crdValidator(key: string): ValidateFunction | undefined {
  const spec = CRD_SUBSET_SCHEMAS[key]?.schema;
  if (!spec) return undefined;
  if (!crdValidators.has(key)) {
    crdValidators.set(key, ajv.compile({
      type: 'object', additionalProperties: false, required: ['apiVersion', 'kind', 'metadata', 'spec'],
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' }, spec,
        metadata: {
          type: 'object', required: ['name'], additionalProperties: false,
          properties: { name: { type: 'string', maxLength: 253, pattern: dns1123Subdomain }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } }, annotations: { type: 'object', additionalProperties: { type: 'string' } } },
        },
      },
    }));
  }
  return crdValidators.get(key);
}

// ── API-server checks beyond the schema ────────────────────────────────────────────────────
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = new RegExp(dns1123Subdomain);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
function labelProblems(labels: unknown, at: string, out: string[]): void {
  if (!isObj(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const [prefix, name] = k.includes('/') ? [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)] : ['', k];
    if ((prefix && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) || !name || name.length > 63 || !LABEL_NAME.test(name)) out.push(`${at}: invalid label key "${k}"`);
    if (typeof v !== 'string' || v.length > 63 || (v !== '' && !LABEL_NAME.test(v))) out.push(`${at}.${k}: invalid label value ${JSON.stringify(v)}`);
  }
}
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass']);
function apiServerProblems(o: Obj, out: string[]): void {
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) out.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  if (['Service', 'Namespace'].includes(o.kind) && !(typeof name === 'string' && name.length <= 63 && DNS_LABEL.test(name))) out.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 label`);
  if (CLUSTER_SCOPED.has(o.kind) ? o.metadata?.namespace !== undefined : typeof o.metadata?.namespace !== 'string' || !DNS_LABEL.test(o.metadata.namespace)) out.push(`metadata.namespace ${JSON.stringify(o.metadata?.namespace)} wrong for a ${CLUSTER_SCOPED.has(o.kind) ? 'cluster-scoped' : 'namespaced'} kind`);
  labelProblems(o.metadata?.labels, 'metadata.labels', out);
  const podTemplate = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(o.kind) ? o.spec?.template : undefined;
  if (podTemplate) {
    labelProblems(podTemplate.metadata?.labels, 'spec.template.metadata.labels', out);
    const selector = o.spec?.selector?.matchLabels;
    if (selector && o.kind !== 'Job') for (const [k, v] of Object.entries(selector)) if (podTemplate.metadata?.labels?.[k] !== v) out.push(`spec.selector.matchLabels.${k} does not match the pod template's labels`);
    const pod = podTemplate.spec ?? {};
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    const volumes = new Set([...(pod.volumes ?? []), ...(o.spec?.volumeClaimTemplates ?? []).map((v: Obj) => v.metadata ?? {})].map((v: Obj) => v.name));
    for (const c of containers) {
      if (!DNS_LABEL.test(c.name ?? '') || c.name.length > 63) out.push(`container name ${JSON.stringify(c.name)} is not a DNS-1123 label`);
      for (const p of c.ports ?? []) if (p.name !== undefined && !IANA_SVC_NAME.test(p.name)) out.push(`${c.name}: port name ${JSON.stringify(p.name)} is not an IANA service name (≤ 15 chars)`);
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) out.push(`${c.name}: volumeMount ${m.name} has no volume`);
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (typeof port === 'string' && !(c.ports ?? []).some((p: Obj) => p.name === port)) out.push(`${c.name}: ${probe} port "${port}" is not a named container port`);
      }
      if (pod.securityContext?.runAsNonRoot && pod.securityContext?.runAsUser === 0) out.push(`${c.name}: runAsNonRoot with runAsUser 0`);
    }
    if (o.kind === 'Job' && !['Never', 'OnFailure'].includes(pod.restartPolicy)) out.push('Job pod restartPolicy must be Never or OnFailure');
  }
  if (o.kind === 'Service') for (const p of o.spec?.ports ?? []) if (p.name !== undefined && !DNS_LABEL.test(p.name)) out.push(`Service port name ${JSON.stringify(p.name)} invalid`);
  if (o.kind === 'Ingress') for (const r of o.spec?.rules ?? []) for (const p of r.http?.paths ?? []) if (p.pathType !== 'ImplementationSpecific' && !String(p.path).startsWith('/')) out.push(`Ingress path ${p.path} must be absolute`);
  if (o.kind === 'HorizontalPodAutoscaler' && o.spec && o.spec.minReplicas > o.spec.maxReplicas) out.push('HPA minReplicas > maxReplicas');
}

export interface Validation {
  /** How the object was validated: 'openapi+strict' | 'crd-subset' | 'none'. */
  how: 'openapi+strict' | 'crd-subset' | 'none';
  problems: string[];
}

/** Validates one object. Call prepareKinds() first with every kind to validate (one TS program). */
export async function validateObject(o: Obj): Promise<Validation> {
  const problems: string[] = [];
  if (!isObj(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return { how: 'none', problems: ['not a Kubernetes object (apiVersion/kind missing)'] };
  const key = `${o.apiVersion}/${o.kind}`;
  apiServerProblems(o, problems);
  const crd = crdValidator(key);
  if (crd) {
    if (!crd(o)) for (const e of crd.errors ?? []) problems.push(`${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty}: unknown field)` : ''}`);
    return { how: 'crd-subset', problems };
  }
  const Model = await model(o.apiVersion, o.kind);
  const type = rootType(o.apiVersion, o.kind);
  if (!Model || !type) return { how: 'none', problems: [...problems, `no schema for ${key}`] };
  try {
    new Model(o).validate();
  } catch (e) {
    problems.push(...(e as Error).message.split('\n').filter(Boolean).slice(0, 5));
  }
  unknownFields(o, type, '', problems);
  return { how: 'openapi+strict', problems: problems.map((p) => p.replace(/^\./, '')) };
}

/** The schema packages and their versions (for reports). */
export function schemaSources(): Record<string, string> {
  const version = (spec: string) => {
    const index = fileURLToPath(import.meta.resolve(spec));
    return JSON.parse(readFileSync(index.replace(/index\.js$/, 'package.json'), 'utf8')).version as string;
  };
  return Object.fromEntries(['kubernetes-models', '@kubernetes-models/cert-manager', '@kubernetes-models/prometheus-operator'].map((p) => [p, version(p)]));
}
