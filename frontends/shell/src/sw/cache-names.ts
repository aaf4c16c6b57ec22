// Cache names shared by the service worker and the page (which deletes the per-user API caches).
// A release's caches end with its build id; the per-user API caches outlive releases.

declare const __BANK_BUILD_ID__: string | undefined;

/** Set at build time (scripts/build-service-worker.mjs); "dev" when not built. */
export const BUILD_ID = typeof __BANK_BUILD_ID__ === 'string' ? __BANK_BUILD_ID__ : 'dev';
export const CACHE_PREFIX = 'bank';
export const API_CACHE_PREFIX = `${CACHE_PREFIX}-api-`;

export function apiCacheName(userId: string): string {
  return `${API_CACHE_PREFIX}${userId}`;
}

/** Precache and runtime caches belong to one release; the API caches do not. */
export function isReleaseCache(name: string): boolean {
  return name.startsWith(`${CACHE_PREFIX}-precache-`) || name.startsWith(`${CACHE_PREFIX}-runtime-`);
}

/**
 * The user a request is made for: the `sub` claim of its bearer token. Not verified — the API
 * does that; this only picks the cache the answer goes into.
 */
export function userOfAuthorization(header: string | null): string | null {
  const token = header?.match(/^Bearer\s+([^.\s]+)\.([^.\s]+)\.[^.\s]*$/i);
  if (!token?.[2]) return null;
  try {
    const json = atob(token[2].replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' && /^[\w-]{1,128}$/.test(sub) ? sub : null;
  } catch {
    return null;
  }
}
