// One status change, inside the caller's transaction: check the state machine, update the row,
// append the payment_transactions row and the matching event to the outbox. All or nothing.
import type { SQL } from 'drizzle-orm';
import { addToOutbox, createEvent, traceMetadata, type EventEnvelope } from '@bank/events';
import { eventTypeFor, transition, type PaymentStatus } from '../domain/status.ts';
import { insertTransaction, updatePayment, type PaymentRow } from '../repositories/payments.ts';
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
