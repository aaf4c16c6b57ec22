// The audit log: every event on the hub recorded once (inbox + unique event id), searched with
// filters and keyset pages.
import { decodeCursor, toPage, type Db } from '@bank/kit';
import { addToOutbox, causedBy, type AnyEventEnvelope } from '@bank/events';
import type { AdminContext } from '../context.ts';
import { InvalidRange } from '../domain/errors.ts';
import { insertAuditEntry, publicAuditEntry, searchAudit, type AuditFilter } from '../repositories/audit.ts';

/**
 * Inbox handler body: runs in the consumer's transaction, so a redelivery is a no-op. A new
 * entry is announced with admin.audit.created (the gateway pushes it to admins' WebSockets) in
 * the same transaction. admin.audit.created itself is never audited (see domain/hub.ts), so
 * this cannot loop.
 */
export async function recordEvent(tx: Db, event: AnyEventEnvelope, opts: { publishCreated: boolean }): Promise<void> {
  const entry = await insertAuditEntry(tx, event);
  if (!entry || !opts.publishCreated) return;
  await addToOutbox(
    tx,
    causedBy(event, {
      type: 'admin.audit.created',
      source: 'admin',
      data: { auditId: entry.id, eventId: entry.eventId, eventType: entry.type, userId: entry.userId },
    }),
  );
}

export function assertRange(from?: string, to?: string): void {
  if (from && to && Date.parse(from) >= Date.parse(to)) throw InvalidRange('`from` must be before `to`');
}

export async function listAudit(ctx: Pick<AdminContext, 'db'>, q: AuditFilter & { cursor?: string; limit: number }) {
  assertRange(q.from, q.to);
  const after = decodeCursor(q.cursor);
  const rows = await searchAudit(ctx.db, { ...q, ...(after ? { after } : {}) });
  const page = toPage(rows, q.limit, (row) => ({ at: new Date(row.occurredAt).toISOString(), id: row.id }));
  return { items: page.items.map(publicAuditEntry), nextCursor: page.nextCursor };
}

export async function recentActivity(ctx: Pick<AdminContext, 'db'>, limit = 20) {
  return (await searchAudit(ctx.db, { limit })).slice(0, limit).map(publicAuditEntry);
}
