/**
 * Working days (docs/MEASURES.md "Working days"): Monday–Friday, minus statutory holidays, plus
 * adjusted working weekends (调休), per the State Council's yearly notice — or, for a year whose
 * notice is not entered yet, the law's statutory holidays (provisional; db/calendar.ts). Dates are
 * calendar dates in Asia/Shanghai (UTC+8 all year: China has no daylight saving time).
 *
 * Pure arithmetic over a given calendar (`IsWorkday`); db/calendar.ts `loadCalendar` reads the
 * stored one. Deadlines are computed in activities (`computeDeadline`, db/calendar.ts), never in
 * workflow code: a calendar edit never breaks replay. A deadline once computed is recorded in the
 * workflow; when a year's calendar changes, the API recomputes the open ones not yet due
 * (`recomputeDeadline`) and sends the new dates to the project as the `deadlineRescheduling` command
 * (domain/rescheduling.ts).
 */
import type { DeadlineRule } from '../deadline-kinds.ts';
import type { Duration, DurationUnit } from '../policy.ts';
import { DAY_MS, dueDate, HOUR_MS, SHANGHAI_OFFSET_MS } from './dates.ts';

export type IsWorkday = (date: string) => boolean;

const toUtcMidnight = (date: string) => {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a calendar date: ${date}`);
  return ms;
};

export const addDays = (date: string, days: number): string =>
  new Date(toUtcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);

/** Weekdays work, weekends rest: the rule for every date the calendar has no entry for. */
export const isWeekday = (date: string): boolean => {
  const day = new Date(toUtcMidnight(date)).getUTCDay();
  return day !== 0 && day !== 6;
};

/** The calendar as a predicate: an override when there is one, the weekday rule otherwise. */
export const workdayPredicate =
  (overrides: ReadonlyMap<string, boolean>): IsWorkday =>
  (date) =>
    overrides.get(date) ?? isWeekday(date);

/**
 * The `n`-th working day after `date` (n > 0), or before it (n < 0); `date` itself is not counted.
 * "Within 5 working days of signing" (Art. 15) therefore ends on addWorkingDays(signedOn, 5).
 */
export function addWorkingDays(date: string, n: number, isWorkday: IsWorkday): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be whole: ${n}`);
  const step = n >= 0 ? 1 : -1;
  let remaining = Math.abs(n);
  let current = date;
  // A year of consecutive holidays does not exist; the bound only guards against a broken calendar.
  for (let guard = 0; remaining > 0; guard++) {
    if (guard > 3660) throw new RangeError(`no ${Math.abs(n)} working days within ten years of ${date}`);
    current = addDays(current, step);
    if (isWorkday(current)) remaining--;
  }
  return current;
}

/** Where a Shanghai day ends, from the UTC midnight of its date: 24:00 +08:00 = 16:00 UTC that day. */
export const SHANGHAI_DAY_END_MS = DAY_MS - SHANGHAI_OFFSET_MS;
/** When reminders go out, from the UTC midnight of their date: 09:00 +08:00 = 01:00 UTC. */
export const REMINDER_TIME_MS = 9 * HOUR_MS - SHANGHAI_OFFSET_MS;

/** End of a calendar day in Asia/Shanghai as a UTC instant: 24:00 +08:00 = 16:00 UTC that day. */
export const endOfDayShanghai = (date: string): string =>
  new Date(toUtcMidnight(date) + SHANGHAI_DAY_END_MS).toISOString();

/** 09:00 Asia/Shanghai on a date (= 01:00 UTC): when reminders go out. */
export const morningShanghai = (date: string): string => new Date(toUtcMidnight(date) + REMINDER_TIME_MS).toISOString();

/** A deadline's reminder: a span before the due day, or none. */
export type ReminderRule = Duration | null;

export interface DeadlineSpec {
  startsOn: string;
  rule: DeadlineRule;
  reminder: ReminderRule;
}

export interface DeadlineDates {
  dueOn: string;
  /** The last instant the filing is on time: end of `dueOn` in Asia/Shanghai. */
  dueAt: string;
  remindOn: string | null;
  remindAt: string | null;
}

const shift = (date: string, amount: number, unit: DurationUnit, isWorkday: IsWorkday) =>
  unit === 'workingDays' ? addWorkingDays(date, amount, isWorkday) : addDays(date, amount);

/** Due and reminder dates of one deadline (docs/MEASURES.md "Deadlines"). */
export function computeDeadlineDates(spec: DeadlineSpec, isWorkday: IsWorkday): DeadlineDates {
  const dueOn =
    'until' in spec.rule ? spec.rule.until : shift(spec.startsOn, spec.rule.amount, spec.rule.unit, isWorkday);
  let remindOn: string | null = null;
  if (spec.reminder && spec.reminder.amount > 0) {
    remindOn = shift(dueOn, -spec.reminder.amount, spec.reminder.unit, isWorkday);
    if (remindOn < spec.startsOn) remindOn = null; // too short a deadline for a reminder
  }
  return {
    dueOn,
    dueAt: endOfDayShanghai(dueOn),
    remindOn,
    remindAt: remindOn ? morningShanghai(remindOn) : null,
  };
}

/** The dates of the year whose working-day status differs between two calendars. */
export function changedDays(year: number, before: IsWorkday, after: IsWorkday): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) if (before(d) !== after(d)) out.push(d);
  return out;
}

/** An open deadline as the read model shows it (domain/view.ts deadlineView). */
export interface ScheduledDeadline {
  id: string;
  startsOn: string;
  dueAt: string;
  remindAt: string | null;
  rule: DeadlineRule;
  reminder: ReminderRule;
}

/**
 * docs/MEASURES.md "Working days": the new dates of an open deadline whose window (start to due
 * day) touches a changed day, or null when its dates stay as they are.
 */
export function recomputeDeadline(
  d: ScheduledDeadline,
  changed: readonly string[],
  isWorkday: IsWorkday,
): { dueAt: string; remindAt: string | null } | null {
  const oldDueOn = dueDate(d.dueAt);
  if (!changed.some((day) => day >= d.startsOn && day <= oldDueOn)) return null;
  const next = computeDeadlineDates({ startsOn: d.startsOn, rule: d.rule, reminder: d.reminder }, isWorkday);
  return next.dueAt === d.dueAt && next.remindAt === d.remindAt ? null : { dueAt: next.dueAt, remindAt: next.remindAt };
}
