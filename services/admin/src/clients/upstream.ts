// Calls to other services' HTTP APIs (auth, payments, readiness probes) with a timeout. The
// caller's bearer token and request id are forwarded: the owning service decides what the
// admin may do. A network failure or timeout is an UpstreamFailure, never a hanging request.
export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: unknown;
  latencyMs: number;
}

export class UpstreamFailure extends Error {
  readonly url: string;
  constructor(url: string, cause: unknown) {
    const timedOut = (cause as { name?: string }).name === 'TimeoutError';
    const reason = timedOut ? 'timed out' : ((cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message);
    super(`${new URL(url).origin} ${reason}`);
    this.name = 'UpstreamFailure';
    this.url = url;
  }
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  authorization?: string;
  requestId?: string;
  body?: unknown;
  timeoutMs: number;
}

export async function callUpstream(url: string, req: UpstreamRequest): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.authorization) headers.authorization = req.authorization;
  if (req.requestId) headers['x-request-id'] = req.requestId;
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: req.method ?? 'GET',
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    throw new UpstreamFailure(url, err);
  }
  const contentType = response.headers.get('content-type') ?? 'application/json';
  let body: unknown = text;
  if (text && contentType.includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, contentType, body: text ? body : undefined, latencyMs: Math.round(performance.now() - started) };
}
