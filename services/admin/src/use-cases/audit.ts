// The audit log: every event on the hub recorded once (inbox + unique event id), searched with
// filters and keyset pages.
import { decodeCursor, toPage, type Db } from '@bank/kit';
import type { AnyEventEnvelope } from '@bank/events';
import type { AdminContext } from '../context.ts';
import { InvalidRange } from '../domain/errors.ts';
import { insertAuditEntries, publicAuditEntry, searchAudit, type AuditFilter } from '../repositories/audit.ts';

/**
 * Inbox handler body: runs in the consumer's batched transaction — one multi-row insert for the
 * batch's events — so a redelivery is a no-op and the entries are durable before the events are
 * acked. Nothing is published: the gateway tells admins' sockets about new entries from the
 * original events (docs/websocket.md), which halves the hub's traffic compared with an
 * admin.audit.created per entry.
 */
export async function recordEvents(tx: Db, events: ReadonlyArray<AnyEventEnvelope>): Promise<void> {
  await insertAuditEntries(tx, events);
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
