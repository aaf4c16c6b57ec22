// Request/response schemas: validation, serialisation and the OpenAPI document in one place.
import { Type } from 'typebox';
import { PageQuery, pageOf } from '@bank/kit';
import { IDEMPOTENCY_KEY_PATTERN } from './domain/idempotency.ts';
import { MAX_AMOUNT_MINOR } from './domain/money.ts';

export { errorsFor } from '@bank/kit';

const Uuid = Type.String({ format: 'uuid' });
const Status = Type.Enum(['pending', 'processing', 'completed', 'failed', 'cancelled']);
const PaymentType = Type.Enum(['instant', 'scheduled', 'recurring']);
const AmountMinor = Type.Integer({ minimum: 1, maximum: MAX_AMOUNT_MINOR, description: 'Integer minor units (1050 = 10.50 EUR)' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, upper case' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const Payment = Type.Object({
  id: Uuid,
  senderId: Uuid,
  recipientId: Uuid,
  recipientEmail: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  type: PaymentType,
  description: Nullable(Type.String()),
  status: Status,
  failureReason: Nullable(Type.String()),
  scheduleId: Type.Union([Uuid, Type.Null()], { description: 'The schedule this payment is an occurrence of' }),
  occurrenceIndex: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: '0-based occurrence number within its schedule' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PaymentTransaction = Type.Object({
  id: Uuid,
  fromStatus: Type.Union([Status, Type.Null()]),
  toStatus: Status,
  reason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

const Party = Type.Object({
  id: Uuid,
  name: Type.Union([Type.String(), Type.Null()], { description: 'Null while the user is unknown to payments’ replica' }),
  email: Type.Union([Type.String(), Type.Null()]),
});
/** A payment as its reader sees it: both parties by name, and which side the reader is on. */
const PaymentView = {
  sender: Party,
  recipient: Party,
  direction: Type.Union([Type.Enum(['sent', 'received']), Type.Null()], { description: 'Seen from the caller; null when the caller is neither party (admins)' }),
  counterparty: Type.Union([Party, Type.Null()], { description: 'The other party; null when the caller is neither party' }),
};
export const PaymentListItem = Type.Object({ ...Payment.properties, ...PaymentView });
export const PaymentWithTransactions = Type.Object({ ...Payment.properties, ...PaymentView, transactions: Type.Array(PaymentTransaction) });

export const CreatePaymentBody = Type.Object(
  {
    recipientId: Type.Optional(Uuid),
    recipientEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    amount: AmountMinor,
    currency: Currency,
    type: PaymentType,
    // No control characters: descriptions end up in statements, logs and UIs.
    description: Type.Optional(Type.String({ maxLength: 280, pattern: '^[^\\u0000-\\u001f\\u007f]*$' })),
  },
  { additionalProperties: false },
);

export const CreatePaymentHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN, description: 'Required. 8–255 printable characters, e.g. a UUID; one per payment attempt' }),
  ),
});

export const PaymentListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    currency: Type.Optional(Currency),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'createdAt ≥ from' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'createdAt < to' })),
    minAmount: Type.Optional(AmountMinor),
    maxAmount: Type.Optional(AmountMinor),
    direction: Type.Optional(Type.Enum(['sent', 'received', 'all'], { description: 'Payments the caller sent, received, or both (default all; for admins all = everyone’s)' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export const PaymentPage = pageOf(PaymentListItem);

export const IdParams = Type.Object({ id: Uuid });

export const PaymentStats = Type.Object({
  byStatus: Type.Array(Type.Object({ status: Status, count: Type.Integer() })),
  byCurrency: Type.Array(
    Type.Object({
      currency: Type.String(),
      count: Type.Integer(),
      amount: Type.String({ description: 'Sum of all amounts, integer minor units as a decimal string (may exceed 2^53)' }),
      completedAmount: Type.String({ description: 'Sum of completed amounts, integer minor units as a decimal string' }),
      completedCount: Type.Integer({ description: 'Completed payments in this currency' }),
    }),
  ),
});

// Scheduled and recurring payments (routes/schedules.ts, domain/schedule.ts).
const LocalDate = Type.String({ format: 'date', description: 'YYYY-MM-DD in the schedule time zone' });
const ScheduleStatus = Type.Enum(['active', 'paused', 'cancelled', 'completed']);
const Frequency = Type.Enum(['weekly', 'monthly']);

export const CreateScheduleBody = Type.Object(
  {
    recipientId: Type.Optional(Uuid),
    recipientEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    amount: AmountMinor,
    currency: Currency,
    description: Type.Optional(Type.String({ maxLength: 280, pattern: '^[^\\u0000-\\u001f\\u007f]*$' })),
    type: Type.Enum(['scheduled', 'recurring']),
    executionDate: Type.Optional({ ...LocalDate, description: 'scheduled: the day it runs (not in the past, within a year)' }),
    frequency: Type.Optional(Frequency),
    startDate: Type.Optional({ ...LocalDate, description: 'recurring: first occurrence (not in the past, within a year)' }),
    endDate: Type.Optional({ ...LocalDate, description: 'recurring: last allowed date, inclusive (or give count)' }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 520, description: 'recurring: number of occurrences (or give endDate)' })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the sender, default UTC' })),
  },
  { additionalProperties: false },
);

const Occurrence = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  date: LocalDate,
  dueAt: Type.String({ format: 'date-time', description: 'local midnight of `date` in the schedule time zone' }),
});

export const Schedule = Type.Object({
  id: Uuid,
  senderId: Uuid,
  recipientId: Uuid,
  recipientEmail: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  description: Nullable(Type.String()),
  type: Type.Enum(['scheduled', 'recurring']),
  frequency: Type.Union([Frequency, Type.Null()]),
  timeZone: Type.String(),
  startDate: LocalDate,
  endDate: Type.Union([LocalDate, Type.Null()]),
  count: Type.Union([Type.Integer(), Type.Null()]),
  status: ScheduleStatus,
  statusReason: Type.Union([Type.String(), Type.Null()], { description: "why the system set the status: 'sender-disabled' = paused because auth disabled the sender (resume to run again); null = changed by the sender or an admin" }),
  occurrencesDone: Type.Integer({ description: 'occurrences created (or skipped on resume) so far' }),
  nextRunAt: Nullable(Type.String({ format: 'date-time' })),
  upcoming: Type.Array(Occurrence),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const ScheduleWithPayments = Type.Object({ ...Schedule.properties, payments: Type.Array(Payment) });
export const SchedulePage = pageOf(Schedule);
export const ScheduleListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const ScheduleQuery = Type.Object(
  { upcoming: Type.Optional(Type.Integer({ minimum: 0, maximum: 24, default: 5, description: 'how many upcoming occurrences' })) },
  { additionalProperties: false },
);
