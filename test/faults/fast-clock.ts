/**
 * A faster clock for deadlines, so fault tests on the dev server (which cannot skip time) reach the
 * stages behind the 5-working-day publicity (Art. 11) and see durable timers fire. The real
 * calendar computes every date; only the instants handed to the workflow are brought closer to now
 * by `factor` (7 days ÷ 30,000 ≈ 20 s), so their order and the working-day rules hold. Given to the
 * worker as its `deadlineDates` (worker.ts), used by `computeDeadline` and `persistChange` alike.
 */
import { computeDeadline } from '../../db/calendar.ts';
import type { ActivityDeps } from '../../activities/index.ts';

export const DEADLINE_SPEEDUP = 30_000;

export function fastDeadlineDates(factor = DEADLINE_SPEEDUP): NonNullable<ActivityDeps['deadlineDates']> {
  const closer = (instant: string | null, now: number) =>
    instant === null ? null : new Date(now + Math.max(0, Date.parse(instant) - now) / factor).toISOString();
  return async (db, spec) => {
    const dates = await computeDeadline(db, spec);
    const now = Date.now();
    return { ...dates, dueAt: closer(dates.dueAt, now)!, remindAt: closer(dates.remindAt, now) };
  };
}
