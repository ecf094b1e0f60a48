/**
 * An unknown outcome is never answered as "nothing applied" (issue 28 HIGH 3, issue 31 item 2;
 * docs/API.md "Outcomes": a 503 means nothing was applied). The API chose the project id and the update id:
 * when Temporal accepted a creation or a command but did not answer within the API's deadline, the
 * API asks Temporal for that update's outcome, waits for it, and answers what happened (201/200) —
 * or 202 "pending" with where to look — never 503 for a project that then exists.
 *
 * Reproduced with real parts: the real Temporal dev server, a real database, and a task queue whose
 * worker is stopped while Temporal accepts the start (and started again later).
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../lib/logger.ts';
import { createProjectWorker } from '../../worker.ts';
import { projectWorkflowId } from '../../workflows/messages.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  TEST_CODEC,
  workflowBundle,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('an accepted creation or command is never answered 503 (issue 28 HIGH 3) with %s', (driver) => {
  const run = it.skipIf(!driverAvailable(driver));
  let system: TestSystem;
  let connection: Connection;
  let native: NativeConnection;
  let client: Client;
  /** A task queue whose worker this test stops and starts. */
  const taskQueue = `unknown-outcome-${randomBytes(4).toString('hex')}`;
  let worker: { worker: Worker; running: Promise<void> } | undefined;
  let dept: string;

  const startWorker = async () => {
    const w = await createProjectWorker({
      connection: native,
      namespace: 'default',
      taskQueue,
      db: system.database.db,
      workflowBundle: await workflowBundle(),
      dataConverter: { payloadCodecs: [TEST_CODEC] },
    });
    worker = { worker: w, running: w.run() };
  };
  const stopWorker = async () => {
    worker?.worker.shutdown();
    await worker?.running;
    worker = undefined;
  };
  /** The app under test: the API's first deadline short, then `outcomeMs` to learn the outcome. */
  const appWith = (outcomeMs: number) =>
    createApp({
      database: system.database,
      temporal: client,
      taskQueue,
      adminApiKey: ADMIN_KEY,
      log: createLogger('silent', 'test'),
      temporalDeadlines: { callMs: 500, outcomeMs },
    });
  const post = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
    Promise.resolve(
      app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${dept}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    native = await NativeConnection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection, dataConverter: { payloadCodecs: [TEST_CODEC] } });
    dept = await createKey(system, 'department', 'health');
    await addPlanItems(system, [{ department: 'health' }]);
  });
  afterAll(async () => {
    await stopWorker();
    await connection?.close();
    await native?.close();
    await system?.stop();
  });

  run(
    'a creation Temporal accepted while no worker runs: 202 pending with its Location, never 503; created once a worker runs; one waited for answers 201',
    async () => {
      // No worker: Temporal accepts the start, nothing runs it.
      const pending = await post(appWith(1_000), '/v1/projects', sampleApplication({ title: '未决的创建 A' }));
      expect(pending.status).toBe(202);
      const answer = (await pending.json()) as Json;
      expect(answer).toMatchObject({ outcome: 'pending', id: expect.stringMatching(/^JC2026-/) });
      expect(pending.headers.get('location')).toBe(`/v1/projects/${answer.id}`);
      expect(Number(pending.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.detail).toMatch(/尚未确定/);
      // Temporal has the workflow: the API said so instead of "nothing applied".
      expect((await client.workflow.getHandle(projectWorkflowId(answer.id)).describe()).status.name).toBe('RUNNING');

      // A second creation waits long enough: the worker starts while it waits; it answers 201.
      const waiting = post(appWith(60_000), '/v1/projects', sampleApplication({ title: '等待中的创建 B' }));
      await eventually(async () => {
        let n = 0;
        for await (const _ of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) n += 1;
        return n >= 2 ? true : undefined;
      });
      await startWorker();
      const created = await waiting;
      expect(created.status).toBe(201);
      const b = (await created.json()) as Json;
      expect(b.title).toBe('等待中的创建 B');

      // The pending one is created too, exactly once; every project that exists was answered 201 or 202.
      const a = await eventually(async () => {
        const res = await system.request('GET', `/v1/projects/${answer.id}`, { key: dept });
        return res.status === 200 ? ((await res.json()) as Json) : undefined;
      });
      expect(a.title).toBe('未决的创建 A');
      const listed = (await (await system.request('GET', '/v1/projects?q=创建', { key: dept })).json()) as Json;
      expect(listed.items.map((p: Json) => p.id).sort()).toEqual([answer.id, b.id].sort());
    },
  );

  run(
    'a command Temporal accepted while the worker is stopped: 202 pending (with the update id), never 503; applied exactly once when a worker runs',
    async () => {
      if (!worker) await startWorker();
      const created = await post(appWith(60_000), '/v1/projects', sampleApplication({ title: '命令未决' }));
      expect(created.status).toBe(201);
      const id = ((await created.json()) as Json).id as string;
      await stopWorker();

      const pending = await post(appWith(1_000), `/v1/projects/${id}/leader`, {
        name: '李娜',
        post: '副主任',
        contact: '0356-2020002',
      });
      expect(pending.status).toBe(202);
      const answer = (await pending.json()) as Json;
      expect(answer).toMatchObject({ outcome: 'pending', id, updateId: expect.any(String) });
      expect(pending.headers.get('location')).toBe(`/v1/projects/${id}`);

      await startWorker();
      const view = await eventually(async () => {
        const res = await system.request('GET', `/v1/projects/${id}`, { key: dept });
        const v = (await res.json()) as Json;
        return v.leaderChanges?.length ? v : undefined;
      });
      expect(view.leaderChanges).toHaveLength(1);
      expect(view.leader.name).toBe('李娜');
    },
  );
});
