/**
 * Issue 31: the Idempotency-Key of a request whose API process died is reclaimed by what Temporal
 * says, with an honest Retry-After — not held for 30 s while every retry is told `Retry-After: 1`.
 * The dead API's leftovers are made as it would have left them: its pending record (claimed, the
 * Update noted) in the real database, and — for "died after Temporal accepted" — the Update sent
 * through the real gateway to the real workflow and worker. The retry goes through the whole app.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commandUpdateId, createProjectGateway, OUTCOME_WAIT_MS, QUERY_DEADLINE_MS } from '../../api/gateway.ts';
import { requestDigest } from '../../api/idempotency.ts';
import { claimRecord, noteUpdate } from '../../db/queries/idempotency.ts';
import { auditLog, idempotencyRecords } from '../../db/schema.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { commandUpdate, PROJECT_WORKFLOW_TYPE, projectWorkflowId } from '../../workflows/messages.ts';
import { makeInput } from '../domain/helpers.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

const checklist = {
  resourceCatalog: true,
  dataSharing: true,
  intensiveConstruction: true,
  cloudDeployment: true,
  securityControllable: true,
};
const review = { decision: 'pass', opinion: 'ok', checklist };

let system: TestSystem;
let bdbKey: string;
let bdb: Actor;
let dept: string;

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  const made = await system.request('POST', '/v1/admin/api-keys', {
    key: ADMIN_KEY,
    body: { role: 'bdb', name: 'bdb' },
  });
  const { id, key } = (await made.json()) as { id: string; key: string };
  bdbKey = key;
  bdb = { keyId: id, role: 'bdb', name: 'bdb', jurisdiction: 'city' };
  const d = await system.request('POST', '/v1/admin/api-keys', {
    key: ADMIN_KEY,
    body: { role: 'department', name: 'health', department: 'health' },
  });
  dept = ((await d.json()) as { key: string }).key;
  await addPlanItems(system, [{ department: 'health' }]);
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

async function newProject(): Promise<string> {
  const created = await system.request('POST', '/v1/projects', { key: dept, body: sampleApplication() });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/** The pending record a dead API left for `POST path` with `key`; with `update`, the Update it noted. */
async function leftover(path: string, key: string, body: unknown, update?: { workflowId: string; updateId: string }) {
  const record = { apiKeyId: bdb.keyId, idempotencyKey: key };
  expect(
    await claimRecord(system.database.db, record, {
      method: 'POST',
      path,
      requestHash: requestDigest('POST', path, Buffer.from(JSON.stringify(body))),
    }),
  ).toBe(true);
  if (update) await noteUpdate(system.database.db, record, update);
  return record;
}

const retry = (path: string, key: string, body: unknown) =>
  system.request('POST', path, { key: bdbKey, body, headers: { 'idempotency-key': key } });
const reviewsOf = async (id: string) =>
  (
    await system.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, id), eq(auditLog.action, 'technical-review')))
  ).length;
const backdate = (record: { apiKeyId: string; idempotencyKey: string }, ms: number) =>
  system.database.db
    .update(idempotencyRecords)
    .set({ createdAt: new Date(Date.now() - ms) })
    .where(
      and(
        eq(idempotencyRecords.apiKeyId, record.apiKeyId),
        eq(idempotencyRecords.idempotencyKey, record.idempotencyKey),
      ),
    );

describe('a retry of a request whose API died', () => {
  it('Temporal completed its Update: the retry takes the key over at once and answers the original result', async () => {
    const id = await newProject();
    const path = `/v1/projects/${id}/technical-review`;
    const key = `died-after-${randomBytes(4).toString('hex')}`;
    await leftover(path, key, review, { workflowId: projectWorkflowId(id), updateId: commandUpdateId(bdb.keyId, key) });
    // What the dead API did before it died: the Update, through the real gateway.
    await createProjectGateway(system.client, system.taskQueue).execute(id, {
      name: 'technicalReview',
      payload: review as never,
      actor: bdb,
      idempotencyKey: key,
    });
    expect(await reviewsOf(id)).toBe(1);

    const started = Date.now();
    const res = await retry(path, key, review);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(((await res.json()) as { stage: string }).stage).toBe('establishment_review');
    expect(await reviewsOf(id)).toBe(1);
    // Stored now: the next retry is a replay.
    const again = await retry(path, key, review);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  }, 60_000);

  it('its Update never reached Temporal: two retries at once, one takes the key over and the command happens once', async () => {
    const id = await newProject();
    const path = `/v1/projects/${id}/technical-review`;
    const key = `died-before-${randomBytes(4).toString('hex')}`;
    await leftover(path, key, review, { workflowId: projectWorkflowId(id), updateId: commandUpdateId(bdb.keyId, key) });
    const [a, b] = await Promise.all([retry(path, key, review), retry(path, key, review)]);
    // The other retry replays the stored answer, or finds the key just taken over (409, retry in 1 s).
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const loser = a.status === 409 ? a : b.status === 409 ? b : undefined;
    if (loser) expect(loser.headers.get('retry-after')).toBe('1');
    expect(await reviewsOf(id)).toBe(1);
  }, 60_000);

  it("its Update is still waiting for a worker: 409 with Retry-After until the dead API's deadline, not 1", async () => {
    // A project workflow on a task queue nobody polls, and an Update sent to it (admitted, never accepted).
    const input = makeInput({
      id: `JC2026-R${randomBytes(4).toString('hex').toUpperCase()}`,
      createdAt: new Date().toISOString(),
    });
    const handle = await system.client.workflow.start(PROJECT_WORKFLOW_TYPE, {
      workflowId: projectWorkflowId(input.id),
      taskQueue: `nobody-${randomBytes(3).toString('hex')}`,
      args: [{ input }],
    });
    const key = `in-flight-${randomBytes(4).toString('hex')}`;
    const updateId = commandUpdateId(bdb.keyId, key);
    const sent = handle
      .executeUpdate(commandUpdate('technicalReview'), {
        args: [{ payload: review as never, actor: bdb, attempt: 'dead-api' }],
        updateId,
      })
      .catch(() => undefined);
    const gateway = createProjectGateway(system.client, system.taskQueue);
    await eventually(
      async () => ((await gateway.updateState(handle.workflowId, updateId)) === 'in-flight' ? true : undefined),
      20_000,
    );

    const path = `/v1/projects/${input.id}/technical-review`;
    const record = await leftover(path, key, review, { workflowId: handle.workflowId, updateId });
    // Sent long enough ago that 6 s of the dead API's own deadline are left (a call's 10 s, the
    // outcome's 30 s and a second's margin: api/idempotency.ts).
    const ownerDeadlineMs = QUERY_DEADLINE_MS + OUTCOME_WAIT_MS + 1_000;
    await system.database.db
      .update(idempotencyRecords)
      .set({ sentAt: new Date(Date.now() - (ownerDeadlineMs - 6_000)) })
      .where(and(eq(idempotencyRecords.apiKeyId, record.apiKeyId), eq(idempotencyRecords.idempotencyKey, key)));
    const res = await retry(path, key, review);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { code: string }).code).toBe('idempotency_in_progress');
    const after = Number(res.headers.get('retry-after'));
    expect(after).toBeGreaterThanOrEqual(5);
    expect(after).toBeLessThanOrEqual(7);
    await handle.terminate('test over');
    await sent;
  }, 60_000);

  it('no Update noted (it died before reaching Temporal): Retry-After until the record is free, then the retry runs', async () => {
    const id = await newProject();
    const path = `/v1/projects/${id}/technical-review`;
    const key = `no-update-${randomBytes(4).toString('hex')}`;
    const record = await leftover(path, key, review);
    // A moment old: probably still running.
    const early = await retry(path, key, review);
    expect(early.status).toBe(409);
    expect(early.headers.get('retry-after')).toBe('1');
    // 10 s old and still pending: its process is likely dead; free 30 s after it began.
    await backdate(record, 10_000);
    const later = await retry(path, key, review);
    expect(later.status).toBe(409);
    expect(Number(later.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(Number(later.headers.get('retry-after'))).toBeLessThanOrEqual(21);
    await backdate(record, 31_000);
    const free = await retry(path, key, review);
    expect(free.status).toBe(200);
    expect(await reviewsOf(id)).toBe(1);
  }, 60_000);
});
