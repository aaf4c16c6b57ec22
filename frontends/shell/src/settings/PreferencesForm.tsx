import { useState } from 'react';
import { Alert, applyTheme, Card, CardContent, CardDescription, CardHeader, CardTitle, Field, PageLoader, Select, useToast, type ThemeChoice } from '@bank/ui';
import { bus, errorMessage, setAnalyticsConsent, type Preferences } from '@bank/platform';
import { useProfile, useUpdateProfile } from './useProfile.ts';

const DEFAULTS: Preferences = { theme: 'system', locale: 'en-GB', notifications: { email: true, sms: false, push: true }, analytics: true };
const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'system', label: 'Same as my device' },
];

/** Every change is saved at once; the theme is applied before the request returns. */
export function PreferencesForm() {
  const toast = useToast();
  const profile = useProfile();
  const update = useUpdateProfile();
  const saved: Preferences = { ...DEFAULTS, ...profile.data?.preferences, notifications: { ...DEFAULTS.notifications, ...profile.data?.preferences?.notifications } };
  // The controls show the user's latest choice synchronously (a controlled radio that waited for
  // the cache update would snap back for a frame); the saved copy takes over once nothing is in flight.
  const [choice, setChoice] = useState<Preferences | null>(null);
  const prefs = choice ?? saved;

  function save(next: Preferences) {
    setChoice(next);
    update.mutate(
      { preferences: next },
      {
        onSuccess: () => toast({ title: 'Preferences saved', variant: 'success' }),
        onSettled: () => setChoice((current) => (current === next ? null : current)),
      },
    );
  }

  if (profile.isPending) return <PageLoader label="Loading preferences" />;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Preferences</CardTitle>
        <CardDescription>Appearance, language, notifications and privacy.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        {(profile.isError || update.isError) && <Alert tone="error">{errorMessage(profile.error ?? update.error)}</Alert>}
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Theme</legend>
          {/* Native radios in a fieldset: the legend names the group, each label names a choice. */}
          <div className="flex flex-wrap gap-2">
            {THEMES.map((t) => (
              <label key={t.value} className="flex cursor-pointer items-center gap-2 rounded-md border border-input px-3 py-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5">
                <input
                  type="radio"
                  name="theme"
                  value={t.value}
                  checked={prefs.theme === t.value}
                  onChange={() => {
                    applyTheme(t.value);
                    bus.emit('theme:changed', { theme: t.value });
                    save({ ...prefs, theme: t.value });
                  }}
                />
                {t.label}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Language and region" className="max-w-xs">
          <Select value={prefs.locale} onChange={(e) => save({ ...prefs, locale: e.target.value })}>
            <option value="en-GB">English (United Kingdom)</option>
            <option value="en-US">English (United States)</option>
            <option value="de-DE">Deutsch (Deutschland)</option>
            <option value="fr-FR">Français (France)</option>
          </Select>
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-medium">Notifications</legend>
          {(['email', 'sms', 'push'] as const).map((channel) => (
            <label key={channel} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={prefs.notifications[channel]}
                onChange={(e) => save({ ...prefs, notifications: { ...prefs.notifications, [channel]: e.target.checked } })}
              />
              {channel === 'sms' ? 'SMS' : channel === 'push' ? 'Push notifications' : 'Email'}
            </label>
          ))}
        </fieldset>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-medium">Privacy</legend>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={prefs.analytics}
              aria-describedby="analytics-help"
              onChange={(e) => {
                setAnalyticsConsent(e.target.checked ? 'granted' : 'denied');
                save({ ...prefs, analytics: e.target.checked });
              }}
            />
            Share performance measurements
          </label>
          <p id="analytics-help" className="text-xs text-muted-foreground">
            Page load times and API response times from this browser help us keep the bank fast. No content or personal data is sent.
          </p>
        </fieldset>
      </CardContent>
    </Card>
  );
}
