// Contract of the admin remote: one component rendering its routes relative to /admin/*.
// The shell only mounts it for ADMIN users; the API enforces the role again (403).
import '../styles.css';
import { Component, lazy, Suspense } from 'react';
import { PageLoader } from '@bank/ui';
import { Route, Routes } from 'react-router';
import { registerReactInstance } from '@bank/platform';
import { AdminNav } from '../components/AdminNav.tsx';
import { DashboardPage } from '../pages/DashboardPage.tsx';
import { UsersPage } from '../pages/UsersPage.tsx';
import { AuditPage } from '../pages/AuditPage.tsx';
import { ConfigPage } from '../pages/ConfigPage.tsx';
import { HealthPage } from '../pages/HealthPage.tsx';
import { DeadLettersPage } from '../pages/DeadLettersPage.tsx';

registerReactInstance('admin', Component);

// The charting library loads with the Monitoring page only.
const MonitoringPage = lazy(() => import('../pages/MonitoringPage.tsx').then((m) => ({ default: m.MonitoringPage })));

export default function AdminApp() {
  return (
    <div data-remote="admin" className="flex flex-col gap-6">
      <AdminNav />
      <Routes>
        <Route index element={<DashboardPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="config" element={<ConfigPage />} />
        <Route path="health" element={<HealthPage />} />
        <Route path="monitoring" element={<Suspense fallback={<PageLoader label="Loading monitoring" />}><MonitoringPage /></Suspense>} />
        <Route path="dead-letters" element={<DeadLettersPage />} />
      </Routes>
    </div>
  );
}
