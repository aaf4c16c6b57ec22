// Pure conversions from POC-2 values to the services' values. Each returns a value or a refusal
// (a stable code and a message); nothing here rounds, guesses or drops money.
import { CURRENCY_EXPONENTS } from '../../../services/payments/src/domain/currencies.ts';
import { SUPPORTED_LOCALES } from '../../../services/profile/src/domain/locales.ts';

export interface Refusal {
  code: string;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = (code: string, message: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code, message } });

/**
 * payments' MAX_AMOUNT_MINOR (services/payments/src/domain/money.ts, and the table's check
 * constraint), repeated because money.ts loads the whole service kit; a test keeps them equal.
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string | null | undefined): s is string => typeof s === 'string' && UUID.test(s);

/** Currency codes are compared trimmed and upper-cased ('eur ' is EUR); anything else is refused. */
export function currencyCode(raw: string | null): Result<{ code: string; exponent: number }> {
  if (raw === null) return refuse('currency.null', 'currency is NULL');
  const code = raw.trim().toUpperCase();
  const exponent = CURRENCY_EXPONENTS.get(code);
  if (exponent === undefined) return refuse('currency.unknown', `unknown currency ${JSON.stringify(raw)}`);
  return ok({ code, exponent });
}

/**
 * A decimal amount (numeric's text form, e.g. '10.500000000000000000000000000000') in minor units
 * of a currency with `exponent` decimals: exact, in BigInt. More significant decimals than the
 * currency has (10.505 EUR, 100.5 JPY) are refused, never rounded.
 */
export function toMinorUnits(amount: string | null, code: string, exponent: number): Result<number> {
  if (amount === null) return refuse('amount.null', 'amount is NULL');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return refuse('amount.invalid', `amount ${amount} is not a decimal number`);
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    return refuse('amount.too_many_decimals', `${trimDecimal(amount)} ${code} has more decimals than ${code} allows (${exponent})`);
  }
  const minor = BigInt(`${m[2]}${fraction.padEnd(exponent, '0')}`) * (m[1] === '-' ? -1n : 1n);
  if (minor < 1n) return refuse('amount.not_positive', `amount ${trimDecimal(amount)} ${code} is not positive`);
  if (minor > BigInt(MAX_AMOUNT_MINOR)) return refuse('amount.too_large', `amount ${trimDecimal(amount)} ${code} exceeds ${MAX_AMOUNT_MINOR} minor units`);
  return ok(Number(minor));
}

/** '10.500000' → '10.5', '7.000' → '7'. */
export function trimDecimal(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

// Exact decimal arithmetic for the report's sums (numeric text in, numeric text out).
function parseDecimal(s: string): { units: bigint; scale: number } {
  const [int = '0', frac = ''] = s.trim().split('.');
  return { units: BigInt(`${int}${frac}`.replace(/^(-?)$/, '$10')), scale: frac.length };
}
export function addDecimals(...values: string[]): string {
  const parsed = values.map(parseDecimal);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  const total = parsed.reduce((sum, p) => sum + p.units * 10n ** BigInt(scale - p.scale), 0n);
  return formatUnits(total, scale);
}
/** Minor units (integer text) as a major-unit decimal: ('1050', 2) → '10.5'. */
export const minorToMajor = (minor: string, exponent: number) => formatUnits(BigInt(minor), exponent);
function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return (negative ? '-' : '') + trimDecimal(text);
}
export const sameDecimal = (a: string, b: string) => addDecimals(a) === addDecimals(b);

/** Emails are unique case-insensitively on the new platform: stored trimmed and lower-cased. */
export function normaliseEmail(raw: string | null): Result<string> {
  if (raw === null) return refuse('user.email_null', 'email is NULL');
  const email = raw.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return refuse('user.email_invalid', `email ${JSON.stringify(raw)} is not an address`);
  return ok(email);
}

/** Only bcrypt ($2a$/$2b$/$2y$) hashes came out of POC-2; auth verifies and upgrades them. */
export function passwordHash(raw: string | null): Result<string> {
  if (raw === null) return refuse('user.password_null', 'password hash is NULL (the account cannot sign in)');
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(raw)) return refuse('user.password_unknown', 'password hash is not a bcrypt hash');
  return ok(raw);
}

/** A NULL or blank name becomes the email's local part (auth requires a name). */
export const displayName = (name: string | null, email: string) => (name?.trim() ? name.trim() : (email.split('@')[0] ?? email));

const STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type PaymentStatus = (typeof STATUSES)[number];
export function paymentStatus(raw: string | null): Result<PaymentStatus> {
  const status = raw?.trim().toLowerCase();
  return STATUSES.includes(status as PaymentStatus) ? ok(status as PaymentStatus) : refuse('payment.status_unknown', `unknown status ${JSON.stringify(raw)}`);
}
/** POC-2 added `type` late: payments from before then (NULL) were all instant. */
export function paymentType(raw: string | null): Result<'instant' | 'scheduled' | 'recurring'> {
  if (raw === null) return ok('instant');
  const type = raw.trim().toLowerCase();
  return type === 'instant' || type === 'scheduled' || type === 'recurring' ? ok(type) : refuse('payment.type_unknown', `unknown type ${JSON.stringify(raw)}`);
}

// Profiles: the legacy address and preferences were free-form JSON. What fits the new shape is
// kept; what does not is dropped field by field (never the whole profile) and counted.
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB']);
export interface Address {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}
export function profileAddress(raw: unknown): { address: Address | null; dropped: boolean } {
  if (raw === null || raw === undefined) return { address: null, dropped: false };
  const a = (typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const line1 = str(a.street) ?? str(a.line1);
  const city = str(a.city);
  const postalCode = str(a.postalCode) ?? str(a.zip);
  const country = str(a.country)?.toUpperCase();
  const countryOk = !!country && /^[A-Z]{2}$/.test(country) && !NOT_COUNTRIES.has(country) && regionNames.of(country) !== undefined;
  if (!line1 || !city || !postalCode || !countryOk) return { address: null, dropped: true };
  return { address: { line1, ...(str(a.line2) ? { line2: str(a.line2) } : {}), city, postalCode, country }, dropped: false };
}

export interface Preferences {
  theme: 'light' | 'dark' | 'system';
  locale: string;
  notifications: { email: boolean; sms: boolean; push: boolean };
}
export function profilePreferences(raw: unknown): { preferences: Preferences; dropped: boolean } {
  const preferences: Preferences = { theme: 'system', locale: 'en', notifications: { email: true, sms: false, push: true } };
  if (raw === null || raw === undefined) return { preferences, dropped: false };
  const p = (typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  let dropped = false;
  if (p.theme !== undefined) {
    if (p.theme === 'light' || p.theme === 'dark' || p.theme === 'system') preferences.theme = p.theme;
    else dropped = true;
  }
  const locale = p.locale ?? p.language;
  if (locale !== undefined) {
    if ((SUPPORTED_LOCALES as readonly unknown[]).includes(locale)) preferences.locale = locale as string;
    else dropped = true;
  }
  // POC-2 had one switch for all notifications; the new platform has one per channel.
  if (typeof p.notifications === 'boolean') preferences.notifications = { email: p.notifications, sms: false, push: p.notifications };
  else if (p.notifications && typeof p.notifications === 'object') {
    const n = p.notifications as Record<string, unknown>;
    for (const k of ['email', 'sms', 'push'] as const) if (typeof n[k] === 'boolean') preferences.notifications[k] = n[k];
  }
  return { preferences, dropped };
}

/** Audit entries become envelopes of type legacy.<resource>.<action> (not in the event catalogue). */
export function auditType(resourceType: string | null, action: string): string {
  const part = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'unknown';
  return `legacy.${part(resourceType ?? 'unknown')}.${part(action)}`;
}
