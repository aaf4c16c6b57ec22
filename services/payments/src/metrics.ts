// Business metrics on the kit's registry (served at /metrics). Labels are bounded sets:
// currency codes from the ISO list, failure codes from domain/outcome.ts.
import { metric, prom } from '@bank/kit';

export const paymentMetrics = {
  created: metric('payments_created_total', () => new prom.Counter({ name: 'payments_created_total', help: 'Payments created', labelNames: ['currency'] })),
  amountMinor: metric(
    'payments_amount_minor_total',
    () => new prom.Counter({ name: 'payments_amount_minor_total', help: 'Sum of created payment amounts, in minor units', labelNames: ['currency'] }),
  ),
  failed: metric('payments_failed_total', () => new prom.Counter({ name: 'payments_failed_total', help: 'Payments failed by the processor', labelNames: ['reason'] })),
  // Counted after the transaction commits, so a rolled-back step is never counted.
  statusChanges: metric(
    'payments_status_changes_total',
    () => new prom.Counter({ name: 'payments_status_changes_total', help: 'Committed payment status changes, by the new status (processing, completed, failed, cancelled)', labelNames: ['status'] }),
  ),
  scheduledOccurrences: metric(
    'payments_schedule_occurrences_total',
    () => new prom.Counter({ name: 'payments_schedule_occurrences_total', help: 'Payments created by the scheduler from a standing schedule' }),
  ),
};
