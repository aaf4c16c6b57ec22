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

export async function loadRuntimeConfig(url = '/config.json'): Promise<RuntimeConfig> {
  try {
    const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
    if (res.ok) {
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
