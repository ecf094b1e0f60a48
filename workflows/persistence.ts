/**
 * The persistence pipeline of a prepared change (durable before visible): deadline dates from the
 * working-day calendar, then the change's writes — audit entries first (Art. 24-25), ledger
 * movements, notifications and the read model — in one local-activity transaction. The workflow
 * commits the change only when this succeeded.
 *
 * A local activity runs inside the workflow task (no task-queue round trip) and is retried only for
 * a bounded time here: a command waits a few seconds at most, then is refused as `unavailable`
 * (nothing applied, the API answers 503); a database refusal that no retry fixes is refused at once
 * as permanent. Either way no workflow task and no worker slot stays held by a write that fails.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  TemporalFailure,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { writesOf } from '../domain/effects.ts';
import { scheduleDeadline, scheduleDeadlines, type Change } from '../domain/project.ts';
import type { ProjectReadModel } from '../domain/view-shapes.ts';
import { readModel } from '../domain/view.ts';
import { AwaitingRole, FundsSuspended, NextDeadline, ProjectStage } from './search-attributes.ts';

/** Before PERSIST_IN_ONE_TRANSACTION: activities on the task queue, retried until they pass (kept for replay). */
const steps = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A few seconds in all, well inside the API's 10 s deadline, so the API hears the refusal itself. */
const local = proxyLocalActivities<Activities>({
  // persistEffects itself gives up after 1 s waiting for a lock or 2 s on a statement; three
  // attempts bound a command's wait (a count: the core enforces it whatever the workflow task does).
  startToCloseTimeout: '3 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '1 second',
    maximumAttempts: 3,
  },
});

/** How a persistence attempt ended. */
export type Persisted = { ok: true; model?: ProjectReadModel } | { ok: false; permanent: boolean; message: string };

/**
 * A non-retryable failure from the activity (the database refused for good), else a transient one
 * (a timeout, a lost connection). A local activity's failure may arrive wrapped in an
 * ActivityFailure or as the failure itself.
 */
function outcomeOf(err: unknown): Persisted {
  if (!(err instanceof TemporalFailure)) throw err;
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const permanent = cause instanceof ApplicationFailure && cause.nonRetryable === true;
  return { ok: false, permanent, message: cause.message };
}

/** Search attributes and the Temporal UI's details follow the state the change leads to. */
export class AttributeMirror {
  /** The attribute values last upserted, when only changes are upserted. */
  private last: string | undefined;

  /**
   * `onlyChanges` (runs taking ONE_LOCAL_ACTIVITY): upsert the search attributes only when one of
   * them changed, instead of at every change (an extra history event and command each time).
   */
  constructor(private readonly onlyChanges: boolean) {}

  show(model: ProjectReadModel): void {
    const attributes = {
      stage: model.view.stage,
      awaiting: model.awaitingRoles,
      suspended: model.view.funds.suspended,
      // null removes the attribute: no open deadline.
      deadline: model.nextDeadline ? new Date(model.nextDeadline) : null,
    };
    const key = JSON.stringify(attributes);
    if (!this.onlyChanges || key !== this.last) {
      upsertSearchAttributes([
        { key: ProjectStage, value: attributes.stage },
        { key: AwaitingRole, value: attributes.awaiting },
        { key: FundsSuspended, value: attributes.suspended },
        { key: NextDeadline, value: attributes.deadline },
      ]);
      this.last = key;
    }
    const waiting = model.view.pendingActions.map(
      (p) => `${p.role}: ${p.action}${p.dueAt ? ` (due ${p.dueAt.slice(0, 10)})` : ''}`,
    );
    setCurrentDetails(
      [
        `**${model.view.title}** — ${model.view.department}, ${model.view.jurisdiction}`,
        `Stage: ${model.view.stage}`,
        ...waiting,
      ].join('\n\n'),
    );
  }
}

/** Which persistence a run takes, from the patches it was started with (project.ts). */
export type PersistPath =
  /** Before PERSIST_IN_ONE_TRANSACTION: activities on the task queue. */
  | 'activities'
  /** PERSIST_IN_ONE_TRANSACTION: a local activity per deadline, then one for the writes. */
  | 'local'
  /** ONE_LOCAL_ACTIVITY: one local activity for the whole change. */
  | 'one-local';

export interface PersistOptions {
  path: PersistPath;
  mirror: AttributeMirror;
  /** Whether no other change waits (asked after the deadline dates): only then the 'local' path writes the read model. */
  isLast: () => boolean;
}

/**
 * Makes a change durable: computes its deadlines' dates into the change, then writes it. Never
 * throws for a database failure: the caller commits on `ok` and refuses otherwise. On the
 * 'one-local' path `model` is the read model written, which the search attributes already show.
 */
export async function persist(
  projectId: string,
  change: Change,
  { path, mirror, isLast }: PersistOptions,
): Promise<Persisted> {
  try {
    if (path === 'one-local') {
      for (const dates of await local.persistChange({ projectId, change })) scheduleDeadline(change, dates.id, dates);
      const model = readModel(change.state);
      mirror.show(model);
      return { ok: true, model };
    }
    await scheduleDeadlines(change, path === 'local' ? local.computeDeadline : steps.computeDeadline);
    const writes = writesOf(change.effects);
    if (path === 'activities') {
      // Audit first: every accepted action is on the trail before its consequences (Art. 24-25).
      if (writes.audit.length) await steps.appendAudit(projectId, writes.audit);
      if (writes.movements.length) await steps.bookFundMovements(writes.movements);
      if (writes.notifications.length) await steps.notify(writes.notifications);
      // The read model followed in a separate step, after the change was answered (recordReadModel).
      return { ok: true };
    }
    const model = isLast() ? readModel(change.state) : undefined;
    if (model) mirror.show(model);
    if (writes.audit.length || writes.movements.length || writes.notifications.length || model) {
      await local.persistEffects({ projectId, ...writes, model });
    }
    return { ok: true };
  } catch (err) {
    return outcomeOf(err);
  }
}

/** The read model of the committed state alone (first run of a continued project, old starts). */
export async function recordReadModel(
  model: ProjectReadModel,
  path: PersistPath,
  mirror: AttributeMirror,
): Promise<Persisted> {
  mirror.show(model);
  try {
    await (path === 'activities' ? steps : local).recordProject(model);
    return { ok: true };
  } catch (err) {
    return outcomeOf(err);
  }
}
