// Hit/miss counters on prom-client's default registry (the one the kit serves at /metrics),
// labelled by namespace. Get-or-create: several caches (and test apps) share one process.
import client from 'prom-client';

function counter(name: string, help: string, labelNames: string[]): client.Counter {
  return (client.register.getSingleMetric(name) as client.Counter | undefined) ?? new client.Counter({ name, help, labelNames });
}

export const cacheMetrics = {
  hits: counter('cache_hits_total', 'Cache reads answered from Redis', ['namespace']),
  misses: counter('cache_misses_total', 'Cache reads that ran the loader', ['namespace']),
  errors: counter('cache_errors_total', 'Redis failures the cache degraded around (loader used directly)', ['namespace', 'op']),
  refused: counter('cache_refused_total', 'Values refused because they looked like secrets', ['namespace']),
  invalidations: counter('cache_invalidations_total', 'Tags invalidated (every entry stamped with one becomes dead: the cache evicts by generation)', ['namespace']),
  duration:
    (client.register.getSingleMetric('cache_operation_duration_seconds') as client.Histogram | undefined) ??
    new client.Histogram({
      name: 'cache_operation_duration_seconds',
      help: 'Redis round trips of the cache, by operation (read, write, lock, unlock, invalidate)',
      labelNames: ['namespace', 'op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
};
