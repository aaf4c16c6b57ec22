import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoader } from '@bank/ui';
import { useAuthStore, type Role } from '@bank/platform';
import { NotAuthorisedPage } from '../pages/NotAuthorisedPage.tsx';

/** Waits for the session to be restored, sends anonymous visitors to sign in, and checks the role. */
export function RequireAuth({ children, role }: { children: ReactNode; role?: Role }) {
  const status = useAuthStore((s) => s.status);
  const user = useAuthStore((s) => s.user);
  const location = useLocation();
  if (status === 'unknown') return <PageLoader label="Restoring your session" />;
  if (status === 'anonymous') return <Navigate to="/auth/signin" replace state={{ from: location.pathname + location.search }} />;
  if (role && user?.role !== role) return <NotAuthorisedPage />;
  return <>{children}</>;
}

/** Signed-in users have no business on the sign-in pages. */
export function AnonymousOnly({ children }: { children: ReactNode }) {
  const status = useAuthStore((s) => s.status);
  if (status === 'unknown') return <PageLoader label="Restoring your session" />;
  if (status === 'authenticated') return <Navigate to="/payments" replace />;
  return <>{children}</>;
}
