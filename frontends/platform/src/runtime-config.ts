// Run-time configuration served next to the shell's index.html (/config.json), so one build runs
// natively and on Kubernetes: only this file differs.
import type { ErrorReportingConfig } from './error-reporting.ts';
export interface RuntimeConfig {
  remotes: Record<string, string>;
  /** Poll interval for payment status when real-time updates are unavailable. */
  paymentPollMs?: number;
  realtime?: boolean;
  /** Error reports to Sentry (error-reporting.ts); absent or without a dsn = off. */
  sentry?: ErrorReportingConfig;
  /** Front-end analytics: share of page loads sampled (0..1) and the batch interval. */
  analytics?: { sampleRate?: number; flushIntervalMs?: number };
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  remotes: {
    auth: '/mfe/auth/assets/remoteEntry.js',
    payments: '/mfe/payments/assets/remoteEntry.js',
    admin: '/mfe/admin/assets/remoteEntry.js',
  },
  paymentPollMs: 2000,
  realtime: true,
};

let config: RuntimeConfig = DEFAULT_CONFIG;

declare global {
  interface Window {
    /** /config.json as the shell's public/early-requests.js asked for it before this code loaded; null if that failed. */
    __BANK_EARLY_CONFIG__?: Promise<Response | null>;
  }
}

/** The request for /config.json started by early-requests.js, once (a later load asks anew). */
function takeEarlyConfig(): Promise<Response | null> | undefined {
  if (typeof window === 'undefined') return undefined;
  const early = window.__BANK_EARLY_CONFIG__;
  delete window.__BANK_EARLY_CONFIG__;
  return early;
}

/**
 * Reads the run-time configuration, merged over the defaults (which stay when it cannot be read).
 * The default URL takes the request early-requests.js started, if there is one: a cold load then
 * does not wait for /config.json after the app's modules have run.
 */
export async function loadRuntimeConfig(url = '/config.json'): Promise<RuntimeConfig> {
  try {
    const early = url === '/config.json' ? takeEarlyConfig() : undefined;
    const res = early ? await early : await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (!res) console.warn('runtime config unavailable, using defaults');
    else if (res.ok) {
      const loaded = (await res.json()) as Partial<RuntimeConfig>;
      config = { ...DEFAULT_CONFIG, ...loaded, remotes: { ...DEFAULT_CONFIG.remotes, ...loaded.remotes } };
    }
  } catch (error) {
    console.warn('runtime config unavailable, using defaults', error);
  }
  return config;
}

export function getRuntimeConfig(): RuntimeConfig {
  return config;
}
