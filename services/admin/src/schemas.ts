// Request/response schemas: validation, serialisation and the OpenAPI document in one place.
import { Type } from 'typebox';
import { eventTypes, sources } from '@bank/events';
import { PageQuery, pageOf } from '@bank/kit';
import { ANALYTICS_METRICS } from './domain/analytics.ts';
import { CONSUMING_SERVICES } from './domain/hub.ts';

export { errorsFor } from '@bank/kit';

const strict = { additionalProperties: false } as const;
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const EventTypeName = Type.Enum([...eventTypes]);
const ConsumingService = Type.Enum([...CONSUMING_SERVICES]);
/** Any JSON value (null included). No `type` keyword, so the coercing Ajv leaves it untouched. */
const JsonValue = Type.Unknown({ description: 'Any JSON value' });

// ── audit
export const AuditEntry = Type.Object({
  id: Uuid,
  eventId: Uuid,
  type: Type.String(),
  source: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  occurredAt: DateTime,
  correlationId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export const AuditQuery = Type.Object(
  {
    type: Type.Optional(EventTypeName),
    source: Type.Optional(Type.Enum([...sources])),
    userId: Type.Optional(Uuid),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    ...PageQuery,
  },
  strict,
);
export const AuditPage = pageOf(AuditEntry);

// ── configuration
export const ConfigKeyParams = Type.Object({ key: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$', description: 'e.g. payments.limits, processor.stepDelayMs' }) });
export const ConfigEntry = Type.Object({
  key: Type.String(),
  value: Type.Unknown(),
  version: Type.Integer({ minimum: 1 }),
  updatedAt: DateTime,
  updatedBy: Type.Union([Uuid, Type.Null()]),
});
export const ConfigList = Type.Object({ items: Type.Array(ConfigEntry) });
export const ConfigPut = Type.Object(
  { value: JsonValue, expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: '0 = the key must not exist yet' })) },
  strict,
);

// ── users (proxied to auth: responses are auth's, passed through)
export const UserIdParams = Type.Object({ id: Uuid });
export const UserSearchQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery }, strict);
export const UserPatch = Type.Object(
  { role: Type.Optional(Type.Enum(['ADMIN', 'CUSTOMER', 'VENDOR'])), status: Type.Optional(Type.Enum(['active', 'disabled'])) },
  { ...strict, minProperties: 1 },
);

// ── health
const ServiceHealth = Type.Object({
  name: Type.String(),
  status: Type.Enum(['up', 'down']),
  latencyMs: Type.Union([Type.Integer(), Type.Null()]),
  details: Type.Optional(Type.Unknown()),
});
const Count = Type.Union([Type.Integer(), Type.Null()]);
export const SystemHealth = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  checkedAt: DateTime,
  services: Type.Array(ServiceHealth),
  queues: Type.Array(Type.Object({ name: Type.String(), messages: Count, consumers: Count, error: Type.Optional(Type.String()) })),
  deadLetters: Type.Array(Type.Object({ queue: Type.String(), count: Count, error: Type.Optional(Type.String()) })),
});

// ── dead letters and replay
export const DeadLetterQuery = Type.Object(
  { queue: Type.Optional(ConsumingService), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
  strict,
);
export const DeadLetterList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Union([Type.String(), Type.Null()]),
      queue: Type.String(),
      type: Type.Union([Type.String(), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
      detail: Type.Union([Type.String(), Type.Null()]),
      failedAt: Type.Union([Type.String(), Type.Null()]),
      retries: Type.Integer(),
      publishedBy: Type.Union([Type.String(), Type.Null()]),
      payload: Type.Unknown(),
    }),
  ),
});
export const DeadLetterReplayBody = Type.Object(
  { queue: ConsumingService, ids: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 1000 })) },
  strict,
);
export const ReplayResult = Type.Object({ replayed: Type.Integer(), eventIds: Type.Array(Type.String()), truncated: Type.Optional(Type.Boolean()) });
export const EventReplayBody = Type.Object({ type: EventTypeName, from: DateTime, to: DateTime, target: ConsumingService }, strict);

// ── dashboard
export const Dashboard = Type.Object({
  payments: Type.Object({
    status: Type.Enum(['ok', 'unavailable']),
    byStatus: Type.Array(Type.Object({ status: Type.String(), count: Type.Integer() })),
    byCurrency: Type.Array(
      Type.Object({
        currency: Type.String(),
        count: Type.Integer({ description: 'Completed payments' }),
        amount: Type.Integer({ description: 'Sum of completed amounts, integer minor units' }),
      }),
      { description: 'Completed payments only: failed and cancelled ones never moved money' },
    ),
    detail: Type.Optional(Type.String()),
  }),
  recentActivity: Type.Array(AuditEntry),
});

// ── front-end analytics
/** Up to 8 short string tags with lower-case names (never free-form keys from the browser). */
const AnalyticsTags = Type.Unsafe<Record<string, string>>({
  type: 'object',
  propertyNames: { pattern: '^[a-z][a-z0-9_-]{0,31}$' },
  additionalProperties: { type: 'string', maxLength: 100 },
  maxProperties: 8,
});
export const AnalyticsBatch = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        {
          name: Type.Enum([...ANALYTICS_METRICS]),
          value: Type.Number({ minimum: 0, maximum: 3_600_000 }),
          tags: Type.Optional(AnalyticsTags),
          page: Type.Optional(Type.String({ maxLength: 200 })),
          at: Type.Optional(DateTime),
        },
        strict,
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  strict,
);
export const AnalyticsAccepted = Type.Object({ accepted: Type.Integer() });
export const AnalyticsQuery = Type.Object(
  { from: Type.Optional(DateTime), to: Type.Optional(DateTime), userId: Type.Optional(Type.String({ format: 'uuid', description: "One user's browsers only (support: what did this user experience)" })) },
  strict,
);
export const AnalyticsSummary = Type.Object({
  from: DateTime,
  to: DateTime,
  metrics: Type.Array(
    Type.Object({ name: Type.String(), count: Type.Integer(), avg: Type.Number(), p50: Type.Number(), p75: Type.Number(), p95: Type.Number() }),
  ),
});

// ── configuration read by the shell (public) and by the applying services (internal)
export const PublicConfig = Type.Object(
  { 'platform.maintenance': Type.Boolean(), 'platform.banner': Type.String() },
  { description: 'Public catalogue keys, defaults filled in' },
);
export const AppliedConfigQuery = Type.Object(
  { service: Type.Union([Type.Literal('payments'), Type.Literal('processor'), Type.Literal('shell'), Type.Literal('gateway')]) },
  strict,
);
export const AppliedConfig = Type.Object({
  items: Type.Array(Type.Object({ key: Type.String(), value: Type.Unknown(), version: Type.Integer({ minimum: 0, description: '0 = never set: the default' }) })),
});

// ── monitoring series (the Monitoring page's charts)
const Points = (description: string) => Type.Array(Type.Union([Type.Number(), Type.Null()]), { description: `${description}; null = no data (a gap)` });
export const MonitoringQuery = Type.Object(
  { range: Type.Enum(['15m', '1h', '6h', '24h'], { default: '15m', description: 'How far back the series go' }) },
  strict,
);
export const MonitoringSeries = Type.Object({
  source: Type.Enum(['collector', 'prometheus'], { description: "collector: the admin's own scrapes; prometheus: PROMETHEUS_URL" }),
  range: Type.String(),
  from: DateTime,
  to: DateTime,
  timestamps: Type.Array(Type.Integer(), { description: 'Epoch seconds of each point; every series below is aligned to it' }),
  services: Type.Array(
    Type.Object({
      name: Type.String(),
      requestRate: Points('Requests per second'),
      errorRate: Points('5xx responses per second'),
      p50: Points('Latency p50, ms'),
      p95: Points('Latency p95, ms'),
      p99: Points('Latency p99, ms'),
    }),
  ),
  queues: Type.Array(
    Type.Object({
      name: Type.String({ description: 'Consuming service: queue <name>.events, dead letters <name>.dlq' }),
      depth: Points('Messages waiting'),
      deadLetters: Points('Messages in the dead-letter queue'),
      lagSeconds: Points('Seconds to drain the queue at the current consumption rate (0 = empty)'),
    }),
  ),
  websocketConnections: Points('Open WebSocket connections on the gateway'),
  cacheHitRatio: Points('Cache hits / reads over every service, 0..1'),
  paymentsPerMinute: Type.Object({ created: Points('Created per minute'), completed: Points('Completed per minute'), failed: Points('Failed per minute') }),
  webVitals: Type.Array(
    Type.Object({ page: Type.String(), name: Type.String(), count: Type.Integer(), p75: Type.Number() }),
    { description: 'Web vitals p75 per page over the range, from the browsers\' analytics' },
  ),
});
