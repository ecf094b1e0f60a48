/**
 * The stored working-day calendar (docs/MEASURES.md "Working days"): where each year's days come
 * from and how they change, and how it is read (`loadCalendar`; `computeDeadline`, the deadline
 * activity's calendar). The arithmetic over it is domain/calendar/.
 *
 * - The floor is the law: statutory holidays of any year (domain/calendar/holidays.ts), stored as source
 *   `law`, provisional, for years nothing better is known of.
 * - The State Council's notice of a year (bridges and 调休 make-up days) replaces its law days:
 *   for the years the `chinese-days` package covers it comes from the package (source `notice`,
 *   reference `chinese-days`); for later years an administrator enters it (PUT /v1/calendar/:year
 *   with `notice`).
 * - Per-date admin overrides (source `admin`) win over both and are never overwritten.
 *
 * One row per date; only dates that differ from "Monday–Friday work, weekends off" are stored
 * (statutory days on a weekend are stored too, so a year lists all of its holidays).
 */
import { createRequire } from 'node:module';
import { and, asc, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import {
  addDays,
  computeDeadlineDates,
  HOLIDAY_YEARS,
  shanghaiDate,
  statutoryHolidays,
  workdayPredicate,
  type DeadlineDates,
  type DeadlineSpec,
  type IsWorkday,
} from '../domain/calendar/index.ts';
import type { Database } from './client.ts';
import { calendarDays, type CalendarSource } from './schema.ts';
import { recordSystemNotice } from './queries/notifications.ts';

/** The reference of notices taken from the package's data. */
export const PACKAGE_REFERENCE = 'chinese-days';

/** The first year the seed gives law days to (when the package does not cover it). */
export const LAW_SEED_FROM = 2019;

/** The holiday law in force since 2025: notices of earlier years followed the 2014 law. */
export const LAW_2025_FROM = 2025;

export interface CalendarDayRow {
  date: string;
  workday: boolean;
  name: string;
  source: CalendarSource;
  reference: string | null;
  provisional: boolean;
}

interface ChineseDaysData {
  /** date → "English name,中文名,days" */
  holidays: Record<string, string>;
  /** adjusted working days (调休): date → the holiday they make up for */
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);
const yearOf = (date: string) => Number(date.slice(0, 4));

let packageRows: CalendarDayRow[] | undefined;

/** The State Council notices as the `chinese-days` package has them (source `notice`). */
export function packageNoticeRows(): CalendarDayRow[] {
  if (packageRows) return packageRows;
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const nameOf = (value: string) => {
    const [english, chinese] = value.split(',');
    return chinese || english || '';
  };
  const notice = { source: 'notice' as const, reference: PACKAGE_REFERENCE, provisional: false };
  packageRows = [
    ...Object.entries(data.holidays).map(([date, value]) => ({ date, workday: false, name: nameOf(value), ...notice })),
    ...Object.entries(data.workdays).map(([date, value]) => ({
      date,
      workday: true,
      name: `调休 ${nameOf(value)}`,
      ...notice,
    })),
  ].sort((a, b) => (a.date < b.date ? -1 : 1));
  return packageRows;
}

/** The years the package has a notice for (each with at least its 元旦 or 春节). */
export function packageYears(): Set<number> {
  return new Set(
    packageNoticeRows()
      .filter((r) => !r.workday)
      .map((r) => yearOf(r.date)),
  );
}

/** A year's law days (source `law`, provisional): docs/MEASURES.md "Working days". */
export function lawRows(year: number): CalendarDayRow[] {
  return statutoryHolidays(year).map((d) => ({
    ...d,
    workday: false,
    source: 'law' as const,
    reference: null,
    provisional: true,
  }));
}

/** The Asia/Shanghai year of an instant. */
export const shanghaiYear = (now: Date) => yearOf(shanghaiDate(now.toISOString()));

const yearRange = (year: number) =>
  and(gte(calendarDays.date, `${year}-01-01`), lte(calendarDays.date, `${year}-12-31`));

/** Years (among `years`) with a notice an administrator entered (not the package's). */
async function yearsWithEnteredNotice(db: Database, years: number[]): Promise<Set<number>> {
  if (years.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ year: sql<number>`extract(year from ${calendarDays.date})::int` })
    .from(calendarDays)
    .where(and(eq(calendarDays.source, 'notice'), ne(calendarDays.reference, PACKAGE_REFERENCE)));
  return new Set(rows.map((r) => Number(r.year)).filter((y) => years.includes(y)));
}

async function insertRows(db: Database, rows: CalendarDayRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    // Existing dates (an admin override, a notice) are left alone.
    await db
      .insert(calendarDays)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing({ target: calendarDays.date });
  }
}

/**
 * Start-up seeding, idempotent, never overwriting notice or admin days:
 * - the package's notices, for its years unless an administrator entered that year's notice (a
 *   newer package replaces the law days of a year it now covers);
 * - law days (provisional) for each year from 2019 through next year + 1 that neither the package
 *   nor an entered notice covers.
 */
export async function seedCalendar(db: Database, now = new Date()): Promise<void> {
  const covered = packageYears();
  const entered = await yearsWithEnteredNotice(db, [...covered]);
  const fromPackage = [...covered].filter((y) => !entered.has(y));
  const packageYearSet = new Set(fromPackage);
  if (fromPackage.length > 0) {
    await db
      .delete(calendarDays)
      .where(
        and(
          eq(calendarDays.source, 'law'),
          inArray(sql<number>`extract(year from ${calendarDays.date})::int`, fromPackage),
        ),
      );
  }
  await insertRows(
    db,
    packageNoticeRows().filter((r) => packageYearSet.has(yearOf(r.date))),
  );

  const lawYears: number[] = [];
  for (let year = LAW_SEED_FROM; year <= shanghaiYear(now) + 2; year++) if (!covered.has(year)) lawYears.push(year);
  const withNotice = await yearsWithEnteredNotice(db, lawYears);
  await insertRows(db, lawYears.filter((y) => !withNotice.has(y)).flatMap(lawRows));
}

/** The stored days of a year, by date. */
export async function calendarYearDays(db: Database, year: number): Promise<CalendarDayRow[]> {
  return db
    .select({
      date: calendarDays.date,
      workday: calendarDays.workday,
      name: calendarDays.name,
      source: calendarDays.source,
      reference: calendarDays.reference,
      provisional: calendarDays.provisional,
    })
    .from(calendarDays)
    .where(yearRange(year))
    .orderBy(asc(calendarDays.date));
}

export interface DayInput {
  date: string;
  workday: boolean;
  name: string;
}

/** The statutory days a notice of `year` makes working days (it must not: 422). */
export function statutoryDaysMadeWorkdays(year: number, days: DayInput[]): { date: string; name: string }[] {
  if (year < LAW_2025_FROM) return [];
  const working = new Set(days.filter((d) => d.workday).map((d) => d.date));
  return statutoryHolidays(year).filter((d) => working.has(d.date));
}

/**
 * Enters the State Council's notice of `year`: its days replace the year's law and notice days;
 * statutory days the notice does not list stay holidays (from 2025, the law's). Admin overrides
 * stay. In one transaction.
 */
export async function enterNotice(
  db: Database,
  year: number,
  reference: string,
  days: DayInput[],
  by: string,
  now = new Date(),
): Promise<void> {
  const listed = new Set(days.map((d) => d.date));
  const statutory = year >= LAW_2025_FROM ? statutoryHolidays(year).filter((d) => !listed.has(d.date)) : [];
  const rows = [...days, ...statutory.map((d) => ({ ...d, workday: false }))].map((d) => ({
    date: d.date,
    workday: d.workday,
    name: d.name,
    source: 'notice' as const,
    reference,
    provisional: false,
    updatedAt: now,
    updatedBy: by,
  }));
  await db.transaction(async (tx) => {
    await tx.delete(calendarDays).where(and(yearRange(year), inArray(calendarDays.source, ['law', 'notice'])));
    if (rows.length > 0) await tx.insert(calendarDays).values(rows).onConflictDoNothing({ target: calendarDays.date });
  });
}

/** Per-date admin overrides (the PUT body without `notice`): upserted with source `admin`. */
export async function overrideDays(db: Database, days: DayInput[], by: string, now = new Date()): Promise<void> {
  await db
    .insert(calendarDays)
    .values(
      days.map((d) => ({
        date: d.date,
        workday: d.workday,
        name: d.name,
        source: 'admin' as const,
        reference: null,
        provisional: false,
        updatedAt: now,
        updatedBy: by,
      })),
    )
    .onConflictDoUpdate({
      target: calendarDays.date,
      set: {
        workday: sql`excluded.workday`,
        name: sql`excluded.name`,
        source: sql`excluded.source`,
        reference: sql`excluded.reference`,
        provisional: sql`excluded.provisional`,
        updatedAt: sql`excluded.updated_at`,
        updatedBy: sql`excluded.updated_by`,
      },
    });
}

export interface CalendarYearStatus {
  year: number;
  /** The State Council's notice of the year is entered (or comes from the package). */
  notice: boolean;
  /** The year's days are law-derived only. */
  provisional: boolean;
  reference: string | null;
}

export interface CalendarStatus {
  /** This year and next, Asia/Shanghai. */
  years: CalendarYearStatus[];
  nextYearReady: boolean;
  /** From 1 November while next year's notice is missing. */
  warning: string | null;
}

/**
 * Whether this year's and next year's notices are entered (docs/MEASURES.md "Working days": the
 * State Council publishes the next year's schedule around November).
 */
export async function calendarStatus(db: Database, now = new Date()): Promise<CalendarStatus> {
  const thisYear = shanghaiYear(now);
  const years: CalendarYearStatus[] = [];
  for (const year of [thisYear, thisYear + 1]) {
    const [row] = await db
      .select({ reference: calendarDays.reference })
      .from(calendarDays)
      .where(and(yearRange(year), eq(calendarDays.source, 'notice')))
      .orderBy(asc(calendarDays.date))
      .limit(1);
    years.push({ year, notice: row !== undefined, provisional: row === undefined, reference: row?.reference ?? null });
  }
  const nextYearReady = years[1]!.notice;
  const fromNovember = shanghaiDate(now.toISOString()).slice(5) >= '11-01';
  const warning =
    !nextYearReady && fromNovember
      ? `${thisYear + 1}年国务院办公厅节假日安排通知尚未录入：${thisYear + 1}年的工作日按法定节假日临时计算（provisional），请管理员通过 PUT /v1/calendar/${thisYear + 1} 录入通知。`
      : null;
  return { years, nextYearReady, warning };
}

/** Start-up check of the API and of `npm start`: logs the coverage warning, if any. */
export async function warnCalendarCoverage(
  db: Database,
  log: { warn(obj: object, msg: string): void },
  now = new Date(),
): Promise<CalendarStatus> {
  const status = await calendarStatus(db, now);
  if (status.warning) {
    log.warn({ calendar: status.years }, status.warning);
    // The administrators' inbox gets the item once per missing year (the event id makes it idempotent).
    const year = status.years.at(-1)?.year ?? null;
    await recordSystemNotice(db, {
      eventId: `calendar:notice-missing:${year}`,
      subject: 'calendar',
      role: 'sysadmin',
      kind: 'calendar-notice-missing',
      params: { year },
      detail: status.warning,
      at: now,
    });
  }
  return status;
}

/**
 * Reads the stored days between two dates (inclusive) into a predicate. A year with no stored day
 * at all (beyond the seeded range: the seed reaches next year + 1 at start-up) still gets the law's
 * statutory holidays (docs/MEASURES.md "Working days"), never the bare Monday–Friday rule.
 */
export async function loadCalendar(db: Database, from: string, to: string): Promise<IsWorkday> {
  const rows = await db
    .select({ date: calendarDays.date, workday: calendarDays.workday })
    .from(calendarDays)
    .where(and(gte(calendarDays.date, from), lte(calendarDays.date, to)));
  const days = new Map(rows.map((r) => [r.date, r.workday]));
  const stored = new Set(rows.map((r) => Number(r.date.slice(0, 4))));
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    if (stored.has(year) || year < HOLIDAY_YEARS.min || year > HOLIDAY_YEARS.max) continue;
    for (const d of statutoryHolidays(year)) if (d.date >= from && d.date <= to) days.set(d.date, false);
  }
  return workdayPredicate(days);
}

/** Loads the window a deadline can reach (a deadline of up to ~250 working days) and computes it. */
export async function computeDeadline(db: Database, spec: DeadlineSpec): Promise<DeadlineDates> {
  const latest = 'until' in spec.rule && spec.rule.until > spec.startsOn ? spec.rule.until : spec.startsOn;
  const isWorkday = await loadCalendar(db, addDays(spec.startsOn, -400), addDays(latest, 400));
  return computeDeadlineDates(spec, isWorkday);
}
