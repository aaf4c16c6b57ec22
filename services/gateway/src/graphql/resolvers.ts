// Query and mutation resolvers: each maps its arguments to one REST call of a service (see
// rest-client.ts), so authorisation, validation and idempotency stay the services' own and GraphQL
// answers exactly what REST answers — including its refusals, with the same codes.
import type { FastifyRequest } from 'fastify';
import type { IResolvers, MercuriusContext } from 'mercurius';
import { GraphqlErrors } from './errors.ts';
import type { RestClient } from './rest-client.ts';
import { MinorUnits } from './scalars.ts';
import { topicFor } from './subscriptions.ts';
import type { AccessClaims } from '@bank/kit';

declare module 'mercurius' {
  interface MercuriusContext {
    /** REST client of the services (plugin.ts puts it in every request's and socket's context). */
    rest: RestClient;
  }
}
export type GraphqlContext = MercuriusContext;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
type Payment = Record<string, unknown> & { id: string; scheduleId: string | null; transactions?: unknown[] };

interface PaymentFilter {
  status?: string;
  currency?: string;
  from?: string;
  to?: string;
  minAmount?: number;
  maxAmount?: number;
}

const requestOf = (ctx: GraphqlContext): FastifyRequest => ctx.reply.request;

/** `Idempotency-Key` as the argument, or else the HTTP request's header. */
function idempotencyKeyOf(ctx: GraphqlContext, argument: string | null | undefined): string {
  if (typeof argument === 'string' && argument.length > 0) return argument;
  const header = requestOf(ctx).headers['idempotency-key'];
  if (typeof header === 'string' && header.length > 0) return header;
  throw GraphqlErrors.idempotencyKeyRequired('Pass idempotencyKey (or an Idempotency-Key header), e.g. a fresh UUID per payment attempt');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parents are the REST bodies, typed per resolver
export const resolvers: IResolvers<any, GraphqlContext> = {
  MinorUnits,
  Query: {
    me: async (_root, _args, ctx) => (await ctx.rest.call<{ user: unknown }>(requestOf(ctx), 'auth', { path: '/auth/me' })).body.user,
    payments: async (_root, args: { filter?: PaymentFilter | null; first?: number | null; after?: string | null }, ctx) => {
      const { body } = await ctx.rest.call<Page<Payment>>(requestOf(ctx), 'payments', {
        path: '/payments',
        query: { ...(args.filter ?? {}), limit: args.first ?? undefined, cursor: args.after ?? undefined },
      });
      return body;
    },
    payment: async (_root, args: { id: string }, ctx) =>
      (await ctx.rest.call<Payment>(requestOf(ctx), 'payments', { path: `/payments/${encodeURIComponent(args.id)}` })).body,
    schedules: async (_root, args: { first?: number | null; after?: string | null }, ctx) =>
      (await ctx.rest.call<Page<unknown>>(requestOf(ctx), 'payments', { path: '/payments/schedules', query: { limit: args.first ?? undefined, cursor: args.after ?? undefined } })).body,
  },
  Mutation: {
    createPayment: async (_root, args: { input: Record<string, unknown>; idempotencyKey?: string | null }, ctx) => {
      const key = idempotencyKeyOf(ctx, args.idempotencyKey);
      // null means "not given" in GraphQL; the REST body has no nulls.
      const body = Object.fromEntries(Object.entries(args.input).filter(([, v]) => v !== null && v !== undefined));
      return (await ctx.rest.call<Payment>(requestOf(ctx), 'payments', { method: 'POST', path: '/payments', body, headers: { 'idempotency-key': key } })).body;
    },
    cancelPayment: async (_root, args: { id: string }, ctx) =>
      (await ctx.rest.call<Payment>(requestOf(ctx), 'payments', { method: 'POST', path: `/payments/${encodeURIComponent(args.id)}/cancel`, body: {} })).body,
  },
  Subscription: {
    paymentUpdated: {
      // The subscriber's own payments, or every payment for an admin (the /ws rooms' audience).
      subscribe: async (_root, _args, ctx) => ctx.pubsub.subscribe(topicFor((ctx as GraphqlContext & { user: AccessClaims }).user)),
      // Over HTTP there is no published payload: subscriptions are served over graphql-ws only.
      resolve: (payload: { paymentUpdated?: unknown } | undefined) => {
        if (!payload?.paymentUpdated) throw GraphqlErrors.subscriptionOverHttp('Subscribe over graphql-ws (a WebSocket to /graphql), not over HTTP');
        return payload.paymentUpdated;
      },
    },
  },
  Payment: {
    transactions: (payment: Payment) => payment.transactions ?? [],
  },
  Schedule: {
    statusReason: (schedule: { statusReason?: string | null }) => schedule.statusReason ?? null,
  },
};
