import { lazy, Suspense, useState, type ComponentType } from 'react';
import { PageLoader } from '@bank/ui';
import { bus } from '@bank/platform';
import { RemoteBoundary } from './RemoteBoundary.tsx';

type Loader = () => Promise<{ default: ComponentType }>;

/** Lazy-loads a remote with a loading state and a fallback; "Try again" makes a fresh attempt. */
function makeRemote(name: string, label: string, load: Loader) {
  const timedLazy = () =>
    lazy(async () => {
      const started = performance.now();
      const module = await load();
      bus.emit('remote:loaded', { name, ms: Math.round(performance.now() - started) });
      return module;
    });
  return function RemoteApp() {
    const [attempt, setAttempt] = useState(() => ({ n: 0, Component: timedLazy() }));
    const Remote = attempt.Component;
    return (
      <RemoteBoundary key={attempt.n} name={name} label={label} onRetry={() => setAttempt((a) => ({ n: a.n + 1, Component: timedLazy() }))}>
        <Suspense fallback={<PageLoader label={`Loading ${label}`} />}>
          <Remote />
        </Suspense>
      </RemoteBoundary>
    );
  };
}

// Static specifiers so the federation plugin rewrites them into run-time remote loads.
export const AuthRemote = makeRemote('auth', 'Sign-in', () => import('auth/App'));
export const PaymentsRemote = makeRemote('payments', 'Payments', () => import('payments/App'));
export const AdminRemote = makeRemote('admin', 'Administration', () => import('admin/App'));
