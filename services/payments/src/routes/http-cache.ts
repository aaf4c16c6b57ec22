// HTTP caching of API reads: private (per-user data, never in shared caches), revalidated on
// every use (no-cache) with a strong ETag of the body, so a client's repeat read costs a 304.
// Writes are no-store.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export function httpCaching(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET') {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    if (reply.statusCode !== 200 || typeof payload !== 'string') {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'authorization');
    const match = request.headers['if-none-match'];
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      reply.code(304);
      return '';
    }
    return payload;
  });
}
