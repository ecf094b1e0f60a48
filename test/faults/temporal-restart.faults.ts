/**
 * The Temporal dev server (SQLite persistence) is stopped and started again while projects wait on
 * their deadlines: afterwards the workflows are still running with their state intact, the durable
 * timers they were sleeping on are still pending in their histories with the same due instants, and
 * they take new commands. (A timer actually firing after the restart is proven on the time-skipping
 * server by the deadline tests; on the dev server the nearest deadline is days away.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDevServer } from '../../scripts/temporal-bin.ts';
import { createProjectWorker } from '../../worker.ts';
import type { CommandName, CommandPayloads } from '../../workflows/core/commands.ts';
import type { Actor } from '../../workflows/core/types.ts';
import { commandUpdate, PROJECT_WORKFLOW_TYPE, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { actors, construction, fullChecklist, makeInput } from '../core/helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually, workflowBundle } from '../support/system.ts';
import { newId } from '../workflow/support.ts';
import { dataConverter, freePort, printSummary, record } from './support.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bdp-restart-'));
const taskQueue = `faults-restart-${process.pid}`;
let port: number;
let env: TestWorkflowEnvironment | undefined;
let database: TestDatabase;
let worker: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;

async function startServer() {
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: await resolveDevServer({ log: () => {} }), port, dbFilename: path.join(dir, 'temporal.sqlite'), searchAttributes: [...PROJECT_SEARCH_ATTRIBUTES], ui: false },
  });
  const connection = await NativeConnection.connect({ address: env.address });
  const w = await createProjectWorker({ connection, namespace: 'default', taskQueue, db: database.db, workflowBundle: await workflowBundle(), dataConverter });
  worker = { worker: w, running: w.run(), connection };
  return new Client({ connection: env.connection, dataConverter });
}
async function stopServer() {
  if (worker) {
    worker.worker.shutdown();
    await worker.running;
    await worker.connection.close();
    worker = undefined;
  }
  await env?.teardown();
  env = undefined;
}

beforeAll(async () => {
  port = await freePort();
  database = await createTestDatabase('pglite');
}, 120_000);
afterAll(async () => {
  printSummary();
  await stopServer();
  await database?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Timers started and neither fired nor cancelled, by their start event id → due instant. */
async function pendingTimers(client: Client, id: string): Promise<Map<string, number>> {
  const history = await client.workflow.getHandle(projectWorkflowId(id)).fetchHistory();
  const pending = new Map<string, number>();
  for (const e of history.events ?? []) {
    const started = e.timerStartedEventAttributes;
    if (started) pending.set(started.timerId!, Number(e.eventTime!.seconds) * 1000 + Number(started.startToFireTimeout!.seconds) * 1000);
    const done = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (done) pending.delete(done.timerId!);
  }
  return pending;
}

describe('Temporal dev server restarted', () => {
  it('projects waiting on deadlines keep their timers and state, and go on taking commands', async () => {
    let client = await startServer();
    const send = <K extends CommandName>(id: string, name: K, payload: CommandPayloads[K], actor: Actor) =>
      client.workflow.getHandle(projectWorkflowId(id)).executeUpdate(commandUpdate(name), { args: [{ ...payload, actor } as never] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const input = makeInput({ id: newId(), createdAt: new Date().toISOString() });
      await client.workflow.start(PROJECT_WORKFLOW_TYPE, { workflowId: projectWorkflowId(input.id), taskQueue, args: [{ input }] });
      await send(input.id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
      await send(input.id, 'establishment', { decision: 'approve', approvalNo: `A-${i}`, opinion: 'ok' }, actors.approval);
      await send(input.id, 'budget', construction(10_000_000 * (i + 1)), actors.finance);
      ids.push(input.id);
    }
    const viewsBefore = await Promise.all(ids.map((id) => client.workflow.getHandle(projectWorkflowId(id)).query(viewQuery)));
    // Each workflow settles on one durable timer: the end of its publicity period (Art. 11).
    const sleepingOnPublicity = (id: string, view: (typeof viewsBefore)[number]) =>
      eventually(async () => {
        const timers = await pendingTimers(client, id);
        const due = Date.parse(view.deadlines.find((d) => d.kind === 'publicity')!.dueAt);
        return timers.size === 1 && Math.abs([...timers.values()][0]! - due) < 2_000 ? timers : undefined;
      }, 30_000);
    const timersBefore = await Promise.all(ids.map((id, i) => sleepingOnPublicity(id, viewsBefore[i]!)));

    await stopServer();
    client = await startServer();

    const viewsAfter = await Promise.all(ids.map((id) => client.workflow.getHandle(projectWorkflowId(id)).query(viewQuery)));
    const timersAfter = await Promise.all(ids.map((id, i) => sleepingOnPublicity(id, viewsBefore[i]!)));
    const statuses = await Promise.all(ids.map(async (id) => (await client.workflow.getHandle(projectWorkflowId(id)).describe()).status.name));
    expect(statuses).toEqual(ids.map(() => 'RUNNING'));
    expect(viewsAfter).toEqual(viewsBefore);
    expect(timersAfter.map((t) => [...t.entries()])).toEqual(timersBefore.map((t) => [...t.entries()]));
    // The publicity deadline each timer waits for is still open, due when it was.
    for (const v of viewsAfter) expect(v.deadlines.find((d) => d.kind === 'publicity')?.status).toBe('open');
    // And the projects take new commands.
    const objected = await send(ids[0]!, 'publicityObjection', { summary: 'after the restart' }, actors.bdb);
    expect((objected as unknown as { publicityObjections: unknown[] }).publicityObjections).toHaveLength(1);
    record('Temporal dev server restarted while 3 projects wait on publicity deadlines', true, `${timersAfter.reduce((n, t) => n + t.size, 0)} pending timers kept with their due instants, views identical, commands accepted`);
  }, 240_000);
});
