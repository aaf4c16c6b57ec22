// The analytics reporter's rules without a browser: consent gates sending, batches stay within
// the endpoint's limit, the queue is bounded, sign-out discards, sampling drops a whole page load.
import t from 'tap';
import { useAuthStore } from '../src/auth/store.ts';
import { pagePath } from '../src/analytics/page-path.ts';
import { createReporter, MAX_BATCH, MAX_QUEUE } from '../src/analytics/reporter.ts';

interface Sent {
  url: string;
  init: RequestInit;
  events: unknown[];
}

function recorder() {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init, events: (JSON.parse(String(init.body)) as { events: unknown[] }).events });
    return new Response(null, { status: 202 });
  }) as unknown as typeof globalThis.fetch;
  return { sent, fetch };
}

useAuthStore.setState({ accessToken: 'token-1' } as never);

t.test('nothing leaves before consent; granted sends what waited, in batches of at most 50', async (t) => {
  const { sent, fetch } = recorder();
  const reporter = createReporter({ sampleRate: 1, flushIntervalMs: 10_000, fetch, random: () => 0.5 });
  for (let i = 0; i < 120; i++) reporter.record('api.timing', i, { route: '/payments' }, '/payments');
  reporter.flush();
  t.equal(sent.length, 0, 'consent unknown: held');
  reporter.setConsent('granted');
  t.same(sent.map((s) => s.events.length), [MAX_BATCH, MAX_BATCH, 20]);
  t.equal(sent[0]!.url, '/api/admin/analytics');
  t.equal(sent[0]!.init.keepalive, true, 'survives the page being left');
  t.equal((sent[0]!.init.headers as Record<string, string>).authorization, 'Bearer token-1');
  t.equal(reporter.queued, 0);
});

t.test('opted out: the queue is discarded and nothing more is recorded', async (t) => {
  const { sent, fetch } = recorder();
  const reporter = createReporter({ sampleRate: 1, flushIntervalMs: 10_000, fetch, random: () => 0 });
  reporter.record('web-vital.lcp', 1200);
  reporter.setConsent('denied');
  reporter.record('web-vital.cls', 0.1);
  reporter.flush();
  t.equal(reporter.queued, 0);
  t.equal(sent.length, 0);
});

t.test('bounded queue, invalid values refused, sign-out discards', async (t) => {
  const { sent, fetch } = recorder();
  const reporter = createReporter({ sampleRate: 1, flushIntervalMs: 10_000, fetch, random: () => 0 });
  for (let i = 0; i < MAX_QUEUE + 25; i++) reporter.record('cache.hit', 1);
  t.equal(reporter.queued, MAX_QUEUE);
  t.equal(reporter.dropped, 25, 'overflow counted, not kept');
  reporter.record('api.timing', Number.NaN);
  reporter.record('api.timing', -1);
  t.equal(reporter.queued, MAX_QUEUE, 'NaN and negative values ignored');
  reporter.discard();
  reporter.setConsent('granted');
  t.equal(sent.length, 0, 'the previous user’s events were discarded');
});

t.test('an unsampled page load records nothing', async (t) => {
  const { sent, fetch } = recorder();
  const reporter = createReporter({ sampleRate: 0.1, flushIntervalMs: 10_000, fetch, random: () => 0.5 });
  t.equal(reporter.sampled, false);
  reporter.setConsent('granted');
  reporter.record('api.timing', 5);
  reporter.flush();
  t.equal(sent.length, 0);
});

t.test('pages are route-like', async (t) => {
  t.equal(pagePath('/payments/0190b7c4-1f2e-7a3b-8c4d-5e6f7a8b9c0d'), '/payments/:id');
  t.equal(pagePath('/admin/users/42/'), '/admin/users/:id');
  t.equal(pagePath('/'), '/');
});
