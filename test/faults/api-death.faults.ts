/**
 * The API process dies after Temporal accepted a command but before the client got its answer: the
 * client retries with the same Idempotency-Key against a fresh API process and gets the original
 * result — no second decision, no second audit entry (docs/API.md "Idempotency", Art. 24-25).
 * The answer is held back by a table lock on idempotency_records (the API cannot record the
 * response), the process is killed with SIGKILL, and the retry takes the pending record over at once
 * because Temporal says the Update it names is completed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { seedApprovedPlanItems } from '../../db/queries/plans.ts';
import { createProjectWorker } from '../../worker.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually, sampleApplication, workflowBundle } from '../support/system.ts';
import { freePort } from '../support/net.ts';
import { dataConverter, printSummary, record, spawnEntry, type Child } from './support.ts';

const ADMIN = `faults-admin-${randomBytes(24).toString('hex')}`;
const taskQueue = `faults-api-${process.pid}`;
let database: TestDatabase;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let api: Child;
let base: string;
// Every start of the API uses the same folder store (it must be the one the database's documents live in).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-api-death-'));

async function startApi(): Promise<Child> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  return spawnEntry(
    'api/server.ts',
    {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: database.url!,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ADMIN_API_KEY: ADMIN,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
    },
    /API listening/,
  );
}

async function call(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  database = await createTestDatabase('postgres');
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
  api = await startApi();
  await seedApprovedPlanItems(database.db, 2026, [
    { code: '2026-HEALTH-01', title: 'x', department: 'health', ceilingFen: 5_000_000_00 },
  ]); // Art. 6: the approved version in force
}, 180_000);
afterAll(async () => {
  printSummary();
  await api?.stop();
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await database?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the API dies after Temporal accepted a command', () => {
  it('the retry with the same Idempotency-Key against a fresh API gets the original result, no duplicate', async () => {
    const key = async (body: unknown) => (await call('POST', '/v1/admin/api-keys', ADMIN, body)).json.key as string;
    const dept = await key({ role: 'department', name: 'health', department: 'health' });
    const bdb = await key({ role: 'bdb', name: 'bdb' });
    const created = await call('POST', '/v1/projects', dept, sampleApplication());
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const review = { decision: 'pass', opinion: 'complete', checklist };
    const headers = { 'idempotency-key': `review-${id}` };

    // Hold the audit table so the command cannot finish until the idempotency table is locked too.
    const sql = postgres(database.url!, { max: 3, onnotice: () => {} });
    let releaseAudit!: () => void;
    let releaseRecords!: () => void;
    const auditLocked = new Promise<void>((ok) => {
      void sql.begin(async (tx) => {
        await tx`lock table audit_log in exclusive mode`;
        ok();
        await new Promise<void>((r) => (releaseAudit = r));
      });
    });
    await auditLocked;
    const first = fetch(`${base}/v1/projects/${id}/technical-review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bdb}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(review),
    }).catch((err: unknown) => err);
    // Once the record names the Update (api/idempotency.ts withUpdateNotes), the API sends it: only
    // then may the table be locked, or the note itself would wait behind the lock.
    await eventually(async () =>
      (
        await sql`select 1 from idempotency_records where idempotency_key = ${headers['idempotency-key']} and update_id is not null`
      ).length
        ? true
        : undefined,
    );
    let recordsTx!: Promise<unknown>;
    await new Promise<void>((ok) => {
      recordsTx = sql.begin(async (tx) => {
        await tx`lock table idempotency_records in exclusive mode`;
        ok();
        await new Promise<void>((r) => (releaseRecords = r));
      });
    });
    releaseAudit();
    // The workflow accepts and performs the command; the API then waits to store the answer.
    await eventually(async () => {
      const rows = await database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.projectId, id), eq(auditLog.action, 'technical-review')));
      return rows.length === 1 ? true : undefined;
    }, 30_000);
    await eventually(
      async () =>
        (
          await sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%idempotency_records%'`
        ).length
          ? true
          : undefined,
      30_000,
    );
    await api.kill9();
    releaseRecords();
    await recordsTx;
    await sql.end();
    const lost = await first;
    expect(lost).toBeInstanceOf(Error); // the client never got an answer

    api = await startApi();
    // The record is still pending, but it names the Update the dead API sent, and Temporal says that
    // Update is done: the retry takes the key over at once (it waited 30 s, told "Retry-After: 1").
    const started = Date.now();
    const retry = await call('POST', `/v1/projects/${id}/technical-review`, bdb, review, headers);
    const seconds = (Date.now() - started) / 1000;
    const reviews = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, id), eq(auditLog.action, 'technical-review')));
    record(
      'API process killed after Temporal accepted a command',
      retry.status === 200 && reviews.length === 1,
      `the first retry → ${retry.status} after ${seconds.toFixed(1)} s, stage ${retry.json.stage}; ${reviews.length} technical-review audit entry`,
    );
    expect(retry.status).toBe(200);
    expect(seconds).toBeLessThan(5);
    expect(retry.json.stage).toBe('establishment_review');
    expect(reviews).toHaveLength(1);
    // And it is now a stored answer: a further retry replays it.
    const again = await fetch(`${base}/v1/projects/${id}/technical-review`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bdb}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(review),
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  }, 240_000);
});
