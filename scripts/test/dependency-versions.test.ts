// One version of each dependency across the monorepo: every workspace that names a package
// pins the same exact version (no ranges), so the lockfile holds one copy where it can.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from '../lib/local-env.ts';

type Manifest = { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const manifests: Array<{ path: string; pkg: Manifest }> = [{ path: 'package.json', pkg: JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) }];
for (const folder of ['services', 'frontends']) {
  for (const dir of readdirSync(`${REPO_ROOT}/${folder}`)) {
    const path = `${folder}/${dir}/package.json`;
    if (existsSync(`${REPO_ROOT}/${path}`)) manifests.push({ path, pkg: JSON.parse(readFileSync(`${REPO_ROOT}/${path}`, 'utf8')) });
  }
}
const internal = new Set(manifests.map((m) => m.pkg.name));

t.test('every external dependency has one exact version across workspaces', async (t) => {
  const versions = new Map<string, Map<string, string[]>>();
  for (const { path, pkg } of manifests) {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (internal.has(name)) {
        t.equal(version, '*', `${path}: internal ${name} is referenced as "*"`);
        continue;
      }
      const byVersion = versions.get(name) ?? new Map<string, string[]>();
      byVersion.set(version, [...(byVersion.get(version) ?? []), path]);
      versions.set(name, byVersion);
    }
  }
  const ranges = [...versions].filter(([, v]) => [...v.keys()].some((ver) => /^[\^~><*]|\s|x/.test(ver)));
  t.same(ranges.map(([name, v]) => `${name}@${[...v.keys()].join('|')}`), [], 'exact versions only');
  const split = [...versions].filter(([, v]) => v.size > 1);
  t.same(split.map(([name, v]) => `${name}: ${[...v].map(([ver, where]) => `${ver} in ${where.join(', ')}`).join(' / ')}`), [], 'one version each');
  t.ok(versions.size > 30, `${versions.size} external dependencies checked in ${manifests.length} manifests`);
});
