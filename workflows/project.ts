/**
 * The project workflow: one per project, from application to decommissioning (Art. 3-29).
 *
 * A thin shell around the pure lifecycle core (./core): message handlers apply commands to the core
 * synchronously — so no two handlers interleave inside a rule — and queue the resulting effects; one
 * loop performs them in order through activities (deadline dates, ledger, audit, notifications,
 * read model) and sleeps on durable timers until the next reminder or due date. An Update returns
 * once its effects are durable, so a 200 from the API means the ledger and the audit trail have it.
 *
 * Deterministic code only: "now" is the workflow clock; calendars and I/O live in activities.
 * Long lives: the workflow continues as new at each operating-year boundary or when Temporal
 * suggests it, carrying the core's state, after every handler has finished.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities, EffectWrites, NotificationEntry } from '../activities/index.ts';
import type { AuditEntry } from '../activities/audit.ts';
import type { LedgerMovement } from '../activities/ledger.ts';
import { COMMAND_ACTIONS, COMMAND_NAMES, type Command, type CommandName } from '../domain/commands.ts';
import { SYSTEM_ACTOR, type Effect, type FundMovement } from '../domain/effects.ts';
import { isRejection, type Rejection } from '../domain/errors.ts';
import { Project } from '../domain/project.ts';
import type { Actor, ProjectInput, ProjectView } from '../domain/types.ts';
import { commandSignal, commandUpdate, viewQuery, type CommandMessage, type RejectionDetails } from './messages.ts';
import { AwaitingRole, FundsSuspended, NextDeadline, ProjectStage } from './search-attributes.ts';

// No maximum attempts: a database outage delays a step, it never drops one.
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const activities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });
/**
 * The same activities run inside the workflow task: no task-queue round trip per step. Safe because
 * each is idempotent (a local activity is at-least-once: a crashed worker's task is re-run).
 */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry });

/**
 * Runs recorded before this patch wrote each batch through 3-4 activities (audit, ledger,
 * notifications, then the read model); later ones write it in one local-activity transaction.
 */
export const PERSIST_IN_ONE_TRANSACTION = 'persist-effects-in-one-local-transaction';

/** Start arguments: a new application, or the state carried over by continue-as-new. */
export type ProjectWorkflowArgs = { input: ProjectInput; state?: undefined } | { state: Project['state']; input?: undefined };

/** Continue as new well before Temporal's limits; a year of a busy project stays far below. */
const MAX_EVENTS_PER_RUN = 1_500;

const now = () => new Date(Date.now()).toISOString();

/** The first instant of the next calendar year in Asia/Shanghai (UTC+8, no daylight saving). */
function nextShanghaiNewYear(ms: number): number {
  const shanghaiYear = new Date(ms + 8 * 3_600_000).getUTCFullYear();
  return Date.UTC(shanghaiYear + 1, 0, 1) - 8 * 3_600_000;
}

/** The article behind each kind of fund movement, for the ledger row finance reads. */
function articleOf(kind: FundMovement['kind'], reason: string | null): string {
  switch (kind) {
    case 'allocate':
      return 'Art. 10, 12';
    case 'publish':
      return 'Art. 11';
    case 'disburse':
      return 'Art. 10';
    case 'freeze':
    case 'unfreeze':
      return reason === 'completion-report' ? 'Art. 21' : 'Art. 22';
    case 'cancel':
      return 'Art. 22';
  }
}

const toFailure = (rejection: Rejection) =>
  ApplicationFailure.create({
    type: rejection.code,
    message: rejection.message,
    nonRetryable: true,
    details: [{ status: rejection.status, ...rejection.details } satisfies RejectionDetails],
  });

export async function projectWorkflow(args: ProjectWorkflowArgs): Promise<ProjectView> {
  const project = args.state ? Project.restore(args.state) : Project.create(args.input);
  const projectId = project.view().id;

  /** Effects waiting for the loop, each batch tagged with a ticket its handler can wait for. */
  const queue: Array<{ ticket: number; effects: Effect[] }> = [];
  let issued = 0;
  let done = 0;

  const submit = (effects: Effect[]): number => {
    queue.push({ ticket: ++issued, effects });
    return issued;
  };

  const command = (name: CommandName, message: CommandMessage): { command: Command; actor: Actor } => {
    const { actor, ...payload } = message as CommandMessage & Record<string, unknown>;
    return { command: { name, payload } as Command, actor };
  };

  setHandler(viewQuery, () => project.view());

  for (const name of COMMAND_NAMES) {
    setHandler(
      commandUpdate(name),
      async (message) => {
        const { command: cmd, actor } = command(name, message);
        let effects: Effect[];
        try {
          effects = project.apply(cmd, actor, now());
        } catch (err) {
          if (isRejection(err)) throw toFailure(err);
          throw err;
        }
        const ticket = submit(effects);
        await condition(() => done >= ticket);
        return project.view();
      },
      {
        validator: (message) => {
          const { command: cmd, actor } = command(name, message);
          try {
            project.check(cmd, actor, now());
          } catch (err) {
            if (isRejection(err)) throw toFailure(err);
            throw err;
          }
        },
      },
    );

    // Signals cannot answer: an invalid one is logged and put on the audit trail as rejected.
    setHandler(commandSignal(name), (message) => {
      const { command: cmd, actor } = command(name, message ?? {});
      try {
        submit(project.apply(cmd, actor, now()));
      } catch (err) {
        const reason = isRejection(err) ? `${err.code}: ${err.message}` : String(err);
        log.warn('signal rejected', { projectId, signal: name, reason });
        submit([
          {
            type: 'audit',
            action: `${COMMAND_ACTIONS[name]}-rejected`,
            actor: actor ?? { keyId: 'unknown', role: 'admin', name: 'unknown (signal without actor)' },
            at: now(),
            detail: { signal: name, reason },
          },
        ]);
      }
    });
  }

  /**
   * Turns one batch of effects into the rows it writes, in order; deadline dates are computed on
   * the way (through `computeDeadline`) and flow back into the core.
   */
  async function collect(
    effects: Effect[],
    computeDeadline: Activities['computeDeadline'],
  ): Promise<Omit<EffectWrites, 'model'>> {
    const audit: AuditEntry[] = [];
    const movements: LedgerMovement[] = [];
    const notes: NotificationEntry[] = [];
    let lastActor: Actor | undefined;
    for (const effect of effects) {
      switch (effect.type) {
        case 'audit':
          lastActor = effect.actor;
          audit.push({
            eventId: `${projectId}:audit:${project.nextEventNumber()}`,
            at: effect.at,
            action: effect.action,
            actor: effect.actor,
            detail: effect.detail,
          });
          break;
        case 'fundMovement': {
          const m = effect.movement;
          const allocation = m.allocationId ? project.state.allocations.find((a) => a.id === m.allocationId) : undefined;
          const isAllocation = m.kind === 'allocate' && allocation !== undefined;
          movements.push({
            idempotencyKey: m.key,
            projectId,
            fundType: m.fundType,
            kind: m.kind,
            amountFen: m.amountFen,
            from: m.from,
            to: m.to,
            // Art. 12: the city and county shares of an allocation, on its ledger row.
            cityShareFen: isAllocation ? allocation.cityShareFen : null,
            countyShareFen: isAllocation ? allocation.countyShareFen : null,
            year: allocation?.year ?? null,
            article: articleOf(m.kind, m.reason),
            reason: m.reason ?? m.kind,
            // Who caused it: the command's actor, or the system for a deadline's consequence.
            actor: lastActor ?? SYSTEM_ACTOR,
            at: m.at,
          });
          break;
        }
        case 'notify':
          notes.push({
            eventId: `${projectId}:notify:${project.nextEventNumber()}`,
            projectId,
            recipient: effect.recipient,
            kind: effect.kind,
            detail: effect.detail,
            dueAt: effect.dueAt ?? null,
            at: now(),
          });
          break;
        case 'startDeadline': {
          const d = effect.deadline;
          const dates = await computeDeadline({ startsOn: d.startsOn, rule: d.rule, reminder: d.reminder });
          project.setDeadlineDates(d.id, { dueAt: dates.dueAt, remindAt: dates.remindAt });
          break;
        }
      }
    }
    return { projectId, audit, movements, notifications: notes };
  }

  /** Before PERSIST_IN_ONE_TRANSACTION: one activity per kind of write (kept for replay). */
  async function performInSteps(effects: Effect[]): Promise<void> {
    const { audit, movements, notifications: notes } = await collect(effects, activities.computeDeadline);
    // Audit first: every accepted action is on the trail before its consequences (Art. 24-25).
    if (audit.length) await activities.appendAudit(projectId, audit);
    if (movements.length) await activities.bookFundMovements(movements);
    if (notes.length) await activities.notify(notes);
  }

  /**
   * One batch in one local-activity transaction: audit (first, Art. 24-25), ledger, notifications
   * and — when no other batch waits — the read model with the search attributes.
   */
  async function performInOne(effects: Effect[]): Promise<void> {
    const writes = await collect(effects, local.computeDeadline);
    const model = queue.length === 0 ? publishAttributes() : undefined;
    if (writes.audit.length || writes.movements.length || writes.notifications.length || model) {
      await local.persistEffects({ ...writes, model });
    }
  }

  /** Search attributes and UI details follow every change; returns the read model they came from. */
  function publishAttributes() {
    const model = project.readModel();
    upsertSearchAttributes([
      { key: ProjectStage, value: model.view.stage },
      { key: AwaitingRole, value: model.awaitingRoles },
      { key: FundsSuspended, value: model.view.funds.suspended },
      // null removes the attribute: no open deadline.
      { key: NextDeadline, value: model.nextDeadline ? new Date(model.nextDeadline) : null },
    ]);
    const waiting = model.view.pendingActions.map((p) => `${p.role}: ${p.action}${p.dueAt ? ` (due ${p.dueAt.slice(0, 10)})` : ''}`);
    setCurrentDetails(
      [`**${model.view.title}** — ${model.view.department}, ${model.view.jurisdiction}`, `Stage: ${model.view.stage}`, ...waiting].join('\n\n'),
    );
    return model;
  }

  /** The read model, search attributes and UI details follow every change. */
  async function publish(): Promise<void> {
    await activities.recordProject(publishAttributes());
  }

  if (!args.state) submit(project.start(now()));
  else {
    // A run continued from state: deadlines whose dates were not computed yet get them now.
    const pending = project.unscheduledDeadlines();
    if (pending.length > 0) submit(pending.map((deadline) => ({ type: 'startDeadline', deadline }) as Effect));
  }
  const inOne = patched(PERSIST_IN_ONE_TRANSACTION);
  if (!inOne) await publish();
  // With one transaction per batch the first batch carries the read model.
  else if (queue.length === 0) await local.recordProject(publishAttributes());

  /** Set once the operating year changed (or Temporal suggests it); cleared only by continue-as-new. */
  let rollover = false;

  for (;;) {
    const nextWake = project.nextWakeAt();
    // Wake at the next deadline event or at the next Asia/Shanghai new year, whichever is first.
    const wakeAt = Math.min(nextWake ? Date.parse(nextWake) : Infinity, nextShanghaiNewYear(Date.now()));
    await condition(() => queue.length > 0 || rollover, Math.max(1, wakeAt - Date.now()));

    while (queue.length > 0) {
      const batch = queue.shift()!;
      await (inOne ? performInOne : performInSteps)(batch.effects);
      done = batch.ticket;
      // The old path publishes the read model after the last batch; the new one within it.
      if (!inOne && queue.length === 0) await publish();
    }
    const due = project.fireDue(now());
    if (due.length > 0) {
      submit(due);
      continue;
    }
    if (project.isTerminal()) break;

    if (project.yearEnded(now())) rollover = true;
    const info = workflowInfo();
    if (rollover || info.continueAsNewSuggested || info.historyLength > MAX_EVENTS_PER_RUN) {
      // Let running handlers finish first; a handler waiting for its effects needs this loop, so
      // new work in the queue goes back to the top instead of deadlocking.
      await condition(() => queue.length > 0 || allHandlersFinished());
      if (queue.length === 0) await continueAsNew<typeof projectWorkflow>({ state: project.state });
    }
  }
  await condition(allHandlersFinished);
  return project.view();
}
