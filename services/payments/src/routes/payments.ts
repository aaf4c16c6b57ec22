// /payments: create, list, get, cancel, stats. Every route authenticates with the platform's
// access token (verified here again, revocations included); thin handlers map HTTP to use-cases.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PaymentsContext } from '../context.ts';
import { IdempotencyKeyRequired, InvalidAmount } from '../domain/errors.ts';
import { cancelPayment } from '../use-cases/cancel-payment.ts';
import { createPayment } from '../use-cases/create-payment.ts';
import { getStats, getVisiblePayment, listVisiblePayments } from '../use-cases/read-payments.ts';
import {
  CreatePaymentBody,
  CreatePaymentHeaders,
  errorsFor,
  IdParams,
  Payment,
  PaymentListQuery,
  PaymentPage,
  PaymentStats,
  PaymentWithTransactions,
} from '../schemas.ts';
import { httpCaching } from './http-cache.ts';

export const paymentRoutes: FastifyPluginAsyncTypebox<{ ctx: PaymentsContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  httpCaching(app);
  const common = { tags: ['payments'], security: [{ bearer: [] }] };
  const actorOf = (request: { user: { sub: string; role: 'ADMIN' | 'CUSTOMER' | 'VENDOR' } }) => ({ sub: request.user.sub, role: request.user.role });

  app.post(
    '/',
    {
      schema: {
        ...common,
        summary: 'Create a payment (Idempotency-Key header required)',
        headers: CreatePaymentHeaders,
        body: CreatePaymentBody,
        response: { 200: Payment, 201: Payment, ...errorsFor(400, 401, 403, 415, 422, 503) },
      },
      // The validator coerces types (true → 1, "100" → 100); money must arrive as a JSON number.
      preValidation: async (request) => {
        const amount = (request.body as { amount?: unknown } | undefined)?.amount;
        if (amount !== undefined && typeof amount !== 'number') throw InvalidAmount('amount must be a JSON integer of minor units, not a string or boolean');
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (!key) throw IdempotencyKeyRequired('Send an Idempotency-Key header (e.g. a fresh UUID per payment attempt)');
      const result = await createPayment(ctx, actorOf(request), request.body, key, { requestId: request.id });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.statusCode as 201).send(result.body);
    },
  );

  app.get(
    '/',
    { schema: { ...common, summary: 'My payments (sent or received); all for admins', querystring: PaymentListQuery, response: { 200: PaymentPage, 304: {}, ...errorsFor(400, 401) } } },
    async (request) => listVisiblePayments(ctx, actorOf(request), request.query),
  );

  app.get(
    '/stats',
    {
      onRequest: app.requireRole('ADMIN'),
      schema: { ...common, summary: 'Counts by status, counts and totals by currency (ADMIN)', response: { 200: PaymentStats, 304: {}, ...errorsFor(401, 403) } },
    },
    async () => getStats(ctx),
  );

  app.get(
    '/:id',
    { schema: { ...common, summary: 'One payment with its status history', params: IdParams, response: { 200: PaymentWithTransactions, 304: {}, ...errorsFor(400, 401, 404) } } },
    async (request) => getVisiblePayment(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/:id/cancel',
    { schema: { ...common, summary: 'Cancel a pending payment (sender or admin)', params: IdParams, response: { 200: Payment, ...errorsFor(400, 401, 403, 404, 409) } } },
    async (request) => cancelPayment(ctx, actorOf(request), request.params.id, { requestId: request.id }),
  );
};
