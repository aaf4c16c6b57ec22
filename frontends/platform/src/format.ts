// Display formatting shared by every page: dates, times and amounts in the user's locale (their
// profile's preferences.locale; en-GB until it is known). The locale is one module-level value —
// the platform is a federation singleton, so the shell sets it once and every remote reads it —
// and pages subscribe with useDisplayLocale() so a change re-renders them.
import { useSyncExternalStore } from 'react';

export const DEFAULT_LOCALE = 'en-GB';
const STORAGE_KEY = 'bank.locale';

function supported(locale: string | null | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? locale : undefined;
  } catch {
    return undefined; // not a BCP 47 tag
  }
}

function remembered(): string | undefined {
  try {
    return supported(localStorage.getItem(STORAGE_KEY));
  } catch {
    return undefined;
  }
}

let displayLocale = (typeof localStorage !== 'undefined' && remembered()) || DEFAULT_LOCALE;
const listeners = new Set<() => void>();

export const getDisplayLocale = () => displayLocale;

/** Set from the profile (and remembered, so a reload formats in it before the profile arrives). */
export function setDisplayLocale(locale: string | null | undefined): void {
  const next = supported(locale) ?? DEFAULT_LOCALE;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  if (next === displayLocale) return;
  displayLocale = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* private mode */
  }
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The display locale; a component that formats calls it so a locale change re-renders it. */
export function useDisplayLocale(): string {
  return useSyncExternalStore(subscribe, getDisplayLocale, getDisplayLocale);
}

const parse = (iso: string | null | undefined): Date | undefined => {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

export function formatDateTime(iso: string | null | undefined, locale = displayLocale): string {
  const date = parse(iso);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : '—';
}

/** With seconds: where the order of close events matters (a status timeline, an audit trail). */
export function formatTimestamp(iso: string | null | undefined, locale = displayLocale): string {
  const date = parse(iso);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date) : '—';
}

/** A calendar date (YYYY-MM-DD, no time zone shift) in the locale's medium style. */
export function formatDate(isoDate: string | null | undefined, locale = displayLocale): string {
  if (!isoDate) return '—';
  const date = parse(/^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? `${isoDate}T00:00:00Z` : isoDate);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? 'UTC' : undefined }).format(date) : '—';
}

export function formatNumber(value: number, locale = displayLocale): string {
  return new Intl.NumberFormat(locale).format(value);
}

export function formatRelative(iso: string | null | undefined, locale = displayLocale): string {
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
