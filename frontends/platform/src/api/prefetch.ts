// Starting a GET before the code that needs it has loaded: the shell knows the payments list
// will be asked for as soon as the payments remote is on screen, so it asks right after the
// session is restored, while the remote's JavaScript is still downloading (the first row no longer
// waits for session → remote → list one after another). apiRequest takes the answer for the same
// URL if it is fresh; otherwise it is dropped unused.
const FRESH_MS = 10_000;

interface Pending {
  at: number;
  token: string | null;
  response: Promise<Response | null>;
}

const pending = new Map<string, Pending>();

export function startPrefetch(url: string, token: string | null, send: () => Promise<Response>): void {
  if (pending.has(url)) return;
  pending.set(url, { at: Date.now(), token, response: send().catch(() => null) });
}

/** The prefetched response for `url` made with the same token, once; undefined if none. */
export function takePrefetched(url: string, token: string | null): Promise<Response | null> | undefined {
  const entry = pending.get(url);
  if (!entry) return undefined;
  pending.delete(url);
  if (entry.token !== token || Date.now() - entry.at > FRESH_MS) return undefined;
  return entry.response;
}

export function clearPrefetched(): void {
  pending.clear();
}
