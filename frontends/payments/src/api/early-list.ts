// The list's first page as the shell's public/early-requests.js asked for it: as soon as the session
// refresh answered, before the shell's modules had run and stored the session — the shell's own
// prefetch went out ≈ 90 ms later on a cold /payments (docs/benchmarks/frontend.md, "Branch fe13d").
// The list's first fetch uses it instead of asking again: once, and only for the URL and the user it
// was asked for. On anything else — another URL or user, a failed request, a non-2xx or non-JSON
// answer, a page left unused for seconds — it is dropped and the list asks itself.
import type { Page, PaymentView } from '@bank/platform';

/** What early-requests.js hands over once the refresh has answered (nothing if it gave no session). */
export interface EarlyListRequest {
  url: string;
  userId: string;
  /** Undefined if the request failed. */
  response: Promise<Response | undefined>;
}

declare global {
  interface Window {
    __BANK_EARLY_LIST__?: Promise<EarlyListRequest | null | undefined>;
  }
}

/** Like the shell's prefetches (@bank/platform api/prefetch.ts): older than this, it is not used. */
const FRESH_MS = 10_000;

interface EarlyPage {
  url: string;
  userId: string;
  data: Page<PaymentView>;
}

/** The parsed page on its way (undefined: none, or already taken). */
let pending: Promise<EarlyPage | undefined> | undefined;
/** The same once it has arrived, for a first render. */
let arrived: EarlyPage | undefined;

/**
 * Takes the request off `window` (once per page) and parses the answer as it arrives, so a list
 * mounted after that can show it in its first render. Run when this remote's list is evaluated,
 * which the shell does while the session is being restored.
 */
export function adoptEarlyList(from: Pick<Window, '__BANK_EARLY_LIST__'> | undefined = globalThis.window): void {
  const request = from?.__BANK_EARLY_LIST__;
  if (!from || !request) return;
  delete from.__BANK_EARLY_LIST__;
  pending = request
    .then(async (asked) => {
      const res = asked ? await asked.response : undefined;
      if (!asked || !res?.ok || !(res.headers.get('content-type') ?? '').includes('json')) return undefined;
      const page: EarlyPage = { url: asked.url, userId: asked.userId, data: (await res.json()) as Page<PaymentView> };
      if (pending) arrived = page; // not if it was taken (and dropped) meanwhile
      return page;
    })
    .catch(() => undefined);
}

function usable(page: EarlyPage | undefined, url: string, userId: string | undefined): Page<PaymentView> | undefined {
  // The page was asked for after navigation start: it is at most this old.
  const fresh = performance.now() < FRESH_MS;
  return page && fresh && page.url === url && userId !== undefined && page.userId === userId ? page.data : undefined;
}

function drop(): void {
  pending = undefined;
  arrived = undefined;
}

/**
 * The early page if it has already arrived and was asked for `url` as `userId` — taken (once) even
 * if it does not match. Undefined while it is on its way: `earlyPageOr` then waits for it.
 */
export function takeArrivedEarlyPage(url: string, userId: string | undefined): { data: Page<PaymentView>; at: number } | undefined {
  const page = arrived;
  if (!page) return undefined;
  drop();
  const data = usable(page, url, userId);
  // When it was asked for is not handed over; navigation start is no later than that.
  return data && { data, at: Math.round(performance.timeOrigin) };
}

/**
 * The list's fetch of `url` as `userId`: the first call takes the early page (waiting for it if it is
 * on its way) and uses it if it matches; otherwise, and on every later call, `ask()`.
 */
export async function earlyPageOr(url: string, userId: string | undefined, ask: () => Promise<Page<PaymentView>>): Promise<Page<PaymentView>> {
  const page = pending;
  drop();
  return (page && usable(await page, url, userId)) ?? ask();
}

// This module is evaluated with the remote's list page, while the shell restores the session.
adoptEarlyList();
