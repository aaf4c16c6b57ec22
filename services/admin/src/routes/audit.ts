// /admin/audit: the audit log, filtered, newest first, cursor pages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminContext } from '../context.ts';
import { listAudit } from '../use-cases/audit.ts';
import { AuditPage, AuditQuery, errorsFor } from '../schemas.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  app.get(
    '/audit',
    { schema: { tags: ['audit'], security: [{ bearer: [] }], summary: 'Audit log of every event', querystring: AuditQuery, response: { 200: AuditPage, ...errorsFor(400, 401, 403) } } },
    async (request) => listAudit(ctx, request.query),
  );
};
