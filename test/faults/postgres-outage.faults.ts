/**
 * PostgreSQL stopped for 15 s under activity traffic: activities retry with backoff, the API answers
 * 503 with Retry-After (never 500) while the database is away, and every command that got a 200 is
 * in the audit trail afterwards; the 503 ones succeed when the client retries with the same
 * Idempotency-Key — each decision exactly once. Uses a throwaway cluster of its own.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { prepareDatabase } from '../../db/seed.ts';
import { auditLog } from '../../db/schema.ts';
import { seedApprovedPlanItems } from '../../db/queries/plans.ts';
import { createLogger } from '../../lib/logger.ts';
import { createProjectWorker } from '../../worker.ts';
import { sampleApplication, workflowBundle } from '../support/system.ts';
import { CODEC, dataConverter, printSummary, record, ThrowawayPostgres } from './support.ts';

const ADMIN = `faults-admin-${randomBytes(24).toString('hex')}`;
const pg = new ThrowawayPostgres(55499);
let database: DatabaseHandle;
let nativeConnection: NativeConnection;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  await pg.start();
  database = await openDatabase({ url: pg.url, dataDir: 'unused', max: 5 });
  await prepareDatabase(database);
  const taskQueue = `faults-pg-${process.pid}`;
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    db: database.db,
    workflowBundle: await workflowBundle(),
    dataConverter,
  });
  running = worker.run();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  app = createApp({
    database,
    temporal: new Client({ connection, dataConverter }),
    taskQueue,
    adminApiKey: ADMIN,
    log: createLogger('silent', 'faults'),
    payloadCodec: CODEC,
  });
  await seedApprovedPlanItems(database.db, 2026, [
    { code: '2026-HEALTH-01', title: 'x', department: 'health', ceilingFen: 5_000_000_00 },
  ]); // Art. 6: the approved version in force
}, 180_000);
afterAll(async () => {
  printSummary();
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
  await database?.close().catch(() => undefined);
  await pg.destroy();
});

const call = async (
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    type: res.headers.get('content-type'),
    json: (await res.json()) as Record<string, any>,
  };
};

describe('PostgreSQL outage', () => {
  it('stopped for 15 s under traffic: 503 + Retry-After meanwhile, every 200 in the audit trail, retries land exactly once', async () => {
    const key = async (body: unknown) => (await call('POST', '/v1/admin/api-keys', ADMIN, body)).json.key as string;
    const dept = await key({ role: 'department', name: 'health', department: 'health' });
    const bdb = await key({ role: 'bdb', name: 'bdb' });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        (await call('POST', '/v1/projects', dept, sampleApplication({ title: `outage ${i}` }))).json.id as string,
      );
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const review = (id: string) =>
      call(
        'POST',
        `/v1/projects/${id}/technical-review`,
        bdb,
        { decision: 'pass', opinion: 'ok', checklist },
        { 'idempotency-key': `outage-${id}` },
      );

    // One command answered just before the outage; two in flight when the database goes away; three
    // more (and a list) arrive during it.
    const before = await review(ids[0]!);
    expect(before.status).toBe(200);
    const inFlight = [Promise.resolve(before), ...ids.slice(1, 3).map((id) => review(id))];
    await new Promise((r) => setTimeout(r, 50));
    await pg.pause();
    const stoppedAt = Date.now();
    const during = await Promise.all([...ids.slice(3).map((id) => review(id)), call('GET', '/v1/projects', bdb)]);
    const ready = await app.request('/readyz');
    await new Promise((r) => setTimeout(r, Math.max(0, 15_000 - (Date.now() - stoppedAt))));
    await pg.resume();
    const first = [...(await Promise.all(inFlight)), ...during.slice(0, 3)];
    const all = [...first, during[3]!];
    expect(
      all.every((r) => r.status === 200 || r.status === 503),
      JSON.stringify(all.map((r) => r.status)),
    ).toBe(true);
    for (const r of all.filter((x) => x.status === 503)) {
      expect(r.type).toContain('application/problem+json');
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }
    expect(during.slice(3).every((r) => r.status === 503)).toBe(true);
    expect(ready.status).toBe(503);

    // The client retries every command that did not get a 200, with the same key, as told.
    const final = new Map<string, number>();
    for (const [i, id] of ids.entries()) {
      let status = first[i]!.status;
      for (let attempt = 0; status !== 200 && attempt < 40; attempt++) {
        await new Promise((r) => setTimeout(r, 2_000));
        status = (await review(id)).status;
      }
      final.set(id, status);
    }
    const counts = await Promise.all(
      ids.map(
        async (id) =>
          (
            await database.db
              .select()
              .from(auditLog)
              .where(and(eq(auditLog.projectId, id), eq(auditLog.action, 'technical-review')))
          ).length,
      ),
    );
    const ok200 = first.filter((r) => r.status === 200).length;
    record(
      'PostgreSQL stopped for 15 s under traffic',
      [...final.values()].every((s) => s === 200) && counts.every((c) => c === 1),
      `first answers ${JSON.stringify(first.map((r) => r.status))} (${ok200} × 200), after retries all ${[...final.values()].join('/')}, technical-review audit entries per project ${counts.join('/')}`,
    );
    expect([...final.values()].every((s) => s === 200)).toBe(true);
    expect(counts).toEqual(ids.map(() => 1));
  }, 300_000);
});
