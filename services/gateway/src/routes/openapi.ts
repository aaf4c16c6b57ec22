// The edge API document: each service's own OpenAPI (built from its route schemas) fetched,
// re-based under /api and merged, then served as /api/openapi.json with a docs UI at /api/docs.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { UpstreamService } from '../domain/routes.ts';

interface OpenApiDoc {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  tags?: Array<{ name: string }>;
  servers?: Array<{ url: string }>;
}

export function mergeServiceDocs(docs: Partial<Record<string, { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } }>>, target: OpenApiDoc) {
  target.paths = {};
  target.components.schemas = {};
  for (const [service, doc] of Object.entries(docs)) {
    if (!doc) continue;
    for (const [path, item] of Object.entries(doc.paths ?? {})) target.paths[`/api${path}`] = item;
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      target.components.schemas[name in target.components.schemas ? `${service}.${name}` : name] = schema;
    }
  }
  return target;
}

export async function openApiRoutes(fastify: FastifyInstance, opts: { services: Record<UpstreamService, string> }) {
  // One document object, refreshed in place: @fastify/swagger (static mode) serves it to the UI.
  const document: OpenApiDoc = {
    openapi: '3.1.0',
    info: {
      title: 'Bank payments platform — edge API',
      version: '1.0.0',
      description: 'Everything the browser calls, under /api. Errors are problem+json bodies with a stable `code`.',
    },
    servers: [{ url: '/' }],
    paths: {},
    components: { schemas: {}, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
  let fetchedAt = 0;
  const refresh = async () => {
    if (Date.now() - fetchedAt < 60_000 && Object.keys(document.paths).length > 0) return;
    const entries = await Promise.all(
      Object.entries(opts.services).map(async ([service, base]) => {
        try {
          const res = await fetch(`${base}/${service}/openapi.json`, { signal: AbortSignal.timeout(2_000) });
          return [service, res.ok ? await res.json() : undefined] as const;
        } catch {
          return [service, undefined] as const; // a service that is down is simply absent for now
        }
      }),
    );
    mergeServiceDocs(Object.fromEntries(entries) as Parameters<typeof mergeServiceDocs>[0], document);
    fetchedAt = Date.now();
  };

  await fastify.register(swagger, { mode: 'static', specification: { document: document as never } });
  // The refresh hook lives in its own context with the docs routes only: the proxied routes
  // (every other request) do not run it.
  await fastify.register(async (docs) => {
    docs.addHook('onRequest', refresh);
    await docs.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
    docs.get('/api/openapi.json', { schema: { hide: true } as object }, async () => document);
  });
}
