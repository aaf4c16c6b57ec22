// Date rules of scheduled and recurring payments (pure: domain/schedule.ts).
import t from 'tap';
import {
  addMonthsClamped,
  firstIndexOnOrAfter,
  localDate,
  occurrenceDate,
  scheduleTransition,
  startOfLocalDay,
  upcoming,
  validateScheduleRequest,
  type ScheduleRule,
} from '../src/domain/schedule.ts';

const monthly = (startDate: string, extra: Partial<ScheduleRule> = {}): ScheduleRule => ({
  kind: 'recurring',
  frequency: 'monthly',
  timeZone: 'UTC',
  startDate,
  endDate: null,
  count: null,
  ...extra,
});

t.test('monthly on the 31st runs on the last day of short months, then the 31st again', async (t) => {
  const dates = upcoming(monthly('2027-01-31'), 0, 5).map((o) => o.date);
  t.same(dates, ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
  t.equal(occurrenceDate(monthly('2028-01-31'), 1), '2028-02-29', 'leap year');
  t.equal(occurrenceDate(monthly('2027-01-30'), 1), '2027-02-28');
  t.equal(occurrenceDate(monthly('2027-12-15'), 1), '2028-01-15', 'across the year');
  t.equal(addMonthsClamped('2027-03-31', -1), '2027-02-28');
});

t.test('weekly, end date (inclusive) and count', async (t) => {
  const weekly: ScheduleRule = { ...monthly('2027-02-22'), frequency: 'weekly' };
  t.same(upcoming(weekly, 0, 3).map((o) => o.date), ['2027-02-22', '2027-03-01', '2027-03-08']);
  t.same(upcoming({ ...weekly, endDate: '2027-03-08' }, 0, 10).map((o) => o.date), ['2027-02-22', '2027-03-01', '2027-03-08']);
  t.same(upcoming({ ...weekly, count: 2 }, 0, 10).length, 2);
  t.same(upcoming({ ...weekly, count: 2 }, 2, 10), [], 'nothing after the count');
  const once: ScheduleRule = { ...monthly('2027-05-05'), kind: 'scheduled', frequency: null };
  t.equal(occurrenceDate(once, 0), '2027-05-05');
  t.equal(occurrenceDate(once, 1), null, 'a scheduled payment runs once');
});

t.test('due at local midnight in the time zone, DST included', async (t) => {
  t.equal(startOfLocalDay('2027-01-15', 'UTC').toISOString(), '2027-01-15T00:00:00.000Z');
  t.equal(startOfLocalDay('2027-01-15', 'Europe/Paris').toISOString(), '2027-01-14T23:00:00.000Z', 'CET = UTC+1');
  t.equal(startOfLocalDay('2027-07-15', 'Europe/Paris').toISOString(), '2027-07-14T22:00:00.000Z', 'CEST = UTC+2');
  t.equal(startOfLocalDay('2027-03-28', 'Europe/Paris').toISOString(), '2027-03-27T23:00:00.000Z', 'the day clocks go forward');
  t.equal(startOfLocalDay('2027-01-15', 'America/New_York').toISOString(), '2027-01-15T05:00:00.000Z');
  t.equal(startOfLocalDay('2027-01-15', 'Asia/Kolkata').toISOString(), '2027-01-14T18:30:00.000Z', 'half-hour offset');
  t.equal(startOfLocalDay('2027-01-15', 'Pacific/Kiritimati').toISOString(), '2027-01-14T10:00:00.000Z', 'UTC+14');
  // America/Santiago skips midnight at its DST start (2027-09-05 00:00 → 01:00)
  const santiago = startOfLocalDay('2027-09-05', 'America/Santiago');
  t.equal(localDate(santiago, 'America/Santiago'), '2027-09-05', 'first instant of a day with no midnight');
});

t.test('creation rules: past, within a year, time zone, field combinations', async (t) => {
  const now = new Date('2027-01-10T23:30:00Z'); // already 11 January in Paris, still 10 in New York
  const ok = (req: Parameters<typeof validateScheduleRequest>[0]) => validateScheduleRequest(req, now);
  const code = (req: Parameters<typeof validateScheduleRequest>[0]) => {
    try {
      validateScheduleRequest(req, now);
      return 'ok';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };
  t.match(ok({ type: 'scheduled', executionDate: '2027-01-10' }), { kind: 'scheduled', timeZone: 'UTC', startDate: '2027-01-10' }, 'today is allowed');
  t.equal(code({ type: 'scheduled', executionDate: '2027-01-09' }), 'PAYMENTS_INVALID_SCHEDULE', 'yesterday is in the past');
  t.equal(code({ type: 'scheduled', executionDate: '2027-01-10', timeZone: 'Europe/Paris' }), 'PAYMENTS_INVALID_SCHEDULE', 'already the 11th in Paris');
  t.equal(code({ type: 'scheduled', executionDate: '2027-01-10', timeZone: 'America/New_York' }), 'ok', 'still the 10th in New York');
  t.equal(code({ type: 'scheduled', executionDate: '2028-01-10' }), 'ok', 'exactly a year ahead');
  t.equal(code({ type: 'scheduled', executionDate: '2028-01-11' }), 'PAYMENTS_INVALID_SCHEDULE', 'more than a year ahead');
  t.equal(code({ type: 'scheduled', executionDate: '2027-02-30' }), 'PAYMENTS_INVALID_SCHEDULE', 'not a calendar date');
  t.equal(code({ type: 'scheduled', executionDate: '2027-02-01', timeZone: 'Mars/Olympus' }), 'PAYMENTS_INVALID_TIME_ZONE');
  t.equal(code({ type: 'scheduled' }), 'PAYMENTS_INVALID_SCHEDULE', 'no date');
  t.equal(code({ type: 'scheduled', executionDate: '2027-02-01', frequency: 'weekly' }), 'PAYMENTS_INVALID_SCHEDULE');
  t.equal(code({ type: 'recurring', startDate: '2027-02-01' }), 'PAYMENTS_INVALID_SCHEDULE', 'no frequency');
  t.equal(code({ type: 'recurring', frequency: 'monthly', startDate: '2027-02-01', endDate: '2027-01-31' }), 'PAYMENTS_INVALID_SCHEDULE', 'end before start');
  t.equal(code({ type: 'recurring', frequency: 'monthly', startDate: '2027-02-01', endDate: '2027-06-01', count: 3 }), 'PAYMENTS_INVALID_SCHEDULE', 'end and count');
  t.match(ok({ type: 'recurring', frequency: 'weekly', startDate: '2027-02-01', count: 3, timeZone: 'Asia/Tokyo' }), { frequency: 'weekly', count: 3, endDate: null });
});

t.test('resume skips occurrences dated before today; status changes', async (t) => {
  const rule: ScheduleRule = { ...monthly('2027-01-05'), frequency: 'weekly' };
  t.equal(firstIndexOnOrAfter(rule, 0, '2027-01-19'), 2, '5th and 12th missed, the 19th still runs');
  t.equal(firstIndexOnOrAfter({ ...rule, count: 2 }, 0, '2027-01-30'), 2, 'past the end: index after the last');
  t.equal(scheduleTransition('active', 'pause'), 'paused');
  t.equal(scheduleTransition('paused', 'resume'), 'active');
  t.equal(scheduleTransition('paused', 'cancel'), 'cancelled');
  t.throws(() => scheduleTransition('cancelled', 'resume'), { code: 'PAYMENTS_ILLEGAL_SCHEDULE_TRANSITION' });
  t.throws(() => scheduleTransition('active', 'resume'), { code: 'PAYMENTS_ILLEGAL_SCHEDULE_TRANSITION' });
  t.throws(() => scheduleTransition('completed', 'cancel'), { code: 'PAYMENTS_ILLEGAL_SCHEDULE_TRANSITION' });
});
