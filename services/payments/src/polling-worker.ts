// The poll loop shared by the payments service's background workers (the simulated processor,
// the scheduler): every `intervalMs` it drains what is due, a batch (or one item) at a time, until
// nothing is left; a single drain runs at a time (a poll and a test's runOnce never overlap); stop() waits
// for the drain in progress. The timer is unref'd so it never keeps the process alive.
// A worker that knows when its next item falls due (`nextDueInMs`) is woken then instead of at the
// next tick — no later than `intervalMs` (work another replica added is found by then), no sooner
// than `minIntervalMs` after the last drain (what falls due meanwhile is taken as one batch).
import type { PaymentsContext } from './context.ts';

export interface PollingWorker {
  /** Takes everything due now; resolves with how many items it took (tests, and each poll). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** How long to wait before the next drain: until the next item is due, within the bounds. */
export function waitBeforeNextDrain(dueInMs: number | null, bounds: { intervalMs: number; minIntervalMs?: number }): number {
  if (dueInMs === null) return bounds.intervalMs;
  return Math.min(bounds.intervalMs, Math.max(bounds.minIntervalMs ?? 0, dueInMs));
}

export function startPolling(opts: {
  name: string;
  intervalMs: number;
  log: PaymentsContext['log'];
  /** Takes due items (one, or a batch); how many it took — 0 when nothing is due. */
  takeSome: () => Promise<number>;
  /** In how many ms the next item falls due (≤ 0: now), null when nothing is scheduled. */
  nextDueInMs?: () => Promise<number | null>;
  /** The shortest wait between drains when `nextDueInMs` says an item is due sooner (default 0). */
  minIntervalMs?: number;
}): PollingWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function drain(): Promise<number> {
    let taken = 0;
    while (!stopped) {
      const took = await opts.takeSome();
      if (took === 0) break;
      taken += took;
    }
    return taken;
  }

  function runOnce(): Promise<number> {
    running ??= drain().finally(() => {
      running = undefined;
    });
    return running;
  }

  async function nextWaitMs(): Promise<number> {
    return waitBeforeNextDrain(opts.nextDueInMs ? await opts.nextDueInMs() : null, opts);
  }

  function schedule(waitMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then(nextWaitMs)
        .catch((err: unknown) => {
          opts.log.error({ err }, `${opts.name} poll failed`);
          return opts.intervalMs;
        })
        .then(schedule);
    }, waitMs);
    timer.unref();
  }
  // The first drain too: at start-up, steps already due are taken at once.
  nextWaitMs()
    .catch((err: unknown) => {
      opts.log.error({ err }, `${opts.name} poll failed`);
      return opts.intervalMs;
    })
    .then(schedule);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
