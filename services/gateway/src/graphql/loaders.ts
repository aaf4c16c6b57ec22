// Batched lookups (Mercurius loaders, DataLoader-style: one call per distinct key per request,
// results cached for the request). Payment.schedule: a page of 100 occurrences of the same
// recurring payment costs one upstream call, not 100.
import type { MercuriusLoaders } from 'mercurius';
import { AppError } from '@bank/kit';
import type { GraphqlContext } from './resolvers.ts';

type ScheduleQuery = { obj: { scheduleId?: string | null } };

export const loaders: MercuriusLoaders<GraphqlContext> = {
  Payment: {
    async schedule(queries: ScheduleQuery[], ctx: GraphqlContext) {
      const ids = [...new Set(queries.map((q) => q.obj.scheduleId).filter((id): id is string => typeof id === 'string'))];
      const found = new Map<string, unknown>();
      await Promise.all(
        ids.map(async (id) => {
          try {
            const { body } = await ctx.rest.call<unknown>(ctx.reply.request, 'payments', { path: `/payments/schedules/${encodeURIComponent(id)}`, query: { upcoming: 5 } });
            found.set(id, body);
          } catch (error) {
            // A schedule the caller may not see (a payment received from someone's schedule) is null.
            if (!(error instanceof AppError && error.statusCode === 404)) throw error;
          }
        }),
      );
      ctx.reply.request.log.debug({ payments: queries.length, schedules: ids.length }, 'graphql: schedules loaded in one batch');
      return queries.map((q) => (q.obj.scheduleId ? (found.get(q.obj.scheduleId) ?? null) : null));
    },
  },
};
