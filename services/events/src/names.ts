// Names of every exchange and queue on the hub, in one place. `prefix` isolates test runs (or a
// shared vhost) and is prepended to every name, the `events` exchange included.
export const EVENTS_EXCHANGE = 'events';

export interface NameOptions {
  /** Prepended to every exchange and queue name (e.g. `t1234.`); empty in production. */
  prefix?: string;
}

export function exchangeName(opts: NameOptions = {}): string {
  return `${opts.prefix ?? ''}${EVENTS_EXCHANGE}`;
}

export function queueNames(service: string, opts: NameOptions = {}) {
  const base = `${opts.prefix ?? ''}${service}`;
  return {
    work: `${base}.events`,
    retry: [`${base}.retry.1s`, `${base}.retry.2s`, `${base}.retry.4s`] as const,
    dlq: `${base}.dlq`,
  };
}
