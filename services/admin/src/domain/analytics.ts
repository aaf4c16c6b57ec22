// Front-end measurements: what a browser may report and when it is taken to have happened.
/** Metric names the front-ends report (DESIGN §10); anything else is refused. */
export const ANALYTICS_METRICS = [
  'remote.load', // module federation remote loaded (ms), tag `remote`
  'api.timing', // API call duration (ms), tags `route`, `status`
  'cache.hit', // service-worker / query cache hit (1), tag `cache`
  'cache.miss',
  'web-vital.lcp',
  'web-vital.inp',
  'web-vital.cls',
  'web-vital.fcp',
  'web-vital.ttfb',
] as const;

const MAX_PAST_MS = 24 * 3_600_000;
const MAX_FUTURE_MS = 5 * 60_000;

/**
 * The client's own timestamp when plausible (batches are sent late, e.g. after being offline),
 * else the receive time: a wrong client clock must not scatter figures over the timeline.
 */
export function occurredAt(clientAt: string | undefined, now: Date): Date {
  if (!clientAt) return now;
  const at = new Date(clientAt);
  const delta = at.getTime() - now.getTime();
  return delta > MAX_FUTURE_MS || delta < -MAX_PAST_MS ? now : at;
}
