// Wire types of the edge API (CONTRIBUTING.md "Edge API"). Kept in one place so every remote
// reads the same shapes.
export type Role = 'ADMIN' | 'CUSTOMER' | 'VENDOR';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: string;
  createdAt: string;
}

export interface SignInResponse {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
  user: User;
}

export interface Session {
  id: string;
  deviceId: string | null;
  deviceName: string | null;
  deviceType: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

export type PaymentStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type PaymentType = 'instant' | 'scheduled' | 'recurring';

export interface Payment {
  id: string;
  senderId: string;
  recipientId: string | null;
  recipientEmail: string | null;
  amount: number;
  currency: string;
  type: PaymentType;
  description: string | null;
  status: PaymentStatus;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PaymentParty {
  id: string;
  /** Null while payments' replica of users has not heard of them. */
  name: string | null;
  email: string | null;
}
export type PaymentDirection = 'sent' | 'received';

/** A payment as the reader sees it (GET /payments, /payments/:id). */
export interface PaymentView extends Payment {
  sender: PaymentParty;
  recipient: PaymentParty;
  /** Null when the reader is neither party (an admin looking at others' payments). */
  direction: PaymentDirection | null;
  counterparty: PaymentParty | null;
}

export interface PaymentTransaction {
  id: string;
  fromStatus: PaymentStatus | null;
  toStatus: PaymentStatus;
  reason: string | null;
  createdAt: string;
}

export interface PaymentDetail extends PaymentView {
  transactions: PaymentTransaction[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CreatePaymentInput {
  recipientEmail?: string;
  recipientId?: string;
  amount: number;
  currency: string;
  type: PaymentType;
  description?: string;
}

export interface PaymentFilters {
  direction?: PaymentDirection | 'all';
  status?: PaymentStatus | '';
  from?: string;
  to?: string;
  minAmount?: number;
  maxAmount?: number;
  cursor?: string | null;
  limit?: number;
}

export type Theme = 'light' | 'dark' | 'system';

export interface Preferences {
  theme: Theme;
  locale: string;
  notifications: { email: boolean; sms: boolean; push: boolean };
  /** Front-end analytics and web vitals may be sent (false = opted out). */
  analytics: boolean;
}

export interface Address {
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
}

export interface Profile {
  userId?: string;
  displayName: string | null;
  /** E.164, e.g. +447700900123 */
  phone: string | null;
  address: Address | null;
  bio: string | null;
  avatarUrl: string | null;
  preferences: Preferences;
}

/** Event types the audit log can be filtered by (the event hub's catalogue; GET /admin/audit?type= accepts only these). */
export const AUDIT_EVENT_TYPES = [
  'auth.user.registered', 'auth.user.login', 'auth.user.logout', 'auth.user.updated', 'auth.user.disabled',
  'auth.session.created', 'auth.session.revoked', 'auth.login.failed',
  'payments.payment.created', 'payments.payment.updated', 'payments.payment.completed', 'payments.payment.failed', 'payments.payment.cancelled',
  'payments.schedule.created', 'payments.schedule.paused', 'payments.schedule.resumed', 'payments.schedule.cancelled',
  'admin.config.updated', 'profile.profile.updated',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
/** Publishers (GET /admin/audit?source=). */
export const AUDIT_SOURCES = ['auth', 'payments', 'admin', 'profile'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export interface AuditEntry {
  id: string;
  eventId: string;
  type: string;
  source: string;
  userId: string | null;
  occurredAt: string;
  correlationId: string | null;
  data: Record<string, unknown>;
}

export interface Dashboard {
  payments: {
    /** `unavailable` when the payments service could not be asked (figures are then empty). */
    status: 'ok' | 'unavailable';
    detail?: string;
    byStatus: { status: string; count: number }[];
    /** amount: integer minor units (e.g. cents) */
    /** Completed payments only (amount in minor units). */
    byCurrency: { currency: string; count: number; amount: number }[];
  };
  recentActivity: AuditEntry[];
}

export interface ConfigEntry {
  key: string;
  value: unknown;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

/** Queue figures are null (with `error`) when the queue could not be inspected, e.g. it does not exist. */
export interface SystemHealth {
  status: 'ok' | 'degraded';
  checkedAt: string;
  services: { name: string; status: 'up' | 'down'; latencyMs: number | null; details?: unknown }[];
  queues: { name: string; messages: number | null; consumers: number | null; error?: string }[];
  /** queue is the dead-letter queue's name, e.g. `payments.dlq`. */
  deadLetters: { queue: string; count: number | null; error?: string }[];
}

/** GET /admin/monitoring/series: every series is aligned to `timestamps` (epoch seconds); null = gap. */
export type MonitoringRange = '15m' | '1h' | '6h' | '24h';
export type SeriesPoints = (number | null)[];
export interface MonitoringSeries {
  source: 'collector' | 'prometheus';
  range: MonitoringRange;
  from: string;
  to: string;
  timestamps: number[];
  services: { name: string; requestRate: SeriesPoints; errorRate: SeriesPoints; p50: SeriesPoints; p95: SeriesPoints; p99: SeriesPoints }[];
  queues: { name: string; depth: SeriesPoints; deadLetters: SeriesPoints; lagSeconds: SeriesPoints }[];
  websocketConnections: SeriesPoints;
  cacheHitRatio: SeriesPoints;
  paymentsPerMinute: { created: SeriesPoints; completed: SeriesPoints; failed: SeriesPoints };
  /** p75 per page of each web vital (`web-vital.lcp` …) over the range. */
  webVitals: { page: string; name: string; count: number; p75: number }[];
}

/** Services whose work queues have dead-letter queues (GET /admin/dead-letters?queue=, POST …/replay). */
export const CONSUMING_SERVICES = ['admin', 'gateway', 'payments', 'profile'] as const;
export type ConsumingService = (typeof CONSUMING_SERVICES)[number];

export interface DeadLetter {
  /** The event id; null when the dead message carried none. */
  id: string | null;
  /** The service whose queue it died in, e.g. `payments`. */
  queue: string;
  type: string | null;
  reason: string | null;
  detail: string | null;
  failedAt: string | null;
  retries: number;
  publishedBy: string | null;
  payload: unknown;
}

export interface ReplayResult {
  replayed: number;
  eventIds: string[];
  truncated?: boolean;
}
