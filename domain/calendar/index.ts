/**
 * The calendar, in one place (docs/CALENDAR.md, docs/MEASURES.md "Working days"): Asia/Shanghai
 * dates, quarters and years (`dates.ts`), the holiday law's statutory holidays (`holidays.ts`) and
 * working days and deadline dates over a given calendar (`working-days.ts`). All pure: the stored
 * calendar is read by db/calendar.ts.
 *
 * The rest of domain/, the workflow code and the console import `dates.ts` itself: it needs no
 * holiday tables, so their bundles stay without `lunar-typescript`.
 */
export * from './dates.ts';
export * from './holidays.ts';
export * from './working-days.ts';
