// Flushing telemetry before the process exits. close-with-grace (server.ts) calls process.exit as
// soon as the app has closed, so spans still batched by the OpenTelemetry SDK and queued error
// reports would be lost if their flush were only a signal listener of its own: instrument.ts
// registers its flushes here and runService awaits them before exiting.
const flushes: Array<() => Promise<unknown>> = [];

export function onTelemetryFlush(flush: () => Promise<unknown>): void {
  flushes.push(flush);
}

/** Runs every registered flush (bounded by each one's own timeout); never throws. */
export async function flushTelemetry(): Promise<void> {
  await Promise.all(flushes.map((flush) => flush().catch(() => undefined)));
}
