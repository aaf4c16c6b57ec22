import { Badge, type BadgeTone } from './badge.tsx';

const TONES: Record<string, BadgeTone> = {
  pending: 'neutral',
  processing: 'info',
  completed: 'success',
  failed: 'danger',
  cancelled: 'warning',
  ok: 'success',
  up: 'success',
  healthy: 'success',
  degraded: 'warning',
  down: 'danger',
  ACTIVE: 'success',
  DISABLED: 'danger',
  active: 'success',
  disabled: 'danger',
};

/** A status word (payment, service health, account) with a consistent colour; text, not colour alone, carries meaning. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={TONES[status] ?? 'neutral'} data-status={status}>
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {status.charAt(0).toUpperCase() + status.slice(1).toLowerCase()}
    </Badge>
  );
}
