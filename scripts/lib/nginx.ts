// Renders ingress-nginx/native/* into a run directory and finds the nginx binary. Used by the
// runner and by the edge tests (which start a second nginx with other limits or upstreams).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { REPO_ROOT } from './local-env.ts';

export interface NginxVars {
  runDir: string;
  httpsPort: number;
  httpPort: number;
  gatewayUpstream: string;
  apiRate: string;
  apiBurst: number;
  authRate: string;
  authBurst: number;
}

export function nginxBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/** Writes <runDir>/nginx/nginx.conf (+ included files); returns the config path. */
export function renderNginxConfig(v: NginxVars): string {
  const dir = `${v.runDir}/nginx`;
  for (const sub of ['tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) mkdirSync(`${dir}/${sub}`, { recursive: true });
  const vars: Record<string, string> = {
    RUN_DIR: v.runDir,
    REPO_ROOT,
    NGINX_CONF_DIR: dir,
    NGINX_MIME_TYPES: '/etc/nginx/mime.types',
    HTTPS_PORT: String(v.httpsPort),
    HTTP_PORT: String(v.httpPort),
    GATEWAY_UPSTREAM: v.gatewayUpstream,
    API_RATE: v.apiRate,
    API_BURST: String(v.apiBurst),
    AUTH_RATE: v.authRate,
    AUTH_BURST: String(v.authBurst),
  };
  const source = `${REPO_ROOT}/ingress-nginx/native`;
  for (const file of readdirSync(source)) {
    if (!file.endsWith('.conf') && !file.endsWith('.template')) continue;
    const text = readFileSync(`${source}/${file}`, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (whole, key: string) => vars[key] ?? whole);
    writeFileSync(`${dir}/${file.replace(/\.template$/, '')}`, text);
  }
  return `${dir}/nginx.conf`;
}

/** `nginx -t`; returns the error text or undefined when valid. */
export function checkNginxConfig(conf: string, runDir: string): string | undefined {
  const test = spawnSync(nginxBinary() ?? 'nginx', ['-t', '-q', '-p', `${runDir}/nginx`, '-c', conf], { encoding: 'utf8' });
  return test.status === 0 ? undefined : test.stderr;
}
