/**
 * The project workflow: one per project, from application to decommissioning (Art. 3-29).
 *
 * A thin shell around the pure lifecycle core (../domain). Every change — the application, a
 * command sent as an Update or a signal, a deadline falling due — is a job in one queue, run one at
 * a time: the core prepares the change on a copy, the persistence pipeline (./persistence.ts) makes
 * its effects durable, and only then is it committed and answered ("durable before visible"). A
 * change the database cannot store is refused and leaves the state as it was; the workflow goes on.
 *
 * Deterministic code only: "now" is the workflow clock; calendars and I/O live in activities.
 * Long lives: the workflow continues as new at each operating-year boundary or when Temporal
 * suggests it, carrying the core's state, after every handler has finished.
 */
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { COMMAND_NAMES, type Command, type CommandName } from '../domain/commands.ts';
import { nextShanghaiNewYear } from '../domain/dates.ts';
import { isRejection, Rejection } from '../domain/errors.ts';
import { Project, type Change } from '../domain/project.ts';
import type { Actor, ProjectView } from '../domain/types.ts';
import {
  applicationUpdate,
  commandSignal,
  commandUpdate,
  PERSISTENCE_FAILED,
  UNAVAILABLE,
  viewQuery,
  type ProjectWorkflowArgs,
  type RejectionDetails,
} from './messages.ts';
import { failure, JobQueue, toFailure, unpack, type Job, type Outcome } from './jobs.ts';
import { PERSIST_IN_ONE_TRANSACTION, persist, mirrorAttributes, recordReadModel } from './persistence.ts';
import { WakeTimer } from './wake.ts';

export { PERSIST_IN_ONE_TRANSACTION };

/** Continue as new well before Temporal's limits; a year of a busy project stays far below. */
const MAX_EVENTS_PER_RUN = 1_500;
/** An Update that waited this long behind others is refused unapplied: its caller is about to give up. */
const UPDATE_QUEUE_LIMIT_MS = 5_000;
/** After a background change (deadline, signal) failed to persist: first and longest pause. */
const BACKOFF_MS = { first: 10_000, max: 600_000 };
/** A project whose application could not be stored waits this long for a retry, then ends unrecorded. */
const UNSTARTED_LIMIT_MS = 86_400_000;

const now = () => new Date(Date.now()).toISOString();


/**
 * Runs started after this patch follow the measures as written (shared/DOMAIN.md, `as-written`);
 * runs recorded before keep the earlier reading (`legacy`) so they replay exactly.
 */
export const MEASURES_AS_WRITTEN = 'measures-as-written';

/** Runs started after this patch keep one timer for the next wake-up (./wake.ts); before, a timer per loop pass. */
export const ONE_WAKE_TIMER = 'one-wake-timer';

/**
 * Runs started after this patch keep the Art. 28-29 records of issue 15 (risk assessment before
 * technical acceptance, emergency plan before operation, drill reminders, incidents' recipients);
 * runs recorded before keep their behaviour (state flag `riskAndEmergency`).
 */
export const RISK_AND_EMERGENCY = 'risk-and-emergency';

export async function projectWorkflow(args: ProjectWorkflowArgs): Promise<ProjectView> {
  const project = args.state
    ? Project.restore(args.state)
    : Project.create(args.input, patched(MEASURES_AS_WRITTEN) ? 'as-written' : 'legacy', patched(RISK_AND_EMERGENCY));
  const projectId = project.state.input.id;
  const jobs = new JobQueue();
  const { queue } = jobs;
  const submit = (job: Omit<Job, 'ticket'>) => jobs.submit(job);
  const settled = (ticket: number) => jobs.settled(ticket);
  /** The job storing the application, while it waits or runs. */
  let startTicket: number | null = null;
  const commandOf = (name: CommandName, payload: unknown) => ({ name, payload }) as Command;
  /** Until the application is stored the project does not exist for anyone. */
  const prepare = (name: CommandName, payload: unknown, actor: Actor) => {
    if (!project.started) throw new Rejection(404, 'not_found', `Project ${projectId} does not exist yet.`);
    return project.prepare(commandOf(name, payload), actor, now());
  };
  /**
   * An Update's validator prepares the change already; its handler reuses it when nothing was
   * committed in between and the clock has not moved (validators do not run on replay: the handler
   * then prepares the same change itself).
   */
  const validated = new WeakMap<object, { version: number; at: number; change: Change }>();
  const prepareUpdate = (message: object, name: CommandName, payload: unknown, actor: Actor) => {
    const cached = validated.get(message);
    validated.delete(message);
    if (cached && cached.version === project.state.version && cached.at === Date.now()) return cached.change;
    return prepare(name, payload, actor);
  };

  const submitStart = () => (startTicket = submit({ prepare: () => project.prepareStart(now()) }));
  // Before any handler is set: an Update that came with the start is delivered as soon as its
  // handler is, and must find the application's job already queued ahead of it.
  if (!args.state) submitStart();
  else {
    // A run continued from state: deadlines whose dates were not computed yet get them now.
    const pending = project.unscheduledDeadlines();
    if (pending.length > 0) submit({ prepare: () => ({ state: project.state, effects: pending.map((deadline) => ({ type: 'startDeadline' as const, deadline })) }) });
  }

  setHandler(viewQuery, () => project.view());

  for (const name of COMMAND_NAMES) {
    setHandler(
      commandUpdate(name),
      (message) => {
        const { payload, actor, attempt } = unpack(message);
        return settled(submit({ prepare: () => prepareUpdate(message, name, payload, actor), update: { acceptedAt: Date.now(), attempt, label: name } }));
      },
      {
        validator: (message) => {
          const { payload, actor, attempt } = unpack(message);
          // While the application is still being stored the command waits in the queue behind it.
          if (!project.started && startTicket !== null) return;
          try {
            validated.set(message, { version: project.state.version, at: Date.now(), change: prepare(name, payload, actor) });
          } catch (err) {
            throw isRejection(err) ? toFailure(err, attempt) : err;
          }
        },
      },
    );
    // Signals cannot answer: an invalid one is logged and put on the audit trail as rejected.
    setHandler(commandSignal(name), (message) => {
      submit({
        prepare: () => {
          const { payload, actor } = unpack(message);
          try {
            return prepare(name, payload, actor);
          } catch (err) {
            const reason = isRejection(err) ? `${err.code}: ${err.message}` : String(err);
            log.warn('signal rejected', { projectId, signal: name, reason });
            return project.prepareRejection(name, actor, reason, now());
          }
        },
      });
    });
  }

  // Creation: answered once the application's audit entry and read-model row are durable.
  setHandler(applicationUpdate, async ({ attempt } = {}) => {
    if (project.started) return project.view();
    const ticket = startTicket ?? submitStart();
    try {
      return await settled(ticket);
    } catch (err) {
      if (err instanceof ApplicationFailure) throw failure(err.type ?? UNAVAILABLE, err.message, { ...(err.details?.[0] as RejectionDetails), attempt });
      throw err;
    }
  });

  const inOne = patched(PERSIST_IN_ONE_TRANSACTION);
  const wake = patched(ONE_WAKE_TIMER) ? new WakeTimer() : null;
  if (!inOne || queue.length === 0) await recordReadModel(project.readModel(), inOne);

  let backoffMs = 0;
  let retryAt = 0;
  /** Runs one job: prepare, persist, then commit and answer — or refuse with the state unchanged. */
  async function run(job: Job): Promise<void> {
    const answer = (outcome: Outcome) => jobs.answer(job.ticket, outcome);
    const attempt = job.update?.attempt;
    if (job.update && Date.now() - job.update.acceptedAt > UPDATE_QUEUE_LIMIT_MS) {
      answer({ ok: false, failure: failure(UNAVAILABLE, 'The project was busy; nothing was applied, try again.', { status: 503, attempt }) });
      return;
    }
    let change: Change | null;
    try {
      change = job.prepare();
    } catch (err) {
      if (!isRejection(err)) throw err;
      answer({ ok: false, failure: toFailure(err, attempt) });
      return;
    }
    const persisted = change ? await persist(projectId, change, { inOne, isLast: () => queue.length === 0 }) : ({ ok: true } as const);
    if (persisted.ok) {
      if (change) project.commit(change);
      backoffMs = 0;
      if (job.ticket === startTicket) startTicket = null;
      answer({ ok: true, view: project.view() });
      // Runs from before PERSIST_IN_ONE_TRANSACTION wrote the read model after answering.
      if (!inOne && queue.length === 0) await recordReadModel(project.readModel(), false);
      return;
    }
    // Nothing is committed (the transaction rolled back): the search attributes follow the committed state again.
    mirrorAttributes(project.readModel());
    if (persisted.permanent) log.error('the database refused a change; nothing applied', { projectId, job: job.update?.label ?? 'background', error: persisted.message });
    else log.warn('the database is unavailable; nothing applied', { projectId, job: job.update?.label ?? 'background', error: persisted.message });
    if (jobs.isAwaited(job.ticket)) {
      answer({
        ok: false,
        failure: persisted.permanent
          ? failure(PERSISTENCE_FAILED, 'The database refused to store this change; nothing was applied.', { status: 500, attempt })
          : failure(UNAVAILABLE, 'The database is unavailable; nothing was applied, try again.', { status: 503, attempt }),
      });
      if (job.ticket === startTicket) startTicket = null;
      return;
    }
    // A background change (deadline, signal, a start nobody awaits) is tried again after a pause.
    if (!persisted.permanent) queue.unshift(job);
    else if (job.ticket === startTicket) startTicket = null;
    backoffMs = Math.min(BACKOFF_MS.max, backoffMs ? backoffMs * 2 : BACKOFF_MS.first);
    retryAt = Date.now() + backoffMs;
  }

  /** Set once the operating year changed (or Temporal suggests it); cleared only by continue-as-new. */
  let rollover = false;
  const startedAt = Date.now();

  for (;;) {
    const waiting = Date.now() < retryAt;
    const nextWake = waiting ? retryAt : Date.parse(project.nextWakeAt() ?? 'x');
    // Wake at the next deadline event (or retry) or at the next Asia/Shanghai new year, whichever is first.
    const wakeAt = Math.min(Number.isNaN(nextWake) ? Infinity : nextWake, nextShanghaiNewYear(Date.now()), project.started ? Infinity : startedAt + UNSTARTED_LIMIT_MS);
    const ready = () => (queue.length > 0 && !(Date.now() < retryAt && !queue[0]!.update)) || rollover;
    if (wake) {
      wake.set(wakeAt);
      await condition(() => ready() || wake.fired);
    } else await condition(ready, Math.max(1, wakeAt - Date.now()));

    while (queue.length > 0 && !(Date.now() < retryAt && !queue[0]!.update)) await run(queue.shift()!);
    if (!project.started && startTicket === null && Date.now() >= startedAt + UNSTARTED_LIMIT_MS) break;
    if (Date.now() >= retryAt && project.prepareDue(now())) {
      submit({ prepare: () => project.prepareDue(now()) });
      continue;
    }
    if (project.isTerminal()) break;

    if (project.yearEnded(now())) rollover = true;
    const info = workflowInfo();
    if (rollover || info.continueAsNewSuggested || info.historyLength > MAX_EVENTS_PER_RUN) {
      // Let running handlers finish first; a handler waiting for its change needs this loop, so
      // new work in the queue goes back to the top instead of deadlocking.
      await condition(() => queue.length > 0 || allHandlersFinished());
      if (queue.length === 0) await continueAsNew<(a: ProjectWorkflowArgs) => Promise<ProjectView>>({ state: project.state });
    }
  }
  await condition(allHandlersFinished);
  return project.view();
}
