/**
 * The project workflow: one per project, from application to decommissioning (Art. 3-29).
 *
 * A thin shell around the pure lifecycle core (../domain). Every change — the application, a
 * command sent as an Update or a signal (./handlers.ts), a deadline falling due — is a job in one
 * queue (./jobs.ts), run one at a time (./runner.ts): the core prepares the change on a copy, the
 * persistence pipeline (./persistence.ts) makes its effects durable, and only then is it committed
 * and answered ("durable before visible"). A change the database cannot store is refused and leaves
 * the state as it was; the workflow goes on.
 *
 * Deterministic code only: "now" is the workflow clock; calendars and I/O live in activities.
 * Long lives: the workflow continues as new at each operating-year boundary or when Temporal
 * suggests it, carrying the core's state, after every handler has finished.
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { nextShanghaiNewYear } from '../domain/calendar/dates.ts';
import { Project } from '../domain/project.ts';
import type { ProjectView } from '../domain/view-shapes.ts';
import { setProjectHandlers, submitStart } from './handlers.ts';
import { JobQueue, now } from './jobs.ts';
import type { ProjectWorkflowArgs } from './messages.ts';
import {
  FINANCE_JURISDICTION,
  MEASURES_AS_WRITTEN,
  MEASURES_RECORDS,
  MEASURES_SECOND_READING,
  ONE_LOCAL_ACTIVITY,
  ONE_WAKE_TIMER,
  PERSIST_IN_ONE_TRANSACTION,
  RISK_AND_EMERGENCY,
  UPDATES_RUN_THEMSELVES,
} from './patches.ts'; // each id and what it changed: the register in ./patches.ts
import type { PersistPath } from './persistence.ts';
import { JobRunner } from './runner.ts';
import { WakeTimer } from './wake.ts';

/** Continue as new well before Temporal's limits; a year of a busy project stays far below. */
const MAX_EVENTS_PER_RUN = 1_500;
/** A project whose application could not be stored waits this long for a retry, then ends unrecorded. */
const UNSTARTED_LIMIT_MS = 86_400_000;

export async function projectWorkflow(args: ProjectWorkflowArgs): Promise<ProjectView> {
  const project = args.state
    ? Project.restore(args.state)
    : // The patches are asked in this order in every history: keep it.
      Project.create(args.input, {
        measures: patched(MEASURES_AS_WRITTEN) ? 'as-written' : 'legacy',
        riskAndEmergency: patched(RISK_AND_EMERGENCY),
        measuresRecords: patched(MEASURES_RECORDS),
        secondReading: patched(MEASURES_SECOND_READING),
        financeJurisdiction: patched(FINANCE_JURISDICTION),
      });
  const jobs = new JobQueue();
  // Before any handler is set: an Update that came with the start is delivered as soon as its
  // handler is, and must find the application's job already queued ahead of it.
  if (!args.state) submitStart(project, jobs);
  else {
    // A run continued from state: deadlines whose dates were not computed yet get them now.
    const pending = project.unscheduledDeadlines();
    if (pending.length > 0)
      jobs.submit({
        prepare: () => ({
          state: project.state,
          effects: pending.map((deadline) => ({ type: 'startDeadline' as const, deadline })),
        }),
      });
  }
  /** UPDATES_RUN_THEMSELVES: the runner an idle project's Updates run their jobs on (set below). */
  let direct: JobRunner | undefined;
  setProjectHandlers(project, jobs, () => direct);

  const inOne = patched(PERSIST_IN_ONE_TRANSACTION);
  const wake = patched(ONE_WAKE_TIMER) ? new WakeTimer() : null;
  const path: PersistPath = !inOne ? 'activities' : patched(ONE_LOCAL_ACTIVITY) ? 'one-local' : 'local';
  const runner = new JobRunner(project, jobs, path);
  const runsThemselves = patched(UPDATES_RUN_THEMSELVES) && wake !== null && path === 'one-local';
  if (!inOne || jobs.queue.length === 0) await runner.recordCommitted();

  /** Set once the operating year changed (or Temporal suggests it); cleared only by continue-as-new. */
  let rollover = false;
  /** A job an Update ran itself left work for the loop (UPDATES_RUN_THEMSELVES). */
  let loopWanted = false;
  const startedAt = Date.now();
  // Wake at the next deadline event (or retry) or at the next Asia/Shanghai new year, whichever is first.
  const nextWake = () => {
    const at = Date.now() < runner.retryAt ? runner.retryAt : Date.parse(project.nextWakeAt() ?? 'x');
    return Math.min(
      Number.isNaN(at) ? Infinity : at,
      nextShanghaiNewYear(Date.now()),
      project.started ? Infinity : startedAt + UNSTARTED_LIMIT_MS,
    );
  };
  const continueAsNewDue = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > MAX_EVENTS_PER_RUN;
  };
  if (runsThemselves) {
    direct = runner;
    // After a job an Update ran itself the loop sleeps on unless the change left it work: the
    // wake-up instant is re-armed here (a new deadline), the rest — a deadline already due, the
    // end, the year's turn, continue-as-new — wakes the loop, which does what it does after a drain.
    runner.afterRunNow = () => {
      if (
        project.isTerminal() ||
        project.yearEnded(now()) ||
        continueAsNewDue() ||
        (Date.now() >= runner.retryAt && project.prepareDue(now()) !== null)
      )
        loopWanted = true;
      else wake.set(nextWake());
    };
  }

  for (;;) {
    const ready = () => runner.ready() || rollover || loopWanted;
    // With work ready the loop goes straight on (UPDATES_RUN_THEMSELVES): the timer is re-armed
    // when it next waits, not for an instant the work is about to move.
    if (!(runsThemselves && ready())) {
      const wakeAt = nextWake();
      if (wake) {
        wake.set(wakeAt);
        await condition(() => ready() || wake.fired);
      } else await condition(ready, Math.max(1, wakeAt - Date.now()));
    }
    loopWanted = false;

    await runner.drain();
    if (!project.started && jobs.startTicket === null && Date.now() >= startedAt + UNSTARTED_LIMIT_MS) break;
    if (Date.now() >= runner.retryAt && project.prepareDue(now())) {
      jobs.submit({ prepare: () => project.prepareDue(now()) });
      continue;
    }
    if (project.isTerminal()) break;

    if (project.yearEnded(now())) rollover = true;
    if (rollover || continueAsNewDue()) {
      // Let running handlers finish first; a handler waiting for its change needs this loop, so
      // new work in the queue goes back to the top instead of deadlocking.
      await condition(() => jobs.queue.length > 0 || allHandlersFinished());
      if (jobs.queue.length === 0)
        await continueAsNew<(a: ProjectWorkflowArgs) => Promise<ProjectView>>({ state: project.state });
    }
  }
  await condition(allHandlersFinished);
  return project.view();
}
