// audit_log access: insert once per event id, filtered keyset pages, the replay scan.
import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from '@bank/kit/uuid';
import type { AnyEventEnvelope } from '@bank/events';
import type { Db } from '@bank/kit';
import { auditLog } from '../db/schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
type Tx = Pick<Db, 'select' | 'insert'>;

export const publicAuditEntry = (row: AuditRow) => ({
  id: row.id,
  eventId: row.eventId,
  type: row.type,
  source: row.source,
  userId: row.userId,
  occurredAt: new Date(row.occurredAt).toISOString(),
  correlationId: row.correlationId,
  data: row.data,
});
export type AuditEntry = ReturnType<typeof publicAuditEntry>;

/** The envelope exactly as it was published (for replay). */
export const envelopeOf = (row: AuditRow): AnyEventEnvelope => ({
  id: row.eventId,
  type: row.type,
  version: row.version,
  occurredAt: new Date(row.occurredAt).toISOString(),
  source: row.source as AnyEventEnvelope['source'],
  correlationId: row.correlationId,
  causationId: row.causationId,
  data: row.data,
});

/** The audit_log row of an event (a fresh id; the event id is unique). */
function auditValues(event: AnyEventEnvelope): typeof auditLog.$inferInsert {
  const userId = (event.data as { userId?: unknown }).userId;
  return {
    id: uuidv7(),
    eventId: event.id,
    type: event.type,
    version: event.version,
    source: event.source,
    userId: typeof userId === 'string' ? userId : null,
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    data: event.data,
  };
}

/** Returns the new row, or undefined when the event is already recorded. */
export async function insertAuditEntry(db: Tx, event: AnyEventEnvelope): Promise<AuditRow | undefined> {
  const [row] = await db.insert(auditLog).values(auditValues(event)).onConflictDoNothing({ target: auditLog.eventId }).returning();
  return row;
}

/**
 * Records several events in ONE statement (a multi-row insert, in the order given); events
 * already recorded are skipped. The inbox consumer's batch calls it once per batch.
 */
export async function insertAuditEntries(db: Tx, events: ReadonlyArray<AnyEventEnvelope>): Promise<void> {
  if (events.length === 0) return;
  await db.insert(auditLog).values(events.map(auditValues)).onConflictDoNothing({ target: auditLog.eventId });
}

export interface AuditFilter {
  type?: string;
  source?: string;
  userId?: string;
  from?: string;
  to?: string;
}

function filterSql(f: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (f.type) where.push(eq(auditLog.type, f.type));
  if (f.source) where.push(eq(auditLog.source, f.source));
  if (f.userId) where.push(eq(auditLog.userId, f.userId));
  if (f.from) where.push(gte(auditLog.occurredAt, f.from));
  if (f.to) where.push(lt(auditLog.occurredAt, f.to));
  return where;
}

/** Newest first; keyset on (occurred_at, id). Returns limit + 1 rows (toPage decides). */
export async function searchAudit(db: Tx, f: AuditFilter & { after?: { at: string; id: string }; limit: number }) {
  const where = filterSql(f);
  if (f.after) {
    where.push(
      or(lt(auditLog.occurredAt, f.after.at), and(eq(auditLog.occurredAt, f.after.at), lt(auditLog.id, f.after.id)))!,
    );
  }
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : sql`true`)
    .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
    .limit(f.limit + 1);
}

/** Oldest first: the order events are replayed in. */
export async function auditRowsForReplay(db: Tx, f: { type: string; from: string; to: string; limit: number }) {
  return db
    .select()
    .from(auditLog)
    .where(and(...filterSql(f)))
    .orderBy(auditLog.occurredAt, auditLog.id)
    .limit(f.limit);
}
