// Business metrics on the kit's registry (served at /metrics). Labels are bounded sets:
// currency codes from the ISO list, failure codes from domain/outcome.ts.
import { metric, prom } from '@bank/kit';

export const paymentMetrics = {
  created: metric('payments_created_total', () => new prom.Counter({ name: 'payments_created_total', help: 'Payments created', labelNames: ['currency'] })),
  amountMinor: metric(
    'payments_amount_minor_total',
    () => new prom.Counter({ name: 'payments_amount_minor_total', help: 'Sum of created payment amounts, in minor units', labelNames: ['currency'] }),
  ),
  completed: metric('payments_completed_total', () => new prom.Counter({ name: 'payments_completed_total', help: 'Payments completed by the processor' })),
  failed: metric('payments_failed_total', () => new prom.Counter({ name: 'payments_failed_total', help: 'Payments failed by the processor', labelNames: ['reason'] })),
};
