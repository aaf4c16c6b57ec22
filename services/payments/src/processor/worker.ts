// The simulated PSP's worker: takes due steps (next_step_at <= now()) one payment per
// transaction, locked with SKIP LOCKED so several replicas never take the same step:
//   pending    → processing  (next step due after the delay again)
//   processing → completed | failed  (domain/outcome.ts decides, deterministically)
// A cancelled payment has no due step (cancel clears it), so the worker never touches it.
// State lives in the database: after a restart the worker simply finds the due rows again.
import type { PaymentsContext } from '../context.ts';
import { startPolling, type PollingWorker } from '../polling-worker.ts';
import { decideOutcome } from '../domain/outcome.ts';
import { paymentMetrics } from '../metrics.ts';
import { claimDuePayment, nextStepAfter, type PaymentRow } from '../repositories/payments.ts';
import { findUserById } from '../repositories/users.ts';
import { invalidatePayment } from '../use-cases/cache-tags.ts';
import { applyTransition } from '../use-cases/transition.ts';

/** runOnce() takes every due step now and resolves with how many it took (tests, and each poll). */
export type ProcessorWorker = PollingWorker;

/** Takes one due step; undefined when nothing is due. */
async function step(ctx: PaymentsContext): Promise<{ payment: PaymentRow; failureCode?: string } | undefined> {
  const delayMs = ctx.settings.stepDelayMs();
  return ctx.db.transaction(async (tx) => {
    const due = await claimDuePayment(tx);
    if (!due) return undefined;
    const correlationId = `processor:${due.id}`;
    if (due.status === 'pending') {
      const payment = await applyTransition(tx, due, 'processing', { reason: 'accepted by the processor', nextStepAt: nextStepAfter(delayMs), correlationId });
      return { payment };
    }
    const recipient = await findUserById(tx, due.recipientId);
    const outcome = decideOutcome(
      { amount: due.amount, currency: due.currency, description: due.description, recipientActive: recipient?.status !== 'disabled' },
      ctx.config.PROCESSOR_LIMIT_MAJOR_UNITS,
      ctx.settings.get('processor.failRule'),
    );
    if (outcome.status === 'completed') {
      return { payment: await applyTransition(tx, due, 'completed', { reason: 'settled by the processor', correlationId }) };
    }
    const payment = await applyTransition(tx, due, 'failed', { reason: outcome.reason, failureReason: outcome.reason, correlationId });
    return { payment, failureCode: outcome.code };
  });
}

export function startProcessorWorker(ctx: PaymentsContext): ProcessorWorker {
  return startPolling({
    name: 'processor',
    intervalMs: ctx.config.PROCESSOR_POLL_INTERVAL_MS,
    log: ctx.log,
    takeOne: async () => {
      const result = await step(ctx);
      if (!result) return false;
      if (result.failureCode) paymentMetrics.failed.inc({ reason: result.failureCode });
      else if (result.payment.status === 'completed') paymentMetrics.completed.inc();
      ctx.log.info({ paymentId: result.payment.id, status: result.payment.status, failureCode: result.failureCode }, 'processor step');
      await invalidatePayment(ctx, result.payment);
      return true;
    },
  });
}
