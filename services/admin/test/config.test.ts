// Versioned configuration: versions, history, optimistic concurrency, the outbox event.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { bearer, buildAdmin } from './helper.ts';

t.test('configuration', async (t) => {
  const { app, token } = await buildAdmin(t);
  const adminId = randomUUID();
  const admin = bearer(token({ sub: adminId }));
  const put = (key: string, payload: unknown) => app.inject({ method: 'PUT', url: `/admin/config/${key}`, headers: admin, payload: payload as object });

  t.same((await app.inject({ url: '/admin/config', headers: admin })).json(), { items: [] });
  const v1 = await put('payments.max-amount', { value: 100000, expectedVersion: 0 });
  t.equal(v1.statusCode, 200);
  t.match(v1.json(), { key: 'payments.max-amount', value: 100000, version: 1, updatedBy: adminId });
  const v2 = await put('payments.max-amount', { value: 250000, expectedVersion: 1 });
  t.match(v2.json(), { value: 250000, version: 2 });
  const v3 = await put('payments.max-amount', { value: 300000 });
  t.match(v3.json(), { value: 300000, version: 3 }, 'expectedVersion is optional');
  t.match((await put('features', { value: { darkMode: true, beta: ['x'] } })).json(), { value: { darkMode: true, beta: ['x'] }, version: 1 });
  t.match((await put('banner', { value: '5' })).json(), { value: '5' }, 'a string stays a string');
  t.match((await put('banner', { value: null })).json(), { value: null, version: 2 }, 'JSON null is a value');

  const stale = await put('payments.max-amount', { value: 1, expectedVersion: 2 });
  t.equal(stale.statusCode, 409);
  t.match(stale.json(), { code: 'ADMIN_CONFIG_VERSION_CONFLICT', currentVersion: 3 });
  t.equal((await put('features', { value: 1, expectedVersion: 0 })).statusCode, 409, 'expectedVersion 0 = must not exist');

  const list = (await app.inject({ url: '/admin/config', headers: admin })).json();
  t.same(list.items.map((e: { key: string; version: number }) => [e.key, e.version]), [['banner', 2], ['features', 1], ['payments.max-amount', 3]]);

  const history = await app.inject({ url: '/admin/config/payments.max-amount/history', headers: admin });
  t.same(history.json().items.map((e: { version: number; value: number }) => [e.version, e.value]), [[3, 300000], [2, 250000], [1, 100000]], 'every version, newest first');
  t.equal((await app.inject({ url: '/admin/config/nope/history', headers: admin })).json().code, 'ADMIN_CONFIG_NOT_FOUND');

  for (const [key, body] of [
    ['payments.max-amount', {}],
    ['payments.max-amount', { value: 1, extra: true }],
    ['payments.max-amount', { value: 1, expectedVersion: -1 }],
    ['Bad%20Key', { value: 1 }],
  ] as const) {
    const res = await put(key, body);
    t.equal(res.statusCode, 400, `${key} ${JSON.stringify(body)}`);
  }

  const outbox = (await app.db.execute(sql`select event_type, payload from outbox where event_type = 'admin.config.updated' order by id`)) as unknown as Array<{ event_type: string; payload: { source: string; data: Record<string, unknown> } }>;
  t.equal(outbox.length, 6, 'one event per accepted write');
  t.ok(outbox.every((row) => row.payload.source === 'admin'));
  t.same(outbox[2]?.payload.data, { key: 'payments.max-amount', version: 3, updatedBy: adminId, userId: adminId });
});

t.test('concurrent first writes of a key: one wins, the others get 409 (never 500)', async (t) => {
  const { app, token } = await buildAdmin(t);
  const admin = bearer(token({ sub: randomUUID() }));
  const key = `race.${randomUUID().slice(0, 8)}`;
  const results = await Promise.all(
    Array.from({ length: 6 }, (_, i) => app.inject({ method: 'PUT', url: `/admin/config/${key}`, headers: admin, payload: { value: i } })),
  );
  const statuses = results.map((r) => r.statusCode).sort();
  t.ok(statuses.every((s) => s === 200 || s === 409), `statuses ${statuses.join(',')}`);
  t.ok(statuses.includes(200), 'one write wins');
  for (const r of results.filter((x) => x.statusCode === 409)) t.equal(r.json().code, 'ADMIN_CONFIG_VERSION_CONFLICT');
  const history = (await app.inject({ url: `/admin/config/${key}/history`, headers: admin })).json().items as Array<{ version: number }>;
  t.same(
    history.map((h) => h.version),
    history.map((_, i) => history.length - i),
    'history versions stay contiguous',
  );
});

t.test('a config value nested 5,000 levels deep is 400, not a stack overflow', async (t) => {
  const { app, token } = await buildAdmin(t);
  const payload = `{"value":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const res = await app.inject({ method: 'PUT', url: '/admin/config/deep.value', headers: { ...bearer(token({ sub: randomUUID() })), 'content-type': 'application/json' }, payload });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'JSON_TOO_DEEP');
});

t.test('catalogue keys are validated; public and internal reads fill in defaults', async (t) => {
  const { app, token } = await buildAdmin(t);
  const admin = bearer(token({ sub: randomUUID() }));
  const put = (key: string, payload: unknown) => app.inject({ method: 'PUT', url: `/admin/config/${key}`, headers: admin, payload: payload as object });

  for (const [key, value] of [
    ['payments.limits', { EUR: 10.5 }],
    ['payments.limits', { eur: 100 }],
    ['payments.limits', 100],
    ['platform.maintenance', 'yes'],
    ['platform.banner', 'x'.repeat(501)],
    ['processor.stepDelayMs', -1],
    ['processor.failRule', { descriptionContains: 'FAIL' }],
    ['features.graphql', 'on'],
  ] as const) {
    const res = await put(key, { value });
    t.equal(res.statusCode, 400, `${key} = ${JSON.stringify(value).slice(0, 40)} refused`);
    t.match(res.json(), { code: 'ADMIN_CONFIG_INVALID_VALUE', key, detail: new RegExp(`^${key.replace('.', '\\.')}: `) });
  }
  t.same((await app.inject({ url: '/admin/config', headers: admin })).json(), { items: [] }, 'nothing written, nothing published');

  const pub = await app.inject({ url: '/admin/config/public' });
  t.equal(pub.statusCode, 200, 'no token needed');
  t.same(pub.json(), { 'platform.maintenance': false, 'platform.banner': '' }, 'defaults');

  t.equal((await put('payments.limits', { value: { EUR: 100000 } })).statusCode, 200);
  t.equal((await put('platform.maintenance', { value: true })).statusCode, 200);
  t.equal((await put('platform.banner', { value: 'Planned maintenance at 22:00' })).statusCode, 200);
  t.same((await app.inject({ url: '/admin/config/public' })).json(), { 'platform.maintenance': true, 'platform.banner': 'Planned maintenance at 22:00' });

  const internal = await app.inject({ url: '/internal/config?service=payments' });
  t.same(internal.json(), {
    items: [
      { key: 'payments.limits', value: { EUR: 100000 }, version: 1 },
      { key: 'platform.maintenance', value: true, version: 1 },
    ],
  });
  t.same((await app.inject({ url: '/internal/config?service=processor' })).json().items, [
    { key: 'processor.stepDelayMs', value: null, version: 0 },
    { key: 'processor.failRule', value: { descriptionContains: 'FAIL', amountEndsWith: '13' }, version: 0 },
  ]);
  t.equal((await app.inject({ url: '/internal/config?service=nope' })).statusCode, 400);
});
