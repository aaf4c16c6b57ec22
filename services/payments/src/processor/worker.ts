// The simulated PSP's worker: takes due steps (next_step_at <= now()) in batches — up to
// PROCESSOR_BATCH_SIZE payments per transaction, locked with SKIP LOCKED so several replicas never
// take the same step — and writes their status changes, history rows and outbox events in that
// one transaction (one commit for the batch instead of one per payment):
//   pending    → processing  (next step due after the delay again)
//   processing → completed | failed  (domain/outcome.ts decides, deterministically)
// A cancelled payment has no due step (cancel clears it), so the worker never touches it.
// State lives in the database: after a restart the worker simply finds the due rows again.
import { startResumedSpan } from '@bank/events';
import type { PaymentsContext } from '../context.ts';
import { startPolling, type PollingWorker } from '../polling-worker.ts';
import { decideOutcome } from '../domain/outcome.ts';
import { paymentMetrics } from '../metrics.ts';
import { claimDuePayments, nextStepDueInMs, type PaymentRow } from '../repositories/payments.ts';
import { findUsersByIds } from '../repositories/users.ts';
import { invalidatePayments } from '../use-cases/cache-tags.ts';
import { applyTransitions, type TransitionChange } from '../use-cases/transition.ts';

/**
 * The worker wakes when the earliest step falls due (read from the index after each drain), but
 * no sooner than this after the previous drain: under load, steps falling due within this window
 * share one transaction, and each waits at most this long (polling every PROCESSOR_POLL_INTERVAL_MS
 * added half an interval, 125 ms on average, to each of a payment's two steps).
 */
export const STEP_BATCH_WINDOW_MS = 25;

/** runOnce() takes every due step now and resolves with how many it took (tests, and each poll). */
export type ProcessorWorker = PollingWorker;

/** Takes up to `batchSize` due steps in one transaction; the changed payments (empty when nothing is due). */
export async function takeDueSteps(ctx: PaymentsContext, batchSize: number): Promise<Array<{ payment: PaymentRow; failureCode?: string }>> {
  const delayMs = ctx.settings.stepDelayMs();
  const failRule = ctx.settings.get('processor.failRule');
  return ctx.db.transaction(async (tx) => {
    const due = await claimDuePayments(tx, batchSize);
    if (due.length === 0) return [];
    const recipients = await findUsersByIds(tx, due.filter((p) => p.status === 'processing').map((p) => p.recipientId));
    const failureCodes = new Map<string, string>();
    const changes: TransitionChange[] = due.map((payment) => {
      const correlationId = `processor:${payment.id}`;
      if (payment.status === 'pending') {
        return { payment, to: 'processing', reason: 'accepted by the processor', nextStepInMs: delayMs, correlationId };
      }
      const outcome = decideOutcome(
        { amount: payment.amount, currency: payment.currency, description: payment.description, recipientActive: recipients.get(payment.recipientId)?.status !== 'disabled' },
        ctx.config.PROCESSOR_LIMIT_MAJOR_UNITS,
        failRule,
      );
      if (outcome.status === 'completed') return { payment, to: 'completed', reason: 'settled by the processor', correlationId };
      failureCodes.set(payment.id, outcome.code);
      return { payment, to: 'failed', reason: outcome.reason, failureReason: outcome.reason, correlationId };
    });
    // One step span per payment, continuing the trace of its last change (creation → acceptance →
    // processing → outcome), although the batch shares one transaction.
    const spans = new Map(due.map((p) => [p.id, startResumedSpan('payments.processor step', p.traceContext)]));
    let updated: PaymentRow[];
    try {
      updated = await applyTransitions(tx, changes, (id) => spans.get(id));
    } finally {
      for (const span of spans.values()) span?.end();
    }
    return updated.map((payment) => ({ payment, ...(failureCodes.has(payment.id) ? { failureCode: failureCodes.get(payment.id)! } : {}) }));
  });
}

export function startProcessorWorker(ctx: PaymentsContext): ProcessorWorker {
  return startPolling({
    name: 'processor',
    intervalMs: ctx.config.PROCESSOR_POLL_INTERVAL_MS,
    minIntervalMs: STEP_BATCH_WINDOW_MS,
    batchSize: ctx.config.PROCESSOR_BATCH_SIZE,
    nextDueInMs: () => nextStepDueInMs(ctx.db),
    log: ctx.log,
    takeSome: async () => {
      const steps = await takeDueSteps(ctx, ctx.config.PROCESSOR_BATCH_SIZE);
      if (steps.length === 0) return 0;
      for (const { payment, failureCode } of steps) {
        paymentMetrics.statusChanges.inc({ status: payment.status });
        if (failureCode) paymentMetrics.failed.inc({ reason: failureCode });
        // Per payment at debug: at the production level one line per batch is enough.
        ctx.log.debug({ paymentId: payment.id, status: payment.status, failureCode }, 'processor step');
      }
      ctx.log.info({ steps: steps.length }, 'processor batch');
      await invalidatePayments(ctx, steps.map((s) => s.payment));
      return steps.length;
    },
  });
}
