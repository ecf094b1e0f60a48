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
    const wakeAt = Math.min(
      Number.isNaN(nextWake) ? Infinity : nextWake,
      nextShanghaiNewYear(Date.now()),
      project.started ? Infinity : startedAt + UNSTARTED_LIMIT_MS,
    );
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
      if (jobs.queue.length === 0)
        await continueAsNew<(a: ProjectWorkflowArgs) => Promise<ProjectView>>({ state: project.state });
    }
  }
  await condition(allHandlersFinished);
  return project.view();
}
