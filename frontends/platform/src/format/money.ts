import { getDisplayLocale } from '@bank/platform';
import { numberFormat } from './intl-cache.ts';

// Money in the UI is typed as a decimal string and sent as integer minor units. The conversion
// is done on the digits themselves — never through a float — so "0.29" is 29, not 28.999….
export const SUPPORTED_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY', 'CAD', 'AUD'] as const;
export type SupportedCurrency = (typeof SUPPORTED_CURRENCIES)[number];

// ISO 4217 exponents that differ from 2.
const EXPONENTS: Record<string, number> = { JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3 };

export function minorUnitExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export function isSupportedCurrency(code: string): code is SupportedCurrency {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(code);
}

export type ParseResult = { ok: true; minor: number } | { ok: false; error: string };

/** "1,234.5" EUR → 123450. Rejects signs, exponents, too many decimals and zero. */
export function parseAmountToMinor(input: string, currency: string): ParseResult {
  const exponent = minorUnitExponent(currency);
  const cleaned = input.trim().replace(/[\s_]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  const pattern = exponent === 0 ? /^(\d{1,13})$/ : new RegExp(`^(\\d{1,13})(?:\\.(\\d{1,${exponent}}))?$`);
  const match = pattern.exec(cleaned);
  if (!match) {
    return { ok: false, error: exponent === 0 ? `Enter a whole amount (${currency} has no decimals)` : `Enter an amount like 12.50 (at most ${exponent} decimals)` };
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(exponent, '0');
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const minor = Number(digits);
  if (!Number.isSafeInteger(minor)) return { ok: false, error: 'The amount is too large' };
  if (minor <= 0) return { ok: false, error: 'The amount must be greater than zero' };
  return { ok: true, minor };
}

/** 123450 → "1234.50" (exact, no float arithmetic). */
export function minorToDecimalString(minor: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(Math.trunc(minor))).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** In the display locale (display-locale.ts). `signed`: "+€1.00" / "−€1.00" for received / sent money. */
export function formatMoney(minor: number, currency: string, options: { locale?: string; signed?: boolean } = {}): string {
  const decimal = minorToDecimalString(minor, currency);
  try {
    const format = numberFormat(options.locale ?? getDisplayLocale(), { style: 'currency', currency, ...(options.signed ? { signDisplay: 'exceptZero' as const } : {}) });
    // Intl accepts a decimal string and formats it exactly.
    return format.format(decimal as unknown as number);
  } catch {
    return `${decimal} ${currency}`;
  }
}
