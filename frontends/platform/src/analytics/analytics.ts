// Front-end analytics for the shell and every remote (one instance: @bank/platform is a federation
// singleton). This facade is all the start-up bytes carry: startAnalytics() loads the reporter and
// web-vitals (analytics-runtime.ts) as their own chunk, off the sign-in page's budget; what is
// recorded before it arrives waits in a short queue (bounded: a burst is not worth the memory).
import { bus } from '../events/bus.ts';
import type { AnalyticsMetric, Consent } from './reporter.ts';
import type * as RuntimeModule from './analytics-runtime.ts';

export interface AnalyticsConfig {
  /** 0..1, share of page loads that report (default 1). */
  sampleRate?: number;
  /** Default 10 s. */
  flushIntervalMs?: number;
}

type Runtime = typeof RuntimeModule;
const MAX_PENDING = 100;
let runtime: Runtime | undefined;
let started = false;
const pending: Array<(r: Runtime) => void> = [];

function withRuntime(call: (r: Runtime) => void): void {
  if (runtime) call(runtime);
  else if (started && pending.length < MAX_PENDING) pending.push(call);
}

/** Once, at boot (the shell). */
export function startAnalytics(config: AnalyticsConfig = {}): void {
  if (started) return;
  started = true;
  bus.on('remote:loaded', ({ name, ms }) => recordAnalytics('remote.load', ms, { remote: name }));
  whenPageIsUp(() => {
    void import('./analytics-runtime.ts').then(
      (loaded) => {
        runtime = loaded;
        loaded.startAnalytics(config);
        for (const call of pending.splice(0)) call(loaded);
      },
      () => pending.splice(0), // no analytics rather than an error for the user
    );
  });
}

/** A page without a remote (settings, not found) loads the runtime this long after `load`. */
const NO_REMOTE_DELAY_MS = 3_000;

/**
 * The runtime (reporter + web-vitals) is loaded after the page's own code — once its remote has
 * loaded (or, on a page without one, a few seconds after `load`) and the main thread is idle — so
 * its download and evaluation do not compete with the sign-in form or the payments list
 * (docs/benchmarks/frontend.md). Nothing is missed: web-vitals reads the buffered performance
 * entries, and what is recorded meanwhile waits in the queue.
 */
function whenPageIsUp(run: () => void): void {
  if (typeof window === 'undefined') {
    run();
    return;
  }
  let begun = false;
  const start = () => {
    if (begun) return;
    begun = true;
    stopListening();
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2_000 });
    else setTimeout(run, 0);
  };
  const stopListening = bus.on('remote:loaded', start);
  const afterLoad = () => setTimeout(start, NO_REMOTE_DELAY_MS);
  if (document.readyState === 'complete') afterLoad();
  else window.addEventListener('load', afterLoad, { once: true });
}

/** Records one measurement (remotes may call it; nothing happens before startAnalytics). */
export function recordAnalytics(name: AnalyticsMetric, value: number, tags?: Record<string, string>): void {
  withRuntime((r) => r.recordAnalytics(name, value, tags));
}

/** The user's choice (profile preference `analytics`); 'unknown' until the profile is read. */
export function setAnalyticsConsent(consent: Consent): void {
  withRuntime((r) => r.setAnalyticsConsent(consent));
}

/** Sign-out: what was measured for this user is not sent with anyone else's token. */
export function discardAnalytics(): void {
  if (runtime) runtime.discardAnalytics();
  else pending.splice(0); // recorded for the user who just left: never sent
}

/** Called by the API client for each answered request (the analytics endpoint itself excluded). */
export function recordApiTiming(path: string, method: string, status: number, ms: number): void {
  withRuntime((r) => r.recordApiTiming(path, method, status, ms));
}
