// Contract of the payments remote: one component rendering its routes relative to where the
// shell mounts it (/payments/*): the list (index), `new`, `schedules`, and `:id`.
import '../styles.css';
import { Component } from 'react';
import { Route, Routes } from 'react-router';
import { registerReactInstance } from '@bank/platform';
import { PaymentsListPage } from '../pages/PaymentsListPage.tsx';
import { CreatePaymentPage } from '../pages/CreatePaymentPage.tsx';
import { PaymentDetailPage } from '../pages/PaymentDetailPage.tsx';
import { SchedulesPage } from '../pages/SchedulesPage.tsx';
import { usePaymentRealtime } from '../components/usePaymentRealtime.ts';

registerReactInstance('payments', Component);

export default function PaymentsApp() {
  usePaymentRealtime();
  return (
    <div data-remote="payments" className="payments-remote">
      <Routes>
        <Route index element={<PaymentsListPage />} />
        <Route path="new" element={<CreatePaymentPage />} />
        <Route path="schedules" element={<SchedulesPage />} />
        <Route path=":id" element={<PaymentDetailPage />} />
      </Routes>
    </div>
  );
}
