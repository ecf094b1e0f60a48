/**
 * A faster clock for deadlines, so fault tests on the dev server (which cannot skip time) reach the
 * stages behind the 5-working-day publicity (Art. 11) and see durable timers fire. The real
 * calendar activity computes every date; only the instants handed to the workflow are brought
 * closer to now by `factor` (7 days ÷ 30,000 ≈ 20 s), so their order and the working-day rules hold.
 */
import type { Activities } from '../../activities/index.ts';

export const DEADLINE_SPEEDUP = 30_000;

export function withFastDeadlines(base: Activities, factor = DEADLINE_SPEEDUP): Activities {
  const closer = (instant: string | null, now: number) =>
    instant === null ? null : new Date(now + Math.max(0, Date.parse(instant) - now) / factor).toISOString();
  return {
    ...base,
    async computeDeadline(spec) {
      const dates = await base.computeDeadline(spec);
      const now = Date.now();
      return { ...dates, dueAt: closer(dates.dueAt, now)!, remindAt: closer(dates.remindAt, now) };
    },
  };
}
