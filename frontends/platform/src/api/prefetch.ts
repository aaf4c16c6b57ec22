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
  /** The JSON body of a 2xx answer, once it has arrived and been parsed. */
  data?: unknown;
}

const pending = new Map<string, Pending>();

export function startPrefetch(url: string, token: string | null, send: () => Promise<Response>): void {
  if (pending.has(url)) return;
  const entry: Pending = { at: Date.now(), token, response: send().catch(() => null) };
  // Parsed as it arrives: a page rendered after that can show it in its first render
  // (takePrefetchedData) instead of rendering a loading state and asking for it.
  entry.response
    .then(async (res) => {
      if (res?.ok && (res.headers.get('content-type') ?? '').includes('json')) entry.data = await res.clone().json();
    })
    .catch(() => undefined);
  pending.set(url, entry);
}

/**
 * The parsed body prefetched for `url` with the same token, if it has already arrived — taken once,
 * with when it was asked for. Undefined while it is on its way (takePrefetched then waits for it).
 */
export function takePrefetchedData(url: string, token: string | null): { data: unknown; at: number } | undefined {
  const entry = pending.get(url);
  if (!entry || entry.data === undefined) return undefined;
  pending.delete(url);
  if (entry.token !== token || Date.now() - entry.at > FRESH_MS) return undefined;
  return { data: entry.data, at: entry.at };
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
