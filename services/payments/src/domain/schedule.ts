// Scheduled and recurring payments, pure rules: which local dates a schedule runs on, when each
// occurrence is due (local midnight in the sender's IANA time zone, as a UTC instant), and the
// checks made when a schedule is created. No I/O: the scheduler and the API both call these.
//
// Dates are ISO calendar dates (`YYYY-MM-DD`) in the schedule's time zone. Occurrence n:
//   scheduled: only n = 0, on the execution date;
//   weekly:    start + 7n days;
//   monthly:   the start's day of month, n months later, clamped to the month's last day
//              (a schedule started on the 31st runs on Feb 28/29, Apr 30, then Mar 31 again).
import { IllegalScheduleTransition, InvalidSchedule, InvalidTimeZone } from './errors.ts';

export const SCHEDULE_KINDS = ['scheduled', 'recurring'] as const;
export const FREQUENCIES = ['weekly', 'monthly'] as const;
export const SCHEDULE_STATUSES = ['active', 'paused', 'cancelled', 'completed'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export type Frequency = (typeof FREQUENCIES)[number];
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** The part of a schedule that decides its dates. */
export interface ScheduleRule {
  kind: ScheduleKind;
  frequency: Frequency | null;
  timeZone: string;
  /** Execution date (scheduled) or first date (recurring). */
  startDate: string;
  /** Last allowed date, inclusive (recurring only). */
  endDate: string | null;
  /** Number of occurrences (recurring only). */
  count: number | null;
}

/** A recurring schedule without an end date or count still stops here (about ten years weekly). */
export const MAX_OCCURRENCES = 520;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw InvalidSchedule(`${date} is not a YYYY-MM-DD date`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw InvalidSchedule(`${date} is not a calendar date`);
  }
  return [y, mo, d];
}

const format = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** `months` after `date`, on `anchorDay` clamped to the last day of the target month. */
export function addMonthsClamped(date: string, months: number, anchorDay?: number): string {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  return format(ty, tm, Math.min(anchorDay ?? d, daysInMonth(ty, tm)));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timeZone: string) {
  const get = (type: string) => Number(formatter(timeZone).formatToParts(new Date(instant)).find((p) => p.type === type)!.value);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** The calendar date of `now` in `timeZone`. */
export function localDate(now: Date, timeZone: string): string {
  const w = wallClock(now.getTime(), timeZone);
  return format(w.y, w.m, w.d);
}

/**
 * The UTC instant of local midnight of `date` in `timeZone` (or the first instant of that day
 * when a DST change skips midnight).
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = parts(date);
  const target = Date.UTC(y, m - 1, d);
  let guess = target;
  // Two corrections converge for every real zone (the offset can change once around midnight).
  for (let i = 0; i < 3; i++) {
    const w = wallClock(guess, timeZone);
    const diff = Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - target;
    if (diff === 0) break;
    guess -= diff;
  }
  // A skipped midnight lands on the previous day: move to the first instant of `date`.
  if (localDate(new Date(guess), timeZone) < date) guess += 3_600_000;
  return new Date(guess);
}

/** The local date of occurrence `index`, or null when the schedule has no such occurrence. */
export function occurrenceDate(rule: ScheduleRule, index: number): string | null {
  if (index < 0) return null;
  if (rule.kind === 'scheduled') return index === 0 ? rule.startDate : null;
  if (index >= (rule.count ?? MAX_OCCURRENCES)) return null;
  const date = rule.frequency === 'weekly' ? addDays(rule.startDate, 7 * index) : addMonthsClamped(rule.startDate, index);
  if (rule.endDate !== null && date > rule.endDate) return null;
  return date;
}

export interface Occurrence {
  index: number;
  date: string;
  dueAt: Date;
}

export function occurrence(rule: ScheduleRule, index: number): Occurrence | null {
  const date = occurrenceDate(rule, index);
  return date === null ? null : { index, date, dueAt: startOfLocalDay(date, rule.timeZone) };
}

/** Up to `n` occurrences from `fromIndex` on. */
export function upcoming(rule: ScheduleRule, fromIndex: number, n: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (let i = fromIndex; out.length < n; i++) {
    const next = occurrence(rule, i);
    if (!next) break;
    out.push(next);
  }
  return out;
}

/** Index of the first occurrence dated `today` or later (resume skips the ones missed while paused). */
export function firstIndexOnOrAfter(rule: ScheduleRule, fromIndex: number, today: string): number {
  let i = fromIndex;
  for (;;) {
    const date = occurrenceDate(rule, i);
    if (date === null || date >= today) return i;
    i++;
  }
}

export interface ScheduleRequest {
  type: ScheduleKind;
  executionDate?: string;
  frequency?: Frequency;
  startDate?: string;
  endDate?: string;
  count?: number;
  timeZone?: string;
}

/**
 * Checks a creation request against `now` and returns its rule:
 * - the time zone is an IANA zone (default UTC);
 * - scheduled: `executionDate` only (no frequency/start/end/count);
 * - recurring: `frequency` and `startDate`, and at most one of `endDate` (≥ start) or `count`;
 * - the execution/start date is not before today in that zone and at most one year ahead.
 */
export function validateScheduleRequest(req: ScheduleRequest, now: Date): ScheduleRule {
  const timeZone = req.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw InvalidTimeZone(`${timeZone} is not an IANA time zone (e.g. Europe/Paris)`);
  let rule: ScheduleRule;
  if (req.type === 'scheduled') {
    if (!req.executionDate) throw InvalidSchedule('A scheduled payment needs an executionDate');
    if (req.frequency || req.startDate || req.endDate || req.count !== undefined) {
      throw InvalidSchedule('frequency, startDate, endDate and count are for recurring payments');
    }
    rule = { kind: 'scheduled', frequency: null, timeZone, startDate: req.executionDate, endDate: null, count: null };
  } else {
    if (!req.frequency || !req.startDate) throw InvalidSchedule('A recurring payment needs a frequency and a startDate');
    if (req.executionDate) throw InvalidSchedule('executionDate is for scheduled payments; use startDate');
    if (req.endDate && req.count !== undefined) throw InvalidSchedule('Give an endDate or a count, not both');
    rule = { kind: 'recurring', frequency: req.frequency, timeZone, startDate: req.startDate, endDate: req.endDate ?? null, count: req.count ?? null };
    if (rule.endDate !== null) {
      parts(rule.endDate);
      if (rule.endDate < rule.startDate) throw InvalidSchedule('endDate must not be before startDate');
    }
  }
  parts(rule.startDate);
  const today = localDate(now, timeZone);
  const field = rule.kind === 'scheduled' ? 'executionDate' : 'startDate';
  if (rule.startDate < today) throw InvalidSchedule(`${field} ${rule.startDate} is in the past (today is ${today} in ${timeZone})`);
  const limit = addMonthsClamped(today, 12);
  if (rule.startDate > limit) throw InvalidSchedule(`${field} must be within a year (on or before ${limit})`);
  return rule;
}

export type ScheduleAction = 'pause' | 'resume' | 'cancel';
const ACTIONS: Record<ScheduleAction, { from: readonly ScheduleStatus[]; to: ScheduleStatus }> = {
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  cancel: { from: ['active', 'paused'], to: 'cancelled' },
};

/** active ⇄ paused; active|paused → cancelled; completed and cancelled are final. */
export function scheduleTransition(from: ScheduleStatus, action: ScheduleAction): ScheduleStatus {
  const rule = ACTIONS[action];
  if (!rule.from.includes(from)) throw IllegalScheduleTransition(`Cannot ${action} a ${from} schedule`, { from, action });
  return rule.to;
}
