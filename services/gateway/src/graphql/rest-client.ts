// GraphQL resolves over the services' REST APIs: each call goes to the same upstream the REST
// proxy uses (`/api/<service>/…` ↔ `<SERVICE>_URL/<service>/…`), through an undici pool with the
// proxy's options, carrying the caller's identity exactly as the proxy does (upstreamHeaders:
// verified x-user-*, x-session-id, the bearer token the services verify again, x-request-id,
// X-Forwarded-*). A problem answer becomes an AppError with the service's own code and status,
// so GraphQL refuses with the same codes as REST; transport failures map like the proxy's.
import { Pool } from 'undici';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@bank/kit';
import { classifyUpstreamError } from '../domain/upstream-errors.ts';
import type { UpstreamService } from '../domain/routes.ts';
import { upstreamHeaders } from '../plugins/upstreams.ts';

export interface RestClientOptions {
  services: Record<UpstreamService, string>;
  timeoutMs: number;
  connectTimeoutMs: number;
  connections: number;
}

export interface RestCall {
  method?: 'GET' | 'POST';
  /** Path under the service's prefix, e.g. `/payments/abc` (no `/api`). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** Headers of the client's request the services may see (the rest is the GraphQL transport's). */
const FORWARDED = ['authorization', 'host', 'x-forwarded-proto', 'x-forwarded-host', 'accept-language', 'user-agent'] as const;

export class RestClient {
  readonly #pools: Map<UpstreamService, Pool>;

  constructor(opts: RestClientOptions) {
    this.#pools = new Map(
      (Object.entries(opts.services) as Array<[UpstreamService, string]>).map(([service, origin]) => [
        service,
        new Pool(origin, {
          connections: opts.connections,
          pipelining: 1,
          keepAliveTimeout: 30_000,
          headersTimeout: opts.timeoutMs,
          bodyTimeout: opts.timeoutMs,
          connect: { timeout: opts.connectTimeoutMs },
        }),
      ]),
    );
  }

  async call<T>(request: FastifyRequest, service: UpstreamService, call: RestCall): Promise<RestResponse<T>> {
    const pool = this.#pools.get(service)!;
    const picked: Record<string, string | string[] | undefined> = {};
    for (const name of FORWARDED) if (request.headers[name] !== undefined) picked[name] = request.headers[name];
    const headers = upstreamHeaders(request, picked) as Record<string, string>;
    delete headers.host; // undici sets the upstream's own
    Object.assign(headers, call.headers);
    let payload: string | undefined;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) search.set(key, String(value));
    const path = search.size > 0 ? `${call.path}?${search}` : call.path;
    let response: Awaited<ReturnType<Pool['request']>>;
    try {
      response = await pool.request({ method: call.method ?? 'GET', path, headers, body: payload });
    } catch (error) {
      const failure = classifyUpstreamError(error);
      request.log.warn({ service, status: failure.status, err: { message: (error as Error).message } }, 'graphql upstream call failed');
      throw new AppError(failure.code, failure.status, failure.title, `The ${service} service did not answer`);
    }
    const text = await response.body.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.statusCode >= 400) throw problemToError(service, response.statusCode, body);
    return { status: response.statusCode, body: body as T, headers: response.headers };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
  }
}

/** A service's problem body as the same error (code, status, detail, field errors). */
function problemToError(service: string, status: number, body: unknown): AppError {
  const p = (body ?? {}) as { code?: unknown; title?: unknown; detail?: unknown; errors?: unknown };
  if (typeof p.code !== 'string') {
    return new AppError('GATEWAY_UPSTREAM_FAILED', 502, 'Upstream failed', `The ${service} service answered ${status} without a problem body`);
  }
  const title = typeof p.title === 'string' ? p.title : p.code;
  // A service's own 5xx keeps its code but not its details (as the REST error handler hides them).
  const detail = status < 500 && typeof p.detail === 'string' ? p.detail : undefined;
  return new AppError(p.code, status, title, detail, Array.isArray(p.errors) ? { errors: p.errors } : undefined);
}
