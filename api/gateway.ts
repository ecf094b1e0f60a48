/**
 * The API's only door to Temporal: starts project workflows and asks them for their view, and turns
 * Temporal's failures into problems (not found → 404, unreachable → 503 with Retry-After).
 */
import {
  ApplicationFailure,
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { CommandName, CommandPayloads } from '../domain/commands.ts';
import { Project } from '../domain/project.ts';
import type { Actor, ProjectInput, ProjectView } from '../domain/types.ts';
import {
  commandUpdate,
  PROJECT_WORKFLOW_TYPE,
  projectWorkflowId,
  viewQuery,
  type RejectionDetails,
} from '../workflows/messages.ts';
import { Department, Jurisdiction, ProjectStage } from '../workflows/search-attributes.ts';
import { observeTemporalCall } from './metrics.ts';
import { ApiError, causeChain, notFound, unavailable } from './problem.ts';

/** How long a query may wait for a worker before the API answers 503. */
const QUERY_DEADLINE_MS = 10_000;

/** gRPC status codes the client surfaces when the server cannot be reached in time. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

function isUnavailable(err: unknown): boolean {
  // The client wraps gRPC errors (e.g. ServiceError "Failed to query Workflow" caused by code 4).
  for (const e of causeChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
    if (e instanceof Error && /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNREFUSED|deadline exceeded/i.test(e.message)) return true;
  }
  return false;
}

export function createProjectGateway(client: Client, taskQueue: string) {
  async function call<T>(what: string, fn: () => Promise<T>, operation = 'call'): Promise<T> {
    try {
      return await observeTemporalCall(operation, () => client.withDeadline(Date.now() + QUERY_DEADLINE_MS, fn));
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (err instanceof WorkflowNotFoundError) throw notFound(`No project ${what}.`);
      if (isUnavailable(err)) throw unavailable('Temporal did not answer in time; try again shortly.');
      throw err;
    }
  }

  return {
    /** Starts the project's workflow; the answer is the core's initial view (no round trip). */
    async start(input: ProjectInput): Promise<ProjectView> {
      const view = Project.create(input).view();
      await call(input.id, async () => {
        try {
          await client.workflow.start(PROJECT_WORKFLOW_TYPE, {
            workflowId: projectWorkflowId(input.id),
            taskQueue,
            args: [{ input }],
            staticSummary: `${input.title} (${input.department})`,
            typedSearchAttributes: [
              { key: ProjectStage, value: view.stage },
              { key: Department, value: input.department },
              { key: Jurisdiction, value: input.jurisdiction },
            ],
          });
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) {
            throw new ApiError(409, 'already_exists', 'Project exists', `Project ${input.id} already exists.`);
          }
          throw err;
        }
      }, 'start');
      return view;
    },

    /**
     * Sends a command as a Temporal Update and returns the ProjectView after the workflow accepted
     * it and made its effects durable. The Idempotency-Key is the update id: a retry attaches to the
     * same update and gets the same result.
     */
    async execute<K extends CommandName>(
      projectId: string,
      command: { name: K; payload: CommandPayloads[K] | Record<string, unknown>; actor: Actor; idempotencyKey?: string | undefined },
    ): Promise<ProjectView> {
      const handle = client.workflow.getHandle(projectWorkflowId(projectId));
      try {
        return await call(projectId, () =>
          handle.executeUpdate(commandUpdate(command.name), {
            args: [{ ...(command.payload as CommandPayloads[K]), actor: command.actor }],
            ...(command.idempotencyKey ? { updateId: `${command.actor.keyId}:${command.idempotencyKey}` } : {}),
          }),
          'update',
        );
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw rejectionToProblem(err.cause);
        if (err instanceof ApiError && err.code === 'not_found') {
          // The workflow may exist but be closed (rejected, terminated, decommissioned).
          const closed = await call(projectId, () => handle.query(viewQuery), 'query').catch(() => undefined);
          if (closed) {
            throw new ApiError(409, 'invalid_transition', 'Not allowed now', `Project ${projectId} is ${closed.stage}: it takes no more commands.`, {
              stage: closed.stage,
              pendingActions: closed.pendingActions,
            });
          }
        }
        throw err;
      }
    },

    view(projectId: string): Promise<ProjectView> {
      return call(projectId, () => client.workflow.getHandle(projectWorkflowId(projectId)).query(viewQuery), 'query');
    },

    /** For /readyz: the frontend answers a cheap call. */
    async ping(): Promise<boolean> {
      try {
        await client.withDeadline(Date.now() + 3_000, () =>
          client.workflowService.getSystemInfo({}),
        );
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type ProjectGateway = ReturnType<typeof createProjectGateway>;

const TITLES: Record<number, string> = {
  400: 'Validation failed',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Not allowed now',
  422: 'Refused by the measures',
};

/** The core's refusal, carried by the update's ApplicationFailure, as the problem the API returns. */
function rejectionToProblem(failure: ApplicationFailure): ApiError {
  const details = (failure.details?.[0] ?? {}) as Partial<RejectionDetails>;
  const { status: rawStatus, ...extra } = details;
  const status = typeof rawStatus === 'number' && TITLES[rawStatus] ? rawStatus : 422;
  return new ApiError(status as 422, failure.type ?? 'refused', TITLES[status]!, failure.message, extra);
}
