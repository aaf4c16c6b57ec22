import { Suspense, useEffect, useState, type ComponentType } from 'react';
import { PageLoader } from '@bank/ui';
import { bus } from '@bank/platform';
import { RemoteBoundary } from './RemoteBoundary.tsx';

type Loader = () => Promise<{ default: ComponentType }>;

/** What a remote's load has come to: the component, or the error for RemoteBoundary to show. */
type Loaded = { Component: ComponentType } | { error: unknown };

/**
 * Renders a remote once its code is loaded, a loading state until then. Not React.lazy + Suspense:
 * React holds back the content of a Suspense boundary for 300 ms after its fallback was shown
 * (FALLBACK_THROTTLE_MS), so a remote that arrived 50 ms after the fallback still waited the full
 * 300 ms — most of a cold /payments load's time to its first row (docs/benchmarks/frontend.md).
 * A plain state change renders the remote as soon as it is there.
 */
function RemoteContent({ label, load, ready }: { label: string; load: Loader; ready: ComponentType | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(() => (ready ? { Component: ready } : null));
  useEffect(() => {
    if (loaded) return;
    let current = true;
    load().then(
      (module) => current && setLoaded({ Component: module.default }),
      (error: unknown) => current && setLoaded({ error }),
    );
    return () => {
      current = false;
    };
  }, [load, loaded]);
  if (!loaded) return <PageLoader label={`Loading ${label}`} />;
  if ('error' in loaded) throw loaded.error; // RemoteBoundary shows the fallback with "Try again"
  // For the remote's own lazy pages (sign-up, the payments form…); the page opened first is not one.
  return (
    <Suspense fallback={<PageLoader label={`Loading ${label}`} />}>
      <loaded.Component />
    </Suspense>
  );
}

/**
 * A remote with a loading state and a fallback; "Try again" makes a fresh attempt. `preload()`
 * starts the download before the route renders (main.tsx calls it for the page being opened, in
 * parallel with the session restore); the first render then uses that download, and renders the
 * remote at once if it has already arrived.
 */
function makeRemote(name: string, label: string, load: Loader) {
  let preloaded: Promise<{ default: ComponentType }> | null = null;
  let ready: ComponentType | null = null;
  const timedLoad = async () => {
    const started = performance.now();
    const module = await load();
    bus.emit('remote:loaded', { name, ms: Math.round(performance.now() - started) });
    ready = module.default;
    return module;
  };
  const firstLoad = () => (preloaded ??= timedLoad());
  const preload = () => {
    firstLoad().catch(() => undefined); // a failure surfaces when the route renders it
  };
  function RemoteApp() {
    const [attempt, setAttempt] = useState(0);
    return (
      <RemoteBoundary key={attempt} name={name} label={label} onRetry={() => setAttempt((n) => n + 1)}>
        <RemoteContent label={label} load={attempt === 0 ? firstLoad : timedLoad} ready={ready} />
      </RemoteBoundary>
    );
  }
  return Object.assign(RemoteApp, { preload });
}

// Static specifiers so the federation plugin rewrites them into run-time remote loads.
export const AuthRemote = makeRemote('auth', 'Sign-in', () => import('auth/App'));
export const PaymentsRemote = makeRemote('payments', 'Payments', () => import('payments/App'));
export const AdminRemote = makeRemote('admin', 'Administration', () => import('admin/App'));
