// Contract of the auth remote: one component rendering its routes (relative to where the shell
// mounts it, e.g. /auth/*): `signin` and `signup`.
import '../styles.css';
import { Component } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { registerReactInstance } from '@bank/platform';
import { SignInPage } from '../pages/SignInPage.tsx';
import { SignUpPage } from '../pages/SignUpPage.tsx';

registerReactInstance('auth', Component);

export default function AuthApp() {
  return (
    <div data-remote="auth" className="flex min-h-[calc(100vh-4rem)] items-center justify-center px-4 py-10">
      <Routes>
        <Route path="signin" element={<SignInPage />} />
        <Route path="signup" element={<SignUpPage />} />
        <Route path="*" element={<Navigate to="signin" replace />} />
      </Routes>
    </div>
  );
}
