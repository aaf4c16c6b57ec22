import { lazy, Suspense, useState, type ComponentType } from 'react';
import { PageLoader } from '@bank/ui';
import { bus } from '@bank/platform';
import { RemoteBoundary } from './RemoteBoundary.tsx';

type Loader = () => Promise<{ default: ComponentType }>;

/**
 * Lazy-loads a remote with a loading state and a fallback; "Try again" makes a fresh attempt.
 * `preload()` starts the download before the route renders (main.tsx calls it for the page being
 * opened, in parallel with the session restore); the first render then uses that download.
 */
function makeRemote(name: string, label: string, load: Loader) {
  let preloaded: Promise<{ default: ComponentType }> | null = null;
  const timedLoad = async () => {
    const started = performance.now();
    const module = await load();
    bus.emit('remote:loaded', { name, ms: Math.round(performance.now() - started) });
    return module;
  };
  const preload = () => {
    preloaded ??= timedLoad();
    preloaded.catch(() => undefined); // a failure surfaces when the route renders it
  };
  const firstLazy = () => lazy(() => preloaded ?? timedLoad());
  function RemoteApp() {
    const [attempt, setAttempt] = useState(() => ({ n: 0, Component: firstLazy() }));
    const Remote = attempt.Component;
    return (
      <RemoteBoundary key={attempt.n} name={name} label={label} onRetry={() => setAttempt((a) => ({ n: a.n + 1, Component: lazy(timedLoad) }))}>
        <Suspense fallback={<PageLoader label={`Loading ${label}`} />}>
          <Remote />
        </Suspense>
      </RemoteBoundary>
    );
  }
  return Object.assign(RemoteApp, { preload });
}

// Static specifiers so the federation plugin rewrites them into run-time remote loads.
export const AuthRemote = makeRemote('auth', 'Sign-in', () => import('auth/App'));
export const PaymentsRemote = makeRemote('payments', 'Payments', () => import('payments/App'));
export const AdminRemote = makeRemote('admin', 'Administration', () => import('admin/App'));
