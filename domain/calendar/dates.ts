/**
 * Calendar arithmetic on given strings only (no clock): Asia/Shanghai dates of instants, quarters
 * and years. Working days are in working-days.ts (given a calendar); this file needs none, so the
 * workflow code and the console import it alone.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})Q([1-4])$/;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** China has no daylight saving time since 1991: Asia/Shanghai is always UTC+8. */
export const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** A calendar date `YYYY-MM-DD` that exists. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** An ISO 8601 instant (or date) that parses. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 10 && !Number.isNaN(Date.parse(value));
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: string): string {
  return new Date(Date.parse(instant) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The due day of a due instant: a deadline's `dueAt` is the instant its last day ends (24:00
 * Asia/Shanghai = 16:00Z of that day), so one millisecond earlier is the day a person reads as the
 * deadline — Friday 11 December, not the Saturday at whose first instant it falls.
 */
export const dueDate = (dueAt: string): string => shanghaiDate(new Date(Date.parse(dueAt) - 1).toISOString());

/** The Asia/Shanghai calendar year of an instant. */
export const shanghaiYear = (instant: string): number => Number(shanghaiDate(instant).slice(0, 4));

/** The first instant (epoch ms) of the Asia/Shanghai calendar year after the one `ms` lies in. */
export const nextShanghaiNewYear = (ms: number): number =>
  Date.UTC(new Date(ms + SHANGHAI_OFFSET_MS).getUTCFullYear() + 1, 0, 1) - SHANGHAI_OFFSET_MS;

/** Midnight at the start of an Asia/Shanghai date, as an ISO instant (UTC). */
export function shanghaiStartOfDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS).toISOString();
}

export const maxDate = (a: string, b: string): string => (a >= b ? a : b);

/** A calendar date `n` calendar days after `date` (n may be negative); calendar arithmetic only, never working days. */
export const addCalendarDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const laterInstant = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);
export const isBefore = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD.test(value);
}

/** The quarter (`2026Q3`) a date falls in. */
export function quarterOf(date: string): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
}

function splitPeriod(period: string): [number, number] {
  const m = PERIOD.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  return [Number(m[1]), Number(m[2])];
}

export function nextQuarter(period: string): string {
  const [year, q] = splitPeriod(period);
  return q === 4 ? `${year + 1}Q1` : `${year}Q${q + 1}`;
}

export function quarterStart(period: string): string {
  const [year, q] = splitPeriod(period);
  return `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

export function quarterEnd(period: string): string {
  const [year, q] = splitPeriod(period);
  const endMonth = q * 3;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  return `${year}-${String(endMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`;
}

/** Periods compare as strings: `2026Q4` < `2027Q1`. */
export const maxPeriod = (a: string, b: string): string => (a >= b ? a : b);
