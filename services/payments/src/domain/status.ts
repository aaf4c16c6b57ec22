// The payment state machine, pure:
//
//   pending ──► processing ──► completed
//      │             └───────► failed
//      └──► cancelled
//
// Terminal states (completed, failed, cancelled) never change again.
import type { EventType } from '@bank/events';
import { IllegalTransition } from './errors.ts';

export const PAYMENT_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: ['processing', 'cancelled'],
  processing: ['completed', 'failed'],
  completed: [],
  failed: [],
  cancelled: [],
};

export const canTransition = (from: PaymentStatus, to: PaymentStatus) => NEXT[from].includes(to);
export const isTerminal = (status: PaymentStatus) => NEXT[status].length === 0;

/** Returns `to` when `from → to` is legal; throws 409 PAYMENTS_ILLEGAL_TRANSITION otherwise. */
export function transition(from: PaymentStatus, to: PaymentStatus): PaymentStatus {
  if (!canTransition(from, to)) throw IllegalTransition(`A ${from} payment cannot become ${to}`, { from, to });
  return to;
}

/** The event each status change publishes. */
export function eventTypeFor(to: PaymentStatus): EventType {
  switch (to) {
    case 'pending':
      return 'payments.payment.created';
    case 'processing':
      return 'payments.payment.updated';
    case 'completed':
      return 'payments.payment.completed';
    case 'failed':
      return 'payments.payment.failed';
    case 'cancelled':
      return 'payments.payment.cancelled';
  }
}
