import { useEffect, useState } from 'react';
import { applyTheme, resolveTheme, storedTheme } from '@bank/ui';
import { bus } from '@bank/platform';

/**
 * Quick light/dark switch in the header; the full choice (incl. "system") is in settings. Its
 * accessible name says what pressing it does, so it carries no aria-pressed (that would read as
 * "Switch to light theme, pressed"). It follows theme changes made elsewhere (settings, profile).
 */
export function ThemeToggle() {
  const [dark, setDark] = useState(() => resolveTheme(storedTheme()) === 'dark');
  useEffect(() => bus.on('theme:changed', ({ theme }) => setDark(resolveTheme(theme) === 'dark')), []);
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
      }}
    >
      <span aria-hidden>{dark ? '☀' : '☾'}</span>
    </button>
  );
}
