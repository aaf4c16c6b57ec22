// The simulated PSP receives `payments.payment.created` (payments consumes its own event through
// its queue, like an external PSP would) and accepts the payment: its first step becomes due
// after the step delay (processor.stepDelayMs, else PROCESSOR_STEP_DELAY_MS). The schedule is a column (next_step_at), committed with the
// inbox row, so nothing is lost on a restart; the worker (worker.ts) takes the steps.
// A batch handler (@bank/events batchHandler): the inbox hands it the created events of a batch
// at once and one statement schedules them all — it was one UPDATE per event, a statement per
// payment.
import { batchHandler, type EventEnvelope } from '@bank/events';
import { scheduleFirstSteps } from '../repositories/payments.ts';
import type { Tx } from '../repositories/tx.ts';

export const acceptCreatedPayment = (delayMs: () => number, onScheduled: (dueInMs: number) => void = () => {}) =>
  batchHandler<Tx>(async (events, tx, traceOf) => {
    // A payment cancelled before the event arrived is no longer pending: nothing to schedule.
    // Each payment stores its delivery's trace context: the worker's first step continues it.
    const delay = delayMs();
    await scheduleFirstSteps(
      tx,
      events.map((event, i) => ({ id: (event as EventEnvelope<'payments.payment.created'>).data.paymentId, traceContext: traceOf(i) ?? null })),
      delay,
    );
    // This replica's worker wakes when the steps fall due (by then the inbox batch has committed;
    // a step due sooner than that is found when the worker next looks).
    onScheduled(delay);
  });
