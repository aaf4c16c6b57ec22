// WebSocket metrics on the default registry (served by the kit at /metrics).
import { metric, prom } from '@bank/kit';

export const wsMetrics = () => ({
  open: metric('ws_connections_open', () => new prom.Gauge({ name: 'ws_connections_open', help: 'Open WebSocket connections on this gateway process' })),
  messagesIn: metric(
    'ws_messages_in_total',
    () => new prom.Counter({ name: 'ws_messages_in_total', help: 'Client messages received, by result (accepted, invalid, rate-limited, too-big)', labelNames: ['result'] }),
  ),
  messagesOut: metric(
    'ws_messages_out_total',
    () => new prom.Counter({ name: 'ws_messages_out_total', help: 'Server messages written to sockets, by type', labelNames: ['type'] }),
  ),
  dropped: metric(
    'ws_messages_dropped_total',
    () =>
      new prom.Counter({
        name: 'ws_messages_dropped_total',
        help: 'Server messages not delivered, by reason (backpressure, closed, invalid-event, unauthorised-source)',
        labelNames: ['reason'],
      }),
  ),
  deliveryLatency: metric(
    'ws_delivery_latency_seconds',
    () =>
      new prom.Histogram({
        name: 'ws_delivery_latency_seconds',
        help: 'From the event occurredAt to the message being written to the sockets',
        labelNames: ['type'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  ),
});

export type WsMetrics = ReturnType<typeof wsMetrics>;
