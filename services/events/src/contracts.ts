// The event catalogue: one TypeBox schema per `type@version`, shared by publishers (validate
// before the outbox insert) and consumers (validate on receipt). Contracts are strict
// (additionalProperties: false): a breaking or additive change is a new version, so both sides
// always agree on the exact shape.
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

const Uuid = Type.String({ format: 'uuid' });
const Text = Type.String({ minLength: 1, maxLength: 500 });
const Ip = Type.String({ minLength: 1, maxLength: 64 });
const Role = Type.Union([Type.Literal('ADMIN'), Type.Literal('CUSTOMER'), Type.Literal('VENDOR')]);
const UserStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
const strict = { additionalProperties: false } as const;

const UserRegistered = Type.Object(
  { userId: Uuid, email: Type.String({ format: 'email' }), name: Text, role: Role },
  strict,
);
const UserLogin = Type.Object({ userId: Uuid, sessionId: Uuid, deviceId: Text, ip: Ip }, strict);
const UserLogout = Type.Object({ userId: Uuid, sessionId: Uuid }, strict);
const UserUpdated = Type.Object(
  { userId: Uuid, email: Type.String({ format: 'email' }), name: Text, role: Role, status: UserStatus },
  strict,
);
const UserDisabled = Type.Object({ userId: Uuid }, strict);
const SessionCreated = Type.Object({ userId: Uuid, sessionId: Uuid, deviceId: Text, deviceName: Text }, strict);
const SessionRevoked = Type.Object(
  { userId: Uuid, sessionId: Uuid, reason: Text, expiresAt: Type.String({ format: 'date-time' }) },
  strict,
);
const LoginFailed = Type.Object({ email: Type.String({ maxLength: 320 }), ip: Ip, reason: Text }, strict);

const PaymentStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('processing'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
// userId = the payment's owner (its sender), so the audit log can filter every event by user.
const Payment = Type.Object(
  {
    paymentId: Uuid,
    userId: Uuid,
    senderId: Uuid,
    recipientId: Uuid,
    amount: Type.Integer({ minimum: 1 }), // minor units, never floats
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    status: PaymentStatus,
    type: Type.Union([Type.Literal('instant'), Type.Literal('scheduled'), Type.Literal('recurring')]),
    failureReason: Type.Optional(Type.Union([Text, Type.Null()])),
  },
  strict,
);
// userId = the schedule's owner (its sender). nextRunAt: when the next occurrence is due (null:
// nothing left to run, or paused/cancelled).
const Schedule = Type.Object(
  {
    scheduleId: Uuid,
    userId: Uuid,
    senderId: Uuid,
    recipientId: Uuid,
    amount: Type.Integer({ minimum: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    type: Type.Union([Type.Literal('scheduled'), Type.Literal('recurring')]),
    frequency: Type.Union([Type.Literal('weekly'), Type.Literal('monthly'), Type.Null()]),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    startDate: Type.String({ format: 'date' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('cancelled'), Type.Literal('completed')]),
    nextRunAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  strict,
);
// userId = the admin who changed the key (same as updatedBy).
const ConfigUpdated = Type.Object(
  { key: Text, version: Type.Integer({ minimum: 1 }), updatedBy: Uuid, userId: Uuid },
  strict,
);
// userId = the user the audited event concerned, when there is one.
const AuditCreated = Type.Object(
  { auditId: Uuid, eventId: Uuid, eventType: Text, userId: Type.Optional(Type.Union([Uuid, Type.Null()])) },
  strict,
);
const ProfileUpdated = Type.Object(
  { userId: Uuid, fields: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1 }) },
  strict,
);

/**
 * Every event type@version of the platform: its data schema, who consumes it (the gateway takes
 * every audited type: its WebSocket bridge announces each to admins as `admin:audit-created`, and
 * forwards some to users too, see gateway src/ws/event-routing.ts), and its aggregate —
 * the entity whose events must reach every consumer in the order they were written (the relay and
 * the consumers keep that order per `aggregate.type` + `data[aggregate.key]`). The key is declared
 * here, per type, rather than guessed from field names: a user's sessions, logins and updates are
 * ordered per user, a payment's lifecycle per payment, a schedule's per schedule.
 */
export const catalogue = {
  'auth.user.registered@1': { schema: UserRegistered, consumers: ['payments', 'profile', 'admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.user.login@1': { schema: UserLogin, consumers: ['admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.user.logout@1': { schema: UserLogout, consumers: ['admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.user.updated@1': { schema: UserUpdated, consumers: ['payments', 'profile', 'admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.user.disabled@1': { schema: UserDisabled, consumers: ['payments', 'admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.session.created@1': { schema: SessionCreated, consumers: ['admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.session.revoked@1': { schema: SessionRevoked, consumers: ['admin', 'gateway'], aggregate: { type: 'user', key: 'userId' } },
  'auth.login.failed@1': { schema: LoginFailed, consumers: ['admin', 'gateway'], aggregate: { type: 'login', key: 'email' } },
  'payments.payment.created@1': { schema: Payment, consumers: ['payments', 'admin', 'gateway'], aggregate: { type: 'payment', key: 'paymentId' } },
  'payments.payment.updated@1': { schema: Payment, consumers: ['admin', 'gateway'], aggregate: { type: 'payment', key: 'paymentId' } },
  'payments.payment.completed@1': { schema: Payment, consumers: ['admin', 'gateway'], aggregate: { type: 'payment', key: 'paymentId' } },
  'payments.payment.failed@1': { schema: Payment, consumers: ['admin', 'gateway'], aggregate: { type: 'payment', key: 'paymentId' } },
  'payments.payment.cancelled@1': { schema: Payment, consumers: ['admin', 'gateway'], aggregate: { type: 'payment', key: 'paymentId' } },
  'payments.schedule.created@1': { schema: Schedule, consumers: ['admin', 'gateway'], aggregate: { type: 'schedule', key: 'scheduleId' } },
  'payments.schedule.paused@1': { schema: Schedule, consumers: ['admin', 'gateway'], aggregate: { type: 'schedule', key: 'scheduleId' } },
  'payments.schedule.resumed@1': { schema: Schedule, consumers: ['admin', 'gateway'], aggregate: { type: 'schedule', key: 'scheduleId' } },
  'payments.schedule.cancelled@1': { schema: Schedule, consumers: ['admin', 'gateway'], aggregate: { type: 'schedule', key: 'scheduleId' } },
  'admin.config.updated@1': { schema: ConfigUpdated, consumers: ['payments', 'gateway'], aggregate: { type: 'config', key: 'key' } },
  // No longer published: the gateway tells admins about new audit entries from the original events
  // (docs/events.md). Kept so that rows written before that change still validate and relay.
  'admin.audit.created@1': { schema: AuditCreated, consumers: [], aggregate: { type: 'audit', key: 'auditId' } },
  'profile.profile.updated@1': { schema: ProfileUpdated, consumers: ['admin', 'gateway'], aggregate: { type: 'profile', key: 'userId' } },
} as const satisfies Record<string, { schema: TSchema; consumers: readonly string[]; aggregate: { type: string; key: string } }>;

export type EventKey = keyof typeof catalogue;
/** `auth.user.registered` … (the type part of every catalogue key). */
export type EventType = EventKey extends `${infer T}@${number}` ? T : never;
/** Latest version of each type (all are 1 today; bump here when adding `@2`). */
export const latestVersion: Record<EventType, number> = Object.fromEntries(
  Object.keys(catalogue).map((key) => {
    const [type, version] = key.split('@') as [string, string];
    return [type, Number(version)];
  }),
) as Record<EventType, number>;
/** Data of an event type at its version 1 (the only version of every type today). */
export type EventData<T extends EventType> = Static<(typeof catalogue)[`${T}@1`]['schema']>;

export const eventTypes = Object.keys(latestVersion) as EventType[];

/** Services that publish events (the envelope's `source`). */
export const sources = ['auth', 'payments', 'admin', 'profile'] as const;
export type Source = (typeof sources)[number];

/**
 * Who may publish what: a source may publish only types under its own prefix. Consumers check this
 * and that the broker-validated AMQP user-id belongs to that source (see authorization.ts).
 */
export const publishPrefixes: Record<Source, readonly string[]> = {
  auth: ['auth.'],
  payments: ['payments.'],
  admin: ['admin.'],
  profile: ['profile.'],
};

export function mayPublish(source: string, type: string): boolean {
  const prefixes = publishPrefixes[source as Source];
  return prefixes !== undefined && prefixes.some((prefix) => type.startsWith(prefix));
}

/** Consuming services of a type (from the catalogue), e.g. for documentation and topology. */
export function consumersOf(type: EventType): readonly string[] {
  return catalogue[`${type}@${latestVersion[type]}` as EventKey].consumers;
}

/** Types a service consumes according to the catalogue (its default queue bindings). */
export function typesConsumedBy(service: string): EventType[] {
  return eventTypes.filter((type) => consumersOf(type).includes(service));
}

/** Aggregate declaration of `type@version` (undefined for an unknown type). */
export function aggregateDeclaration(type: string, version: number): { type: string; key: string } | undefined {
  return (catalogue as Record<string, { aggregate: { type: string; key: string } }>)[`${type}@${version}`]?.aggregate;
}

const validators = new Map(
  Object.entries(catalogue).map(([key, entry]) => [key, Compile(entry.schema as TSchema)]),
);

export type DataCheck = { ok: true } | { ok: false; reason: 'unknown-type'; detail: string } | { ok: false; reason: 'schema-invalid'; detail: string };

/** Checks `data` against the contract of `type@version`. */
export function checkData(type: string, version: number, data: unknown): DataCheck {
  const validator = validators.get(`${type}@${version}`);
  if (!validator) return { ok: false, reason: 'unknown-type', detail: `no contract for ${type}@${version}` };
  if (validator.Check(data)) return { ok: true };
  const detail = [...validator.Errors(data)]
    .slice(0, 5)
    .map((error) => `${error.instancePath || '/'} ${error.message}`)
    .join('; ');
  return { ok: false, reason: 'schema-invalid', detail };
}
