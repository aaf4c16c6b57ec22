import { useState } from 'react';
import { applyTheme, resolveTheme, storedTheme } from '@bank/ui';
import { bus } from '@bank/platform';

/** Quick light/dark switch in the header; the full choice (incl. "system") is in settings. */
export function ThemeToggle() {
  const [dark, setDark] = useState(() => resolveTheme(storedTheme()) === 'dark');
  return (
    <button
      type="button"
      className="rounded-md p-2 text-header-foreground hover:bg-white/10"
      aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'}
      aria-pressed={dark}
      onClick={() => {
        const next = dark ? 'light' : 'dark';
        applyTheme(next);
        bus.emit('theme:changed', { theme: next });
        setDark(!dark);
      }}
    >
      <span aria-hidden>{dark ? '☀' : '☾'}</span>
    </button>
  );
}
