/**
 * Statutory holidays from the holiday law (docs/MEASURES.md "Working days"): 全国年节及纪念日放假办法
 * as in force since 1 January 2025 —
 * 元旦 1 day (1 January); 春节 4 days (除夕 to 初三); 清明节 1 day (the solar term 清明); 劳动节 2 days
 * (1–2 May); 端午节 1 day (lunar 5-5); 中秋节 1 day (lunar 8-15); 国庆节 3 days (1–3 October).
 *
 * This is the floor of a year's calendar: the State Council's yearly notice adds bridges and
 * make-up working days (调休) and never takes a statutory day away. Until a year's notice is
 * entered, its law-derived days are provisional. Weekends stay non-working; no make-up working
 * day is guessed.
 *
 * Pure: no I/O, no clock. Lunar→solar conversion and the solar term come from `lunar-typescript`
 * (6tail's lunar calendar, astronomical tables, MIT). The same law is applied to every year asked
 * for; for years before 2025 the seed uses the published notices instead (db/calendar.ts).
 */
import { Lunar, Solar } from 'lunar-typescript';

export interface StatutoryHoliday {
  /** YYYY-MM-DD (the date in China, UTC+8). */
  date: string;
  /** The holiday's Chinese name, e.g. 春节. */
  name: string;
}

/** The first and last year the conversion is checked for (lunar-typescript covers far more). */
export const HOLIDAY_YEARS = { min: 1901, max: 2099 } as const;

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (s: Solar) => `${s.getYear()}-${pad(s.getMonth())}-${pad(s.getDay())}`;

/** The statutory holidays of one (Gregorian) year, in date order. */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  if (!Number.isInteger(year) || year < HOLIDAY_YEARS.min || year > HOLIDAY_YEARS.max) {
    throw new RangeError(`no holiday computation for year ${year}`);
  }
  const days: StatutoryHoliday[] = [];
  const add = (date: string, name: string) => days.push({ date, name });

  add(`${year}-01-01`, '元旦');

  // 春节: 除夕 is the day before lunar 1-1 (the last day of lunar month 12, the 29th or the 30th),
  // then 初一 to 初三. Lunar new year always falls between 21 January and 20 February.
  const newYear = Lunar.fromYmd(year, 1, 1).getSolar();
  add(ymd(newYear.next(-1)), '春节');
  for (let i = 0; i < 3; i++) add(ymd(newYear.next(i)), '春节');

  // 清明: the day of the solar term (4, 5 or 6 April), which lies inside lunar year `year`.
  const qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明'];
  if (!qingming || qingming.getYear() !== year) throw new RangeError(`no 清明 found for ${year}`);
  add(ymd(qingming), '清明节');

  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  add(ymd(Lunar.fromYmd(year, 5, 5).getSolar()), '端午节');
  add(ymd(Lunar.fromYmd(year, 8, 15).getSolar()), '中秋节');
  for (const d of ['10-01', '10-02', '10-03']) add(`${year}-${d}`, '国庆节');

  // 中秋 can fall on 1–3 October (2020-10-01, 2001-10-01): one date, both names.
  const byDate = new Map<string, StatutoryHoliday>();
  for (const d of days) {
    const seen = byDate.get(d.date);
    if (seen) seen.name = `${seen.name}、${d.name}`;
    else byDate.set(d.date, { ...d });
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
