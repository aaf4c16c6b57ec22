// /payments/schedules: scheduled and recurring payments. Same authentication as /payments;
// thin handlers over use-cases/schedules.ts. Responses are never cached (no-store on writes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PaymentsContext } from '../context.ts';
import { IdempotencyKeyRequired, InvalidAmount } from '../domain/errors.ts';
import type { ScheduleAction } from '../domain/schedule.ts';
import { changeSchedule, createSchedule, getVisibleSchedule, listVisibleSchedules } from '../use-cases/schedules.ts';
import {
  CreatePaymentHeaders,
  CreateScheduleBody,
  errorsFor,
  IdParams,
  Schedule,
  ScheduleListQuery,
  SchedulePage,
  ScheduleQuery,
  ScheduleWithPayments,
} from '../schemas.ts';

export const scheduleRoutes: FastifyPluginAsyncTypebox<{ ctx: PaymentsContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  const common = { tags: ['schedules'], security: [{ bearer: [] }] };
  const actorOf = (request: { user: { sub: string; role: 'ADMIN' | 'CUSTOMER' | 'VENDOR' } }) => ({ sub: request.user.sub, role: request.user.role });

  app.post(
    '/',
    {
      schema: {
        ...common,
        summary: 'Create a scheduled or recurring payment (Idempotency-Key header required)',
        headers: CreatePaymentHeaders,
        body: CreateScheduleBody,
        response: { 200: Schedule, 201: Schedule, ...errorsFor(400, 401, 403, 415, 422) },
      },
      preValidation: async (request) => {
        const body = request.body as { amount?: unknown } | undefined;
        if (body?.amount !== undefined && typeof body.amount !== 'number') throw InvalidAmount('amount must be a JSON integer of minor units, not a string or boolean');
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (!key) throw IdempotencyKeyRequired('Send an Idempotency-Key header (e.g. a fresh UUID per schedule)');
      const result = await createSchedule(ctx, actorOf(request), request.body, key, { requestId: request.id });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(result.statusCode as 201).send(result.body);
    },
  );

  app.get(
    '/',
    { schema: { ...common, summary: 'My schedules (as sender); all for admins', querystring: ScheduleListQuery, response: { 200: SchedulePage, ...errorsFor(400, 401) } } },
    async (request) => listVisibleSchedules(ctx, actorOf(request), request.query),
  );

  app.get(
    '/:id',
    {
      schema: {
        ...common,
        summary: 'One schedule with its next occurrences and the payments it created',
        params: IdParams,
        querystring: ScheduleQuery,
        response: { 200: ScheduleWithPayments, ...errorsFor(400, 401, 404) },
      },
    },
    async (request) => getVisibleSchedule(ctx, actorOf(request), request.params.id, request.query.upcoming ?? 5),
  );

  const actions: Array<[ScheduleAction, string]> = [
    ['pause', 'Pause an active schedule (sender or admin)'],
    ['resume', 'Resume a paused schedule; occurrences dated before today are skipped'],
    ['cancel', 'Cancel a schedule: no further occurrences (created payments are kept)'],
  ];
  for (const [action, summary] of actions) {
    app.post(
      `/:id/${action}`,
      { schema: { ...common, summary, params: IdParams, response: { 200: Schedule, ...errorsFor(400, 401, 404, 409) } } },
      async (request) => changeSchedule(ctx, actorOf(request), request.params.id, action, { requestId: request.id }),
    );
  }
};
