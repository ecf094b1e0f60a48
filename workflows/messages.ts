/**
 * Message definitions shared by the workflow and its clients (API, tests), so each name is typed
 * once (shared/STYLE.md). Every command of shared/API.md is both an Update (validated; the API
 * uses it and gets the ProjectView back) and a Signal of the same name (for operators acting from
 * the Temporal UI or CLI; an invalid signal is recorded as rejected, never fails the workflow).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CommandName, CommandPayloads } from '../domain/commands.ts';
import type { Actor, ProjectView } from '../domain/types.ts';

export const PROJECT_WORKFLOW_TYPE = 'projectWorkflow';

export const projectWorkflowId = (projectId: string) => `project-${projectId}`;

/** The ProjectView of shared/API.md. */
export const viewQuery = defineQuery<ProjectView>('view');

/** A command's payload plus who sends it (Art. 24-25). */
export type CommandMessage<K extends CommandName = CommandName> = CommandPayloads[K] & { actor: Actor };

export const commandUpdate = <K extends CommandName>(name: K) => defineUpdate<ProjectView, [CommandMessage<K>], K>(name);

export const commandSignal = <K extends CommandName>(name: K) => defineSignal<[CommandMessage<K>], K>(name);

/**
 * The shape of an ApplicationFailure's first detail when the core refuses a command, so the API
 * can answer with the right status (403/404/409/422) and problem code (the failure's type).
 */
export interface RejectionDetails {
  status: number;
  [key: string]: unknown;
}
