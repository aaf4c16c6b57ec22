import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { applyTheme, resolveTheme, storedTheme } from '@bank/ui';
import { bus, profileApi, useAuthStore } from '@bank/platform';
import { PROFILE_KEY, useUpdateProfile } from '../settings/useProfile.ts';

/**
 * Quick light/dark switch in the header; the full choice (incl. "system") is in settings. Its
 * accessible name says what pressing it does, so it carries no aria-pressed (that would read as
 * "Switch to light theme, pressed"). It follows theme changes made elsewhere (settings, profile).
 */
export function ThemeToggle() {
  const [dark, setDark] = useState(() => resolveTheme(storedTheme()) === 'dark');
  useEffect(() => bus.on('theme:changed', ({ theme }) => setDark(resolveTheme(theme) === 'dark')), []);
  const signedIn = useAuthStore((s) => s.status === 'authenticated');
  return signedIn ? <SavedThemeToggle dark={dark} /> : <ThemeButton dark={dark} onChoose={() => undefined} />;
}

/**
 * Signed in, the choice is also saved to the profile: the shell applies the profile's theme on
 * every load, so a choice kept only in this browser would flash back on reload.
 */
function SavedThemeToggle({ dark }: { dark: boolean }) {
  const queryClient = useQueryClient();
  const update = useUpdateProfile();
  return (
    <ThemeButton
      dark={dark}
      onChoose={(theme) => {
        // A click right after a cold load can come before the profile has arrived: wait for it
        // (the preferences are sent whole) instead of dropping the choice, which then flashed back
        // on reload. If it cannot be read, the choice stays in this browser only.
        void queryClient
          .ensureQueryData({ queryKey: PROFILE_KEY, queryFn: profileApi.get })
          .then((profile) => update.mutate({ preferences: { ...profile.preferences, theme } }))
          .catch(() => undefined);
      }}
    />
  );
}

function ThemeButton({ dark, onChoose }: { dark: boolean; onChoose: (theme: 'light' | 'dark') => void }) {
  return (
    <button
      type="button"
      className="rounded-md p-2 text-header-foreground hover:bg-white/10"
      aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'}
      title={dark ? 'Switch to light theme' : 'Switch to dark theme'}
      onClick={() => {
        const next = dark ? 'light' : 'dark';
        applyTheme(next);
        bus.emit('theme:changed', { theme: next });
        onChoose(next);
      }}
    >
      <span aria-hidden>{dark ? '☀' : '☾'}</span>
    </button>
  );
}
