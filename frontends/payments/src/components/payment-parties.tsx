// How a payment's sides read from where the user stands: "To …" / "From …", the amount signed
// (+ received, − sent), and both parties for an admin who is neither.
import { type PaymentParty, type PaymentView } from '@bank/platform';
import { formatMoney } from '@bank/platform/format';
import { cn } from '@bank/ui';

export const partyName = (p: PaymentParty | null | undefined, fallback = 'Unknown user') => p?.name ?? p?.email ?? fallback;

/** "To Ben Smith", "From Ana Lee", or "Ana Lee → Ben Smith" for an admin. */
export function counterpartyLabel(p: PaymentView): string {
  if (p.direction === 'sent') return `To ${partyName(p.counterparty, p.recipientEmail ?? undefined)}`;
  if (p.direction === 'received') return `From ${partyName(p.counterparty)}`;
  return `${partyName(p.sender)} → ${partyName(p.recipient, p.recipientEmail ?? undefined)}`;
}

/** The other party's email under their name, when both are known and differ. */
export function counterpartyEmail(p: PaymentView): string | null {
  const party = p.direction ? p.counterparty : null;
  return party?.name && party.email ? party.email : null;
}

export function signedAmount(p: Pick<PaymentView, 'amount' | 'currency' | 'direction'>): string {
  if (!p.direction) return formatMoney(p.amount, p.currency);
  return formatMoney(p.direction === 'sent' ? -p.amount : p.amount, p.currency, { signed: true });
}

/** The amount with its sign, green when received; the sign, not the colour, carries the meaning. */
export function SignedAmount({ payment, className }: { payment: Pick<PaymentView, 'amount' | 'currency' | 'direction'>; className?: string }) {
  return (
    <span className={cn('font-medium tabular-nums whitespace-nowrap', payment.direction === 'received' && 'text-success', className)} data-direction={payment.direction ?? 'none'}>
      {signedAmount(payment)}
    </span>
  );
}

export const DIRECTION_LABEL = { sent: 'Sent', received: 'Received' } as const;
