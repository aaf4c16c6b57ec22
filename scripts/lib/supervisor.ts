// Restarts a service that exits unexpectedly, as the kubelet would in Kubernetes: after a backoff
// that doubles with each crash (1 s, 2 s, 4 s … capped at 30 s) and resets once the process has
// stayed up for a minute. Every exit and restart is said in the runner's log. Used by
// scripts/platform.ts for the services (not for nginx or the dev servers).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface SupervisorOptions {
  name: string;
  command: string;
  args: string[];
  spawnOptions: SpawnOptions;
  /** Called with each new child (to pipe its output). */
  onStart(child: ChildProcess, attempt: number): void;
  log(message: string): void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Up this long = healthy again: the next crash restarts after the initial backoff. */
  stableAfterMs?: number;
}

export function restartDelayMs(consecutiveCrashes: number, initialMs = 1_000, maxMs = 30_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, consecutiveCrashes - 1));
}

export class Supervisor {
  readonly #opts: Required<Omit<SupervisorOptions, 'spawnOptions'>> & { spawnOptions: SpawnOptions };
  #child: ChildProcess | undefined;
  #stopping = false;
  #crashes = 0;
  #restarts = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(opts: SupervisorOptions) {
    this.#opts = { initialBackoffMs: 1_000, maxBackoffMs: 30_000, stableAfterMs: 60_000, ...opts };
  }

  get child(): ChildProcess | undefined {
    return this.#child;
  }

  get restarts(): number {
    return this.#restarts;
  }

  start(): ChildProcess {
    const child = spawn(this.#opts.command, this.#opts.args, this.#opts.spawnOptions);
    const startedAt = Date.now();
    this.#child = child;
    this.#opts.onStart(child, this.#restarts);
    child.on('exit', (code, signal) => {
      if (this.#stopping) return;
      if (Date.now() - startedAt >= this.#opts.stableAfterMs) this.#crashes = 0;
      this.#crashes += 1;
      const delay = restartDelayMs(this.#crashes, this.#opts.initialBackoffMs, this.#opts.maxBackoffMs);
      this.#opts.log(`${this.#opts.name} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delay} ms (crash ${this.#crashes} in a row)`);
      this.#timer = setTimeout(() => {
        if (this.#stopping) return;
        this.#restarts += 1;
        this.#opts.log(`${this.#opts.name} restarting (restart ${this.#restarts})`);
        this.start();
      }, delay);
    });
    return child;
  }

  /** No more restarts; signals the running child (unless `signal` is null: the caller stops it). */
  stop(signal: NodeJS.Signals | null = 'SIGTERM'): void {
    this.#stopping = true;
    clearTimeout(this.#timer);
    const child = this.#child;
    if (signal && child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}
