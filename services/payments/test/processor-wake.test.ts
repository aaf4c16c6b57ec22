// The processor's worker wakes when a step falls due, not at its next poll: with a poll interval of
// a minute, a payment with 300 ms steps settles in well under a minute — the first step's wake
// comes from the acceptance in this process (wakeIn), the second's from the due time the worker
// reads from the index after taking the first.
import t from 'tap';
import { buildPayments, pay, registerUser, waitFor } from './helper.ts';

t.test('steps are taken when due, whatever the poll interval', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_STEP_DELAY_MS: '300', PROCESSOR_POLL_INTERVAL_MS: '60000' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const payment = await pay(app, alice, bob, { amount: 4200 });
  const done = await waitFor(async () => {
    const p = (await app.inject({ url: `/payments/${payment.id}`, headers: alice.headers })).json();
    return p.status === 'completed' ? p : undefined;
  }, 'the payment settled well before the first poll', 20_000);
  t.same(done.transactions.map((x: { toStatus: string }) => x.toStatus), ['pending', 'processing', 'completed']);
});
