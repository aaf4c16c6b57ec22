// The scheduler: turns due schedule occurrences into ordinary payments, exactly once.
// One occurrence per transaction:
//   1. claim one active schedule with next_run_at <= now() — FOR UPDATE SKIP LOCKED, so replicas
//      never hold the same schedule;
//   2. create occurrence next_index through the payments' own creation path (row, transaction
//      row, payments.payment.created in the outbox) with (schedule_id, occurrence_index) — unique;
//   3. advance next_index / next_run_at (or complete the schedule) in the same transaction.
// A crash before the commit loses nothing (the claim rolls back); after it, the schedule has
// moved on. A schedule behind by several occurrences (service down for weeks) catches up one
// occurrence per transaction, so there are no gaps.
// While the maintenance switch (platform.maintenance) is on, no occurrence is created: an
// occurrence is a new payment, and maintenance refuses new payments. They stay due and are
// created as soon as the switch is off.
import type { PaymentsContext } from '../context.ts';
import { paymentMetrics } from '../metrics.ts';
import { startPolling, type PollingWorker } from '../polling-worker.ts';
import { occurrence } from '../domain/schedule.ts';
import type { PaymentRow } from '../repositories/payments.ts';
import { claimDueSchedule, ruleOf, updateSchedule } from '../repositories/schedules.ts';
import { invalidatePayment } from '../use-cases/cache-tags.ts';
import { insertPaymentWithEvent } from '../use-cases/create-payment.ts';

/** runOnce() creates every due occurrence now and resolves with how many (tests, and each poll). */
export type Scheduler = PollingWorker;

/** Creates one due occurrence; undefined when nothing is due. */
export async function runOneOccurrence(ctx: Pick<PaymentsContext, 'db'>): Promise<PaymentRow | undefined> {
  return ctx.db.transaction(async (tx) => {
    const schedule = await claimDueSchedule(tx);
    if (!schedule) return undefined;
    const rule = ruleOf(schedule);
    const index = schedule.nextIndex;
    const payment = await insertPaymentWithEvent(tx, {
      senderId: schedule.senderId,
      recipient: { id: schedule.recipientId, email: schedule.recipientEmail },
      input: { amount: schedule.amount, currency: schedule.currency, type: schedule.kind, ...(schedule.description ? { description: schedule.description } : {}) },
      correlationId: `scheduler:${schedule.id}:${index}`,
      occurrenceOf: { scheduleId: schedule.id, index },
    });
    const next = occurrence(rule, index + 1);
    await updateSchedule(tx, schedule.id, next ? { nextIndex: index + 1, nextRunAt: next.dueAt } : { nextIndex: index + 1, nextRunAt: null, status: 'completed' });
    return payment;
  });
}

export function startScheduler(ctx: PaymentsContext, intervalMs: number): Scheduler {
  return startPolling({
    name: 'scheduler',
    intervalMs,
    log: ctx.log,
    takeSome: async () => {
      if (ctx.settings.get('platform.maintenance')) return 0;
      const payment = await runOneOccurrence(ctx);
      if (!payment) return 0;
      paymentMetrics.scheduledOccurrences.inc();
      ctx.log.info({ paymentId: payment.id, scheduleId: payment.scheduleId, occurrenceIndex: payment.occurrenceIndex }, 'scheduled occurrence created');
      await invalidatePayment(ctx, payment);
      return 1;
    },
  });
}
