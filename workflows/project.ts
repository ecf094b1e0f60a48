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
import { nextShanghaiNewYear } from '../domain/dates.ts';
import { Project } from '../domain/project.ts';
import type { ProjectView } from '../domain/types.ts';
import { setProjectHandlers, submitStart } from './handlers.ts';
import { JobQueue, now } from './jobs.ts';
import type { ProjectWorkflowArgs } from './messages.ts';
import { ONE_LOCAL_ACTIVITY, PERSIST_IN_ONE_TRANSACTION, type PersistPath } from './persistence.ts';
import { JobRunner } from './runner.ts';
import { WakeTimer } from './wake.ts';

export { ONE_LOCAL_ACTIVITY, PERSIST_IN_ONE_TRANSACTION };

/** Continue as new well before Temporal's limits; a year of a busy project stays far below. */
const MAX_EVENTS_PER_RUN = 1_500;
/** A project whose application could not be stored waits this long for a retry, then ends unrecorded. */
const UNSTARTED_LIMIT_MS = 86_400_000;

/**
 * Runs started after this patch follow the measures as written (docs/MEASURES.md, `as-written`);
 * runs recorded before keep the earlier reading (`legacy`) so they replay exactly.
 */
export const MEASURES_AS_WRITTEN = 'measures-as-written';

/** Runs started after this patch keep one timer for the next wake-up (./wake.ts); before, a timer per loop pass. */
export const ONE_WAKE_TIMER = 'one-wake-timer';

/**
 * Art. 13-14, 17 (measures): runs started after this patch require the records the measures ask for
 * of new input (a contract's procurement method, the related units' opinions on a change request);
 * runs recorded before replay their signals as they ran.
 */
export const MEASURES_RECORDS = 'measures-records';

/**
 * Runs started after this patch keep the Art. 28-29 records of issue 15 (risk assessment before
 * technical acceptance, emergency plan before operation, drill reminders, incidents' recipients);
 * runs recorded before keep their behaviour (state flag `riskAndEmergency`).
 */
export const RISK_AND_EMERGENCY = 'risk-and-emergency';

/**
 * Issue 27, the measures as written (second reading): runs started after this patch suspend only for
 * no response or a rejected one (Art. 22), count filing lateness from signedOn (Art. 15), enter 公示
 * with the BDB's plan (Art. 11), keep the Art. 28-29 orders behind policy switches, and require the
 * approved estimate (Art. 8) and 落盘 (Art. 19); runs recorded before replay as they ran (state flag
 * `secondReading`).
 */
export const MEASURES_SECOND_READING = 'measures-second-reading';

/**
 * Art. 12 (issue 28): runs started after this patch let a county's finance disburse and give
 * opinions only on its own county's projects, each level from its own share (state flag
 * `financeJurisdiction`); runs recorded before keep their behaviour (the API refuses for them).
 */
export const FINANCE_JURISDICTION = 'finance-jurisdiction';

export async function projectWorkflow(args: ProjectWorkflowArgs): Promise<ProjectView> {
  const project = args.state
    ? Project.restore(args.state)
    : Project.create(
        args.input,
        patched(MEASURES_AS_WRITTEN) ? 'as-written' : 'legacy',
        patched(RISK_AND_EMERGENCY),
        patched(MEASURES_RECORDS),
        patched(MEASURES_SECOND_READING),
        patched(FINANCE_JURISDICTION),
      );
  const jobs = new JobQueue();
  // Before any handler is set: an Update that came with the start is delivered as soon as its
  // handler is, and must find the application's job already queued ahead of it.
  if (!args.state) submitStart(project, jobs);
  else {
    // A run continued from state: deadlines whose dates were not computed yet get them now.
    const pending = project.unscheduledDeadlines();
    if (pending.length > 0) jobs.submit({ prepare: () => ({ state: project.state, effects: pending.map((deadline) => ({ type: 'startDeadline' as const, deadline })) }) });
  }
  setProjectHandlers(project, jobs);

  const inOne = patched(PERSIST_IN_ONE_TRANSACTION);
  const wake = patched(ONE_WAKE_TIMER) ? new WakeTimer() : null;
  const path: PersistPath = !inOne ? 'activities' : patched(ONE_LOCAL_ACTIVITY) ? 'one-local' : 'local';
  const runner = new JobRunner(project, jobs, path);
  if (!inOne || jobs.queue.length === 0) await runner.recordCommitted();

  /** Set once the operating year changed (or Temporal suggests it); cleared only by continue-as-new. */
  let rollover = false;
  const startedAt = Date.now();

  for (;;) {
    const waiting = Date.now() < runner.retryAt;
    const nextWake = waiting ? runner.retryAt : Date.parse(project.nextWakeAt() ?? 'x');
    // Wake at the next deadline event (or retry) or at the next Asia/Shanghai new year, whichever is first.
    const wakeAt = Math.min(Number.isNaN(nextWake) ? Infinity : nextWake, nextShanghaiNewYear(Date.now()), project.started ? Infinity : startedAt + UNSTARTED_LIMIT_MS);
    const ready = () => runner.ready() || rollover;
    if (wake) {
      wake.set(wakeAt);
      await condition(() => ready() || wake.fired);
    } else await condition(ready, Math.max(1, wakeAt - Date.now()));

    await runner.drain();
    if (!project.started && jobs.startTicket === null && Date.now() >= startedAt + UNSTARTED_LIMIT_MS) break;
    if (Date.now() >= runner.retryAt && project.prepareDue(now())) {
      jobs.submit({ prepare: () => project.prepareDue(now()) });
      continue;
    }
    if (project.isTerminal()) break;

    if (project.yearEnded(now())) rollover = true;
    const info = workflowInfo();
    if (rollover || info.continueAsNewSuggested || info.historyLength > MAX_EVENTS_PER_RUN) {
      // Let running handlers finish first; a handler waiting for its change needs this loop, so
      // new work in the queue goes back to the top instead of deadlocking.
      await condition(() => jobs.queue.length > 0 || allHandlersFinished());
      if (jobs.queue.length === 0) await continueAsNew<(a: ProjectWorkflowArgs) => Promise<ProjectView>>({ state: project.state });
    }
  }
  await condition(allHandlersFinished);
  return project.view();
}
