import { NavLink } from 'react-router';
import { cn } from '@bank/ui';

const LINKS = [
  { to: '/admin', label: 'Dashboard', end: true },
  { to: '/admin/users', label: 'Users' },
  { to: '/admin/audit', label: 'Audit log' },
  { to: '/admin/config', label: 'Configuration' },
  { to: '/admin/health', label: 'System health' },
  { to: '/admin/monitoring', label: 'Monitoring' },
  { to: '/admin/dead-letters', label: 'Dead letters' },
];

export function AdminNav() {
  return (
    <nav aria-label="Administration" className="-mx-1 flex gap-1 overflow-x-auto border-b border-border">
      {LINKS.map((l) => (
        <NavLink
          key={l.to}
          to={l.to}
          end={l.end}
          className={({ isActive }) =>
            cn('-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap', isActive ? 'border-primary text-primary' : 'border-transparent text-muted-foreground hover:text-foreground')
          }
        >
          {l.label}
        </NavLink>
      ))}
    </nav>
  );
}
