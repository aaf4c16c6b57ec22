// Scheduled and recurring payments: create (Idempotency-Key, same semantics as POST /payments),
// list, read with upcoming occurrences, pause / resume / cancel. Each change writes its
// payments.schedule.* event through the outbox in the same transaction. Visibility: a schedule
// belongs to its sender; admins see all; anyone else gets 404 (no existence leak).
import { uuidv7 } from '@bank/kit/uuid';
import { addToOutbox, createEvent, type EventEnvelope } from '@bank/events';
import { decodeCursor, toPage } from '@bank/kit';
import { isAdmin, type Actor, type PaymentsContext } from '../context.ts';
import { ScheduleNotFound } from '../domain/errors.ts';
import { requestHash } from '../domain/idempotency.ts';
import {
  firstIndexOnOrAfter,
  localDate,
  occurrence,
  scheduleTransition,
  upcoming,
  validateScheduleRequest,
  type ScheduleAction,
  type ScheduleRequest,
} from '../domain/schedule.ts';
import { recordResponse } from '../repositories/idempotency.ts';
import { publicPayment } from '../repositories/payments.ts';
import { findSchedule, insertSchedule, listSchedules, pauseActiveSchedulesOf, paymentsOfSchedule, ruleOf, updateSchedule, type ScheduleRow } from '../repositories/schedules.ts';
import type { Tx } from '../repositories/tx.ts';
import { assertAcceptsPayment, checkParties, claimOrReplay } from './create-payment.ts';

export interface CreateScheduleInput extends ScheduleRequest {
  recipientId?: string;
  recipientEmail?: string;
  amount: number;
  currency: string;
  description?: string;
}

/** Occurrences listed with each schedule in the list view. */
const LIST_UPCOMING = 3;

export const publicSchedule = (s: ScheduleRow, upcomingCount: number) => ({
  id: s.id,
  senderId: s.senderId,
  recipientId: s.recipientId,
  recipientEmail: s.recipientEmail,
  amount: s.amount,
  currency: s.currency,
  description: s.description,
  type: s.kind,
  frequency: s.frequency,
  timeZone: s.timeZone,
  startDate: s.startDate,
  endDate: s.endDate,
  count: s.maxCount,
  status: s.status,
  // 'sender-disabled' when the system paused it; null when the sender (or an admin) changed it.
  statusReason: s.statusReason,
  occurrencesDone: s.nextIndex,
  nextRunAt: s.nextRunAt?.toISOString() ?? null,
  // Only schedules that will still run have upcoming occurrences.
  upcoming: (s.status === 'active' || s.status === 'paused' ? upcoming(ruleOf(s), s.nextIndex, upcomingCount) : []).map((o) => ({
    index: o.index,
    date: o.date,
    dueAt: o.dueAt.toISOString(),
  })),
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});
export type PublicSchedule = ReturnType<typeof publicSchedule>;

const EVENT_OF: Record<'created' | ScheduleAction, string> = {
  created: 'payments.schedule.created',
  pause: 'payments.schedule.paused',
  resume: 'payments.schedule.resumed',
  cancel: 'payments.schedule.cancelled',
};

async function addScheduleEvent(tx: Tx, s: ScheduleRow, what: keyof typeof EVENT_OF, correlationId: string) {
  const event = createEvent({
    type: EVENT_OF[what],
    source: 'payments',
    correlationId,
    causationId: null,
    data: {
      scheduleId: s.id,
      userId: s.senderId,
      senderId: s.senderId,
      recipientId: s.recipientId,
      amount: s.amount,
      currency: s.currency,
      type: s.kind,
      frequency: s.frequency,
      timeZone: s.timeZone,
      startDate: s.startDate,
      status: s.status,
      nextRunAt: s.nextRunAt?.toISOString() ?? null,
    },
  } as Parameters<typeof createEvent>[0]) as EventEnvelope;
  // Events of one schedule are published in order (aggregate = the schedule).
  await addToOutbox(tx, { event, aggregateType: 'schedule', aggregateId: s.id });
}

export type CreateScheduleResult = { statusCode: number; body: PublicSchedule; replayed: boolean };

export async function createSchedule(
  ctx: PaymentsContext,
  actor: Actor,
  input: CreateScheduleInput,
  idempotencyKey: string,
  meta: { requestId: string; now?: Date },
): Promise<CreateScheduleResult> {
  assertAcceptsPayment(ctx, input);
  const rule = validateScheduleRequest(input, meta.now ?? new Date());
  // Keys share the (sender, key) space with POST /payments; the endpoint is part of the
  // fingerprint so a payment's key replayed here is "another request" (422), never a replay.
  const hash = requestHash({ endpoint: 'POST /payments/schedules', body: input });

  return ctx.db.transaction(async (tx): Promise<CreateScheduleResult> => {
    const claimed = await claimOrReplay<PublicSchedule>(tx, ctx, actor, {
      key: idempotencyKey,
      hash,
      recipient: input,
      differentRequest: 'This Idempotency-Key was used for a different request',
    });
    if ('replay' in claimed) return claimed.replay;
    const { claim } = claimed;
    const recipient = checkParties(actor, input, claim);
    const first = occurrence(rule, 0)!;
    const schedule = await insertSchedule(tx, {
      id: uuidv7(),
      senderId: actor.sub,
      recipientId: recipient.id,
      recipientEmail: recipient.email,
      amount: input.amount,
      currency: input.currency,
      description: input.description ?? null,
      kind: rule.kind,
      frequency: rule.frequency,
      timeZone: rule.timeZone,
      startDate: rule.startDate,
      endDate: rule.endDate,
      maxCount: rule.count,
      status: 'active',
      nextIndex: 0,
      nextRunAt: first.dueAt,
    });
    await addScheduleEvent(tx, schedule, 'created', meta.requestId);
    const body = publicSchedule(schedule, LIST_UPCOMING);
    await recordResponse(tx, actor.sub, idempotencyKey, { statusCode: 201, response: body });
    return { statusCode: 201, body, replayed: false };
  });
}

export async function listVisibleSchedules(ctx: PaymentsContext, actor: Actor, q: { cursor?: string; limit: number }) {
  const after = decodeCursor(q.cursor);
  const rows = await listSchedules(ctx.db, { ...(isAdmin(actor) ? {} : { senderId: actor.sub }), ...(after ? { after } : {}), limit: q.limit });
  const page = toPage(rows, q.limit, (s) => ({ at: s.createdAt.toISOString(), id: s.id }));
  return { items: page.items.map((s) => publicSchedule(s, LIST_UPCOMING)), nextCursor: page.nextCursor };
}

const visible = (actor: Actor, s: ScheduleRow | undefined): s is ScheduleRow => s !== undefined && (isAdmin(actor) || s.senderId === actor.sub);

export async function getVisibleSchedule(ctx: PaymentsContext, actor: Actor, id: string, upcomingCount: number) {
  // One snapshot: the scheduler may commit an occurrence between the two reads otherwise, and
  // the schedule would show fewer occurrences done than the payments listed.
  return ctx.db.transaction(
    async (tx) => {
      const schedule = await findSchedule(tx, id);
      if (!visible(actor, schedule)) throw ScheduleNotFound();
      const created = await paymentsOfSchedule(tx, id);
      return { ...publicSchedule(schedule, upcomingCount), payments: created.map(publicPayment) };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * pause: active → paused (nothing runs while paused). resume: paused → active; occurrences
 * dated before today (in the schedule's zone) were missed while paused and are skipped; if none
 * is left the schedule is completed. cancel: active|paused → cancelled; payments already
 * created are not touched (cancel one with POST /payments/:id/cancel while it is pending).
 */
export async function changeSchedule(ctx: PaymentsContext, actor: Actor, id: string, action: ScheduleAction, meta: { requestId: string; now?: Date }) {
  const updated = await ctx.db.transaction(async (tx) => {
    const schedule = await findSchedule(tx, id, { forUpdate: true });
    if (!visible(actor, schedule)) throw ScheduleNotFound();
    const to = scheduleTransition(schedule.status, action);
    let row: ScheduleRow;
    if (action === 'resume') {
      const rule = ruleOf(schedule);
      const index = firstIndexOnOrAfter(rule, schedule.nextIndex, localDate(meta.now ?? new Date(), rule.timeZone));
      const next = occurrence(rule, index);
      row = await updateSchedule(tx, id, next ? { status: to, statusReason: null, nextIndex: index, nextRunAt: next.dueAt } : { status: 'completed', statusReason: null, nextIndex: index, nextRunAt: null });
    } else {
      row = await updateSchedule(tx, id, { status: to, statusReason: null, nextRunAt: to === 'cancelled' ? null : schedule.nextRunAt });
    }
    await addScheduleEvent(tx, row, action, meta.requestId);
    return row;
  });
  return publicSchedule(updated, LIST_UPCOMING);
}

/** The reason a schedule paused by the system carries when auth disabled its sender. */
export const SENDER_DISABLED = 'sender-disabled';

/**
 * Auth disabled a user: their active schedules are paused (status 'paused', statusReason
 * 'sender-disabled'), each with its payments.schedule.paused event, in the inbox's transaction.
 * Enabling the user again does not resume them: money moves again only when the sender (or an
 * admin) resumes each schedule, which clears the reason. Occurrences missed meanwhile are skipped.
 */
export async function pauseSchedulesOfDisabledSender(tx: Tx, senderId: string, correlationId: string): Promise<number> {
  const paused = await pauseActiveSchedulesOf(tx, senderId, SENDER_DISABLED);
  for (const row of paused) await addScheduleEvent(tx, row, 'pause', correlationId);
  return paused.length;
}
