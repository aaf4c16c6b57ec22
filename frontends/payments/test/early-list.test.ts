// The list's first page asked for by the shell's public/early-requests.js as soon as the refresh
// answers, and taken by this remote's api/early-list.ts: asked only for the list's default view with
// the token the refresh gave (which is not put on `window`), used once and only for the same URL and
// user, and on anything else the list asks itself. The script is run in a vm with a stand-in
// browser, its hand-over given to the module as the page would.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { adoptEarlyList, earlyPageOr, takeArrivedEarlyPage, type EarlyListRequest } from '../src/api/early-list.ts';

const SCRIPT = readFileSync(new URL('../../shell/public/early-requests.js', import.meta.url), 'utf8');
const LIST_URL = '/api/payments?limit=20';
const PAGE = { items: [{ id: 'p1' }], nextCursor: null };
const SESSION = { accessToken: 'secret-access-token', expiresIn: 900, sessionId: 's1', user: { id: 'u1', email: 'a@example.com' } };

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

// The page's clock (ms since navigation start): a cold load, well within the 10 s a page is used for.
const clock = performance.now;
performance.now = () => 500;
t.teardown(() => {
  performance.now = clock;
});

interface Asked {
  url: string;
  headers: Record<string, string>;
  answer: (res: Response | Error) => void;
}

type EarlyWindow = { __BANK_EARLY_LIST__?: Promise<EarlyListRequest | null | undefined>; __BANK_EARLY_REFRESH__?: Promise<Response> } & Record<string, unknown>;

/** Runs early-requests.js for `path` (with its query string); every request waits for the test to answer it. */
function load(path = '/payments', { signedIn = true, onLine = true } = {}) {
  const url = new URL(path, 'https://bank.test');
  const asked: Asked[] = [];
  const window: EarlyWindow = {};
  runInNewContext(SCRIPT, {
    localStorage: { getItem: (key: string) => (key === 'bank.has-session' && signedIn ? '1' : null) },
    location: { pathname: url.pathname, search: url.search },
    navigator: { onLine },
    fetch: (href: string, init?: { headers?: Record<string, string> }) =>
      new Promise<Response>((resolve, reject) => {
        asked.push({ url: href, headers: init?.headers ?? {}, answer: (res) => (res instanceof Error ? reject(res) : resolve(res)) });
      }),
    setTimeout: () => undefined,
    Intl,
    window,
  });
  const answer = async (href: string, res: Response | Error) => {
    const request = asked.find((a) => a.url === href);
    if (!request) throw new Error(`${href} was not asked for`);
    request.answer(res);
    await settle();
  };
  return { window, asked: () => asked.map((a) => a.url), headersOf: (href: string) => asked.find((a) => a.url === href)?.headers, answer };
}

/** A signed-in cold load of /payments whose refresh has answered, its early page handed to the module. */
async function earlyPage(list: Response | Error = json(PAGE)) {
  const page = load();
  await page.answer('/api/auth/refresh', json(SESSION));
  adoptEarlyList(page.window);
  await page.answer(LIST_URL, list);
  return page;
}

t.test('the list is asked for once the refresh has answered, with its token, which stays off window', async (t) => {
  const page = load();
  t.same(page.asked(), ['/config.json', '/api/auth/refresh'], 'not before the refresh has answered');
  t.ok(page.window.__BANK_EARLY_LIST__, 'the hand-over is there for the remote');
  await page.answer('/api/auth/refresh', json(SESSION));
  t.same(page.asked(), ['/config.json', '/api/auth/refresh', LIST_URL]);
  t.equal(page.headersOf(LIST_URL)?.authorization, 'Bearer secret-access-token');
  const handed = await page.window.__BANK_EARLY_LIST__;
  t.match(handed, { url: LIST_URL, userId: 'u1' });
  t.notMatch(JSON.stringify(page.window), /secret-access-token/, 'not on window');
  t.notOk(Object.values(handed ?? {}).some((value) => value === SESSION.accessToken), 'not in the hand-over');
  const refresh = await page.window.__BANK_EARLY_REFRESH__;
  t.same(await refresh?.json(), SESSION, 'the platform still reads the refresh answer itself (auth/session.ts)');
});

t.test('the platform reads a copy of the refresh answer, the list the original', async (t) => {
  // In Chromium a copy's body is read after the original's (a cold load's trace: the session was
  // stored, the shell re-rendered and only then the list asked), so the list reads the original.
  const page = load();
  const original = json(SESSION);
  const copies: Response[] = [];
  const clone = original.clone.bind(original);
  original.clone = () => {
    const copy = clone();
    copies.push(copy);
    return copy;
  };
  await page.answer('/api/auth/refresh', original);
  t.ok(page.asked().includes(LIST_URL));
  t.equal(copies.length, 1);
  t.ok(original.bodyUsed, 'the original read by early-requests.js');
  const handed = await page.window.__BANK_EARLY_REFRESH__;
  t.equal(handed, copies[0], 'the copy handed to the platform');
  t.same(await handed?.json(), SESSION);
});

t.test('elsewhere the platform gets the refresh answer itself', async (t) => {
  const page = load('/settings');
  const original = json(SESSION);
  await page.answer('/api/auth/refresh', original);
  t.equal(await page.window.__BANK_EARLY_REFRESH__, original);
});

t.test('asked for the default view only', async (t) => {
  for (const path of ['/', '/payments', '/payments/']) {
    const page = load(path);
    await page.answer('/api/auth/refresh', json(SESSION));
    t.ok(page.asked().includes(LIST_URL), `${path}: asked`);
  }
  for (const path of ['/payments?status=failed', '/payments?direction=sent', '/payments?pages=abc', '/payments/new', '/payments/p1', '/settings', '/admin']) {
    const page = load(path);
    t.equal(page.window.__BANK_EARLY_LIST__, undefined, `${path}: nothing handed over`);
    await page.answer('/api/auth/refresh', json(SESSION));
    t.notOk(page.asked().includes(LIST_URL), `${path}: not asked`);
  }
  t.equal(load('/payments', { signedIn: false }).window.__BANK_EARLY_LIST__, undefined, 'not for an anonymous visitor');
  t.equal(load('/payments', { onLine: false }).window.__BANK_EARLY_LIST__, undefined, 'not offline (no refresh either)');
});

t.test('a refresh that gives no session asks for nothing', async (t) => {
  for (const refresh of [json({ code: 'AUTH_INVALID_REFRESH_TOKEN' }, 401), new TypeError('network')]) {
    const page = load();
    await page.answer('/api/auth/refresh', refresh);
    t.notOk(page.asked().includes(LIST_URL));
    t.notOk(await page.window.__BANK_EARLY_LIST__, 'the hand-over resolves to nothing');
  }
});

t.test('an arrived page is taken for the first render, once, off window', async (t) => {
  const page = await earlyPage();
  t.equal(page.window.__BANK_EARLY_LIST__, undefined, 'taken off window');
  const taken = takeArrivedEarlyPage(LIST_URL, 'u1');
  t.same(taken?.data, PAGE);
  t.ok(taken && taken.at <= Date.now(), 'dated no later than it was asked for');
  t.equal(takeArrivedEarlyPage(LIST_URL, 'u1'), undefined, 'once');
  let asked = 0;
  t.same(await earlyPageOr(LIST_URL, 'u1', async () => (asked++, { items: [], nextCursor: null })), { items: [], nextCursor: null });
  t.equal(asked, 1, 'the next fetch asks');
});

t.test('a page still on its way is waited for by the first fetch, used once', async (t) => {
  const page = load();
  await page.answer('/api/auth/refresh', json(SESSION));
  adoptEarlyList(page.window);
  t.equal(takeArrivedEarlyPage(LIST_URL, 'u1'), undefined, 'not arrived: the first render shows the loading state');
  let asked = 0;
  const ask = async () => (asked++, { items: [], nextCursor: null });
  const first = earlyPageOr(LIST_URL, 'u1', ask);
  await page.answer(LIST_URL, json(PAGE));
  t.same(await first, PAGE);
  t.equal(asked, 0, 'not asked again');
  await earlyPageOr(LIST_URL, 'u1', ask);
  t.equal(asked, 1, 'a refetch asks');
  t.equal(takeArrivedEarlyPage(LIST_URL, 'u1'), undefined, 'nothing left for a render');
});

t.test('another URL or user: not used, dropped, the list asks', async (t) => {
  for (const [url, user] of [['/api/payments?limit=50', 'u1'], [LIST_URL, 'u2'], [LIST_URL, undefined]] as const) {
    await earlyPage();
    t.equal(takeArrivedEarlyPage(url, user), undefined, `${url} as ${user}: not for a render`);
    let asked = 0;
    await earlyPageOr(LIST_URL, 'u1', async () => (asked++, PAGE));
    t.equal(asked, 1, 'and dropped: not for the matching fetch after it either');
  }
  const page = load();
  await page.answer('/api/auth/refresh', json(SESSION));
  adoptEarlyList(page.window);
  let asked = 0;
  const fetched = earlyPageOr(LIST_URL, 'u2', async () => (asked++, { items: [], nextCursor: null }));
  await page.answer(LIST_URL, json(PAGE));
  t.same(await fetched, { items: [], nextCursor: null }, "another user's fetch waiting for it asks itself");
  t.equal(asked, 1);
});

t.test('a failed request, a non-2xx or a non-JSON answer: the list asks', async (t) => {
  const answers = [new TypeError('network'), json({ code: 'INTERNAL' }, 500), json({ code: 'AUTH_TOKEN_EXPIRED' }, 401), new Response('<html>', { headers: { 'content-type': 'text/html' } })];
  for (const answer of answers) {
    await earlyPage(answer);
    t.equal(takeArrivedEarlyPage(LIST_URL, 'u1'), undefined, 'nothing for a render');
    let asked = 0;
    t.same(await earlyPageOr(LIST_URL, 'u1', async () => (asked++, PAGE)), PAGE);
    t.equal(asked, 1, 'asked itself');
  }
});

t.test('a page older than the shell would use a prefetch is not used', async (t) => {
  await earlyPage();
  performance.now = () => 10_001;
  t.teardown(() => {
    performance.now = () => 500;
  });
  t.equal(takeArrivedEarlyPage(LIST_URL, 'u1'), undefined);
  let asked = 0;
  await earlyPageOr(LIST_URL, 'u1', async () => (asked++, PAGE));
  t.equal(asked, 1);
});

t.test('without a hand-over (no early-requests.js, or taken already) the list asks', async (t) => {
  adoptEarlyList({});
  adoptEarlyList(undefined);
  t.equal(takeArrivedEarlyPage(LIST_URL, 'u1'), undefined);
  let asked = 0;
  await earlyPageOr(LIST_URL, 'u1', async () => (asked++, PAGE));
  t.equal(asked, 1);
});
