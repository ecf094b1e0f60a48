/**
 * A period shows its last day (issue 26): a deadline's `dueAt` is the instant its due day ends
 * (24:00 Asia/Shanghai = 16:00Z of that day). Every due date a person reads — the 期限 tab, 下一期限,
 * /public, the inbox, the Excel export — goes through one function (domain/calendar/dates.ts dueDate,
 * domain/labels/language.ts formatDue) and shows that day, not the next. Fixed dates only: no test reads a clock.
 */
import { describe, expect, it } from 'vitest';
import { computeDeadlineDates } from '../../domain/calendar/index.ts';
import { dueOrDash } from '../../console/src/format.ts';
import { dueDate } from '../../domain/calendar/index.ts';
import { formatDate, formatDue } from '../../domain/labels/language.ts';

const weekdays = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

describe('a due instant shows its own day', () => {
  it('a notice due at the end of Friday 11 December 2026 reads 2026年12月11日, not Saturday the 12th', () => {
    const dueAt = '2026-12-11T16:00:00.000Z'; // 2026-12-12 00:00 in Asia/Shanghai
    expect(formatDate(dueAt)).toBe('2026年12月12日'); // an instant's own day: the wrong reading for a deadline
    expect(dueDate(dueAt)).toBe('2026-12-11');
    expect(formatDue(dueAt)).toBe('2026年12月11日');
    expect(formatDue(dueAt, 'en')).toBe('2026-12-11');
    expect(dueOrDash(dueAt)).toBe('2026年12月11日');
    expect(dueOrDash(null)).toBe('—');
  });

  it('the last millisecond of the day (as some records hold it) is the same day', () => {
    expect(dueDate('2026-03-31T15:59:59.999Z')).toBe('2026-03-31');
    expect(formatDue('2026-03-31T15:59:59.999Z')).toBe('2026年3月31日');
  });

  it('across a month and a year end', () => {
    expect(formatDue('2026-12-31T16:00:00.000Z')).toBe('2026年12月31日');
    expect(formatDue('2027-02-28T16:00:00.000Z')).toBe('2027年2月28日');
  });

  it('the calendar activity and the display agree: the computed due day is the day shown', () => {
    // Art. 11 (policy): 5 working days from Monday 7 December 2026 end on Monday 14 December.
    const dates = computeDeadlineDates(
      { startsOn: '2026-12-07', rule: { unit: 'workingDays', amount: 5 }, reminder: null },
      weekdays,
    );
    expect(dates.dueAt).toBe('2026-12-14T16:00:00.000Z');
    expect(dueDate(dates.dueAt)).toBe(dates.dueOn);
    expect(formatDue(dates.dueAt)).toBe(formatDate(dates.dueOn));
  });
});
