// The poll loop shared by the payments service's background workers (the simulated processor,
// the scheduler): every `intervalMs` it drains what is due, a batch (or one item) at a time, until
// nothing is left; a single drain runs at a time (a poll and a test's runOnce never overlap); stop() waits
// for the drain in progress. The timer is unref'd so it never keeps the process alive.
// A worker that knows when its next item falls due (`nextDueInMs`) is woken then instead of at the
// next tick — no later than `intervalMs` (work another replica added is found by then), no sooner
// than `minIntervalMs` after the last drain (what falls due meanwhile is taken as one batch); and
// `wakeIn` brings the wake forward for an item this process has just scheduled.
import type { PaymentsContext } from './context.ts';

export interface PollingWorker {
  /** Takes everything due now; resolves with how many items it took (tests, and each poll). */
  runOnce(): Promise<number>;
  /**
   * This process just scheduled an item due in `ms` (committed by then): wake then if that is
   * sooner than planned (not sooner than `minIntervalMs`).
   */
  wakeIn(ms: number): void;
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
  /**
   * Most items one takeSome() takes (default 1). A drain ends after a batch smaller than this —
   * nothing else was due — instead of opening one more transaction only to find nothing.
   */
  batchSize?: number;
  /** In how many ms the next item falls due (≤ 0: now), null when nothing is scheduled. */
  nextDueInMs?: () => Promise<number | null>;
  /** The shortest wait between drains when `nextDueInMs` says an item is due sooner (default 0). */
  minIntervalMs?: number;
}): PollingWorker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (epoch ms); undefined while none is pending (a drain runs). */
  let timerAt: number | undefined;
  /** The earliest wakeIn() received while no timer was pending: the next schedule honours it. */
  let hintAt = Number.POSITIVE_INFINITY;
  let running: Promise<number> | undefined;

  async function drain(): Promise<number> {
    let taken = 0;
    while (!stopped) {
      const took = await opts.takeSome();
      taken += took;
      if (took < (opts.batchSize ?? 1)) break;
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

  function tick() {
    timerAt = undefined;
    runOnce()
      .then(nextWaitMs)
      .catch((err: unknown) => {
        opts.log.error({ err }, `${opts.name} poll failed`);
        return opts.intervalMs;
      })
      .then(schedule);
  }

  function setTimer(at: number) {
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(tick, Math.max(0, at - Date.now()));
    timer.unref();
  }

  function schedule(waitMs: number) {
    if (stopped) return;
    const now = Date.now();
    const hinted = Math.max(hintAt, now + (opts.minIntervalMs ?? 0));
    hintAt = Number.POSITIVE_INFINITY;
    setTimer(Math.min(now + waitMs, hinted));
  }

  function wakeIn(ms: number) {
    if (stopped) return;
    const at = Date.now() + Math.max(ms, opts.minIntervalMs ?? 0);
    if (timerAt === undefined) hintAt = Math.min(hintAt, at);
    else if (at < timerAt) setTimer(at);
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
    wakeIn,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
