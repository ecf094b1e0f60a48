/**
 * The API's only door to Temporal: starts project workflows and asks them for their view, and turns
 * Temporal's failures into problems (not found → 404, unreachable → 503 with Retry-After).
 *
 * A 503 means nothing was applied (docs/API.md "Outcomes"). Every creation and command carries an update id
 * the API chose, so when Temporal does not answer within the deadline the API asks Temporal for that
 * update's outcome and waits for it : the result (201/200), the
 * refusal, a 503 only when Temporal says the update does not exist — or, still unknown after the
 * wait, OutcomePending (202 with where to look), never "nothing applied".
 */
import { randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  Client,
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { tsToMs } from '@temporalio/common';
// CommonJS package: Node's ESM loader exposes it as a default export only.
import proto from '@temporalio/proto';
import type { CommandInputs, CommandName } from '../domain/commands.ts';
import { STATUS_TITLES } from '../domain/labels/problems.ts';
import type { ProjectInput } from '../domain/project-input.ts';
import type { ProjectView } from '../domain/view-shapes.ts';
import { initialStageOf, type Actor } from '../domain/vocabulary.ts';
import {
  applicationUpdate,
  commandUpdate,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  UNAVAILABLE,
  viewQuery,
  type ProjectWorkflow,
  type RejectionDetails,
} from '../workflows/messages.ts';
import { Department, Jurisdiction, ProjectStage } from '../workflows/search-attributes.ts';
import { observeTemporalCall } from './metrics.ts';
import { ApiError, causeChain, notFound, unavailable } from './problem.ts';

/** Update ids tried under one Idempotency-Key before the API gives up (each earlier one failed unapplied). */
const MAX_RETRIED_ATTEMPTS = 50;

/**
 * A long poll lasts up to a minute (matching.longPollExpirationInterval), so a live idle worker was
 * last seen up to a minute ago; one not seen for longer is gone or wedged. Whether a worker seen
 * within this is still alive the workers' heartbeats say, in seconds (db/queries/workers.ts).
 */
const POLLER_FRESH_MS = 70_000;

/** /readyz answers within a second: each of its calls has this long. */
export const READINESS_DEADLINE_MS = 800;

/** How long a query, start or update may wait for Temporal before the API looks further (503, or settle). */
export const QUERY_DEADLINE_MS = 10_000;

/** The Update id a creation with an Idempotency-Key sends (a retry attaches to it). */
export const applicationUpdateId = (keyId: string, idempotencyKey: string) => `application:${keyId}:${idempotencyKey}`;

/** The Update id a command with an Idempotency-Key sends. */
export const commandUpdateId = (keyId: string, idempotencyKey: string) => `${keyId}:${idempotencyKey}`;

/** What Temporal knows of an Update: done (with whatever outcome), still running, or nothing. */
export type UpdateState = 'completed' | 'in-flight' | 'unknown';

/**
 * After that, how long the API waits for the outcome of an update Temporal may have accepted before
 * it answers 202 pending (clients and proxies commonly give up after 60 s in all).
 */
export const OUTCOME_WAIT_MS = 30_000;

export interface TemporalDeadlines {
  /** A call's deadline (default 10 s). */
  callMs?: number | undefined;
  /** The further wait for an accepted update's outcome (default 30 s). */
  outcomeMs?: number | undefined;
}

/** gRPC status codes the client surfaces when the server cannot be reached in time. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_NOT_FOUND = 5;
const GRPC_UNAVAILABLE = 14;

/**
 * Temporal may have accepted the creation or command, but its outcome is not known yet (it ran into
 * the deadlines): rendered as 202 with `Location` of the project and the update id (api/app.ts).
 * Retrying with the same Idempotency-Key attaches to the same update.
 */
export class OutcomePending extends Error {
  constructor(
    readonly projectId: string,
    readonly updateId: string,
    readonly kind: 'creation' | 'command',
  ) {
    super(
      `The ${kind} for project ${projectId} was sent to Temporal, which has not answered its outcome yet (update ${updateId}).`,
    );
    this.name = 'OutcomePending';
  }
}

/**
 * grpc-js says why a call ran out of time: "…,remote_addr=<server>" once it was sent; "waiting for
 * name resolution / LB pick / connectivity / metadata filters" while it never left this process.
 */
const NEVER_SENT = /waiting for (name resolution|LB pick|connectivity|metadata filters)/i;

/**
 * The call ran out of time (or was cut off) after it may have reached Temporal: the outcome is
 * unknown. A call that never left (no connection: refused, no route, never connected) is not:
 * nothing was sent.
 */
function outcomeUnknown(err: unknown): boolean {
  const messages = [...causeChain(err)].map((e) => (e instanceof Error ? e.message : ''));
  if (messages.some((m) => NEVER_SENT.test(m))) return false;
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  for (const e of causeChain(err)) {
    if ((e as { code?: unknown }).code === GRPC_DEADLINE_EXCEEDED) return true;
    if (e instanceof Error && /DEADLINE_EXCEEDED|deadline exceeded/i.test(e.message)) return true;
  }
  return false;
}

/** Temporal answered that the update (or its workflow) does not exist: it was never accepted. */
function updateUnknownToTemporal(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  for (const e of causeChain(err)) if (isGrpcServiceError(e) && (e.code as number) === GRPC_NOT_FOUND) return true;
  return false;
}

function isUnavailable(err: unknown): boolean {
  // The client wraps gRPC errors (e.g. ServiceError "Failed to query Workflow" caused by code 4).
  for (const e of causeChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
    if (e instanceof Error && /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|deadline exceeded/i.test(e.message))
      return true;
  }
  return false;
}

export function createProjectGateway(client: Client, taskQueue: string, deadlines: TemporalDeadlines = {}) {
  const callMs = deadlines.callMs ?? QUERY_DEADLINE_MS;
  const outcomeMs = deadlines.outcomeMs ?? OUTCOME_WAIT_MS;

  /** `fn` under the call deadline (unless `ownDeadlines`: it sets its own), its failures as problems. */
  async function call<T>(what: string, fn: () => Promise<T>, operation = 'call', ownDeadlines = false): Promise<T> {
    try {
      return await observeTemporalCall(operation, () =>
        ownDeadlines ? fn() : client.withDeadline(Date.now() + callMs, fn),
      );
    } catch (err) {
      if (err instanceof ApiError || err instanceof OutcomePending) throw err;
      if (err instanceof WorkflowNotFoundError) throw notFound(`No project ${what}.`);
      // No worker polling, a wedged task queue or an unreachable server: the call timed out.
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isUnavailable(err)) {
        throw unavailable('Temporal did not answer in time; try again shortly.');
      }
      throw err;
    }
  }

  /** The update's failure as the problem the API answers, or undefined when it is not one. */
  function failureOf(err: unknown): ApplicationFailure | undefined {
    return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : undefined;
  }

  /**
   * The outcome of update `updateId` of workflow `workflowId`, which Temporal may have accepted:
   * waited for up to `outcomeMs`. Its result, or its refusal as a problem; 503 when Temporal says
   * there is no such update (it was never accepted: nothing applied); OutcomePending when it is
   * still unknown.
   */
  async function settle(
    projectId: string,
    workflowId: string,
    updateId: string,
    kind: OutcomePending['kind'],
  ): Promise<ProjectView> {
    try {
      return await client.withDeadline(Date.now() + outcomeMs, () =>
        client.workflow.getHandle(workflowId).getUpdateHandle<ProjectView>(updateId).result(),
      );
    } catch (err) {
      const failure = failureOf(err);
      if (failure) throw rejectionToProblem(failure);
      if (updateUnknownToTemporal(err))
        throw unavailable('Temporal did not accept the request; nothing was applied. Try again.');
      throw new OutcomePending(projectId, updateId, kind);
    }
  }

  /**
   * Runs an Update and returns its result. The update id follows from the Idempotency-Key when there
   * is one (so a retry attaches to the first attempt or gets its result), else it is fresh. A failure
   * that says "nothing was applied" (`unavailable`) belongs to the attempt that received it: a later
   * request with the same key finds that earlier failure recorded under the id and moves on to the
   * next id (`…#2`, `#3`…), so a retry after a 503 is applied exactly once. A call that runs out of
   * time is settled by asking Temporal for that update's outcome (settle).
   */
  async function runUpdate(
    target: { projectId: string; workflowId: string; kind: OutcomePending['kind'] },
    baseId: string,
    send: (updateId: string, attempt: string) => Promise<ProjectView>,
  ): Promise<ProjectView> {
    const attempt = randomUUID();
    for (let n = 1; n <= MAX_RETRIED_ATTEMPTS; n++) {
      const updateId = n === 1 ? baseId : `${baseId}#${n}`;
      try {
        return await client.withDeadline(Date.now() + callMs, () => send(updateId, attempt));
      } catch (err) {
        const failure = failureOf(err);
        const details = (failure?.details?.[0] ?? {}) as Partial<RejectionDetails>;
        if (failure && failure.type === UNAVAILABLE && details.attempt !== attempt) continue;
        if (failure) throw rejectionToProblem(failure);
        if (outcomeUnknown(err)) return settle(target.projectId, target.workflowId, updateId, target.kind);
        throw err;
      }
    }
    throw unavailable('Too many failed attempts under this Idempotency-Key; use a new key.');
  }

  return {
    /**
     * Creates the project: starts its workflow and sends the application Update in one call
     * (update-with-start). Answers once the application's audit entry and read-model row are
     * durable; a retry with the same id attaches to the same workflow and update.
     */
    async create(input: ProjectInput, idempotencyKey?: string): Promise<ProjectView> {
      const workflowId = projectWorkflowId(input.id);
      // Without an Idempotency-Key the project id is new, so the update id named after it is too.
      const baseId = idempotencyKey
        ? applicationUpdateId(input.createdBy.keyId, idempotencyKey)
        : `application:${input.id}`;
      return call(
        input.id,
        () =>
          runUpdate({ projectId: input.id, workflowId, kind: 'creation' }, baseId, (updateId, attempt) =>
            client.workflow.executeUpdateWithStart(applicationUpdate, {
              args: [{ attempt }],
              updateId,
              startWorkflowOperation: new WithStartWorkflowOperation<ProjectWorkflow>(PROJECT_WORKFLOW_TYPE, {
                workflowId,
                taskQueue,
                args: [{ input }],
                workflowIdConflictPolicy: 'USE_EXISTING',
                staticSummary: `${input.title} (${input.department})`,
                typedSearchAttributes: [
                  { key: ProjectStage, value: initialStageOf(input.kind) },
                  { key: Department, value: input.department },
                  { key: Jurisdiction, value: input.jurisdiction },
                ],
              }),
            }),
          ),
        'start',
        true,
      );
    },

    /**
     * Sends a command as a Temporal Update and returns the ProjectView after the workflow accepted
     * it and made its effects durable.
     */
    async execute<K extends CommandName>(
      projectId: string,
      command: { name: K; payload: CommandInputs[K]; actor: Actor; idempotencyKey?: string | undefined },
    ): Promise<ProjectView> {
      const workflowId = projectWorkflowId(projectId);
      const handle = client.workflow.getHandle(workflowId);
      // Without an Idempotency-Key a fresh update id, so the outcome can be asked for by it.
      const baseId = command.idempotencyKey
        ? commandUpdateId(command.actor.keyId, command.idempotencyKey)
        : `${command.actor.keyId}:auto:${randomUUID()}`;
      try {
        return await call(
          projectId,
          () =>
            runUpdate({ projectId, workflowId, kind: 'command' }, baseId, (updateId, attempt) =>
              handle.executeUpdate(commandUpdate(command.name), {
                args: [{ payload: command.payload, actor: command.actor, attempt }],
                updateId,
              }),
            ),
          'update',
          true,
        );
      } catch (err) {
        if (err instanceof ApiError && err.code === 'not_found') {
          // The workflow may exist but be closed (rejected, terminated, decommissioned).
          const closed = await call(projectId, () => handle.query(viewQuery), 'query').catch(() => undefined);
          if (closed) {
            throw new ApiError(
              409,
              'invalid_transition',
              'Not allowed now',
              `Project ${projectId} is ${closed.stage}: it takes no more commands.`,
              {
                stage: closed.stage,
                pendingActions: closed.pendingActions,
              },
            );
          }
        }
        throw err;
      }
    },

    view(projectId: string): Promise<ProjectView> {
      return call(projectId, () => client.workflow.getHandle(projectWorkflowId(projectId)).query(viewQuery), 'query');
    },

    /**
     * For /readyz: the identities of the workers Temporal lists as polling the project task queue.
     * An idle worker renews its long poll only once a minute, and a dead worker's last poll looks as
     * recent as a live one's, so this says who polls, not who is alive: the API matches it against
     * the workers' own heartbeats (db/queries/workers.ts).
     */
    async workers(deadlineMs = READINESS_DEADLINE_MS): Promise<string[]> {
      const answer = await client.withDeadline(Date.now() + deadlineMs, () =>
        client.workflowService.describeTaskQueue({
          namespace: client.options.namespace,
          taskQueue: { name: taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const cutoff = Date.now() - POLLER_FRESH_MS;
      return (answer.pollers ?? [])
        .filter((p) => p.identity && p.lastAccessTime && tsToMs(p.lastAccessTime) >= cutoff)
        .map((p) => p.identity!);
    },

    /**
     * What became of an Update (api/idempotency.ts asks for a request whose API died): a
     * non-blocking poll. Throws when Temporal cannot be asked in time.
     */
    async updateState(workflowId: string, updateId: string): Promise<UpdateState> {
      try {
        const answer = await client.withDeadline(Date.now() + 2_000, () =>
          client.workflowService.pollWorkflowExecutionUpdate({
            namespace: client.options.namespace,
            updateRef: { workflowExecution: { workflowId }, updateId },
            identity: client.options.identity,
            // No wait policy: the current stage at once.
          }),
        );
        return answer.outcome ||
          answer.stage ===
            proto.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage
              .UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED
          ? 'completed'
          : 'in-flight';
      } catch (err) {
        // The workflow or the Update does not exist (never sent, refused by its validator, or lost).
        if ([...causeChain(err)].some((e) => (e as { code?: unknown }).code === GRPC_NOT_FOUND)) return 'unknown';
        throw err;
      }
    },

    /** For /readyz: the frontend answers a cheap call. */
    async ping(deadlineMs = READINESS_DEADLINE_MS): Promise<boolean> {
      try {
        await client.withDeadline(Date.now() + deadlineMs, () => client.workflowService.getSystemInfo({}));
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type ProjectGateway = ReturnType<typeof createProjectGateway>;

/** The core's refusal, carried by the update's ApplicationFailure, as the problem the API returns. */
function rejectionToProblem(failure: ApplicationFailure): ApiError {
  const details = (failure.details?.[0] ?? {}) as Partial<RejectionDetails>;
  const { status: rawStatus, ...extra } = details;
  const { attempt: _attempt, ...shown } = extra;
  const status = typeof rawStatus === 'number' && STATUS_TITLES[rawStatus] ? rawStatus : 422;
  const headers: Record<string, string> = status === 503 ? { 'Retry-After': '5' } : {};
  return new ApiError(
    status as 422,
    failure.type ?? 'refused',
    STATUS_TITLES[status]![1],
    failure.message,
    shown,
    headers,
  );
}
