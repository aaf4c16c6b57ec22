import { Suspense, useEffect, useState, useSyncExternalStore, type ComponentType } from 'react';
import { PageLoader } from '@bank/ui';
import { bus } from '@bank/platform';
import { RemoteBoundary } from './RemoteBoundary.tsx';

type Loader = () => Promise<{ default: ComponentType }>;

/** A remote's component once loaded, as an external store: renders read it, loads publish it. */
interface Readiness {
  subscribe: (listener: () => void) => () => void;
  get: () => ComponentType | null;
}

/**
 * Renders a remote once its code is loaded, a loading state until then. Not React.lazy + Suspense:
 * React holds back the content of a Suspense boundary for 300 ms after its fallback was shown
 * (FALLBACK_THROTTLE_MS), so a remote that arrived 50 ms after the fallback still waited the full
 * 300 ms — most of a cold /payments load's time to its first row (docs/benchmarks/frontend.md).
 *
 * The loaded component is read from a store (`useSyncExternalStore`), not kept in state set by an
 * effect: on a cold load the remote usually arrives while the shell's first render (a transition,
 * rendered in slices) is still under way, and React then re-renders before committing, with the
 * remote — one commit with the page instead of one with "Loading …", its layout and paint, the
 * effect, and a second render for the remote (branch fe13e, docs/benchmarks/frontend.md).
 */
function RemoteContent({ label, load, readiness }: { label: string; load: Loader; readiness: Readiness }) {
  const Loaded = useSyncExternalStore(readiness.subscribe, readiness.get);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  useEffect(() => {
    if (Loaded) return;
    let current = true;
    // A success reaches this component through the store; only a failure is kept here.
    load().catch((error: unknown) => current && setFailure({ error }));
    return () => {
      current = false;
    };
  }, [load, Loaded]);
  if (failure) throw failure.error; // RemoteBoundary shows the fallback with "Try again"
  if (!Loaded) return <PageLoader label={`Loading ${label}`} />;
  // For the remote's own lazy pages (sign-up, the payments form…); the page opened first is not one.
  return (
    <Suspense fallback={<PageLoader label={`Loading ${label}`} />}>
      <Loaded />
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
  const listeners = new Set<() => void>();
  const readiness: Readiness = {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get: () => ready,
  };
  const timedLoad = async () => {
    const started = performance.now();
    const module = await load();
    bus.emit('remote:loaded', { name, ms: Math.round(performance.now() - started) });
    ready = module.default;
    for (const listener of listeners) listener();
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
        <RemoteContent label={label} load={attempt === 0 ? firstLoad : timedLoad} readiness={readiness} />
      </RemoteBoundary>
    );
  }
  return Object.assign(RemoteApp, { preload });
}

// Static specifiers so the federation plugin rewrites them into run-time remote loads.
export const AuthRemote = makeRemote('auth', 'Sign-in', () => import('auth/App'));
export const PaymentsRemote = makeRemote('payments', 'Payments', () => import('payments/App'));
export const AdminRemote = makeRemote('admin', 'Administration', () => import('admin/App'));
