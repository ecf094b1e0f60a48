/**
 * A worker process dies (`kill -9`) while another keeps polling: the projects the dead worker had
 * cached have their next workflow task put on its sticky queue, which nobody polls any more. The
 * task must move to the shared queue quickly (worker.ts STICKY_QUEUE_TIMEOUT), so a command to such a
 * project is answered by the surviving worker within a few seconds — not after the API's 10-second
 * Temporal deadline as a 503 that was applied anyway (issue 31). Real processes: two `tsx worker.ts`
 * on the fault suite's Temporal server and a PostgreSQL database of their own; the API in-process.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { auditLog } from '../../db/schema.ts';
import { seedApprovedPlanItems } from '../../db/queries/plans.ts';
import { createLogger } from '../../lib/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually, sampleApplication } from '../support/system.ts';
import { CODEC, dataConverter, printSummary, record, spawnEntry, type Child } from './support.ts';

const ADMIN = `faults-admin-${randomBytes(24).toString('hex')}`;
const taskQueue = `faults-loss-${process.pid}`;
let database: TestDatabase;
let connection: Connection;
let client: Client;
let app: ReturnType<typeof createApp>;
const workers: Child[] = [];

const startWorker = () =>
  spawnEntry(
    'worker.ts',
    { TEMPORAL_ADDRESS: inject('temporalAddress'), DATABASE_URL: database.url!, TEMPORAL_TASK_QUEUE: taskQueue },
    /worker started/,
  );

/** Identities of the workers polling the project task queue's shared (normal) queue. */
async function pollerIdentities(): Promise<string[]> {
  const answer = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue, kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return (answer.pollers ?? []).map((p) => p.identity ?? '');
}

beforeAll(async () => {
  database = await createTestDatabase('postgres');
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, dataConverter });
  app = createApp({
    database,
    temporal: client,
    taskQueue,
    adminApiKey: ADMIN,
    log: createLogger('silent', 'faults'),
    payloadCodec: CODEC,
  });
  await seedApprovedPlanItems(database.db, 2026, [
    { code: '2026-HEALTH-01', title: 'x', department: 'health', ceilingFen: 5_000_000_00 },
  ]); // Art. 6
}, 180_000);
afterAll(async () => {
  printSummary();
  for (const w of workers) await w.stop();
  await connection?.close();
  await database?.destroy();
});

const call = async (method: string, p: string, key: string, body?: unknown) => {
  const res = await app.request(p, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};

describe('a worker killed while another polls', () => {
  it('a command to a project the dead worker had cached is answered by the other within seconds (sticky queue timeout)', async () => {
    const key = async (body: unknown) => (await call('POST', '/v1/admin/api-keys', ADMIN, body)).json.key as string;
    const dept = await key({ role: 'department', name: 'health', department: 'health' });
    const bdb = await key({ role: 'bdb', name: 'bdb' });

    // Only the first worker runs: the project's workflow is cached there, its sticky queue is that worker's.
    workers.push(await startWorker());
    const created = await call('POST', '/v1/projects', dept, sampleApplication());
    expect(created.status).toBe(201);
    const id = created.json.id as string;

    workers.push(await startWorker());
    await eventually(async () => (new Set(await pollerIdentities()).size >= 2 ? true : undefined), 30_000);
    await workers[0]!.kill9();

    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const started = Date.now();
    const review = await call('POST', `/v1/projects/${id}/technical-review`, bdb, {
      decision: 'pass',
      opinion: 'ok',
      checklist,
    });
    const seconds = (Date.now() - started) / 1000;
    const reviewsOf = () =>
      database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.projectId, id), eq(auditLog.action, 'technical-review')));
    // Whatever the answer said, when was the decision on the audit trail?
    const applied = await eventually(
      async () => ((await reviewsOf()).length > 0 ? (Date.now() - started) / 1000 : undefined),
      30_000,
    ).catch(() => undefined);
    const reviews = await reviewsOf();
    record(
      'kill -9 of the worker holding a project in its cache, another worker polling',
      review.status === 200 && seconds < 6,
      `the next command answered ${review.status} after ${seconds.toFixed(1)} s (${review.json.stage ?? review.json.code}); on the audit trail after ${applied?.toFixed(1) ?? 'never'} s; ${reviews.length} technical-review audit entry`,
    );
    expect(review.status).toBe(200);
    expect(review.json.stage).toBe('establishment_review');
    expect(seconds).toBeLessThan(6);
    expect(reviews).toHaveLength(1);
  }, 240_000);

  it('/readyz counts the worker left, and answers 503 within seconds of the last one being killed', async () => {
    const ready = await eventually(async () => {
      const res = await app.request('/readyz');
      const body = (await res.json()) as { workers: number };
      return res.status === 200 && body.workers === 1 ? body : undefined;
    }, 30_000);
    expect(ready.workers).toBe(1);
    await workers[1]!.kill9();
    const killed = Date.now();
    const notReady = await eventually(async () => {
      const res = await app.request('/readyz');
      return res.status === 503
        ? ((await res.json()) as { workers: number; checks: Record<string, boolean> })
        : undefined;
    }, 60_000);
    const seconds = (Date.now() - killed) / 1000;
    record(
      'kill -9 of the last worker',
      seconds < 10,
      `/readyz 503 (workers ${notReady.workers}) ${seconds.toFixed(1)} s after the kill`,
    );
    expect(notReady.checks).toEqual({ database: true, temporal: true, workers: false });
    expect(seconds).toBeLessThan(10);
  }, 120_000);
});
