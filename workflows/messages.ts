/**
 * Message definitions shared by the workflow and its clients (API, tests), so each name is typed
 * once. Every command of docs/API.md "Commands" is both an Update (validated; the API
 * uses it and gets the ProjectView back) and a Signal of the same name (for operators acting from
 * the Temporal UI or CLI; an invalid signal is recorded as rejected, never fails the workflow).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CommandInputs, CommandName } from '../domain/commands.ts';
import type { ProjectState } from '../domain/state.ts';
import type { ProjectInput } from '../domain/project-input.ts';
import type { ProjectView } from '../domain/view-shapes.ts';
import type { Actor } from '../domain/vocabulary.ts';

export const PROJECT_WORKFLOW_TYPE = 'projectWorkflow';

export const projectWorkflowId = (projectId: string) => `project-${projectId}`;

/** Start arguments: a new application, or the state carried over by continue-as-new. */
export type ProjectWorkflowArgs =
  { input: ProjectInput; state?: undefined } | { state: ProjectState; input?: undefined };

/** The workflow's signature, for typed starts without importing the workflow code. */
export type ProjectWorkflow = (args: ProjectWorkflowArgs) => Promise<ProjectView>;

/** The ProjectView of docs/API.md "ProjectView". */
export const viewQuery = defineQuery<ProjectView>('view');

/**
 * A command message: the payload of docs/API.md "Commands", who sends it (Art. 24-25) and, from the API,
 * the attempt (one per HTTP request), so a client can tell its own failure from an earlier one.
 */
export interface CommandMessage<K extends CommandName = CommandName> {
  payload: CommandInputs[K];
  actor: Actor;
  attempt?: string;
}

export const commandUpdate = <K extends CommandName>(name: K) =>
  defineUpdate<ProjectView, [CommandMessage<K>], K>(name);

export const commandSignal = <K extends CommandName>(name: K) => defineSignal<[CommandMessage<K>], K>(name);

/**
 * Creation (update-with-start): the workflow starts with the application as input and answers this
 * Update once the application's audit entry and read-model row are durable.
 */
export const applicationUpdate = defineUpdate<ProjectView, [{ attempt?: string }]>('application');

/**
 * The shape of an ApplicationFailure's first detail when the workflow refuses a command, so the API
 * can answer with the right status (400/403/404/409/422, 503 when nothing could be stored yet, 500
 * when the database refused the effects for good) and problem code (the failure's type).
 */
export interface RejectionDetails {
  status: number;
  /** The attempt of the message that failed (see CommandMessage). */
  attempt?: string | undefined;
  [key: string]: unknown;
}

/** Failure types of the persistence pipeline (the others are the core's rejection codes). */
export const UNAVAILABLE = 'unavailable';
export const PERSISTENCE_FAILED = 'persistence_failed';
