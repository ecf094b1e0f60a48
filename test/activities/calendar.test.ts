/**
 * The working-day calendar (docs/MEASURES.md "Working days"; deadlines of Art. 11, 15, 16, 21, 22).
 * Known dates of the State Council's 2026 holiday notice are the fixtures.
 */
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline, loadCalendar, packageNoticeRows } from '../../db/calendar.ts';
import { calendarDays } from '../../db/schema.ts';
import {
  addDays,
  addWorkingDays,
  computeDeadlineDates,
  endOfDayShanghai,
  isWeekday,
  statutoryHolidays,
  workdayPredicate,
  type IsWorkday,
} from '../../domain/calendar/index.ts';
import { createTestDatabase, DRIVERS, driverAvailable, type TestDatabase } from '../support/database.ts';

const weekdaysOnly = workdayPredicate(new Map());

describe('working-day arithmetic', () => {
  it('counts Monday–Friday and skips weekends', () => {
    expect(isWeekday('2026-11-27')).toBe(true); // Friday
    expect(isWeekday('2026-11-28')).toBe(false); // Saturday
    // Friday + 1 working day = Monday; the start day itself is not counted.
    expect(addWorkingDays('2026-11-27', 1, weekdaysOnly)).toBe('2026-11-30');
    expect(addWorkingDays('2026-11-25', 5, weekdaysOnly)).toBe('2026-12-02');
    expect(addWorkingDays('2026-12-02', -5, weekdaysOnly)).toBe('2026-11-25');
  });

  it('skips statutory holidays and counts adjusted working weekends (调休)', () => {
    const calendar = workdayPredicate(
      new Map([
        ['2026-10-01', false],
        ['2026-10-02', false],
        ['2026-10-05', false],
        ['2026-10-06', false],
        ['2026-10-07', false],
        ['2026-10-08', false],
        ['2026-10-10', true], // a Saturday made a working day
      ]),
    );
    // Art. 15: a contract signed on 30 September 2026 — the National Day week does not count.
    expect(addWorkingDays('2026-09-30', 1, calendar)).toBe('2026-10-09');
    expect(addWorkingDays('2026-09-30', 2, calendar)).toBe('2026-10-10');
    expect(addWorkingDays('2026-09-30', 5, calendar)).toBe('2026-10-14');
  });

  it('due at the end of the day in Asia/Shanghai (UTC+8)', () => {
    expect(endOfDayShanghai('2026-12-02')).toBe('2026-12-02T16:00:00.000Z');
  });

  it('Art. 15: 5 working days with a reminder 2 working days before', () => {
    const dates = computeDeadlineDates(
      {
        startsOn: '2026-11-25',
        rule: { unit: 'workingDays', amount: 5 },
        reminder: { unit: 'workingDays', amount: 2 },
      },
      weekdaysOnly,
    );
    expect(dates).toEqual({
      dueOn: '2026-12-02',
      dueAt: '2026-12-02T16:00:00.000Z',
      remindOn: '2026-11-30',
      remindAt: '2026-11-30T01:00:00.000Z',
    });
  });

  it('Art. 22: acceptance delay counts 90 calendar days, reminder 10 days before', () => {
    const dates = computeDeadlineDates(
      {
        startsOn: '2027-06-30',
        rule: { unit: 'calendarDays', amount: 90 },
        reminder: { unit: 'calendarDays', amount: 10 },
      },
      weekdaysOnly,
    );
    expect(dates.dueOn).toBe('2027-09-28');
    expect(dates.remindOn).toBe('2027-09-18');
  });

  it('Art. 23: a fixed date (31 March) with no reminder before the start', () => {
    const dates = computeDeadlineDates(
      { startsOn: '2027-03-25', rule: { until: '2027-03-31' }, reminder: { unit: 'calendarDays', amount: 10 } },
      weekdaysOnly,
    );
    expect(dates.dueOn).toBe('2027-03-31');
    expect(dates.remindOn).toBeNull();
  });
});

describe.each(DRIVERS)('calendar from the database (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (driverAvailable(driver)) database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it.skipIf(!driverAvailable(driver))(
    'is seeded from chinese-days: National Day 2026 and its adjusted Saturday',
    async () => {
      // State Council 2026 notice: 1–7 October off; Saturday 10 October a working day.
      const due = async (amount: number) =>
        (
          await computeDeadline(database.db, {
            startsOn: '2026-09-30',
            rule: { unit: 'workingDays', amount },
            reminder: null,
          })
        ).dueOn;
      expect(await due(1)).toBe('2026-10-08');
      expect(await due(2)).toBe('2026-10-09');
      expect(await due(3)).toBe('2026-10-10');
    },
  );

  it.skipIf(!driverAvailable(driver))('an admin override changes deadlines computed afterwards', async () => {
    const spec = { startsOn: '2026-06-01', rule: { unit: 'workingDays' as const, amount: 3 }, reminder: null };
    expect((await computeDeadline(database.db, spec)).dueOn).toBe('2026-06-04');
    await database.db
      .insert(calendarDays)
      .values({ date: '2026-06-03', workday: false, name: 'test closure', source: 'admin' })
      .onConflictDoUpdate({ target: calendarDays.date, set: { workday: false, source: 'admin' } });
    expect((await computeDeadline(database.db, spec)).dueOn).toBe('2026-06-05');
  });
});

/**
 * docs/MEASURES.md "Working days" with real dates: the seeded calendar of a PGlite database —
 * chinese-days notices up to 2026, the law's provisional days after.
 */
describe('the seeded calendar across years (law as the floor)', () => {
  let database: TestDatabase;
  let isWorkday: IsWorkday;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    isWorkday = await loadCalendar(database.db, '2018-01-01', '2037-12-31');
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const wd = (amount: number) => ({ unit: 'workingDays' as const, amount });

  it('Art. 15: a contract signed 2026-12-25 with 5 working days is due 2027-01-04 on the provisional 2027 calendar (元旦 skipped)', async () => {
    const dates = await computeDeadline(database.db, { startsOn: '2026-12-25', rule: wd(5), reminder: wd(2) });
    expect(dates).toMatchObject({ dueOn: '2027-01-04', dueAt: '2027-01-04T16:00:00.000Z', remindOn: '2026-12-30' });
    const stored = await database.db.select().from(calendarDays).where(eq(calendarDays.date, '2027-01-01'));
    expect(stored).toMatchObject([{ workday: false, name: '元旦', source: 'law', provisional: true, reference: null }]);
  });

  it('Art. 22: a 20-working-day rectification from 2027-01-20 skips 春节 2027-02-05…02-08', async () => {
    const dates = await computeDeadline(database.db, { startsOn: '2027-01-20', rule: wd(20), reminder: wd(3) });
    // Monday–Friday alone would give 2027-02-17; the two 春节 weekdays (Fri 5, Mon 8 Feb) add two days.
    expect(addWorkingDays('2027-01-20', 20, weekdaysOnly)).toBe('2027-02-17');
    expect(dates.dueOn).toBe('2027-02-19');
    expect(dates.remindOn).toBe('2027-02-16');
    for (const day of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']) expect(isWorkday(day)).toBe(false);
  });

  it("Art. 11, 15, 16, 21, 22: 2026 due dates are unchanged from today's (the chinese-days notices)", () => {
    const today = workdayPredicate(new Map(packageNoticeRows().map((r) => [r.date, r.workday])));
    for (let start = '2026-01-01'; start <= '2026-12-31'; start = addDays(start, 1)) {
      for (const amount of [2, 5, 7, 10, 20]) {
        const due = addWorkingDays(start, amount, today);
        if (due > '2026-12-31') continue; // 2027 is the law's now, not the bare weekday rule
        expect(addWorkingDays(start, amount, isWorkday), `${start} + ${amount}`).toBe(due);
      }
    }
  });

  it('Working days: a year beyond the seeded range still gets the law (no bare Monday–Friday)', async () => {
    const far = await loadCalendar(database.db, '2034-01-01', '2034-12-31');
    for (const d of statutoryHolidays(2034)) expect(far(d.date), d.date).toBe(false);
  });

  it('Art. 11, 15, 16, 21, 22: property — across 2019-2035 no due date falls on a non-working day, and one more working day never moves it earlier', () => {
    const statutory = new Set<string>();
    for (let y = 2027; y <= 2035; y++) for (const d of statutoryHolidays(y)) statutory.add(d.date);
    const firstDay = Date.parse('2019-01-01T00:00:00Z');
    const days = (Date.parse('2035-12-31T00:00:00Z') - firstDay) / 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: days }),
        fc.integer({ min: 1, max: 40 }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
        (offset, amount, reminder) => {
          const startsOn = addDays('2019-01-01', offset);
          const spec = { startsOn, rule: wd(amount), reminder: reminder === null ? null : wd(reminder) };
          const dates = computeDeadlineDates(spec, isWorkday);
          expect(isWorkday(dates.dueOn)).toBe(true);
          expect(statutory.has(dates.dueOn)).toBe(false);
          if (dates.remindOn) expect(isWorkday(dates.remindOn)).toBe(true);
          expect(dates.dueOn > startsOn).toBe(true);
          const later = computeDeadlineDates({ ...spec, rule: wd(amount + 1) }, isWorkday);
          expect(later.dueOn > dates.dueOn).toBe(true);
          expect(later.dueAt).toBe(endOfDayShanghai(later.dueOn));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
