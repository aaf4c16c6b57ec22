// The poll loop shared by the payments service's background workers (the simulated processor,
// the scheduler): every `intervalMs` it drains what is due, a batch (or one item) at a time, until
// nothing is left; a single drain runs at a time (a poll and a test's runOnce never overlap); stop() waits
// for the drain in progress. The timer is unref'd so it never keeps the process alive.
import type { PaymentsContext } from './context.ts';

export interface PollingWorker {
  /** Takes everything due now; resolves with how many items it took (tests, and each poll). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startPolling(opts: {
  name: string;
  intervalMs: number;
  log: PaymentsContext['log'];
  /** Takes due items (one, or a batch); how many it took — 0 when nothing is due. */
  takeSome: () => Promise<number>;
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

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => opts.log.error({ err }, `${opts.name} poll failed`))
        .finally(schedule);
    }, opts.intervalMs);
    timer.unref();
  }
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
