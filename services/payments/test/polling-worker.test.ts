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

t.test('wakeIn: an item this process just scheduled brings the wake forward, also during a drain', async (t) => {
  let drains = 0;
  let release: (() => void) | undefined;
  const worker = startPolling({
    name: 'test',
    intervalMs: 600_000,
    log,
    takeSome: async () => {
      drains += 1;
      // The second drain is held open until the test has called wakeIn during it.
      if (drains === 2) await new Promise<void>((resolve) => (release = resolve));
      return 0;
    },
  });
  t.teardown(() => worker.stop());
  // Let the start-up scheduling settle (nothing due: the ten-minute interval).
  await new Promise((resolve) => setTimeout(resolve, 20));
  worker.wakeIn(30);
  await waitFor(() => drains === 1, 'the drain the hint asked for');
  worker.wakeIn(30);
  await waitFor(() => release, 'the second drain, held open');
  worker.wakeIn(30); // while no timer is pending
  release!();
  await waitFor(() => drains === 3, 'the hint given during the drain, honoured after it');
});

t.test('a drain ends after a partial batch (nothing else was due), a full one is followed by another', async (t) => {
  const batches = [3, 3, 1, 3];
  let calls = 0;
  const worker = startPolling({
    name: 'test',
    intervalMs: 600_000,
    batchSize: 3,
    log,
    takeSome: async () => {
      calls += 1;
      return batches.shift() ?? 0;
    },
  });
  t.teardown(() => worker.stop());
  t.equal(await worker.runOnce(), 7, 'two full batches, then the partial one');
  t.equal(calls, 3, 'no fourth look');
});
