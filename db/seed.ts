/**
 * Reference data every installation needs, inserted at start-up after the migrations and never
 * overwriting what an administrator changed:
 * - the working-day calendar (docs/MEASURES.md "Working days"; db/calendar.ts): the State Council
 *   notices of the years the maintained `chinese-days` package covers, and law-derived provisional
 *   holidays for the years up to next year + 1 it does not cover, until an administrator enters
 *   their notice with PUT /v1/calendar/:year;
 * - the city's deadline policy (Art. 30).
 */
import type { Database } from './client.ts';
import { seedCalendar } from './calendar.ts';
import { seedCityPolicy } from './policies.ts';

export async function seedReferenceData(db: Database, now = new Date()): Promise<void> {
  await seedCalendar(db, now);
}

/** Migrations, then reference data: what every entry point runs before serving. */
export async function prepareDatabase(handle: { db: Database; migrate(): Promise<void> }): Promise<void> {
  await handle.migrate();
  await seedReferenceData(handle.db);
  await seedCityPolicy(handle.db);
}
