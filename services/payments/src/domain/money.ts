// Money rules: an amount is a positive safe integer of minor units, at most MAX_AMOUNT_MINOR,
// in a supported ISO 4217 currency. No floats, no numeric strings: money never passes through a
// binary fraction anywhere in the service.
import { InvalidAmount, UnsupportedCurrency } from './errors.ts';
import { isSupportedCurrency } from './currencies.ts';

/** 10^12 minor units (10 000 000 000.00 in a two-decimal currency): far above any limit, safely below 2^53. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export function assertAmount(amount: unknown): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw InvalidAmount('amount must be an integer number of minor units (e.g. 1050 for 10.50)');
  }
  if (amount < 1 || amount > MAX_AMOUNT_MINOR) throw InvalidAmount(`amount must be between 1 and ${MAX_AMOUNT_MINOR} minor units`);
}

export function assertCurrency(currency: string): void {
  if (!isSupportedCurrency(currency)) throw UnsupportedCurrency(`${currency} is not a supported ISO 4217 currency code`);
}
