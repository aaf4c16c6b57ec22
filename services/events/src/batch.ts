// Collects consumed messages into batches for the inbox consumer (batched by default).
// rabbitmq-client acks a message when its handler's promise resolves, so `add` returns a promise
// that settles only once the whole batch has been settled (committed, or handled again one by one):
// nothing is acked before its effects are durable. Batches are settled one at a time, in delivery
// order, which keeps per-aggregate order for a single consumer.

export interface BatchOptions {
  /** Messages per transaction (≥ 1). */
  size: number;
  /**
   * Longest a message waits for its batch to fill when no batch is running (default 0: the batch
   * starts on the next turn of the event loop, with whatever the broker delivered in that turn —
   * no added latency when the queue is quiet; under load batches fill while the previous commits).
   */
  maxWaitMs?: number;
  /**
   * Batch transactions running at once (default 1). Above 1, batches commit concurrently, so
   * events of one aggregate in different batches may be applied out of order — like `concurrency`
   * above 1 without batching.
   */
  parallel?: number;
}

export interface BatchItem<M, P> {
  message: M;
  prepared: P;
}

/** Per item of a settled batch: undefined when it is settled, or the error that should nack it. */
export type BatchSettlement = ReadonlyArray<unknown>;

export interface BatchCollector<M, P> {
  readonly size: number;
  readonly parallel: number;
  /** Adds a message; resolves (→ ack) or rejects (→ nack) once its batch is settled. */
  add(message: M, prepared: P): Promise<void>;
}

interface Pending<M, P> extends BatchItem<M, P> {
  resolve(): void;
  reject(error: unknown): void;
}

export function createBatchCollector<M, P>(
  opts: BatchOptions,
  settle: (items: ReadonlyArray<BatchItem<M, P>>) => Promise<BatchSettlement>,
): BatchCollector<M, P> {
  if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`batch.size must be a positive integer (got ${opts.size})`);
  const size = opts.size;
  const maxWaitMs = opts.maxWaitMs ?? 0;
  const parallel = opts.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`batch.parallel must be a positive integer (got ${parallel})`);
  const current: Array<Pending<M, P>> = [];
  let timer: (() => void) | undefined;
  let running = 0;

  function schedule(): () => void {
    if (maxWaitMs > 0) {
      const handle = setTimeout(dispatch, maxWaitMs);
      return () => clearTimeout(handle);
    }
    const handle = setImmediate(dispatch);
    return () => clearImmediate(handle);
  }

  // One batch at a time (by default). While it commits, the next one keeps filling (up to `size`)
  // and starts as soon as it is done — under load batches grow by themselves ("group commit"); `maxWaitMs`
  // only bounds the wait of a message that arrives while nothing is running.
  function dispatch(): void {
    timer?.();
    timer = undefined;
    if (running >= parallel || current.length === 0) return;
    const items = current.splice(0, size);
    running += 1;
    void settle(items)
      .then(
        (failures) => items.forEach((item, i) => (failures[i] === undefined ? item.resolve() : item.reject(failures[i]))),
        (error: unknown) => items.forEach((item) => item.reject(error)),
      )
      .finally(() => {
        running -= 1;
        dispatch();
      });
  }

  return {
    size,
    parallel,
    add(message, prepared) {
      return new Promise<void>((resolve, reject) => {
        current.push({ message, prepared, resolve, reject });
        if (running >= parallel) return; // dispatched when a running batch is done
        if (current.length >= size) dispatch();
        else timer ??= schedule();
      });
    },
  };
}
