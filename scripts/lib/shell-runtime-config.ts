// The shell's run-time configuration (/config.json) as `npm start` serves it: the built file
// (frontends/shell/dist/config.json, a copy of public/config.json) plus the browser's Sentry
// settings from the runner's environment — the same BROWSER_SENTRY_* variables the shell image's
// entrypoint reads in Kubernetes (frontends/shell/entrypoint.sh, the chart's env values). The
// services' own SENTRY_DSN is separate: a browser project's DSN is public, the services' is not.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

type Env = Record<string, string | undefined>;

/** The gateway's route (services/gateway/src/routes/sentry-tunnel.ts), as in the image's entrypoint. */
export const BROWSER_SENTRY_TUNNEL_DEFAULT = '/api/monitoring/sentry-tunnel';

export interface BrowserSentry {
  dsn: string;
  environment?: string;
  sampleRate?: number;
  release?: string;
  tunnel?: string;
}

/** The `sentry` object of /config.json, or undefined without BROWSER_SENTRY_DSN; throws on a value that cannot be right. */
export function browserSentry(env: Env): BrowserSentry | undefined {
  const dsn = env.BROWSER_SENTRY_DSN;
  if (!dsn) return undefined;
  if (!/^https?:\/\/./.test(dsn)) throw new Error('BROWSER_SENTRY_DSN is not an http(s) URL');
  const sentry: BrowserSentry = { dsn };
  if (env.BROWSER_SENTRY_ENVIRONMENT) sentry.environment = env.BROWSER_SENTRY_ENVIRONMENT;
  const rate = env.BROWSER_SENTRY_SAMPLE_RATE;
  if (rate) {
    if (!/^(0|1|0?\.\d+|1\.0+)$/.test(rate)) throw new Error(`BROWSER_SENTRY_SAMPLE_RATE must be a number from 0 to 1 (got '${rate}')`);
    sentry.sampleRate = Number(rate);
  }
  if (env.BROWSER_SENTRY_RELEASE) sentry.release = env.BROWSER_SENTRY_RELEASE;
  // Unset: the gateway's same-origin tunnel (the CSP's connect-src is 'self'; the gateway inherits
  // BROWSER_SENTRY_DSN from the same environment); set empty: straight to the DSN's host.
  const tunnel = env.BROWSER_SENTRY_TUNNEL ?? BROWSER_SENTRY_TUNNEL_DEFAULT;
  if (tunnel) sentry.tunnel = tunnel;
  return sentry;
}

/**
 * Rewrites <shellDist>/config.json from <publicConfig> and `env` (and its gzip copy, which nginx's
 * gzip_static would otherwise serve instead). Always from the source file, so a DSN of an earlier
 * run does not outlive it. Returns whether reporting is on; false also when nothing is built.
 */
export function writeShellRuntimeConfig(publicConfig: string, shellDist: string, env: Env): boolean {
  const target = `${shellDist}/config.json`;
  if (!existsSync(target)) return false;
  const sentry = browserSentry(env);
  const built = JSON.parse(readFileSync(publicConfig, 'utf8')) as Record<string, unknown>;
  const text = sentry ? `${JSON.stringify({ ...built, sentry }, null, 2)}\n` : readFileSync(publicConfig, 'utf8');
  if (readFileSync(target, 'utf8') === text) return sentry !== undefined;
  writeFileSync(target, text);
  // As frontends/vite-config/precompress.mjs: a gzip copy only when it is smaller.
  const gz = gzipSync(text, { level: 9 });
  if (gz.length < Buffer.byteLength(text)) writeFileSync(`${target}.gz`, gz);
  else rmSync(`${target}.gz`, { force: true });
  return sentry !== undefined;
}
