// User management is auth's: the admin forwards the administrator's own token to auth's
// /auth/users API, so auth (the owner of the data) authorises every change. Auth's answers,
// problem bodies included, are passed through unchanged; auth unreachable → 502 problem.
import type { AdminContext } from '../context.ts';
import { callUpstream, UpstreamFailure, type UpstreamRequest, type UpstreamResponse } from '../clients/upstream.ts';
import { UpstreamUnavailable } from '../domain/errors.ts';

export interface Caller {
  authorization: string;
  requestId: string;
}

async function toAuth(ctx: Pick<AdminContext, 'config'>, path: string, caller: Caller, req: Omit<UpstreamRequest, 'timeoutMs' | 'authorization' | 'requestId'> = {}): Promise<UpstreamResponse> {
  try {
    return await callUpstream(`${ctx.config.AUTH_URL}/auth/users${path}`, {
      ...req,
      authorization: caller.authorization,
      requestId: caller.requestId,
      timeoutMs: ctx.config.UPSTREAM_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof UpstreamFailure) throw UpstreamUnavailable(`auth: ${err.message}`, { upstream: 'auth' });
    throw err;
  }
}

export function searchUsers(ctx: Pick<AdminContext, 'config'>, query: { q?: string; cursor?: string; limit: number }, caller: Caller) {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.q) params.set('q', query.q);
  if (query.cursor) params.set('cursor', query.cursor);
  return toAuth(ctx, `?${params}`, caller);
}

export function patchUser(ctx: Pick<AdminContext, 'config'>, id: string, patch: { role?: string; status?: string }, caller: Caller) {
  return toAuth(ctx, `/${encodeURIComponent(id)}`, caller, { method: 'PATCH', body: patch });
}

export function disableUser(ctx: Pick<AdminContext, 'config'>, id: string, caller: Caller) {
  return toAuth(ctx, `/${encodeURIComponent(id)}/disable`, caller, { method: 'POST' });
}

export function enableUser(ctx: Pick<AdminContext, 'config'>, id: string, caller: Caller) {
  return toAuth(ctx, `/${encodeURIComponent(id)}/enable`, caller, { method: 'POST' });
}

export function revokeUserSessions(ctx: Pick<AdminContext, 'config'>, id: string, caller: Caller) {
  return toAuth(ctx, `/${encodeURIComponent(id)}/revoke-sessions`, caller, { method: 'POST' });
}
