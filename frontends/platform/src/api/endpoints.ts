// Typed calls of the edge API, one function per endpoint (see CONTRIBUTING.md "Edge API").
import { api, prefetchedData } from './client.ts';
import type {
  AuditEntry, AuditEventType, AuditSource, ConfigEntry, ConsumingService, CreatePaymentInput, Dashboard, DeadLetter, Page, Payment, PaymentDetail,
  MonitoringRange, MonitoringSeries, PaymentFilters, PaymentView, Profile, ReplayResult, Role, Session, SystemHealth, User,
} from './types.ts';

export const authApi = {
  me: () => api.get<{ user: User }>('/auth/me'),
  sessions: () => api.get<{ items: Session[] }>('/auth/sessions'),
  revokeSession: (id: string) => api.delete<void>(`/auth/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => api.post<{ revoked: number }>('/auth/sessions/revoke-others'),
  wsTicket: () => api.post<{ ticket: string; expiresIn: number }>('/auth/ws-ticket'),
};

/** Rows per page of the payments list (the shell prefetches the first page with it). */
export const PAYMENTS_PAGE_SIZE = 20;

export const paymentsApi = {
  list: (filters: PaymentFilters, signal?: AbortSignal) =>
    api.get<Page<PaymentView>>('/payments', { ...filters, cursor: filters.cursor ?? undefined }, signal),
  /** The same page if the shell's prefetch has already brought it (taken once): for the list's first render. */
  prefetchedList: (filters: PaymentFilters) => prefetchedData<Page<PaymentView>>('/payments', { ...filters, cursor: filters.cursor ?? undefined }),
  get: (id: string) => api.get<PaymentDetail>(`/payments/${encodeURIComponent(id)}`),
  create: (input: CreatePaymentInput, idempotencyKey: string) =>
    api.post<Payment>('/payments', input, { 'idempotency-key': idempotencyKey }),
  cancel: (id: string) => api.post<Payment>(`/payments/${encodeURIComponent(id)}/cancel`),
};

export const profileApi = {
  get: () => api.get<Profile>('/profile/me'),
  update: (patch: Partial<Profile>) => api.patch<Profile>('/profile/me', patch),
};

export interface AuditFilters {
  type?: AuditEventType;
  source?: AuditSource;
  userId?: string;
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
}

export const adminApi = {
  dashboard: () => api.get<Dashboard>('/admin/dashboard'),
  audit: (f: AuditFilters) => api.get<Page<AuditEntry>>('/admin/audit', { ...f, cursor: f.cursor ?? undefined }),
  users: (q: string, cursor?: string | null, limit = 20) =>
    api.get<Page<User>>('/admin/users', { q, cursor: cursor ?? undefined, limit }),
  changeRole: (id: string, role: Role) => api.patch<{ user: User }>(`/admin/users/${encodeURIComponent(id)}`, { role }),
  disableUser: (id: string) => api.post<{ user: User; revokedSessions: number }>(`/admin/users/${encodeURIComponent(id)}/disable`),
  enableUser: (id: string) => api.post<{ user: User }>(`/admin/users/${encodeURIComponent(id)}/enable`),
  config: () => api.get<{ items: ConfigEntry[] }>('/admin/config'),
  putConfig: (key: string, value: unknown) => api.put<ConfigEntry>(`/admin/config/${encodeURIComponent(key)}`, { value }),
  configHistory: (key: string) => api.get<{ items: ConfigEntry[] }>(`/admin/config/${encodeURIComponent(key)}/history`),
  /** Public (no token): the maintenance switch and the banner message the shell shows. */
  publicConfig: () => api.get<{ 'platform.maintenance': boolean; 'platform.banner': string }>('/admin/config/public'),
  health: () => api.get<SystemHealth>('/admin/health'),
  monitoringSeries: (range: MonitoringRange) => api.get<MonitoringSeries>('/admin/monitoring/series', { range }),
  deadLetters: (queue?: ConsumingService) => api.get<{ items: DeadLetter[] }>('/admin/dead-letters', { queue }),
  replayDeadLetters: (queue: ConsumingService, ids?: string[]) => api.post<ReplayResult>('/admin/dead-letters/replay', { queue, ids }),
};
