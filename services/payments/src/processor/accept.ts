// The simulated PSP receives `payments.payment.created` (payments consumes its own event through
// its queue, like an external PSP would) and accepts the payment: its first step becomes due
// after the step delay (processor.stepDelayMs, else PROCESSOR_STEP_DELAY_MS). The schedule is a column (next_step_at), committed with the
// inbox row, so nothing is lost on a restart; the worker (worker.ts) takes the steps.
import { traceMetadata, type EventEnvelope } from '@bank/events';
import { scheduleFirstStep } from '../repositories/payments.ts';
import type { Tx } from '../repositories/tx.ts';

export const acceptCreatedPayment =
  (delayMs: () => number, onScheduled: (dueInMs: number) => void = () => {}) =>
  async (event: EventEnvelope<'payments.payment.created'>, tx: Tx): Promise<void> => {
    // A payment cancelled before the event arrived is no longer pending: nothing to schedule.
    // The delivery's trace context: the worker's first step continues it.
    const delay = delayMs();
    await scheduleFirstStep(tx, event.data.paymentId, delay, traceMetadata() ?? null);
    // This replica's worker wakes when the step falls due (by then the inbox batch has committed;
    // a step due sooner than that is found when the worker next looks).
    onScheduled(delay);
  };
