// PostgreSQL lost while the service runs (its connections reset and new ones refused through a
// fault proxy; the shared server keeps running): every payment create answers 503
// DATABASE_UNAVAILABLE problem+json at once — including the ones sent in the instant the pool's
// connections are being reset. Before the postgres.js patch's close fix, a query handed to a pooled
// connection between its socket's 'error' and 'close' events was never answered (the request hung
// until the pool reused that connection object: ~9 s on this host with the scheduler polling each
// second, forever with nothing else querying — docs/operations.md).
import t from 'tap';
import { createFaultProxy } from '@bank/kit/fault-proxy';
import { buildPayments, idem, registerUser } from './helper.ts';

/** Far above any answer of a healthy or failing-fast service; only a hang reaches it. */
const HANG_MS = 5_000;
const ROUNDS = 6;

t.test(
  'PostgreSQL dropped: the next create answers 503 DATABASE_UNAVAILABLE, never hangs; creates succeed again after',
  async (t) => {
    const proxy = await createFaultProxy({ host: '127.0.0.1', port: 5432 });
    t.teardown(() => proxy.close());
    // No scheduler or processor: nothing else queries the pool, so a stranded query stays stranded.
    const app = await buildPayments(
      t,
      { PROCESSOR_ENABLED: 'false', SCHEDULER_ENABLED: 'false' },
      { databaseUrl: (url) => proxy.url(url) },
    );
    const alice = await registerUser(app, 'CUSTOMER', 'alice');
    const bob = await registerUser(app, 'CUSTOMER', 'bob');
    const create = () =>
      app.inject({
        method: 'POST',
        url: '/payments',
        headers: { ...alice.headers, ...idem() },
        payload: { recipientId: bob.id, amount: 100, currency: 'EUR', type: 'instant' },
      });
    // A create the moment PostgreSQL goes away, in several rounds (whether it reaches the pool in the
    // instant a connection is between its reset and its close depends on the order of socket events).
    const answers: { status: number | undefined; code: string | undefined; type: unknown; ms: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      t.equal((await create()).statusCode, 201, `round ${round}: up, a create succeeds`);
      await proxy.down();
      const started = performance.now();
      const res = await Promise.race([
        create(),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), HANG_MS).unref()),
      ]);
      answers.push({
        status: res?.statusCode,
        code: res?.json().code,
        type: res?.headers['content-type'],
        ms: performance.now() - started,
      });
      await proxy.up();
      await untilCreatesSucceed();
    }
    t.comment(
      `first create after PostgreSQL went down, per round (ms): ${answers.map((a) => a.ms.toFixed(0)).join(' ')}`,
    );
    t.same(
      answers.filter((a) => a.status === undefined).length,
      0,
      `every create answered (none waited ${HANG_MS} ms)`,
    );
    t.same([...new Set(answers.map((a) => a.status))], [503], 'all 503');
    t.same([...new Set(answers.map((a) => a.code))], ['DATABASE_UNAVAILABLE'], 'code DATABASE_UNAVAILABLE');
    t.ok(
      answers.every((a) => String(a.type).startsWith('application/problem+json')),
      'problem+json',
    );

    async function untilCreatesSucceed() {
      for (let i = 0; i < 50; i++) {
        if ((await create()).statusCode === 201) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      t.fail('creates succeed again once PostgreSQL is reachable');
    }
  },
);
