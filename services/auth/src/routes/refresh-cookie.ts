// The refresh token travels in an httpOnly cookie scoped to the auth API path, so browser
// JavaScript never sees it; API clients (curl, tests) may send it in the body instead.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REFRESH_COOKIE = 'refresh_token';
const COOKIE_PATH = '/api/auth';

export function readRefreshCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== REFRESH_COOKIE) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // broken percent-encoding: no usable token (401), never a 500
    }
  }
  return undefined;
}

export function setRefreshCookie(reply: FastifyReply, token: string, maxAgeSeconds: number, secure: boolean) {
  reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=${encodeURIComponent(token)}; Path=${COOKIE_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
  );
}

export function clearRefreshCookie(reply: FastifyReply, secure: boolean) {
  reply.header('set-cookie', `${REFRESH_COOKIE}=; Path=${COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`);
}
