// One status change, inside the caller's transaction: check the state machine, update the row,
// append the payment_transactions row and the matching event to the outbox. All or nothing.
import type { SQL } from 'drizzle-orm';
import { addToOutbox, createEvent, traceMetadata, type EventEnvelope, type ResumedSpan } from '@bank/events';
import { eventTypeFor, transition, type PaymentStatus } from '../domain/status.ts';
import { insertTransaction, insertTransactions, setTraceContexts, updatePayment, updatePayments, type PaymentRow } from '../repositories/payments.ts';
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
  nextStepAt?: SQL | null;
  correlationId: string;
}

/**
 * Several status changes in the caller's transaction with a few statements instead of three per
 * payment: one UPDATE per distinct (target status, failure reason) — the processor's batches have
 * a handful — then all payment_transactions rows and all outbox events in one INSERT each. Every
 * change is checked against the state machine first; one illegal change rejects the whole batch.
 * Changes of one group share `nextStepAt` (the processor derives it from the target status).
 */
export async function applyTransitions(
  tx: Tx,
  changes: TransitionChange[],
  /** The trace context each payment's change belongs to (its step span), when traced. */
  traceOf: (paymentId: string) => ResumedSpan | undefined = () => undefined,
): Promise<PaymentRow[]> {
  const groups = new Map<string, TransitionChange[]>();
  for (const change of changes) {
    transition(change.payment.status, change.to);
    const key = `${change.to}\u0000${change.failureReason ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  const updated: PaymentRow[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    updated.push(
      ...(await updatePayments(
        tx,
        group.map((c) => c.payment.id),
        { status: first.to, ...(first.failureReason ? { failureReason: first.failureReason } : {}), nextStepAt: (first.nextStepAt ?? null) as Date | null },
      )),
    );
  }
  const byId = new Map(changes.map((c) => [c.payment.id, c]));
  await insertTransactions(
    tx,
    changes.map((c) => ({ paymentId: c.payment.id, fromStatus: c.payment.status, toStatus: c.to, reason: c.reason })),
  );
  // Each event (and the row's stored context, which the next step resumes) belongs to its own
  // payment's trace, not to the batch.
  const inTrace = <T>(id: string, fn: () => T): T => {
    const span = traceOf(id);
    return span ? span.run(fn) : fn();
  };
  await addToOutbox(tx, updated.map((p) => inTrace(p.id, () => paymentEvent(p, { correlationId: byId.get(p.id)!.correlationId }))));
  const traced = updated.flatMap((p) => {
    const traceContext = traceOf(p.id) ? inTrace(p.id, traceMetadata) : undefined;
    return traceContext ? [{ id: p.id, traceContext }] : [];
  });
  await setTraceContexts(tx, traced);
  return updated;
}
