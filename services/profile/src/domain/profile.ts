// The profile's shape and its pure rules: defaults, how a PATCH applies, which fields changed
// (the `fields` of profile.profile.updated) and the country check.
import { InvalidCountry } from './errors.ts';
import { DEFAULT_LOCALE } from './locales.ts';

export type Theme = 'light' | 'dark' | 'system';
export interface Notifications {
  email: boolean;
  sms: boolean;
  push: boolean;
}
export interface Preferences {
  theme: Theme;
  locale: string;
  notifications: Notifications;
  /** Front-end analytics and web vitals may be sent from this user's browser (opt-out). */
  analytics: boolean;
}
export interface Address {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface ProfileFields {
  displayName: string | null;
  phone: string | null;
  address: Address | null;
  bio: string | null;
  avatarUrl: string | null;
  preferences: Preferences;
}

export interface ProfilePatch {
  displayName?: string | null;
  phone?: string | null;
  address?: Address | null;
  bio?: string | null;
  avatarUrl?: string | null;
  preferences?: { theme?: Theme; locale?: string; notifications?: Partial<Notifications>; analytics?: boolean };
}

export const defaultPreferences = (): Preferences => ({
  theme: 'system',
  locale: DEFAULT_LOCALE,
  notifications: { email: true, sms: false, push: true },
  analytics: true,
});

/** Stored preferences completed with the defaults (rows written before a key existed lack it). */
export const withDefaultPreferences = (stored: Partial<Preferences>): Preferences => {
  const defaults = defaultPreferences();
  return { ...defaults, ...stored, notifications: { ...defaults.notifications, ...stored.notifications } };
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Codes ICU knows but that are not countries (user-assigned / groupings).
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB']);

/** The schema checks the form (two upper-case letters); this checks the code is assigned. */
export function assertCountry(code: string): void {
  if (NOT_COUNTRIES.has(code) || regionNames.of(code) === undefined) {
    throw InvalidCountry(`${code} is not an ISO 3166-1 alpha-2 country code`);
  }
}

/** The profile after a PATCH: absent keys keep their value, null clears, preferences merge. */
export function applyPatch(current: ProfileFields, patch: ProfilePatch): ProfileFields {
  if (patch.address) assertCountry(patch.address.country);
  const prefs = patch.preferences;
  return {
    displayName: patch.displayName !== undefined ? patch.displayName : current.displayName,
    phone: patch.phone !== undefined ? patch.phone : current.phone,
    address: patch.address !== undefined ? normaliseAddress(patch.address) : current.address,
    bio: patch.bio !== undefined ? patch.bio : current.bio,
    avatarUrl: patch.avatarUrl !== undefined ? patch.avatarUrl : current.avatarUrl,
    preferences: {
      theme: prefs?.theme ?? current.preferences.theme,
      locale: prefs?.locale ?? current.preferences.locale,
      notifications: { ...current.preferences.notifications, ...prefs?.notifications },
      analytics: prefs?.analytics ?? current.preferences.analytics ?? true,
    },
  };
}

function normaliseAddress(address: Address | null): Address | null {
  if (!address) return null;
  return { ...address, line2: address.line2 ?? null };
}

// Field by field: jsonb does not keep key order, so serialised comparison would lie.
function sameAddress(a: Address | null, b: Address | null): boolean {
  if (!a || !b) return a === b;
  return (['line1', 'line2', 'city', 'postalCode', 'country'] as const).every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/** Names of the fields whose value differs (preferences per sub-field), in a stable order. */
export function changedFields(before: ProfileFields, after: ProfileFields): string[] {
  const changed: string[] = [];
  if (before.displayName !== after.displayName) changed.push('displayName');
  if (before.phone !== after.phone) changed.push('phone');
  if (!sameAddress(before.address, after.address)) changed.push('address');
  if (before.bio !== after.bio) changed.push('bio');
  if (before.avatarUrl !== after.avatarUrl) changed.push('avatarUrl');
  if (before.preferences.theme !== after.preferences.theme) changed.push('preferences.theme');
  if (before.preferences.locale !== after.preferences.locale) changed.push('preferences.locale');
  for (const channel of ['email', 'sms', 'push'] as const) {
    if (before.preferences.notifications[channel] !== after.preferences.notifications[channel]) {
      changed.push(`preferences.notifications.${channel}`);
    }
  }
  if ((before.preferences.analytics ?? true) !== after.preferences.analytics) changed.push('preferences.analytics');
  return changed;
}
