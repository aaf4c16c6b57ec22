// Prometheus's HTTP API (GET /api/v1/query_range), for the monitoring page in Kubernetes. A
// failure (unreachable, bad query, an error status) is an UpstreamFailure-like error the route
// turns into 502 problem+json.
import { AppError } from '@bank/kit';

export interface MatrixSeries {
  metric: Record<string, string>;
  values: Array<[seconds: number, value: string]>;
}

export const PrometheusUnavailable = (detail: string) => new AppError('ADMIN_PROMETHEUS_UNAVAILABLE', 502, 'Prometheus unavailable', detail);

export async function queryRange(baseUrl: string, query: string, range: { start: number; end: number; step: number }, timeoutMs: number): Promise<MatrixSeries[]> {
  const url = new URL('/api/v1/query_range', baseUrl);
  url.search = new URLSearchParams({ query, start: String(range.start), end: String(range.end), step: String(range.step) }).toString();
  let body: { status?: string; error?: string; data?: { resultType?: string; result?: MatrixSeries[] } };
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    body = (await res.json()) as typeof body;
  } catch (err) {
    throw PrometheusUnavailable(`${url.origin}: ${(err as Error).message}`);
  }
  if (body.status !== 'success' || body.data?.resultType !== 'matrix') throw PrometheusUnavailable(body.error ?? 'unexpected answer to query_range');
  return body.data.result ?? [];
}
