// runtime-config.ts: /config.json as early-requests.js asked for it is used (no second request),
// once; a failed early request leaves the defaults; without one the config is fetched.
import t from 'tap';
import { DEFAULT_CONFIG, loadRuntimeConfig } from '../src/runtime-config.ts';

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

/** Node has no window: the early request lives on this stand-in, fetch is counted. */
function browser(t: { teardown: (fn: () => void) => void }, early?: Promise<Response | null>) {
  const g = globalThis as { window?: { __BANK_EARLY_CONFIG__?: Promise<Response | null> } };
  const realFetch = globalThis.fetch;
  const fetched: string[] = [];
  g.window = early ? { __BANK_EARLY_CONFIG__: early } : {};
  globalThis.fetch = async (input) => {
    fetched.push(String(input));
    return json({ paymentPollMs: 3000 });
  };
  t.teardown(() => {
    delete g.window;
    globalThis.fetch = realFetch;
  });
  return { fetched, window: g.window };
}

t.test('the early request is taken instead of asking again, and only once', async (t) => {
  const b = browser(t, Promise.resolve(json({ paymentPollMs: 500, remotes: { payments: '/elsewhere/remoteEntry.js' } })));
  const config = await loadRuntimeConfig();
  t.same(b.fetched, [], 'no request of its own');
  t.equal(config.paymentPollMs, 500, 'the early answer is read');
  t.equal(config.remotes.payments, '/elsewhere/remoteEntry.js');
  t.equal(config.remotes.auth, DEFAULT_CONFIG.remotes.auth, 'merged over the defaults');
  t.notOk('__BANK_EARLY_CONFIG__' in b.window, 'taken once');
  const again = await loadRuntimeConfig();
  t.same(b.fetched, ['/config.json'], 'a later load asks anew');
  t.equal(again.paymentPollMs, 3000);
});

t.test('a failed early request leaves the defaults without asking again', async (t) => {
  const b = browser(t, Promise.resolve(null));
  await loadRuntimeConfig('/reset.json'); // back to a known state: fetched (3000)
  const config = await loadRuntimeConfig();
  t.same(b.fetched, ['/reset.json'], 'only the explicit URL was fetched');
  t.equal(config.paymentPollMs, 3000, 'the configuration already loaded stays');
});

t.test('another URL is always fetched, the early request left for the default one', async (t) => {
  const b = browser(t, Promise.resolve(json({ paymentPollMs: 1 })));
  const config = await loadRuntimeConfig('/other.json');
  t.same(b.fetched, ['/other.json']);
  t.equal(config.paymentPollMs, 3000);
  t.ok('__BANK_EARLY_CONFIG__' in b.window, 'the early request is still there');
});
