// One status change, inside the caller's transaction: check the state machine, update the row,
// append the payment_transactions row and the matching event to the outbox. All or nothing.
import type { SQL } from 'drizzle-orm';
import { addToOutbox, createEvent, traceMetadata, type EventEnvelope, type ResumedSpan } from '@bank/events';
import { eventTypeFor, transition, type PaymentStatus } from '../domain/status.ts';
import { changeStatuses, insertTransaction, updatePayment, type PaymentRow } from '../repositories/payments.ts';
import type { Tx } from '../repositories/tx.ts';

export function paymentEventData(p: PaymentRow) {
  return {
    paymentId: p.id,
    userId: p.senderId,
    senderId: p.senderId,
    recipientId: p.recipientId,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    type: p.type,
    failureReason: p.failureReason,
  };
}

export function paymentEvent(p: PaymentRow, cause: { correlationId: string; causationId?: string | null }) {
  return createEvent({
    type: eventTypeFor(p.status),
    source: 'payments',
    correlationId: cause.correlationId,
    causationId: cause.causationId ?? null,
    data: paymentEventData(p),
  } as Parameters<typeof createEvent>[0]) as EventEnvelope;
}

export async function applyTransition(
  tx: Tx,
  payment: PaymentRow,
  to: PaymentStatus,
  opts: { reason: string; failureReason?: string; nextStepAt?: Date | SQL | null; correlationId: string; causationId?: string | null },
): Promise<PaymentRow> {
  transition(payment.status, to);
  const updated = await updatePayment(tx, payment.id, {
    status: to,
    ...(opts.failureReason ? { failureReason: opts.failureReason } : {}),
    nextStepAt: (opts.nextStepAt ?? null) as Date | null,
    // The processor's next step (if any) continues the trace of this change.
    traceContext: traceMetadata() ?? null,
  });
  await insertTransaction(tx, { paymentId: payment.id, fromStatus: payment.status, toStatus: to, reason: opts.reason });
  await addToOutbox(tx, paymentEvent(updated, opts));
  return updated;
}

export interface TransitionChange {
  payment: PaymentRow;
  to: PaymentStatus;
  reason: string;
  failureReason?: string;
  /** The next step falls due this long after the change; none when absent. */
  nextStepInMs?: number | null;
  correlationId: string;
}

/**
 * Several status changes in the caller's transaction with two statements whatever their number:
 * the payments' updates and history rows in one (repositories/payments.ts changeStatuses), all
 * outbox events in the other. Every change is checked against the state machine first; one
 * illegal change rejects the whole batch.
 */
export async function applyTransitions(
  tx: Tx,
  changes: TransitionChange[],
  /** The trace context each payment's change belongs to (its step span), when traced. */
  traceOf: (paymentId: string) => ResumedSpan | undefined = () => undefined,
): Promise<PaymentRow[]> {
  for (const change of changes) transition(change.payment.status, change.to);
  // Each event (and the row's stored context, which the next step resumes) belongs to its own
  // payment's trace, not to the batch.
  const inTrace = <T>(id: string, fn: () => T): T => {
    const span = traceOf(id);
    return span ? span.run(fn) : fn();
  };
  const updated = await changeStatuses(
    tx,
    changes.map((c) => ({
      id: c.payment.id,
      fromStatus: c.payment.status,
      toStatus: c.to,
      reason: c.reason,
      failureReason: c.failureReason,
      nextStepInMs: c.nextStepInMs ?? null,
      traceContext: traceOf(c.payment.id) ? inTrace(c.payment.id, traceMetadata) : undefined,
    })),
  );
  const byId = new Map(changes.map((c) => [c.payment.id, c]));
  await addToOutbox(tx, updated.map((p) => inTrace(p.id, () => paymentEvent(p, { correlationId: byId.get(p.id)!.correlationId }))));
  return updated;
}
