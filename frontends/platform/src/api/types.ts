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

export interface PaymentTransaction {
  id: string;
  fromStatus: PaymentStatus | null;
  toStatus: PaymentStatus;
  reason: string | null;
  createdAt: string;
}

export interface PaymentDetail extends Payment {
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

export interface AuditEntry {
  id: string;
  eventId: string;
  type: string;
  source: string;
  userId: string | null;
  occurredAt: string;
  correlationId: string | null;
  data: unknown;
}

export interface Dashboard {
  payments: {
    byStatus: { status: string; count: number }[];
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

export interface SystemHealth {
  status: string;
  services: { name: string; status: string; latencyMs: number | null; details?: unknown }[];
  queues: { name: string; messages: number; consumers: number }[];
  deadLetters: { queue: string; count: number }[];
}

export interface DeadLetter {
  id: string;
  queue?: string;
  type?: string;
  routingKey?: string;
  reason?: string;
  failedAt?: string;
  payload?: unknown;
  [key: string]: unknown;
}
