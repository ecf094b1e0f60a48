/**
 * docs/MEASURES.md "Working days": statutory holidays computed from the holiday law (in force since
 * 2025), checked against the dates the State Council published for 2020–2026.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { statutoryHolidays } from '../../domain/calendar/index.ts';

const require = createRequire(import.meta.url);
const chineseDays = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string> };

const dateOf = (year: number, name: string) =>
  statutoryHolidays(year)
    .filter((d) => d.name.includes(name))
    .map((d) => d.date);

describe('statutory holidays (全国年节及纪念日放假办法, 2025)', () => {
  it('Working days: 2027 — the year chinese-days does not cover — has the 13 statutory days', () => {
    expect(statutoryHolidays(2027)).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' },
      { date: '2027-02-06', name: '春节' },
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ]);
  });

  it.each([
    // year, 除夕, 初一, 清明, 端午, 中秋 (published notices)
    [2026, '2026-02-16', '2026-02-17', '2026-04-05', '2026-06-19', '2026-09-25'],
    [2025, '2025-01-28', '2025-01-29', '2025-04-04', '2025-05-31', '2025-10-06'],
    [2024, '2024-02-09', '2024-02-10', '2024-04-04', '2024-06-10', '2024-09-17'],
    [2023, '2023-01-21', '2023-01-22', '2023-04-05', '2023-06-22', '2023-09-29'],
    [2022, '2022-01-31', '2022-02-01', '2022-04-05', '2022-06-03', '2022-09-10'],
    [2021, '2021-02-11', '2021-02-12', '2021-04-04', '2021-06-14', '2021-09-21'],
    [2020, '2020-01-24', '2020-01-25', '2020-04-04', '2020-06-25', '2020-10-01'],
  ])(
    'Working days: %i — 除夕 %s, 初一 %s, 清明 %s, 端午 %s, 中秋 %s',
    (year, eve, first, qingming, duanwu, midAutumn) => {
      const spring = dateOf(year, '春节');
      expect(spring).toHaveLength(4);
      expect(spring.slice(0, 2)).toEqual([eve, first]);
      expect(dateOf(year, '清明节')).toEqual([qingming]);
      expect(dateOf(year, '端午节')).toEqual([duanwu]);
      expect(dateOf(year, '中秋节')).toEqual([midAutumn]);
    },
  );

  it('Working days: 除夕 is the last day of lunar month 12, the 29th as well as the 30th', () => {
    // Lunar 2024-12 had 29 days (除夕 2025-01-28 = 腊月廿九); lunar 2025-12 has 29 (除夕 2026-02-16).
    expect(dateOf(2025, '春节')[0]).toBe('2025-01-28');
    // Lunar 2022-12 had 30 days: 除夕 2023-01-21 = 腊月三十.
    expect(dateOf(2023, '春节')[0]).toBe('2023-01-21');
  });

  it('Working days: 中秋 on 1 October is one day with both names (2020)', () => {
    expect(statutoryHolidays(2020).find((d) => d.date === '2020-10-01')?.name).toBe('中秋节、国庆节');
  });

  it.each([2020, 2021, 2022, 2023, 2024, 2025, 2026])(
    'Working days: every statutory day of %i is a holiday in the published notice (chinese-days)',
    (year) => {
      // Before 2025 除夕 was not statutory (2014 law); in 2024 the notice kept it a working day.
      const notStatutoryThen = new Set(['2024-02-09']);
      for (const { date } of statutoryHolidays(year)) {
        if (notStatutoryThen.has(date)) continue;
        expect(chineseDays.holidays[date], date).toBeDefined();
      }
    },
  );

  it('Working days: every year 2019-2035 has 13 statutory days (12 when 中秋 meets 国庆), none twice', () => {
    for (let year = 2019; year <= 2035; year++) {
      const days = statutoryHolidays(year);
      expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
      expect(days.length).toBeGreaterThanOrEqual(12);
      expect(days.every((d) => d.date.startsWith(`${year}-`))).toBe(true);
    }
  });
});
