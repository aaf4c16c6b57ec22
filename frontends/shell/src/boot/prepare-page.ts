// Work for the page being opened that need not wait for React: the remote's JavaScript starts
// downloading while the session is restored, and the payments list and the profile are asked for
// as soon as the session is back, while the remote may still be loading. Without this a cold load of /payments
// ran session → remote → list one after another (docs/benchmarks/frontend.md).
import { PAYMENTS_PAGE_SIZE, hasSessionHint, prefetch, useAuthStore } from '@bank/platform';
import { AdminRemote, AuthRemote, PaymentsRemote } from '../remotes/RemoteApp.tsx';

export function preparePage(pathname: string, session: Promise<void>): void {
  const signedIn = hasSessionHint();
  // Read before the remote is loaded: its list takes the early page off `window` when evaluated.
  const earlyList = '__BANK_EARLY_LIST__' in window;
  // "/" sends a signed-in visitor to the payments list.
  const payments = pathname === '/' || pathname.startsWith('/payments');
  if (pathname.startsWith('/auth')) AuthRemote.preload();
  else if (signedIn && payments) PaymentsRemote.preload();
  // The admin remote only once the restored session is an admin's: a customer's browser never
  // downloads admin code (the e2e suite checks it).
  else if (signedIn && pathname.startsWith('/admin')) {
    void session.then(() => {
      if (useAuthStore.getState().user?.role === 'ADMIN') AdminRemote.preload();
    });
  }

  // Only the list's first page without filters: the URL must be the one the list page asks for.
  // Not if public/early-requests.js has asked for it already (the payments remote takes that one).
  const list = /^\/(payments\/?)?$/.test(pathname) && !location.search && !earlyList;
  if (signedIn) whenSessionKnown(() => prefetchSignedInData(list));
}

function prefetchSignedInData(list: boolean): void {
  if (useAuthStore.getState().status !== 'authenticated') return;
  if (list) prefetch('/payments', { limit: PAYMENTS_PAGE_SIZE });
  // The shell's signed-in render asks for the profile (theme, locale, analytics consent) only once
  // it has committed, which on a cold load came after every other response: asked with the list,
  // its locale is known before the rows are rendered, not applied in a second render after them.
  prefetch('/profile/me');
}

/**
 * Runs `then` in the store update that ends the restore — before React renders the page for it.
 * After `session.then(…)` instead, a list page already on screen asked for its first page itself
 * a moment earlier, and the prefetch was a second, wasted request.
 */
function whenSessionKnown(then: () => void): void {
  if (useAuthStore.getState().status !== 'unknown') {
    then();
    return;
  }
  const unsubscribe = useAuthStore.subscribe((state) => {
    if (state.status === 'unknown') return;
    unsubscribe();
    then();
  });
}
