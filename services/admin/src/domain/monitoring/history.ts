// The bounded history of scrapes. Two rings of cumulative snapshots (not rates): a fine one at
// the scrape interval covering the last hour, and a coarse one keeping one snapshot per
// COARSE_STEP_MS over 24 hours. Keeping counters rather than rates makes downsampling exact —
// the rate or latency percentile between two coarse snapshots is that of the whole interval —
// and the memory bound simple: (fine capacity + coarse capacity) snapshots, whatever the traffic.
import type { ServiceSample } from './scrape-sample.ts';

export interface QueueSample {
  depth: number | null;
  deadLetters: number | null;
  consumers: number | null;
}

export interface MetricsSnapshot {
  /** Epoch ms when the scrape started. */
  at: number;
  /** By service name; null when its /metrics could not be read. */
  services: Record<string, ServiceSample | null>;
  /** By consuming service (its work queue and dead-letter queue). */
  queues: Record<string, QueueSample>;
}

export const FINE_SPAN_MS = 3_600_000;
export const COARSE_SPAN_MS = 24 * 3_600_000;
export const COARSE_STEP_MS = 5 * 60_000;

class Ring<T> {
  readonly #items: T[] = [];
  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  push(item: T) {
    this.#items.push(item);
    if (this.#items.length > this.capacity) this.#items.shift();
  }
  get items(): readonly T[] {
    return this.#items;
  }
  get last(): T | undefined {
    return this.#items.at(-1);
  }
}

export class MetricsHistory {
  readonly #fine: Ring<MetricsSnapshot>;
  readonly #coarse = new Ring<MetricsSnapshot>(COARSE_SPAN_MS / COARSE_STEP_MS + 1);

  /** scrapeIntervalMs sets the fine ring's capacity: one hour of scrapes (+1 for the first rate). */
  constructor(scrapeIntervalMs: number) {
    this.#fine = new Ring(Math.ceil(FINE_SPAN_MS / scrapeIntervalMs) + 1);
  }

  /** The most snapshots ever held: the memory bound (each snapshot is a few hundred numbers). */
  get capacity() {
    return this.#fine.capacity + this.#coarse.capacity;
  }

  add(snapshot: MetricsSnapshot) {
    this.#fine.push(snapshot);
    const lastCoarse = this.#coarse.last;
    if (!lastCoarse || snapshot.at - lastCoarse.at >= COARSE_STEP_MS) this.#coarse.push(snapshot);
  }

  /**
   * Snapshots covering the last rangeMs before `now`, plus the one just before the window (so the
   * first point has a rate). The fine ring answers up to an hour, the coarse one beyond.
   */
  window(rangeMs: number, now: number): MetricsSnapshot[] {
    const ring = rangeMs <= FINE_SPAN_MS ? this.#fine : this.#coarse;
    const start = now - rangeMs;
    const items = ring.items;
    const first = items.findIndex((s) => s.at > start);
    if (first === -1) return [];
    return items.slice(Math.max(0, first - 1));
  }
}
