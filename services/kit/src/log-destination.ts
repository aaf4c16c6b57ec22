// Where every service's log lines go: stdout, through pino's own destination (sonic-boom),
// buffered. Unbuffered, each line was its own `write` (the access line of every request): 7.9 % of
// the payments service's busy time at 300 payments/s (docs/benchmarks/platform.md, api11d). Here
// lines collect until LOG_BUFFER_BYTES are waiting, and whatever is waiting is written at least
// every LOG_FLUSH_INTERVAL_MS, so at low load a line is late by at most that.
//
// What can be lost: nothing on a graceful stop (runService flushes after close) or on an error exit
// (close-with-grace's exit, an uncaught error, process.exit: pino flushes this destination
// synchronously on the process's `exit`). On SIGKILL (or the OOM killer) at most what is buffered —
// under LOG_BUFFER_BYTES written in the last LOG_FLUSH_INTERVAL_MS. Acceptable because logs are
// diagnostics here, not records: what happened to a payment, a session or a configuration key is
// in the databases (history rows, outbox, admin's audit log), written before anything answers.
import { pino } from 'pino';

/** Lines wait until this many bytes are buffered (a line is ≈ 200–400 bytes: about 10–20 per write). */
export const LOG_BUFFER_BYTES = 4096;
/** …or until this interval has passed, whichever comes first. */
export const LOG_FLUSH_INTERVAL_MS = 250;

type Destination = ReturnType<typeof pino.destination>;

let stdoutDestination: Destination | undefined;

/**
 * The process's one buffered stdout destination (one per process, not per Fastify instance: tests
 * build many services in one process, and two buffers on one file descriptor would only reorder lines).
 */
export function logDestination(): Destination {
  // sync: false keeps the writes off the event loop (libuv's thread pool), as pino's default
  // destination did, and makes pino register its synchronous flush on the process's exit.
  stdoutDestination ??= pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  return stdoutDestination;
}

/** Writes out whatever is buffered, in order; resolves once it has been handed to stdout. */
export async function flushLogs(): Promise<void> {
  const destination = stdoutDestination;
  if (destination === undefined) return;
  // flush() waits out a write already in flight (its callback gets fsync's EINVAL on a pipe or a
  // terminal: ignored, the bytes are written by then) — but then leaves lines under the buffer's
  // threshold waiting, so what is left is written synchronously, behind that write.
  await new Promise<void>((resolve) => destination.flush(() => resolve()));
  try {
    destination.flushSync();
  } catch {
    // Already ended, or stdout is gone (EPIPE): nothing more can be written anywhere.
  }
}
