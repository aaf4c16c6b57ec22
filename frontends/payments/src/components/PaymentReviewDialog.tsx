// The review step before money moves: everything that will be sent, read back in words, with
// "Edit" (the safe choice, focused first) and the button that actually sends.
import type { ReactNode } from 'react';
import { ConfirmDialog } from '@bank/ui/dialog';
import { type CreatePaymentInput } from '@bank/platform';
import { formatDate, formatMoney } from '@bank/platform/format';
import type { CreateScheduleInput } from '../api/schedules.ts';

export type Review = { kind: 'payment'; input: CreatePaymentInput } | { kind: 'schedule'; input: CreateScheduleInput };

const TYPE_LABEL = { instant: 'Instant', scheduled: 'Scheduled (once)', recurring: 'Recurring' } as const;

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:justify-between sm:gap-4">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium break-all sm:text-right">{children}</dd>
    </div>
  );
}

function scheduleText(input: CreateScheduleInput): string {
  if (input.type === 'scheduled') return `On ${formatDate(input.executionDate)}`;
  const every = input.frequency === 'weekly' ? 'Every week' : 'Every month';
  const end = input.endDate ? `, until ${formatDate(input.endDate)}` : input.count ? `, ${input.count} payments` : ', until cancelled';
  return `${every} from ${formatDate(input.startDate)}${end}`;
}

export function PaymentReviewDialog({ review, sending, onConfirm, onCancel }: { review: Review | null; sending: boolean; onConfirm: (review: Review) => void; onCancel: () => void }) {
  const input = review?.input;
  const confirmLabel = review?.kind === 'schedule' ? (review.input.type === 'scheduled' ? 'Schedule payment' : 'Set up recurring payment') : 'Send payment';
  return (
    <ConfirmDialog
      open={review !== null}
      title="Check your payment"
      description="Nothing has been sent yet. Confirm to send it, or go back to change it."
      confirmLabel={confirmLabel}
      cancelLabel="Edit"
      loading={sending}
      onConfirm={() => review && onConfirm(review)}
      onCancel={onCancel}
    >
      {input && (
        <dl className="divide-y divide-border rounded-md border border-border px-4" aria-label="Payment summary" data-testid="payment-review">
          <Line label="Amount"><span className="text-base tabular-nums">{formatMoney(input.amount, input.currency)}</span></Line>
          <Line label="Currency">{input.currency}</Line>
          <Line label="Recipient">{input.recipientEmail}</Line>
          <Line label="Type">{TYPE_LABEL[input.type]}</Line>
          {review?.kind === 'schedule' && <Line label="Schedule">{scheduleText(review.input)} ({review.input.timeZone})</Line>}
          {input.description && <Line label="Description">{input.description}</Line>}
        </dl>
      )}
    </ConfirmDialog>
  );
}
