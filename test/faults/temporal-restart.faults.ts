/**
 * The Temporal dev server (SQLite persistence) is stopped while projects wait on their publicity
 * deadlines (Art. 11) and started again after the deadlines passed: the workflows are still running
 * with their state intact, the durable timers they were sleeping on come back with the same due
 * instants and fire — the held money is published, the projects move to contracting — and they take
 * new commands. The worker uses a faster deadline clock (fast-clock.ts) so publicity ends in seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SERVER_ARGS, resolveDevServer } from '../../scripts/temporal-bin.ts';
import { createProjectWorker } from '../../worker.ts';
import type { CommandName, CommandPayloads } from '../../domain/commands.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { commandUpdate, PROJECT_WORKFLOW_TYPE, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { actors, construction, fullChecklist, makeInput } from '../domain/helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eq } from 'drizzle-orm';
import { fundMovements } from '../../db/schema.ts';
import { eventually, workflowBundle } from '../support/system.ts';
import { newId } from '../workflow/support.ts';
import { fastDeadlineDates } from './fast-clock.ts';
import { freePort } from '../support/net.ts';
import { dataConverter, printSummary, record } from './support.ts';
import { pendingTimers } from '../support/timers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bdp-restart-'));
const taskQueue = `faults-restart-${process.pid}`;
let port: number;
let env: TestWorkflowEnvironment | undefined;
let database: TestDatabase;
let worker: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined;

async function startServer() {
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: await resolveDevServer({ log: () => {} }),
      port,
      dbFilename: path.join(dir, 'temporal.sqlite'),
      searchAttributes: [...PROJECT_SEARCH_ATTRIBUTES],
      extraArgs: [...DEV_SERVER_ARGS],
      ui: false,
    },
  });
  const connection = await NativeConnection.connect({ address: env.address });
  const w = await createProjectWorker({
    connection,
    namespace: 'default',
    taskQueue,
    db: database.db,
    workflowBundle: await workflowBundle(),
    dataConverter,
    deadlineDates: fastDeadlineDates(),
  });
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

describe('Temporal dev server restarted', () => {
  it('Art. 11: projects waiting on deadlines keep their timers and state across a restart, the timers fire, the projects take commands', async () => {
    let client = await startServer();
    const send = <K extends CommandName>(id: string, name: K, payload: CommandPayloads[K], actor: Actor) =>
      client.workflow
        .getHandle(projectWorkflowId(id))
        .executeUpdate(commandUpdate(name), { args: [{ ...payload, actor } as never] });
    const view = (id: string) => client.workflow.getHandle(projectWorkflowId(id)).query(viewQuery);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const input = makeInput({ id: newId(), createdAt: new Date().toISOString() });
      await client.workflow.start(PROJECT_WORKFLOW_TYPE, {
        workflowId: projectWorkflowId(input.id),
        taskQueue,
        args: [{ input }],
      });
      await send(
        input.id,
        'technicalReview',
        { decision: 'pass', opinion: 'ok', checklist: fullChecklist() },
        actors.bdb,
      );
      await send(
        input.id,
        'establishment',
        { decision: 'approve', approvalNo: `A-${i}`, opinion: 'ok', approvedEstimateFen: 100_000_000 },
        actors.approval,
      );
      await send(input.id, 'budget', construction(10_000_000 * (i + 1)), actors.finance);
      // Art. 11: the BDB's allocation plan starts the notice period.
      await send(
        input.id,
        'allocationPublication',
        { planId: 'AP2026-FAULTS0001', allocationId: 'alloc-1' },
        actors.bdb,
      );
      ids.push(input.id);
    }
    const viewsBefore = await Promise.all(ids.map(view));
    const dueAt = viewsBefore.map((v) => Date.parse(v.deadlines.find((d) => d.kind === 'publicity')!.dueAt));
    // Each workflow settles on one durable timer: the end of its publicity period (Art. 11).
    const sleepingOnPublicity = (id: string, due: number) =>
      eventually(async () => {
        const timers = await pendingTimers(client, id);
        return timers.size === 1 && Math.abs([...timers.values()][0]! - due) < 2_000 ? timers : undefined;
      }, 30_000);
    const timersBefore = await Promise.all(ids.map((id, i) => sleepingOnPublicity(id, dueAt[i]!)));
    expect(Math.max(...dueAt)).toBeGreaterThan(Date.now()); // still waiting when the server goes down

    await stopServer();
    // The server stays down until every publicity period has ended.
    const downFrom = Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, Math.max(...dueAt) - Date.now()) + 1_000));
    const downSeconds = (Date.now() - downFrom) / 1000;
    client = await startServer();

    // The timers come back as they were, then fire (late, as soon as the server runs again).
    const statuses = await Promise.all(
      ids.map(async (id) => (await client.workflow.getHandle(projectWorkflowId(id)).describe()).status.name),
    );
    expect(statuses).toEqual(ids.map(() => 'RUNNING'));
    const fired = await Promise.all(
      ids.map((id) =>
        eventually(async () => {
          const v = await view(id);
          return v.stage === 'contracting' ? v : undefined;
        }, 60_000),
      ),
    );
    for (const [i, v] of fired.entries()) {
      const before = viewsBefore[i]!;
      expect(v.deadlines.find((d) => d.kind === 'publicity')).toMatchObject({
        status: 'met',
        dueAt: new Date(dueAt[i]!).toISOString(),
      });
      // State intact: the same project, the same money, now published (Art. 11).
      expect({ id: v.id, title: v.title, allocated: v.funds.construction.allocatedFen }).toEqual({
        id: before.id,
        title: before.title,
        allocated: before.funds.construction.allocatedFen,
      });
      expect(v.funds.construction).toMatchObject({ heldFen: 0, availableFen: 10_000_000 * (i + 1) });
      const kinds = (
        await database.db
          .select()
          .from(fundMovements)
          .where(eq(fundMovements.projectId, v.id))
          .orderBy(fundMovements.id)
      ).map((m) => m.kind);
      expect(kinds).toEqual(['allocate', 'publish']);
    }
    const firedTimers = await Promise.all(
      ids.map(async (id) => {
        const history = await client.workflow.getHandle(projectWorkflowId(id)).fetchHistory();
        return (history.events ?? []).filter(
          (e) =>
            e.timerFiredEventAttributes && timersBefore[ids.indexOf(id)]!.has(e.timerFiredEventAttributes.timerId!),
        ).length;
      }),
    );
    expect(firedTimers).toEqual(ids.map(() => 1));
    // And the projects take new commands.
    const signedOn = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const contracted = await send(
      ids[0]!,
      'contract',
      {
        contractNo: 'HT-R',
        contractor: 'Acme',
        amountFen: 5_000_000,
        signedOn,
        documentRef: 'sha256:r',
        procurement: { method: 'open-tender', reason: '' },
      },
      actors.department,
    );
    expect(contracted.stage).toBe('construction');
    record(
      "Temporal dev server down (SQLite kept) across 3 projects' publicity deadlines",
      true,
      `down ${downSeconds.toFixed(0)} s; ${firedTimers.length} timers kept their due instants and fired after the restart, money published, commands accepted`,
    );
  }, 240_000);
});
