// Contract of the payments remote: one component rendering its routes relative to where the
// shell mounts it (/payments/*): the list (index), `new`, `schedules`, and `:id`.
import '../styles.css';
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { registerReactInstance } from '@bank/platform';
import { PageLoader } from '@bank/ui';
import { PaymentsListPage } from '../pages/PaymentsListPage.tsx';
import { usePaymentRealtime } from '../components/usePaymentRealtime.ts';

registerReactInstance('payments', Component);

// Only the list — the page most visits open first — is in the remote's entry: the form
// (react-hook-form + zod), the detail page and schedules load when opened, so a cold /payments
// parses a fraction of the code before its first row (docs/benchmarks/frontend.md).
const CreatePaymentPage = lazy(() => import('../pages/CreatePaymentPage.tsx').then((m) => ({ default: m.CreatePaymentPage })));
const PaymentDetailPage = lazy(() => import('../pages/PaymentDetailPage.tsx').then((m) => ({ default: m.PaymentDetailPage })));
const SchedulesPage = lazy(() => import('../pages/SchedulesPage.tsx').then((m) => ({ default: m.SchedulesPage })));

const withPageLoader = (page: ReactNode) => <Suspense fallback={<PageLoader label="Loading payments" />}>{page}</Suspense>;

export default function PaymentsApp() {
  usePaymentRealtime();
  return (
    <div data-remote="payments" className="payments-remote">
      <Routes>
        <Route index element={<PaymentsListPage />} />
        <Route path="new" element={withPageLoader(<CreatePaymentPage />)} />
        <Route path="schedules" element={withPageLoader(<SchedulesPage />)} />
        <Route path=":id" element={withPageLoader(<PaymentDetailPage />)} />
      </Routes>
    </div>
  );
}
