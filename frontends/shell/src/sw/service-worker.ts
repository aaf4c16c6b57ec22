/// <reference lib="webworker" />
// The service worker (built by scripts/build-service-worker.mjs after the shell and the remotes,
// with the precache manifest injected by workbox-build). What it does, in route order (the first
// matching route answers):
//  1. navigations: the network first (a deploy is picked up at once, as without a worker); offline,
//     the precached app shell (index.html), or offline.html if even that is missing;
//  2. remoteEntry.js and /config.json: the network first (a remote or the run-time configuration
//     can change without a shell release), offline the precached copy;
//  3. read-only API responses of the signed-in user (GET /api/payments…, /api/profile/me): the
//     network first, offline the last answer, kept in a cache per user (`bank-api-<user id>`) that
//     the page deletes on sign-out and on session revocation (src/offline/user-cache.ts);
//  4. the precache: the shell, the remotes' hashed assets — one cache per release
//     (`bank-precache-<build id>`); activation deletes every other release's caches;
//  5. hashed assets not in the precache (a remote released after this shell): cache first.
// Everything else, including every non-GET request, goes to the network untouched.
import { clientsClaim, setCacheNameDetails } from 'workbox-core';
import { matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { BUILD_ID, CACHE_PREFIX, apiCacheName, isReleaseCache, userOfAuthorization } from './cache-names.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

setCacheNameDetails({ prefix: CACHE_PREFIX, suffix: BUILD_ID, precache: 'precache', runtime: 'runtime' });

// A new release takes over at once: its precache is complete when it activates, and the pages of
// the old release keep working (their lazy chunks are hashed files served by the edge).
self.addEventListener('install', () => void self.skipWaiting());
clientsClaim();
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith(`${CACHE_PREFIX}-`) && isReleaseCache(name) && !name.endsWith(`-${BUILD_ID}`)).map((name) => caches.delete(name)))),
  );
});

async function networkThenPrecache(request: Request, fallbackUrl?: string): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = (await matchPrecache(fallbackUrl ?? request.url)) ?? (fallbackUrl ? undefined : await matchPrecache('/offline.html'));
    if (cached) return cached;
    throw error;
  }
}

registerRoute(
  new NavigationRoute(async ({ request }) => {
    try {
      return await fetch(request);
    } catch (error) {
      const shell = (await matchPrecache('/index.html')) ?? (await matchPrecache('/offline.html'));
      if (shell) return shell;
      throw error;
    }
  }, { denylist: [/^\/api\//, /^\/ws$/] }),
);

registerRoute(({ url, request }) => url.origin === self.location.origin && request.method === 'GET' && (url.pathname === '/config.json' || url.pathname.endsWith('/remoteEntry.js')), ({ request, url }) =>
  networkThenPrecache(request, url.pathname),
);

const READ_ONLY_API = /^\/api\/(payments(\/[^/]+)?|profile\/me)$/;
registerRoute(
  ({ url }) => url.origin === self.location.origin && READ_ONLY_API.test(url.pathname),
  async ({ request, event }) => {
    const user = userOfAuthorization(request.headers.get('authorization'));
    if (!user) return fetch(request);
    const strategy = new NetworkFirst({
      cacheName: apiCacheName(user),
      // The access token changes every few minutes: the cached answer is found by URL alone.
      matchOptions: { ignoreVary: true },
      plugins: [new CacheableResponsePlugin({ statuses: [200] })],
    });
    return strategy.handle({ request, event });
  },
  'GET',
);

precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });

registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === 'GET' && /^\/(mfe\/[^/]+\/)?assets\//.test(url.pathname),
  new CacheFirst({ cacheName: `${CACHE_PREFIX}-runtime-${BUILD_ID}`, plugins: [new CacheableResponsePlugin({ statuses: [200] })] }),
);
