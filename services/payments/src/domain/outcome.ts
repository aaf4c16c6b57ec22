// The simulated PSP's decision, pure and deterministic so tests (and demos) can pick the outcome:
//   1. amount above the limit (default 1 000 000 major units)      → failed, "limit exceeded"
//   2. description containing "FAIL" (any case)                     → failed, "declined by processor"
//   3. amount whose last two digits of minor units are 13           → failed, "declined by processor"
//   (2 and 3 are the configuration key processor.failRule; these are its defaults)
//   4. recipient disabled since the payment was made               → failed, "recipient disabled"
//   5. otherwise                                                   → completed
import { minorUnitsPerMajor } from './currencies.ts';

export type FailureCode = 'limit_exceeded' | 'declined' | 'declined_amount' | 'recipient_disabled';
export type Outcome = { status: 'completed' } | { status: 'failed'; code: FailureCode; reason: string };

export interface OutcomeInput {
  amount: number;
  currency: string;
  description: string | null;
  recipientActive: boolean;
}

export interface FailRule {
  descriptionContains: string | null;
  amountEndsWith: string | null;
}

export const DEFAULT_FAIL_RULE: FailRule = { descriptionContains: 'FAIL', amountEndsWith: '13' };

export function decideOutcome(payment: OutcomeInput, limitMajorUnits: number, rule: FailRule = DEFAULT_FAIL_RULE): Outcome {
  if (payment.amount > limitMajorUnits * minorUnitsPerMajor(payment.currency)) {
    return { status: 'failed', code: 'limit_exceeded', reason: 'limit exceeded' };
  }
  if (rule.descriptionContains !== null && payment.description?.toLowerCase().includes(rule.descriptionContains.toLowerCase())) {
    return { status: 'failed', code: 'declined', reason: `declined by processor (description contains ${rule.descriptionContains})` };
  }
  if (rule.amountEndsWith !== null && String(payment.amount).endsWith(rule.amountEndsWith)) {
    return { status: 'failed', code: 'declined_amount', reason: `declined by processor (amount ends in ${rule.amountEndsWith})` };
  }
  if (!payment.recipientActive) return { status: 'failed', code: 'recipient_disabled', reason: 'recipient disabled' };
  return { status: 'completed' };
}
