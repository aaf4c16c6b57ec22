// The background workers' poll loop: a worker that knows when its next item falls due is woken
// then (within its bounds) rather than at the next tick of its interval.
import t from 'tap';
import { waitFor } from '@bank/kit/testing';
import { startPolling, waitBeforeNextDrain } from '../src/polling-worker.ts';

const log = { error: () => {} } as unknown as Parameters<typeof startPolling>[0]['log'];

t.test('the wait before the next drain', async (t) => {
  const bounds = { intervalMs: 250, minIntervalMs: 25 };
  t.equal(waitBeforeNextDrain(null, bounds), 250, 'nothing scheduled: the interval (work another replica adds is found then)');
  t.equal(waitBeforeNextDrain(120, bounds), 120, 'until the next item is due');
  t.equal(waitBeforeNextDrain(5, bounds), 25, 'no sooner than the batch window');
  t.equal(waitBeforeNextDrain(-40, bounds), 25, 'an overdue item: after the batch window too');
  t.equal(waitBeforeNextDrain(1_500, bounds), 250, 'no later than the interval');
  t.equal(waitBeforeNextDrain(5, { intervalMs: 250 }), 5, 'no window: exactly when due');
});

t.test('woken when the next item is due, not after the interval', async (t) => {
  let drains = 0;
  const dueIn = [40, null];
  const worker = startPolling({
    name: 'test',
    intervalMs: 600_000,
    log,
    takeSome: async () => {
      drains += 1;
      return 0;
    },
    nextDueInMs: async () => dueIn.shift() ?? null,
  });
  t.teardown(() => worker.stop());
  await waitFor(() => drains > 0, 'the drain when the item is due (the interval is 10 minutes)');
  t.equal(drains, 1);
});
