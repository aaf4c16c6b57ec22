// The GraphQL schema (SDL). The gateway resolves it over the services' REST APIs, so the types
// mirror their response schemas (services/payments/src/schemas.ts, services/auth/src/schemas.ts).
// docs/graphql.graphql is this schema printed (npm run graphql:schema -w @bank/gateway); a test
// fails when the two differ.
export const typeDefs = /* GraphQL */ `
  "Integer minor units of a currency (1050 = 10.50 EUR); up to 10^12, so beyond GraphQL's 32-bit Int."
  scalar MinorUnits

  enum Role {
    ADMIN
    CUSTOMER
    VENDOR
  }

  enum UserStatus {
    active
    disabled
  }

  "The signed-in user (GET /api/auth/me)."
  type User {
    id: ID!
    email: String!
    name: String!
    role: Role!
    status: UserStatus!
    createdAt: String!
  }

  enum PaymentStatus {
    pending
    processing
    completed
    failed
    cancelled
  }

  enum PaymentType {
    instant
    scheduled
    recurring
  }

  type PaymentTransaction {
    id: ID!
    fromStatus: PaymentStatus
    toStatus: PaymentStatus!
    reason: String
    createdAt: String!
  }

  type Payment {
    id: ID!
    senderId: ID!
    recipientId: ID!
    recipientEmail: String!
    amount: MinorUnits!
    currency: String!
    type: PaymentType!
    description: String
    status: PaymentStatus!
    failureReason: String
    scheduleId: ID
    occurrenceIndex: Int
    createdAt: String!
    updatedAt: String!
    "The schedule this payment is an occurrence of (batched: one upstream call per distinct schedule per request)."
    schedule: Schedule
    "Status history (only fetched by payment(id); empty in lists)."
    transactions: [PaymentTransaction!]!
  }

  type PaymentPage {
    items: [Payment!]!
    "Pass as after to get the next page; null on the last page."
    nextCursor: String
  }

  input PaymentFilter {
    status: PaymentStatus
    currency: String
    "createdAt >= from (ISO date-time)"
    from: String
    "createdAt < to (ISO date-time)"
    to: String
    minAmount: MinorUnits
    maxAmount: MinorUnits
  }

  enum ScheduleStatus {
    active
    paused
    cancelled
    completed
  }

  enum Frequency {
    weekly
    monthly
  }

  type Occurrence {
    index: Int!
    date: String!
    dueAt: String!
  }

  type Schedule {
    id: ID!
    senderId: ID!
    recipientId: ID!
    recipientEmail: String!
    amount: MinorUnits!
    currency: String!
    description: String
    type: PaymentType!
    frequency: Frequency
    timeZone: String!
    startDate: String!
    endDate: String
    count: Int
    status: ScheduleStatus!
    "Why the schedule is paused when the system paused it (e.g. sender disabled); null otherwise."
    statusReason: String
    occurrencesDone: Int!
    nextRunAt: String
    upcoming: [Occurrence!]!
    createdAt: String!
    updatedAt: String!
  }

  type SchedulePage {
    items: [Schedule!]!
    nextCursor: String
  }

  input CreatePaymentInput {
    recipientId: ID
    recipientEmail: String
    amount: MinorUnits!
    currency: String!
    type: PaymentType!
    description: String
  }

  type Query {
    "The signed-in user."
    me: User!
    "My payments (sent or received); every payment for admins. Newest first."
    payments(filter: PaymentFilter, first: Int = 20, after: String): PaymentPage!
    "One payment with its history; null error PAYMENTS_NOT_FOUND when it is not yours."
    payment(id: ID!): Payment
    "My schedules (as sender); every schedule for admins."
    schedules(first: Int = 20, after: String): SchedulePage!
  }

  type Mutation {
    """
    Create a payment. idempotencyKey is required: this argument, or the Idempotency-Key header of
    the HTTP request when the argument is omitted (the argument wins). Same key and body = the
    same payment, replayed.
    """
    createPayment(input: CreatePaymentInput!, idempotencyKey: String): Payment!
    "Cancel a pending payment (its sender or an admin)."
    cancelPayment(id: ID!): Payment!
  }

  type Subscription {
    "Every change of a payment I send or receive (all payments for admins), from the same event bridge as /ws."
    paymentUpdated: PaymentEvent!
  }

  type PaymentEvent {
    "payment:created, payment:updated, payment:completed, payment:failed or payment:cancelled"
    type: String!
    paymentId: ID!
    status: PaymentStatus
    senderId: ID!
    recipientId: ID!
    amount: MinorUnits
    currency: String
    occurredAt: String!
    eventId: ID!
  }
`;
