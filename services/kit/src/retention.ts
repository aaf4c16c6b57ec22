// Retention: rows that only grow (sent outbox rows, inbox rows, idempotency keys) are deleted on
// a schedule once older than their retention. Safe with several replicas: each batch is one short
// transaction that first takes a transaction-level advisory lock named after the task
// (pg_try_advisory_xact_lock — another replica already pruning makes this one skip the round) and
// deletes at most `batchSize` rows picked with FOR UPDATE SKIP LOCKED (rows a running transaction
// holds are left for the next round). Small batches keep locks and WAL bursts short.
import type postgres from 'postgres';

export interface RetentionTask {
  /** Also the advisory lock's name: the same task in every replica shares one lock. */
  name: string;
  /** Deletes at most `limit` expired rows in `tx`; returns how many it deleted. */
  deleteBatch(tx: postgres.TransactionSql, limit: number): Promise<number>;
}

export interface RetentionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetentionOptions {
  sql: postgres.Sql;
  tasks: RetentionTask[];
  /** Pause between rounds; 0 = never scheduled (runOnce still works). */
  intervalMs: number;
  batchSize?: number;
  /** Upper bound of batches per task per round (a huge backlog drains over several rounds). */
  maxBatches?: number;
  log?: RetentionLogger;
}

export type RetentionResult = Record<string, { deleted: number; skipped: boolean }>;

export class RetentionJob {
  readonly #opts: Required<Omit<RetentionOptions, 'log'>> & Pick<RetentionOptions, 'log'>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionResult> | undefined;
  #stopped = false;

  constructor(opts: RetentionOptions) {
    this.#opts = { batchSize: 1_000, maxBatches: 100, ...opts };
  }

  /** One round over every task. Never throws: a failing task is logged and retried next round. */
  runOnce(): Promise<RetentionResult> {
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #round(): Promise<RetentionResult> {
    const result: RetentionResult = {};
    for (const task of this.#opts.tasks) {
      let deleted = 0;
      let skipped = false;
      try {
        for (let batch = 0; batch < this.#opts.maxBatches && !this.#stopped; batch++) {
          const n = await this.#opts.sql.begin(async (tx) => {
            const [lock] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtext(${`retention:${task.name}`})) as locked`;
            if (!lock?.locked) return -1;
            return task.deleteBatch(tx, this.#opts.batchSize);
          });
          if (n < 0) {
            skipped = true;
            break;
          }
          deleted += n;
          if (n < this.#opts.batchSize) break;
        }
        if (deleted > 0) this.#opts.log?.info({ task: task.name, deleted }, 'retention: expired rows deleted');
      } catch (err) {
        this.#opts.log?.warn({ err, task: task.name }, 'retention: pruning failed, retrying next round');
      }
      result[task.name] = { deleted, skipped };
    }
    return result;
  }

  start(): void {
    if (this.#opts.intervalMs <= 0 || this.#timer) return;
    const schedule = () => {
      this.#timer = setTimeout(() => {
        void this.runOnce().finally(() => {
          if (!this.#stopped) schedule();
        });
      }, this.#opts.intervalMs);
      this.#timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
