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
};
