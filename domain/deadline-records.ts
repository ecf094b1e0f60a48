/**
 * The deadline records of a project's state (Art. 16, 22, 23 and the others of
 * domain/deadline-kinds.ts): a new open record with the effect that asks the workflow to schedule
 * it, and which period or year the next recurring deadline is for. Pure: the calendar activity
 * computes the dates.
 */
import { maxPeriod, nextQuarter, quarterOf } from './calendar/dates.ts';
import type { Effect } from './effects.ts';
import type { DeadlineKind, DeadlineRule } from './deadline-kinds.ts';
import type { Duration } from './policy.ts';
import type { DeadlineRecord, ProjectState } from './state.ts';

/**
 * A deadline open without dates, numbered in the state (the caller records it), and the effect
 * that asks the workflow to schedule it.
 */
export function newDeadline(
  state: ProjectState,
  kind: DeadlineKind,
  ref: string | null,
  startsOn: string,
  rule: DeadlineRule,
  reminder: Duration | null,
): { record: DeadlineRecord; effect: Extract<Effect, { type: 'startDeadline' }> } {
  state.seq.deadline += 1;
  const d: DeadlineRecord = {
    id: `dl-${state.seq.deadline}`,
    kind,
    ref,
    startsOn,
    rule: { ...rule },
    reminder: reminder ? { ...reminder } : null,
    dueAt: null,
    remindAt: null,
    reminded: false,
    status: 'open',
    closedAt: null,
  };
  const start: Extract<Effect, { type: 'startDeadline' }>['deadline'] = {
    id: d.id,
    kind,
    startsOn,
    rule: { ...rule },
    reminder: reminder ? { ...reminder } : null,
  };
  if (ref !== null) start.ref = ref;
  return { record: d, effect: { type: 'startDeadline', deadline: start } };
}

/**
 * Art. 16: the earliest quarter not yet reported, not before the quarter of `today` and after the
 * last period already met or missed.
 */
export function nextProgressPeriod(state: ProjectState, today: string): string {
  let period = quarterOf(today);
  for (const d of state.deadlines) {
    if (d.kind === 'progress-report' && d.ref && (d.status === 'met' || d.status === 'missed')) {
      period = maxPeriod(period, nextQuarter(d.ref));
    }
  }
  while (state.progressReports.some((r) => r.period === period)) period = nextQuarter(period);
  return period;
}

/** Art. 23: the earliest operating year from `firstYear` on not yet evaluated nor met or missed. */
export function nextEvaluationYear(state: ProjectState, firstYear: number): number {
  let year = firstYear;
  for (const d of state.deadlines) {
    if (d.kind === 'annual-evaluation' && d.ref && (d.status === 'met' || d.status === 'missed')) {
      year = Math.max(year, Number(d.ref) + 1);
    }
  }
  while (state.evaluations.some((e) => e.year === year)) year += 1;
  return year;
}
