import { lazy, Suspense, useEffect } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { applyTheme, PageLoader, ToastProvider, useToast } from '@bank/ui';
import { bus, discardAnalytics, getRuntimeConfig, RealtimeProvider, restoreSession, setAnalyticsConsent, setDisplayLocale, useAuthStore } from '@bank/platform';
import { AppLayout } from './layout/AppLayout.tsx';
import { AdminRemote, AuthRemote, PaymentsRemote } from './remotes/RemoteApp.tsx';
import { AnonymousOnly, RequireAuth } from './routing/RequireAuth.tsx';
import { useProfile } from './settings/useProfile.ts';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OfflineBanner } from './offline/OfflineBanner.tsx';
import { deleteUserCachesOnSignOut } from './offline/user-cache.ts';

// Settings (react-hook-form + zod) is not on the sign-in path: loaded when first opened.
const SettingsPage = lazy(async () => ({ default: (await import('./settings/SettingsPage.tsx')).SettingsPage }));

/** Side effects of the signed-in session that belong to the shell, not to any page. */
function SessionEffects() {
  const toast = useToast();
  const signedIn = useAuthStore((s) => s.status === 'authenticated');
  const profile = useProfile();
  const theme = signedIn ? profile.data?.preferences?.theme : undefined;
  useEffect(() => {
    if (!theme) return;
    applyTheme(theme);
    bus.emit('theme:changed', { theme });
  }, [theme]);
  // Every date, time and amount on every page follows the profile's language/region.
  const locale = profile.data?.preferences?.locale;
  useEffect(() => {
    if (locale) setDisplayLocale(locale);
  }, [locale]);
  // Front-end analytics follow the user's preference (on unless opted out in Settings).
  const analytics = profile.data?.preferences?.analytics;
  useEffect(() => {
    if (profile.data) setAnalyticsConsent(analytics === false ? 'denied' : 'granted');
  }, [profile.data, analytics]);
  // Remotes raise toasts through the bus; the shell owns the toast region.
  useEffect(() => bus.on('toast', (t) => toast(t)), [toast]);
  return null;
}

function Home() {
  const status = useAuthStore((s) => s.status);
  if (status === 'unknown') return null;
  return <Navigate to={status === 'authenticated' ? '/payments' : '/auth/signin'} replace />;
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  useEffect(() => {
    void restoreSession();
  }, []);
  // Clear cached data of the previous user on sign-out.
  useEffect(() => bus.on('auth:signed-out', () => queryClient.clear()), [queryClient]);
  useEffect(() => bus.on('auth:signed-out', () => discardAnalytics()), []);
  // …and the service worker's cached API answers of that user.
  useEffect(() => deleteUserCachesOnSignOut(), []);
  const signedIn = useAuthStore((s) => s.status === 'authenticated');

  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RealtimeProvider enabled={getRuntimeConfig().realtime !== false}>
          <BrowserRouter>
            <OfflineBanner />
            {signedIn && <SessionEffects />}
            <Routes>
              <Route element={<AppLayout />}>
                <Route index element={<Home />} />
                <Route path="auth/*" element={<AnonymousOnly><AuthRemote /></AnonymousOnly>} />
                <Route path="payments/*" element={<RequireAuth><PaymentsRemote /></RequireAuth>} />
                <Route path="admin/*" element={<RequireAuth role="ADMIN"><AdminRemote /></RequireAuth>} />
                <Route path="settings/*" element={<RequireAuth><Suspense fallback={<PageLoader label="Loading settings" />}><SettingsPage /></Suspense></RequireAuth>} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </RealtimeProvider>
      </ToastProvider>
    </QueryClientProvider>
  );
}
