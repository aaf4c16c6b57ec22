import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../context.ts';

export const requestMeta = (request: FastifyRequest): RequestMeta => ({
  ip: request.ip,
  userAgent: request.headers['user-agent']?.slice(0, 512),
  requestId: request.id,
});
