// Event hub metrics on prom-client's default registry, labelled by service. Get-or-create so
// several relays/consumers in one process (tests, a service consuming and publishing) share them.
import client from 'prom-client';

function getOrCreate<T>(name: string, create: () => T): T {
  return (client.register.getSingleMetric(name) as T | undefined) ?? create();
}

export const eventMetrics = {
  get published() {
    return getOrCreate('events_published_total', () => new client.Counter({ name: 'events_published_total', help: 'Events sent to RabbitMQ (outbox relay, replays)', labelNames: ['service', 'type'] }));
  },
  get confirmed() {
    return getOrCreate('events_confirmed_total', () => new client.Counter({ name: 'events_confirmed_total', help: 'Published events confirmed by the broker', labelNames: ['service', 'type'] }));
  },
  get consumed() {
    return getOrCreate('events_consumed_total', () => new client.Counter({ name: 'events_consumed_total', help: 'Events received by consumers, by result (processed, duplicate, ignored, failed, rejected)', labelNames: ['service', 'type', 'result'] }));
  },
  get retried() {
    return getOrCreate('events_retried_total', () => new client.Counter({ name: 'events_retried_total', help: 'Events sent to a retry queue after a handler failure', labelNames: ['service', 'type'] }));
  },
  get deadLettered() {
    return getOrCreate('events_dead_lettered_total', () => new client.Counter({ name: 'events_dead_lettered_total', help: 'Events sent to the dead-letter queue, by reason', labelNames: ['service', 'reason'] }));
  },
  get handlerDuration() {
    return getOrCreate('events_handler_duration_seconds', () => new client.Histogram({ name: 'events_handler_duration_seconds', help: 'Event handler duration including its inbox transaction', labelNames: ['service', 'type'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] }));
  },
  get consumerLag() {
    return getOrCreate('events_consumer_lag_seconds', () => new client.Histogram({ name: 'events_consumer_lag_seconds', help: 'From the event occurredAt to its handler committing in this consumer (end-to-end delivery lag)', labelNames: ['service', 'type'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] }));
  },
  get outboxLag() {
    return getOrCreate('events_outbox_lag_seconds', () => new client.Gauge({ name: 'events_outbox_lag_seconds', help: 'Age of the oldest unsent outbox row (0 when empty)', labelNames: ['service'] }));
  },
};

/**
 * Creates every event metric now, so /metrics declares each family before its first event (a
 * dead-letter counter that appears only after the first dead letter looks like a missing metric
 * to the dashboards and alert rules shipped with the charts).
 */
export function registerEventMetrics(): void {
  for (const key of Object.keys(Object.getOwnPropertyDescriptors(eventMetrics)) as Array<keyof typeof eventMetrics>) void eventMetrics[key];
}
