// The display locale of every date, time and amount: the user's profile preferences.locale (en-GB
// until it is known). One module-level value — the platform is a federation singleton, so the
// shell sets it once and every remote reads it — and pages subscribe with useDisplayLocale() so a
// change re-renders them. The formatting functions that read it are in '@bank/platform/format'.
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

