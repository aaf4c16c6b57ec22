// Contract of the auth remote: one component rendering its routes (relative to where the shell
// mounts it, e.g. /auth/*): `signin` and `signup`.
import '../styles.css';
import { Component, lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { registerReactInstance } from '@bank/platform';
import { PageLoader } from '@bank/ui';
import { SignInPage } from '../pages/SignInPage.tsx';

// Sign-up (react-hook-form + zod) is loaded when opened: the sign-in page stays small.
const SignUpPage = lazy(async () => ({ default: (await import('../pages/SignUpPage.tsx')).SignUpPage }));

registerReactInstance('auth', Component);

export default function AuthApp() {
  return (
    <div data-remote="auth" className="flex min-h-[calc(100vh-4rem)] items-center justify-center px-4 py-10">
      <Routes>
        <Route path="signin" element={<SignInPage />} />
        <Route path="signup" element={<Suspense fallback={<PageLoader label="Loading sign-up" />}><SignUpPage /></Suspense>} />
        <Route path="*" element={<Navigate to="signin" replace />} />
      </Routes>
    </div>
  );
}
