// Front-end measurements, batched to POST /api/admin/analytics. Bounded: at most MAX_QUEUE events
// wait (later ones are dropped and counted), a batch carries at most MAX_BATCH (the endpoint's
// limit). Sampled: one draw per page load against the configured rate. Consent: events wait
// while the user's preference is unknown, are sent once it allows them, and are discarded (and
// nothing is recorded) when the user has opted out — or on sign-out, so one user's events are
// never sent with the next user's token.
//
// Transport: fetch with `keepalive` (it outlives the page like sendBeacon) because the edge
// authenticates with the bearer token and sendBeacon cannot send an Authorization header; where
// keepalive fetch is missing, sendBeacon is not an option for the same reason, so plain fetch.
import { buildPath } from '../api/client.ts';
import { useAuthStore } from '../auth/store.ts';

export type AnalyticsMetric =
  | 'remote.load'
  | 'api.timing'
  | 'cache.hit'
  | 'cache.miss'
  | 'web-vital.lcp'
  | 'web-vital.inp'
  | 'web-vital.cls'
  | 'web-vital.fcp'
  | 'web-vital.ttfb';

export interface AnalyticsEvent {
  name: AnalyticsMetric;
  value: number;
  tags?: Record<string, string>;
  page?: string;
  at: string;
}

export type Consent = 'unknown' | 'granted' | 'denied';

export const MAX_BATCH = 50;
export const MAX_QUEUE = 200;
export const ANALYTICS_PATH = '/admin/analytics';

export interface ReporterOptions {
  /** 0..1: the share of page loads that report at all. */
  sampleRate: number;
  /** How often a partial batch is sent while the page is visible. */
  flushIntervalMs: number;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
  random?: () => number;
}

export interface AnalyticsReporter {
  record(name: AnalyticsMetric, value: number, tags?: Record<string, string>, page?: string): void;
  setConsent(consent: Consent): void;
  /** Drops what is queued and waits for consent again (sign-out: the next user is someone else). */
  discard(): void;
  /** Sends what is queued (when consented); called on page hide and by the timer. */
  flush(): void;
  readonly sampled: boolean;
  readonly dropped: number;
  readonly queued: number;
}

export function createReporter(options: ReporterOptions): AnalyticsReporter {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const sampled = (options.random ?? Math.random)() < options.sampleRate;
  let consent: Consent = 'unknown';
  let queue: AnalyticsEvent[] = [];
  let dropped = 0;

  function send(batch: AnalyticsEvent[]) {
    const token = useAuthStore.getState().accessToken;
    if (!token) return; // signed out meanwhile: nothing may be sent
    void doFetch(buildPath(ANALYTICS_PATH), {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ events: batch }),
    }).catch(() => undefined); // best effort: measurements are never worth an error
  }

  function flush() {
    if (consent !== 'granted') return;
    while (queue.length > 0) send(queue.splice(0, MAX_BATCH));
  }

  return {
    record(name, value, tags, page) {
      if (!sampled || consent === 'denied' || !Number.isFinite(value) || value < 0) return;
      if (queue.length >= MAX_QUEUE) {
        dropped++;
        return;
      }
      queue.push({ name, value: Math.round(value * 1000) / 1000, ...(tags ? { tags } : {}), ...(page ? { page } : {}), at: new Date().toISOString() });
      if (queue.length >= MAX_BATCH && consent === 'granted') flush();
    },
    setConsent(next) {
      consent = next;
      if (next === 'denied') queue = [];
      if (next === 'granted') flush();
    },
    discard() {
      queue = [];
      consent = 'unknown';
    },
    flush,
    get sampled() {
      return sampled;
    },
    get dropped() {
      return dropped;
    },
    get queued() {
      return queue.length;
    },
  };
}
