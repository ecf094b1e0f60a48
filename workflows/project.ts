/**
 * The project workflow: one per project, from application to decommissioning. A thin shell around
 * the lifecycle core (./core): it wires messages to the core, awaits timers and calls activities.
 * Deterministic code only: every clock, calendar and database access happens in activities.
 */
import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.ts';
import { Project } from './core/project.ts';
import type { ProjectInput } from './core/types.ts';
import { viewQuery } from './messages.ts';
import { AwaitingRole, ProjectStage } from './search-attributes.ts';

const { recordProject } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function projectWorkflow(input: ProjectInput): Promise<void> {
  const project = new Project(input);
  setHandler(viewQuery, () => project.view());

  const model = project.readModel();
  upsertSearchAttributes([
    { key: ProjectStage, value: model.view.stage },
    { key: AwaitingRole, value: model.awaitingRoles },
  ]);
  await recordProject(model);

  await condition(() => project.isTerminal());
}
