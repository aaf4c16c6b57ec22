import { NavLink, Route, Routes } from 'react-router';
import { cn, PageHeader } from '@bank/ui';
import { ProfileForm } from './ProfileForm.tsx';
import { PreferencesForm } from './PreferencesForm.tsx';
import { SessionsPanel } from './SessionsPanel.tsx';

const SECTIONS = [
  { to: '/settings', label: 'Profile', end: true },
  { to: '/settings/preferences', label: 'Preferences' },
  { to: '/settings/sessions', label: 'Devices & sessions' },
];

export function SettingsPage() {
  return (
    <section>
      <PageHeader title="Settings" description="Your profile, preferences and signed-in devices." />
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[14rem_1fr]">
        <nav aria-label="Settings sections" className="flex gap-1 overflow-x-auto md:flex-col">
          {SECTIONS.map((s) => (
            <NavLink
              key={s.to}
              to={s.to}
              end={s.end}
              className={({ isActive }) => cn('rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap', isActive ? 'bg-secondary text-secondary-foreground' : 'text-muted-foreground hover:bg-muted hover:text-foreground')}
            >
              {s.label}
            </NavLink>
          ))}
        </nav>
        <div>
          <Routes>
            <Route index element={<ProfileForm />} />
            <Route path="preferences" element={<PreferencesForm />} />
            <Route path="sessions" element={<SessionsPanel />} />
          </Routes>
        </div>
      </div>
    </section>
  );
}
