// Every way the repository calls Helm, read from the files that do it, as `helm template` /
// `helm lint` argument lists (one "mode" per way, for every chart):
//   defaults      helm template <c> charts/<c> -n <ns>                 (chart defaults)
//   tilt          Tiltfile helm_resource: --values charts/<c>/values-dev.yaml plus the image keys
//                 Tilt sets (--set image.repository=… --set image.tag=tilt-<16 hex>)
//   skaffold      skaffold.yaml release: its valuesFiles + setValueTemplates (--set), templates
//                 substituted with what Skaffold passes (repository bank/<c>, a 64-hex inputDigest tag)
//   skaffold-dev  the same with the `dev` profile's added valuesFiles (values-dev.yaml)
//   sre           docs/deploy.md "Helm for SREs": --set image.tag=<tag> with an all-digit CI build
//                 number (1234567), which --set turns into an integer
// A file that stops matching what is read here makes matrix() throw, so the test cannot pass
// on a stale matrix.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed YAML
export interface Mode {
  mode: 'defaults' | 'tilt' | 'skaffold' | 'skaffold-dev' | 'sre';
  chart: string;
  release: string;
  namespace: string;
  /** Value arguments (-f/--set), paths relative to the repository root. */
  values: string[];
  /** The image the Deployment must run ("" = the chart's appVersion tag, resolved by the test). */
  image: string;
}

export const TILT_TAG = 'tilt-3f9c2a1b7d4e8f60';
export const SKAFFOLD_TAG = '9c3e1f0a7b5d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e';
export const SRE_TAG = '1234567';

/** Skaffold's setValueTemplates variables for an image bank/<c>. */
function skaffoldTemplate(value: string, chart: string): string {
  const key = `bank_${chart.replace(/-/g, '_')}`;
  return value.replace(`{{.IMAGE_REPO_${key}}}`, `bank/${chart}`).replace(`{{.IMAGE_TAG_${key}}}`, SKAFFOLD_TAG).replace(`{{.IMAGE_FULLY_QUALIFIED_${key}}}`, `bank/${chart}:${SKAFFOLD_TAG}`);
}

export function matrix(root: string): Mode[] {
  const read = (f: string) => readFileSync(`${root}/${f}`, 'utf8');
  const skaffold = parseYaml(read('skaffold.yaml')) as Obj;
  const releases: Obj[] = skaffold.deploy?.helm?.releases ?? [];
  if (!releases.length) throw new Error('skaffold.yaml: no deploy.helm.releases');
  const dev = (skaffold.profiles ?? []).find((p: Obj) => p.name === 'dev');
  const devValues = new Map<number, string[]>();
  for (const patch of dev?.patches ?? []) {
    const m = /^\/deploy\/helm\/releases\/(\d+)\/valuesFiles\/-$/.exec(patch.path ?? '');
    if (m && patch.op === 'add') devValues.set(Number(m[1]), [...(devValues.get(Number(m[1])) ?? []), patch.value]);
  }
  const tilt = read('Tiltfile');
  // Tilt: every helm_resource passes values-dev.yaml and wires the image keys.
  const tiltCalls = [...tilt.matchAll(/helm_resource\(([\s\S]*?)\n    \)/g)].map((m) => m[1]!);
  if (tiltCalls.length !== 2 || !tiltCalls.every((c) => c.includes(`'--values', 'charts/%s/values-dev.yaml' % name`) && c.includes(`image_keys=[('image.repository', 'image.tag')]`) && /release_name=name/.test(c))) {
    throw new Error('Tiltfile: the helm_resource calls no longer look like `release_name=name, --values charts/%s/values-dev.yaml, image_keys=[(image.repository, image.tag)]`: update scripts/lib/helm-matrix.ts');
  }
  const docs = read('docs/deploy.md');
  if (!/helm upgrade --install payments charts\/payments -n bank-payments \\\n\s+--set image\.tag=<tag>/.test(docs)) {
    throw new Error('docs/deploy.md: the SRE command `helm upgrade --install payments charts/payments -n bank-payments --set image.tag=<tag>` changed: update scripts/lib/helm-matrix.ts');
  }
  const modes: Mode[] = [];
  releases.forEach((r, i) => {
    const chart = String(r.chartPath).replace(/^charts\//, '');
    const base = { chart, release: r.name as string, namespace: r.namespace as string };
    const sets = Object.entries((r.setValueTemplates ?? {}) as Record<string, string>).flatMap(([k, v]) => ['--set', `${k}=${skaffoldTemplate(v, chart)}`]);
    if (sets.some((s) => s.includes('{{'))) throw new Error(`skaffold.yaml release ${r.name}: unknown setValueTemplates variable in ${sets.join(' ')}`);
    const files = (r.valuesFiles ?? []).flatMap((f: string) => ['-f', f]);
    const devFiles = (devValues.get(i) ?? []).flatMap((f) => ['-f', f]);
    modes.push(
      { ...base, mode: 'defaults', values: [], image: '' },
      { ...base, mode: 'tilt', values: ['--values', `charts/${chart}/values-dev.yaml`, '--set', `image.repository=bank/${chart}`, '--set', `image.tag=${TILT_TAG}`], image: `bank/${chart}:${TILT_TAG}` },
      { ...base, mode: 'skaffold', values: [...files, ...sets], image: `bank/${chart}:${SKAFFOLD_TAG}` },
      { ...base, mode: 'skaffold-dev', values: [...files, ...devFiles, ...sets], image: `bank/${chart}:${SKAFFOLD_TAG}` },
      { ...base, mode: 'sre', values: ['--set', `image.tag=${SRE_TAG}`], image: `bank/${chart}:${SRE_TAG}` },
    );
  });
  return modes;
}
