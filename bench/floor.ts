/**
 * The design's floor: what "durable before visible" costs on this SDK before any of the project's
 * own code runs. Each message is an Update whose handler runs one local activity writing the rows a
 * command writes (an audit entry, a notification, the read-model row) and answers; the throughput
 * scenario sends the same four messages per workflow as its projects get (an Update with start,
 * then three Updates), so its CPU per project is the floor under the scenario's own figure.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { EffectWrites } from '../activities/index.ts';
import type { ProjectView } from '../domain/view-shapes.ts';
import type { Actor } from '../domain/vocabulary.ts';
import { designFloorUpdate } from './baseline-workflows.ts';

const FLOOR_ACTOR: Actor = { keyId: 'bench', role: 'bdb', name: 'bench' };

/** The rows one command of a project writes: its audit entry, one notification and the read-model row. */
export function commandWrites(
  projectId: string,
  version: number,
  view: ProjectView,
  payload: unknown,
  actor: Actor = FLOOR_ACTOR,
): EffectWrites {
  const at = new Date().toISOString();
  return {
    projectId,
    audit: [{ eventId: `${projectId}:audit:${version}`, action: 'technical-review', actor, at, detail: { payload } }],
    movements: [],
    notifications: [
      {
        eventId: `${projectId}:notify:${version}`,
        projectId,
        recipient: { role: 'approval' },
        kind: 'establishment-review',
        detail: 'Technical review passed: establishment approval awaited.',
        dueAt: null,
        at,
      },
    ],
    model: {
      view: { ...view, id: projectId },
      version,
      awaitingRoles: ['approval'],
      nextDeadline: null,
      overdue: false,
    },
  };
}

/** One floor workflow: an Update with start and three Updates, each writing a command's rows. */
export async function floorWorkflow(opts: {
  client: Client;
  taskQueue: string;
  view: ProjectView;
  payload: unknown;
}): Promise<void> {
  const projectId = `FLOOR-T-${randomBytes(6).toString('hex')}`;
  const start = new WithStartWorkflowOperation('baselineWorkflow', {
    workflowId: `floor-${projectId}`,
    taskQueue: opts.taskQueue,
    args: [],
    workflowIdConflictPolicy: 'FAIL',
  });
  await opts.client.workflow.executeUpdateWithStart(designFloorUpdate, {
    args: [commandWrites(projectId, 1, opts.view, opts.payload)],
    startWorkflowOperation: start,
  });
  const handle = await start.workflowHandle();
  for (let version = 2; version <= 4; version++)
    await handle.executeUpdate(designFloorUpdate, {
      args: [commandWrites(projectId, version, opts.view, opts.payload)],
    });
}
