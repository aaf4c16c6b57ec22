// Front-end analytics, loaded after start-up by analytics.ts (the facade the rest imports).
// startAnalytics() wires the sources once: remote load times from the bus, API
// timings from the API client, browser cache hits from Resource Timing, and LCP/INP/CLS/FCP/TTFB
// from the web-vitals library; batches leave on a timer and when the page is hidden.
import type { Metric } from 'web-vitals';
import type { AnalyticsConfig } from './analytics.ts';
import { pagePath } from './page-path.ts';
import { ANALYTICS_PATH, createReporter, type AnalyticsMetric, type AnalyticsReporter, type Consent } from './reporter.ts';

let reporter: AnalyticsReporter | undefined;

const currentPage = () => pagePath(location.pathname);

/** Records one measurement (remotes may call it; nothing happens before startAnalytics). */
export function recordAnalytics(name: AnalyticsMetric, value: number, tags?: Record<string, string>): void {
  reporter?.record(name, value, tags, currentPage());
}

/** The user's choice (profile preference `analytics`); 'unknown' until the profile is read. */
export function setAnalyticsConsent(consent: Consent): void {
  reporter?.setConsent(consent);
}

/** Sign-out: what was measured for this user is not sent with anyone else's token. */
export function discardAnalytics(): void {
  reporter?.discard();
}

/** Called by the API client for each answered request (the analytics endpoint itself excluded). */
export function recordApiTiming(path: string, method: string, status: number, ms: number): void {
  if (!reporter || path.startsWith(ANALYTICS_PATH)) return;
  reporter.record('api.timing', ms, { route: pagePath(path.split('?')[0] ?? path), method, status: String(status) }, currentPage());
}

async function observeWebVitals(landingPage: string) {
  // Loaded after start-up, off the sign-in page's critical bytes (its budget): the library reads
  // buffered performance entries, so LCP, FCP and TTFB of the load are still reported.
  const { onCLS, onFCP, onINP, onLCP, onTTFB } = await import('web-vitals');
  // Web vitals describe the page load (a hard navigation): they are attributed to the landing page.
  const report = (metric: Metric) => reporter?.record(`web-vital.${metric.name.toLowerCase()}` as AnalyticsMetric, metric.value, { rating: metric.rating }, landingPage);
  onLCP(report);
  onINP(report);
  onCLS(report);
  onFCP(report);
  onTTFB(report);
}

/** Browser cache hits for API answers and the remotes' code: nothing crossed the network. */
function observeCacheHits() {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('resource')) return;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      const url = new URL(entry.name, location.href);
      if (url.origin !== location.origin) continue;
      const kind = url.pathname.startsWith('/api/') ? 'api' : url.pathname.startsWith('/mfe/') ? 'remote' : null;
      if (!kind || url.pathname.startsWith(`/api${ANALYTICS_PATH}`)) continue;
      // transferSize 0 with a body: answered by the HTTP cache or the service worker.
      const hit = entry.transferSize === 0 && entry.decodedBodySize > 0;
      reporter?.record(hit ? 'cache.hit' : 'cache.miss', 1, { cache: kind }, currentPage());
    }
  }).observe({ type: 'resource', buffered: true });
}

/** Once, at boot (the shell). Remotes share the instance through @bank/platform. */
export function startAnalytics(config: AnalyticsConfig = {}): void {
  if (reporter) return;
  reporter = createReporter({ sampleRate: config.sampleRate ?? 1, flushIntervalMs: config.flushIntervalMs ?? 10_000 });
  if (!reporter.sampled) return;
  observeCacheHits();
  const flush = () => reporter?.flush();
  setInterval(flush, config.flushIntervalMs ?? 10_000);
  // web-vitals reports CLS/INP on visibilitychange: its listeners go first, the flush after them.
  const addFlushListeners = () => {
    addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
    addEventListener('pagehide', flush);
  };
  observeWebVitals(currentPage()).then(addFlushListeners, addFlushListeners);
}
