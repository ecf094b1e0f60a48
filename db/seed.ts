/**
 * Reference data every installation needs, inserted at start-up after the migrations and never
 * overwriting what an administrator changed:
 * - the State Council holiday calendar (statutory holidays and adjusted working weekends) from the
 *   maintained `chinese-days` package (its data covers 2004 to the latest published year; the next
 *   year's notice comes out each December — admins add it with PUT /v1/calendar/:year until the
 *   package is updated).
 */
import { createRequire } from 'node:module';
import type { Database } from './client.ts';
import { calendarDays } from './schema.ts';
import { seedCityPolicy } from './policies.ts';

interface ChineseDaysData {
  /** date → "English name,中文名,days" */
  holidays: Record<string, string>;
  /** adjusted working days (调休): date → the holiday they make up for */
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);

export function holidayCalendarRows() {
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const nameOf = (value: string) => {
    const [english, chinese] = value.split(',');
    return chinese ? `${chinese} ${english}` : (english ?? '');
  };
  return [
    ...Object.entries(data.holidays).map(([date, value]) => ({ date, workday: false, name: nameOf(value), source: 'chinese-days' as const })),
    ...Object.entries(data.workdays).map(([date, value]) => ({ date, workday: true, name: `调休 ${nameOf(value)}`, source: 'chinese-days' as const })),
  ];
}

export async function seedReferenceData(db: Database): Promise<void> {
  const rows = holidayCalendarRows();
  for (let i = 0; i < rows.length; i += 500) {
    // Admin overrides (source 'admin') win: existing dates are left alone.
    await db.insert(calendarDays).values(rows.slice(i, i + 500)).onConflictDoNothing({ target: calendarDays.date });
  }
}

/** Migrations, then reference data: what every entry point runs before serving. */
export async function prepareDatabase(handle: { db: Database; migrate(): Promise<void> }): Promise<void> {
  await handle.migrate();
  await seedReferenceData(handle.db);
  await seedCityPolicy(handle.db);
}
