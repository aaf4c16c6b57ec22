import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { signOut, type User } from '@bank/platform';

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((p) => p[0]?.toUpperCase()).join('') || '?';
}

/** Disclosure menu: Escape and outside clicks close it and focus goes back to the button. */
export function UserMenu({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    panel.current?.querySelector<HTMLElement>('a,button')?.focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Account menu for ${user.name}`}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-full p-1 pr-2 text-header-foreground hover:bg-white/10"
      >
        {/* The initials are drawn by CSS (not text) so the button's visible text stays its name's
            content (WCAG 2.5.3 "label in name"): "Account menu for Ada Admin" contains "Ada Admin". */}
        <span aria-hidden data-initials={initials(user.name)} className="flex h-8 w-8 items-center justify-center rounded-full bg-white/15 text-sm font-semibold before:content-[attr(data-initials)]" />
        <span className="hidden text-sm font-medium md:inline">{user.name}</span>
        <span aria-hidden className="text-xs">▾</span>
      </button>
      {open && (
        <div ref={panel} id={menuId} className="absolute right-0 z-40 mt-2 w-64 rounded-lg border border-border bg-card p-2 text-card-foreground shadow-xl">
          <div className="border-b border-border px-3 pt-1 pb-3">
            <p className="truncate text-sm font-semibold">{user.name}</p>
            <p className="truncate text-xs text-muted-foreground">{user.email}</p>
            <p className="mt-1 text-xs font-medium text-primary">{user.role}</p>
          </div>
          <Link className="mt-1 block rounded-md px-3 py-2 text-sm hover:bg-muted" to="/settings" onClick={() => setOpen(false)}>Profile &amp; settings</Link>
          <Link className="block rounded-md px-3 py-2 text-sm hover:bg-muted" to="/settings/sessions" onClick={() => setOpen(false)}>Devices &amp; sessions</Link>
          <button type="button" className="block w-full rounded-md px-3 py-2 text-left text-sm text-destructive hover:bg-muted" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
