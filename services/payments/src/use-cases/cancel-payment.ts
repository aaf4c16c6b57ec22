// POST /payments/:id/cancel: only a pending payment, only by its sender or an admin. The row is
// locked, so a cancel racing the processor's pending → processing step is decided by whichever
// commits first; the loser gets 409 (or, for the processor, finds nothing to do).
import { isAdmin, type Actor, type PaymentsContext } from '../context.ts';
import { NotPaymentSender, PaymentNotFound } from '../domain/errors.ts';
import { paymentMetrics } from '../metrics.ts';
import { findPayment, publicPayment } from '../repositories/payments.ts';
import { invalidatePayment } from './cache-tags.ts';
import { applyTransition } from './transition.ts';

export async function cancelPayment(ctx: PaymentsContext, actor: Actor, id: string, meta: { requestId: string }) {
  const payment = await ctx.db.transaction(async (tx) => {
    const row = await findPayment(tx, id, { forUpdate: true });
    const admin = isAdmin(actor);
    if (!row || (!admin && row.senderId !== actor.sub && row.recipientId !== actor.sub)) throw PaymentNotFound();
    if (!admin && row.senderId !== actor.sub) throw NotPaymentSender('Only the sender may cancel a payment');
    return applyTransition(tx, row, 'cancelled', {
      reason: admin ? 'cancelled by an administrator' : 'cancelled by the sender',
      correlationId: meta.requestId,
    });
  });
  paymentMetrics.statusChanges.inc({ status: payment.status });
  await invalidatePayment(ctx, payment);
  return publicPayment(payment);
}
