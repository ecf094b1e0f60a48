/**
 * The working-day calendar (shared/DOMAIN.md "Working days"; deadlines of Art. 11, 15, 16, 21, 22).
 * Known dates of the State Council's 2026 holiday notice are the fixtures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDays } from '../../db/schema.ts';
import {
  addWorkingDays,
  computeDeadline,
  computeDeadlineDates,
  endOfDayShanghai,
  isWeekday,
  workdayPredicate,
} from '../../activities/calendar.ts';
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
      { startsOn: '2026-11-25', rule: { unit: 'workingDays', amount: 5 }, reminder: { unit: 'workingDays', amount: 2 } },
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
      { startsOn: '2027-06-30', rule: { unit: 'calendarDays', amount: 90 }, reminder: { unit: 'calendarDays', amount: 10 } },
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

  it.skipIf(!driverAvailable(driver))('is seeded from chinese-days: National Day 2026 and its adjusted Saturday', async () => {
    // State Council 2026 notice: 1–7 October off; Saturday 10 October a working day.
    const due = async (amount: number) =>
      (await computeDeadline(database.db, { startsOn: '2026-09-30', rule: { unit: 'workingDays', amount }, reminder: null })).dueOn;
    expect(await due(1)).toBe('2026-10-08');
    expect(await due(2)).toBe('2026-10-09');
    expect(await due(3)).toBe('2026-10-10');
  });

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
