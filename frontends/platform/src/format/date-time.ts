// Dates and times in the display locale (display-locale.ts in the @bank/platform singleton).
// Part of '@bank/platform/format': pure functions, bundled by each app that formats, so the
// sign-in page does not download them. The locale comes from '@bank/platform' by name — a
// relative import would give each app its own copy of the locale.
import { getDisplayLocale } from '@bank/platform';
import { dateTimeFormat, numberFormat } from './intl-cache.ts';

const parse = (iso: string | null | undefined): Date | undefined => {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

export function formatDateTime(iso: string | null | undefined, locale = getDisplayLocale()): string {
  const date = parse(iso);
  return date ? dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '—';
}

/** With seconds: where the order of close events matters (a status timeline, an audit trail). */
export function formatTimestamp(iso: string | null | undefined, locale = getDisplayLocale()): string {
  const date = parse(iso);
  return date ? dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date) : '—';
}

/** A calendar date (YYYY-MM-DD, no time zone shift) in the locale's medium style. */
export function formatDate(isoDate: string | null | undefined, locale = getDisplayLocale()): string {
  if (!isoDate) return '—';
  const date = parse(/^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? `${isoDate}T00:00:00Z` : isoDate);
  return date ? dateTimeFormat(locale, { dateStyle: 'medium', ...(/^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? { timeZone: 'UTC' } : {}) }).format(date) : '—';
}

export function formatNumber(value: number, locale = getDisplayLocale()): string {
  return numberFormat(locale).format(value);
}

export function formatRelative(iso: string | null | undefined, locale = getDisplayLocale()): string {
  const date = parse(iso);
  if (!date) return '—';
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '—';
}
