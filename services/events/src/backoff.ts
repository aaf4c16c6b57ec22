// Consumer retries: three attempts after the first, spaced 1 s / 2 s / 4 s through one TTL queue
// per delay (a per-message TTL would block at the queue head), then the dead-letter queue.
export const RETRY_DELAYS_MS = [1_000, 2_000, 4_000] as const;
export const MAX_RETRIES = RETRY_DELAYS_MS.length;

/** Header counting how many times our consumer has sent a message back through a retry queue. */
export const RETRY_COUNT_HEADER = 'x-retry-count';

export type RetryDecision = { action: 'retry'; queueIndex: number; delayMs: number; nextCount: number } | { action: 'dead-letter' };

/** What to do with a message whose handler failed after `retriesSoFar` retries. */
export function nextRetry(retriesSoFar: number): RetryDecision {
  if (retriesSoFar >= MAX_RETRIES) return { action: 'dead-letter' };
  const queueIndex = Math.max(0, Math.floor(retriesSoFar));
  return { action: 'retry', queueIndex, delayMs: RETRY_DELAYS_MS[queueIndex]!, nextCount: queueIndex + 1 };
}

/** Reads the retry count header (AMQP may hand numbers back as numbers or strings). */
export function retryCountOf(headers: Record<string, unknown> | undefined): number {
  const value = Number(headers?.[RETRY_COUNT_HEADER] ?? 0);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Relay backoff while the broker is unavailable: exponential from `baseMs`, capped, with jitter. */
export function relayBackoffMs(failures: number, baseMs = 200, maxMs = 10_000, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
