// The one HTTP client of the front-end. Same origin only: every path is under /api, so the
// browser never talks to a service port. A 401 triggers one token refresh and one retry;
// if that fails the user is signed out. Offline, a request that would change something fails at
// once (code OFFLINE) instead of waiting; a request that cannot reach the server fails with
// NETWORK_UNREACHABLE — both as ApiError with status 0, so every caller shows one clear message.
import { useAuthStore } from '../auth/store.ts';
import { refreshAccessToken, signOutLocally } from '../auth/session.ts';
import { recordApiTiming } from '../analytics/analytics.ts';
import { ApiError, type Problem } from './problem.ts';
import { newTraceparent } from './traceparent.ts';
import { isOffline } from '../network/online.ts';
import { startPrefetch, takePrefetched, takePrefetchedData } from './prefetch.ts';

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function buildPath(path: string, query?: Query): string {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`API paths are relative to /api: ${path}`);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function send(url: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  // Each attempt (a retry after a token refresh too) is its own trace.
  headers.traceparent = newTraceparent();
  return fetch(url, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal,
  });
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    return JSON.parse(text) as Problem;
  } catch {
    return { detail: res.status >= 500 ? undefined : text.slice(0, 200) || undefined };
  }
}

const OFFLINE: Problem = { code: 'OFFLINE' };
const UNREACHABLE: Problem = { code: 'NETWORK_UNREACHABLE' };

/** fetch, with a network failure turned into an ApiError (an abort stays an AbortError). */
async function sendOrFail(url: string, options: RequestOptions, token: string | null): Promise<Response> {
  try {
    return await send(url, options, token);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, isOffline() ? OFFLINE : UNREACHABLE);
  }
}

/**
 * Starts GET `path` now with the current token; the next apiRequest for the same URL (within a few
 * seconds, same token) uses this response instead of asking again.
 */
export function prefetch(path: string, query?: Query): void {
  const url = buildPath(path, query);
  const token = useAuthStore.getState().accessToken;
  startPrefetch(url, token, () => send(url, {}, token));
}

/**
 * The answer of a prefetched GET `path` if it has already arrived (parsed), taken once, with when it
 * was asked for: a query's initialData, so the page's first render shows it.
 */
export function prefetchedData<T>(path: string, query?: Query): { data: T; at: number } | undefined {
  return takePrefetchedData(buildPath(path, query), useAuthStore.getState().accessToken) as { data: T; at: number } | undefined;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = buildPath(path, options.query);
  const method = options.method ?? 'GET';
  if (method !== 'GET' && isOffline()) throw new ApiError(0, OFFLINE);
  const token = useAuthStore.getState().accessToken;
  const started = performance.now();
  const prefetched = method === 'GET' && !options.headers ? await takePrefetched(url, token) : undefined;
  let res = prefetched ?? (await sendOrFail(url, options, token));
  recordApiTiming(path, method, res.status, performance.now() - started);
  if (res.status === 401 && useAuthStore.getState().status === 'authenticated') {
    const fresh = await refreshAccessToken();
    if (!fresh) {
      signOutLocally('Your session has expired. Please sign in again.');
      throw new ApiError(401, await problemOf(res));
    }
    res = await sendOrFail(url, options, fresh);
    if (res.status === 401) {
      signOutLocally('Your session has expired. Please sign in again.');
    }
  }
  if (!res.ok) throw new ApiError(res.status, await problemOf(res));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => apiRequest<T>(path, { method: 'POST', body: body ?? {}, headers }),
  put: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};
