// Front-end analytics: any signed-in user reports (validated batches), admins read a summary.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { bearer, buildAdmin } from './helper.ts';

t.test('front-end analytics', async (t) => {
  const { app, token } = await buildAdmin(t);
  const customer = bearer(token({ role: 'CUSTOMER' }));
  const admin = bearer(token());
  const post = (payload: unknown, headers: Record<string, string> = customer) => app.inject({ method: 'POST', url: '/admin/analytics', headers, payload: payload as object });

  t.equal((await post({ events: [{ name: 'api.timing', value: 1 }] }, {})).statusCode, 401, 'signed-in users only');
  const now = Date.now();
  const values = [10, 20, 30, 40, 100];
  const accepted = await post({
    events: [
      ...values.map((value, i) => ({ name: 'remote.load', value, tags: { remote: 'payments' }, page: '/payments', at: new Date(now - i * 1000).toISOString() })),
      { name: 'web-vital.cls', value: 0.05 },
      // A wrong client clock (a year ahead) is replaced by the receive time, not trusted.
      { name: 'api.timing', value: 42, tags: { route: '/payments', status: '200' }, at: new Date(now + 365 * 86_400_000).toISOString() },
    ],
  });
  t.equal(accepted.statusCode, 202);
  t.same(accepted.json(), { accepted: 7 });
  const skewed = (await app.db.execute(sql`select occurred_at from analytics_events where name = 'api.timing'`)) as unknown as Array<{ occurred_at: string }>;
  t.ok(Math.abs(new Date(skewed[0]!.occurred_at).getTime() - now) < 60_000, 'future timestamp clamped to now');

  for (const [label, body] of [
    ['empty batch', { events: [] }],
    ['unknown metric', { events: [{ name: 'keystrokes', value: 1 }] }],
    ['negative value', { events: [{ name: 'api.timing', value: -1 }] }],
    ['too many tags', { events: [{ name: 'api.timing', value: 1, tags: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`t${i}`, 'x'])) }] }],
    ['bad tag name', { events: [{ name: 'api.timing', value: 1, tags: { 'Bad Tag': 'x' } }] }],
    ['extra field', { events: [{ name: 'api.timing', value: 1, password: 'x' }] }],
    ['batch over 50', { events: Array.from({ length: 51 }, () => ({ name: 'cache.hit', value: 1 })) }],
  ] as const) {
    const res = await post(body);
    t.equal(res.statusCode, 400, label);
  }

  t.equal((await app.inject({ url: '/admin/analytics/summary', headers: customer })).statusCode, 403, 'the summary is ADMIN only');
  const summary = await app.inject({ url: '/admin/analytics/summary', headers: admin });
  t.equal(summary.statusCode, 200);
  const byName = Object.fromEntries(summary.json().metrics.map((m: { name: string }) => [m.name, m]));
  t.same(Object.keys(byName), ['api.timing', 'remote.load', 'web-vital.cls']);
  t.same(byName['remote.load'], { name: 'remote.load', count: 5, avg: 40, p50: 30, p75: 40, p95: 88 });
  const someoneElse = await app.inject({ url: `/admin/analytics/summary?userId=${randomUUID()}`, headers: admin });
  t.same(someoneElse.json().metrics, [], 'filtered by user');
  t.equal((await app.inject({ url: '/admin/analytics/summary?userId=nope', headers: admin })).statusCode, 400, 'userId must be a uuid');
  const old = await app.inject({ url: '/admin/analytics/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z', headers: admin });
  t.same(old.json().metrics, [], 'outside the window');
});
