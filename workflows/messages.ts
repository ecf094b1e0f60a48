/**
 * Message definitions shared by the workflow and its clients (API, tests), so each name is typed
 * once (shared/STYLE.md).
 */
import { defineQuery } from '@temporalio/workflow';
import type { ProjectView } from './core/types.ts';

export const PROJECT_WORKFLOW_TYPE = 'projectWorkflow';

/** The ProjectView of shared/API.md. */
export const viewQuery = defineQuery<ProjectView>('view');

export const projectWorkflowId = (projectId: string) => `project-${projectId}`;
