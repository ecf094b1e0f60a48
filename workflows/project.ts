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
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { LedgerMovement } from '../activities/ledger.ts';
import { COMMAND_ACTIONS, COMMAND_NAMES, type Command, type CommandName } from './core/commands.ts';
import type { Effect } from './core/effects.ts';
import { isRejection, type Rejection } from './core/errors.ts';
import { Project } from './core/project.ts';
import type { Actor, ProjectInput, ProjectView } from './core/types.ts';
import { commandSignal, commandUpdate, viewQuery, type CommandMessage, type RejectionDetails } from './messages.ts';
import { AwaitingRole, FundsSuspended, NextDeadline, ProjectStage } from './search-attributes.ts';

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // No maximum attempts: a database outage delays a step, it never drops one.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Start arguments: a new application, or the state carried over by continue-as-new. */
export type ProjectWorkflowArgs = { input: ProjectInput; state?: undefined } | { state: Project['state']; input?: undefined };

/** Continue as new well before Temporal's limits; a year of a busy project stays far below. */
const MAX_EVENTS_PER_RUN = 1_500;

const now = () => new Date(Date.now()).toISOString();

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

  /** Performs one batch of effects in order; deadline dates flow back into the core. */
  async function perform(effects: Effect[]): Promise<void> {
    const audit = [];
    const movements: LedgerMovement[] = [];
    const notes = [];
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
          movements.push({
            idempotencyKey: m.key,
            projectId,
            fundType: m.fundType,
            kind: m.kind,
            amountFen: m.amountFen,
            from: m.from,
            to: m.to,
            reason: m.reason ?? '',
            actor: lastActor ?? { keyId: 'system', role: 'bdb', name: 'system' },
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
          const dates = await activities.computeDeadline({ startsOn: d.startsOn, rule: d.rule, reminder: d.reminder });
          project.setDeadlineDates(d.id, { dueAt: dates.dueAt, remindAt: dates.remindAt });
          break;
        }
      }
    }
    // Audit first: every accepted action is on the trail before its consequences (Art. 24-25).
    if (audit.length) await activities.appendAudit(projectId, audit);
    if (movements.length) await activities.bookFundMovements(movements);
    if (notes.length) await activities.notify(notes);
  }

  /** The read model, search attributes and UI details follow every change. */
  async function publish(): Promise<void> {
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
    await activities.recordProject(model);
  }

  if (!args.state) submit(project.start(now()));
  await publish();

  for (;;) {
    const nextWake = project.nextWakeAt();
    const timeout = nextWake ? Math.max(0, Date.parse(nextWake) - Date.now()) : undefined;
    const woke = timeout === undefined ? (await condition(() => queue.length > 0), true) : await condition(() => queue.length > 0, timeout);

    while (queue.length > 0) {
      const batch = queue.shift()!;
      await perform(batch.effects);
      done = batch.ticket;
      if (queue.length === 0) await publish();
    }
    if (!woke || (nextWake && Date.parse(nextWake) <= Date.now())) {
      const effects = project.fireDue(now());
      if (effects.length > 0) submit(effects);
      continue;
    }

    if (project.isTerminal() && queue.length === 0) break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_EVENTS_PER_RUN || project.yearEnded(now())) {
      await condition(allHandlersFinished);
      if (queue.length === 0) await continueAsNew<typeof projectWorkflow>({ state: project.state });
    }
  }
  await condition(allHandlersFinished);
  return project.view();
}
