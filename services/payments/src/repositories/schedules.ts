// payment_schedules access (see use-cases/schedules.ts and scheduler/worker.ts).
import { and, asc, desc, eq, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { payments, paymentSchedules } from '../db/schema.ts';
import type { ScheduleRule } from '../domain/schedule.ts';
import type { DbOrTx } from './tx.ts';

export type ScheduleRow = typeof paymentSchedules.$inferSelect;

export const ruleOf = (s: ScheduleRow): ScheduleRule => ({
  kind: s.kind,
  frequency: s.frequency,
  timeZone: s.timeZone,
  startDate: s.startDate,
  endDate: s.endDate,
  count: s.maxCount,
});

export async function insertSchedule(db: DbOrTx, row: typeof paymentSchedules.$inferInsert): Promise<ScheduleRow> {
  const [created] = await db.insert(paymentSchedules).values(row).returning();
  return created!;
}

export async function findSchedule(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<ScheduleRow | undefined> {
  const query = db.select().from(paymentSchedules).where(eq(paymentSchedules.id, id)).limit(1);
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function updateSchedule(
  db: DbOrTx,
  id: string,
  patch: Partial<Pick<ScheduleRow, 'status' | 'statusReason' | 'nextIndex' | 'nextRunAt'>>,
): Promise<ScheduleRow> {
  const [row] = await db
    .update(paymentSchedules)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(paymentSchedules.id, id))
    .returning();
  return row!;
}

/** Newest first; keyset on (created_at, id); limit + 1 rows. `senderId` absent = all (admins). */
export async function listSchedules(db: DbOrTx, f: { senderId?: string; after?: { at: string; id: string }; limit: number }): Promise<ScheduleRow[]> {
  const where: SQL[] = [];
  if (f.senderId) where.push(eq(paymentSchedules.senderId, f.senderId));
  if (f.after) {
    const at = new Date(f.after.at);
    where.push(or(lt(paymentSchedules.createdAt, at), and(eq(paymentSchedules.createdAt, at), lt(paymentSchedules.id, f.after.id)))!);
  }
  return db
    .select()
    .from(paymentSchedules)
    .where(where.length ? and(...where) : sql`true`)
    .orderBy(desc(paymentSchedules.createdAt), desc(paymentSchedules.id))
    .limit(f.limit + 1);
}

/** The payments a schedule created, newest occurrence first. */
export async function paymentsOfSchedule(db: DbOrTx, scheduleId: string, limit = 50) {
  return db.select().from(payments).where(eq(payments.scheduleId, scheduleId)).orderBy(desc(payments.occurrenceIndex)).limit(limit);
}

/**
 * The scheduler's claim: one active schedule whose next occurrence is due, locked; other
 * schedulers (replicas) skip it (SKIP LOCKED) and the lock is held until the occurrence and the
 * advanced next_run_at commit together.
 */
export async function claimDueSchedule(db: DbOrTx): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .select()
    .from(paymentSchedules)
    .where(and(eq(paymentSchedules.status, 'active'), lte(paymentSchedules.nextRunAt, sql`now()`)))
    .orderBy(asc(paymentSchedules.nextRunAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** Pauses every active schedule of `senderId` with `reason`; returns the rows it paused. */
export async function pauseActiveSchedulesOf(db: DbOrTx, senderId: string, reason: string): Promise<ScheduleRow[]> {
  return db
    .update(paymentSchedules)
    .set({ status: 'paused', statusReason: reason, updatedAt: new Date() })
    .where(and(eq(paymentSchedules.senderId, senderId), eq(paymentSchedules.status, 'active')))
    .returning();
}
