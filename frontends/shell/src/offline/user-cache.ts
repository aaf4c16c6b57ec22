// The service worker keeps the signed-in user's read-only API answers in `bank-api-<user id>`
// (src/sw/service-worker.ts). They must not outlive the session: on sign-out — by the user, in
// another tab, by expiry, or by revocation from another device (all end in signOutLocally, which
// emits auth:signed-out) — every per-user API cache in this browser is deleted.
import { bus } from '@bank/platform';
import { API_CACHE_PREFIX } from '../sw/cache-names.ts';

export async function deleteUserCaches(): Promise<void> {
  if (typeof caches === 'undefined') return; // insecure context or a browser without Cache Storage
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(API_CACHE_PREFIX)).map((name) => caches.delete(name)));
}

export function deleteUserCachesOnSignOut(): () => void {
  return bus.on('auth:signed-out', () => {
    deleteUserCaches().catch((error: unknown) => console.warn('could not delete the cached API answers', error));
  });
}
