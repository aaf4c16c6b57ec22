import { useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { cn } from '@bank/ui';
import { useAuthStore, useOnline, useRealtimeStatus } from '@bank/platform';
import { UserMenu } from './UserMenu.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { SystemBanner } from './SystemBanner.tsx';
import { useNavigationEffects } from './useNavigationEffects.ts';

const NAV = [
  { to: '/payments', label: 'Payments' },
  { to: '/admin', label: 'Admin', role: 'ADMIN' as const },
  { to: '/settings', label: 'Settings' },
];

function LiveIndicator() {
  const status = useRealtimeStatus();
  const online = useOnline();
  // Tells the truth: offline wins over a socket the browser has not noticed is dead yet.
  const live = online && status === 'open';
  const label = !online ? 'Offline' : live ? 'Live' : status === 'failed' || status === 'closed' ? 'Disconnected' : 'Reconnecting';
  return (
    <span data-live-status={label.toLowerCase()} className="hidden items-center gap-1.5 text-xs text-header-foreground/80 sm:inline-flex" title={`Real-time updates: ${online ? status : 'offline'}`}>
      <span aria-hidden className={cn('h-2 w-2 rounded-full', live ? 'bg-emerald-400' : online ? 'bg-amber-400' : 'bg-red-400')} />
      {label}
    </span>
  );
}

export function AppLayout() {
  const user = useAuthStore((s) => s.user);
  const [menuOpen, setMenuOpen] = useState(false);
  useNavigationEffects();
  const links = NAV.filter((n) => !n.role || n.role === user?.role);
  const linkClass = ({ isActive }: { isActive: boolean }) =>
    cn('rounded-md px-3 py-2 text-sm font-medium transition-colors', isActive ? 'bg-white/15 text-header-foreground' : 'text-header-foreground/80 hover:bg-white/10 hover:text-header-foreground');

  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 bg-header text-header-foreground shadow-md">
        <div className="mx-auto flex h-16 max-w-7xl items-center gap-4 px-4 sm:px-6">
          <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <span aria-hidden className="flex h-8 w-8 items-center justify-center rounded-lg bg-white text-sm font-bold text-[#0b3d91]">N</span>
            <span>Northwind Bank</span>
          </Link>
          {user && (
            <nav aria-label="Main" className="ml-6 hidden gap-1 md:flex">
              {links.map((l) => (
                <NavLink key={l.to} to={l.to} className={linkClass}>{l.label}</NavLink>
              ))}
            </nav>
          )}
          <div className="ml-auto flex items-center gap-2">
            {user && <LiveIndicator />}
            <ThemeToggle />
            {user && <UserMenu user={user} />}
            {user && (
              <button
                type="button"
                className="rounded-md p-2 hover:bg-white/10 md:hidden"
                aria-expanded={menuOpen}
                aria-controls="mobile-nav"
                aria-label="Open navigation"
                onClick={() => setMenuOpen((o) => !o)}
              >
                <span aria-hidden>☰</span>
              </button>
            )}
          </div>
        </div>
        {user && menuOpen && (
          <nav id="mobile-nav" aria-label="Main (mobile)" className="flex flex-col gap-1 border-t border-white/10 px-4 py-2 md:hidden">
            {links.map((l) => (
              <NavLink key={l.to} to={l.to} className={linkClass} onClick={() => setMenuOpen(false)}>{l.label}</NavLink>
            ))}
          </nav>
        )}
      </header>
      <SystemBanner />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-8 outline-none sm:px-6">
        <Outlet />
      </main>
      <footer className="border-t border-border py-6 text-center text-xs text-muted-foreground">
        Northwind Bank · Demonstration platform — payments are simulated · <span className="whitespace-nowrap">© {new Date().getFullYear()}</span>
      </footer>
    </div>
  );
}
