// Typed calls of /api/payments/schedules (scheduled and recurring payments). Kept in this remote:
// only the payments remote uses them.
import { api, type Page, type Payment } from '@bank/platform';

export type ScheduleType = 'scheduled' | 'recurring';
export type Frequency = 'weekly' | 'monthly';
export type ScheduleStatus = 'active' | 'paused' | 'cancelled' | 'completed';

export interface Occurrence {
  index: number;
  /** YYYY-MM-DD in the schedule's time zone. */
  date: string;
  dueAt: string;
}

export interface Schedule {
  id: string;
  senderId: string;
  recipientId: string;
  recipientEmail: string;
  amount: number;
  currency: string;
  description: string | null;
  type: ScheduleType;
  frequency: Frequency | null;
  timeZone: string;
  startDate: string;
  endDate: string | null;
  count: number | null;
  status: ScheduleStatus;
  occurrencesDone: number;
  nextRunAt: string | null;
  upcoming: Occurrence[];
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleDetail extends Schedule {
  payments: Payment[];
}

export interface CreateScheduleInput {
  recipientEmail: string;
  amount: number;
  currency: string;
  description?: string;
  type: ScheduleType;
  executionDate?: string;
  frequency?: Frequency;
  startDate?: string;
  endDate?: string;
  count?: number;
  timeZone: string;
}

const path = (id: string, action = '') => `/payments/schedules/${encodeURIComponent(id)}${action}`;

export const schedulesApi = {
  list: (cursor: string | null, signal?: AbortSignal) => api.get<Page<Schedule>>('/payments/schedules', { limit: 20, cursor: cursor ?? undefined }, signal),
  get: (id: string) => api.get<ScheduleDetail>(path(id), { upcoming: 5 }),
  create: (input: CreateScheduleInput, idempotencyKey: string) => api.post<Schedule>('/payments/schedules', input, { 'idempotency-key': idempotencyKey }),
  pause: (id: string) => api.post<Schedule>(path(id, '/pause')),
  resume: (id: string) => api.post<Schedule>(path(id, '/resume')),
  cancel: (id: string) => api.post<Schedule>(path(id, '/cancel')),
};

/** The browser's IANA time zone: schedule dates are the sender's local dates. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Today's date (YYYY-MM-DD) in the browser's time zone. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `date` plus one year (Feb 29 → Feb 28), the furthest execution/start date the API accepts. */
export function oneYearAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
