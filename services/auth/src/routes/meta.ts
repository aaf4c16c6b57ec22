import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../context.ts';

/**
 * The client address as the proxy chain reported it, only when it is an IP address: a forged or
 * garbled X-Forwarded-For must never reach the `inet` columns (sessions, login attempts). A zone
 * index (`fe80::1%eth0`) is dropped too: PostgreSQL's inet does not take one.
 */
export function clientIp(request: FastifyRequest): string {
  const ip = request.ip;
  if (isIP(ip) && !ip.includes('%')) return ip;
  const peer = request.socket.remoteAddress ?? '';
  return isIP(peer) && !peer.includes('%') ? peer : '0.0.0.0';
}

export const requestMeta = (request: FastifyRequest): RequestMeta => ({
  ip: clientIp(request),
  userAgent: request.headers['user-agent']?.slice(0, 512),
  requestId: request.id,
});
