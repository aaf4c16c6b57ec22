// GraphQL at /graphql (Mercurius): queries and mutations resolved over the services' REST APIs,
// the subscription paymentUpdated over graphql-ws on the /ws event bridge. The edge rules are the
// REST API's: the same token verification and revocation (fastify.authenticate), the same rate
// limit budget (the global @fastify/rate-limit hook), the same problem codes in
// errors[].extensions. Encapsulated: Mercurius's error handler answers for /graphql only.
// Order of checks: switch (features.graphql) → identity → size → (Mercurius) parse, depth,
// complexity, validation → execute.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import mercurius, { type MercuriusOptions } from 'mercurius';
import type { AccessClaims } from '@bank/kit';
import type { UpstreamService } from '../domain/routes.ts';
import { originGuard, upgradeAuthenticator } from '../ws/authenticate.ts';
import { formatGraphqlErrors, GraphqlErrors } from './errors.ts';
import { graphqlFeatureFlag, GRAPHQL_FLAG_KEY } from './feature-flag.ts';
import { graphql } from './graphql-js.ts';
import { checkQuerySource, validationRules, type GraphqlLimits } from './limits.ts';
import { loaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { RestClient } from './rest-client.ts';
import { typeDefs } from './schema.ts';
import { publicationsFor, SubscriptionSockets } from './subscriptions.ts';

export interface GraphqlPluginOptions extends GraphqlLimits {
  services: Record<UpstreamService, string>;
  timeoutMs: number;
  connectTimeoutMs: number;
  connections: number;
  /** GRAPHQL_ENABLED: the switch while features.graphql is null. */
  enabledByDefault: boolean;
  configRetryMs: number;
  /** Introspection and the GraphiQL page (/graphiql): only when NODE_ENV !== 'production'. */
  development: boolean;
  /** Origins that may open the graphql-ws socket besides the page's own (as for /ws). */
  allowedOrigins: readonly string[];
  keepAliveMs: number;
}

const isUpgrade = (request: FastifyRequest) => request.headers.upgrade?.toLowerCase() === 'websocket';

export async function graphqlEndpoint(fastify: FastifyInstance, opts: GraphqlPluginOptions) {
  const rest = new RestClient(opts);
  const sockets = new SubscriptionSockets();
  const flag = graphqlFeatureFlag({ adminUrl: opts.services.admin, envDefault: opts.enabledByDefault, retryMs: opts.configRetryMs, timeoutMs: opts.timeoutMs, log: fastify.log.child({ component: 'graphql' }) });
  flag.start();
  fastify.addHook('onClose', async () => {
    flag.stop();
    await rest.close();
  });
  fastify.addHook('preClose', async () => sockets.closeAll(1001, 'Server shutting down'));

  const authenticateUpgrade = upgradeAuthenticator(fastify);
  const checkOrigin = originGuard(opts.allowedOrigins);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!flag.enabled()) throw GraphqlErrors.disabled('The GraphQL API is switched off (features.graphql)');
    if (request.method === 'OPTIONS' || request.url.startsWith('/graphiql')) return;
    if (isUpgrade(request)) {
      // As /ws: Origin first, then `?ticket=` or `Sec-WebSocket-Protocol: graphql-transport-ws, bearer, <token>`.
      await checkOrigin(request);
      await authenticateUpgrade(request, reply);
      return;
    }
    await fastify.authenticate(request, reply);
  });
  fastify.addHook('preHandler', async (request: FastifyRequest) => {
    const source = request.method === 'GET' ? (request.query as { query?: unknown }).query : (request.body as { query?: unknown } | undefined)?.query;
    checkQuerySource(source, opts.maxQueryBytes);
  });

  const options: MercuriusOptions = {
    schema: typeDefs,
    resolvers,
    loaders,
    path: '/graphql',
    graphiql: opts.development,
    queryDepth: opts.maxDepth,
    // Complexity depends on the variables (first: $n), so the rules are built per request, which
    // rules out Mercurius's validation cache.
    validationRules: validationRules(opts, opts.development),
    cache: false,
    allowBatchedQueries: false,
    errorFormatter: formatGraphqlErrors as never,
    context: () => ({ rest }),
    subscription: {
      keepAlive: opts.keepAliveMs,
      context: (socket, request) => {
        const user = request.user as AccessClaims;
        sockets.add(socket, user);
        fastify.sessionActivity?.touch(user.sid);
        return { rest, user };
      },
    },
  };
  await fastify.register(mercurius, options);

  // Mercurius checks only the depth of a subscription document: validate it as a request over
  // HTTP is validated, or a field the schema does not have streams events with that field missing.
  const subscriptionRules = validationRules(opts, opts.development)({});
  fastify.graphql.addHook('preSubscriptionExecution', async (schema, document) => {
    const errors = graphql.validate(schema, document, [...graphql.specifiedRules, ...subscriptionRules]);
    if (errors.length > 0) {
      throw new graphql.GraphQLError(errors.map((e) => e.message).join(' '), { extensions: { code: GraphqlErrors.validation.code, status: GraphqlErrors.validation.statusCode } });
    }
  });

  // Fed by the /ws bridge: payment events to subscribers, identity events close stale sockets,
  // a change of the switch is fetched at once.
  fastify.ws.onEvent((event) => {
    for (const publication of publicationsFor(event)) void fastify.graphql.pubsub.publish(publication);
    sockets.closeStale(event);
    if (event.type === 'admin.config.updated' && (event.data as { key?: string }).key === GRAPHQL_FLAG_KEY) {
      flag.reload().catch((err: unknown) => fastify.log.warn({ err: { message: (err as Error).message } }, 'graphql feature flag reload failed'));
    }
  });

}
