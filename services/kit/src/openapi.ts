// Each service publishes its own OpenAPI document (built from its TypeBox route schemas) at
// `<prefix>/openapi.json`; the gateway merges them into the edge API document.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';

export interface OpenApiOptions {
  title: string;
  version?: string;
  description?: string;
  /** Public prefix of the service's routes, e.g. `/payments`. */
  prefix: string;
}

async function openApiPlugin(fastify: FastifyInstance, opts: OpenApiOptions) {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: opts.title, version: opts.version ?? '1.0.0', ...(opts.description ? { description: opts.description } : {}) },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Internal routes (health, metrics) are not part of the public contract.
    transform: ({ schema, url }) => ({
      schema: url.startsWith(opts.prefix) && !url.endsWith('/openapi.json') ? schema : { ...schema, hide: true },
      url,
    }),
  });
  fastify.get(`${opts.prefix}/openapi.json`, { config: { public: true }, schema: { hide: true } as object }, async () =>
    fastify.swagger(),
  );
}

export const openApi = fp(openApiPlugin, { name: 'kit-openapi', fastify: '5.x' });
