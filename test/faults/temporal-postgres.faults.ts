/**
 * `kill -9` of the production Temporal server (temporal-server on PostgreSQL, scripts/temporal-postgres.ts)
 * in the middle of command traffic: a few projects go through technical review → establishment →
 * budget at once, each command sent with an Idempotency-Key and retried on a 503 with the same key,
 * as a bureau's system would. The server is killed while commands are in flight, stays down for a
 * while, then starts again on the same databases and address. Meanwhile the API answers 503 with
 * Retry-After (never a 500) and /readyz is 503; afterwards every command is on the audit trail exactly
 * once, the ledger has one allocation per project, and every project is where its last command put it.
 * Needs DATABASE_URL (Temporal's own two databases are created there and dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { auditLog, fundMovements } from '../../db/schema.ts';
import { seedApprovedPlanItems } from '../../db/queries/plans.ts';
import { createLogger } from '../../lib/logger.ts';
import {
  dropTemporalDatabases,
  startTemporalPostgres,
  type TemporalPostgres,
} from '../../scripts/temporal-postgres.ts';
import { createProjectWorker } from '../../worker.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/database.ts';
import { sampleApplication, workflowBundle } from '../support/system.ts';
import { CODEC, dataConverter, printSummary, record } from './support.ts';

const ADMIN = `faults-admin-${randomBytes(24).toString('hex')}`;
const suffix = randomBytes(4).toString('hex');
const databases = { default: `temporal_faults_${suffix}`, visibility: `temporal_faults_${suffix}_visibility` };
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-temporal-pg-faults-'));
const taskQueue = `faults-temporal-pg-${process.pid}`;
let server: TemporalPostgres | undefined;
let database: TestDatabase;
let nativeConnection: NativeConnection;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;

const startServer = (ports?: TemporalPostgres['ports']) =>
  startTemporalPostgres({ databaseUrl: postgresUrl!, databases, stateDir, ports, log: () => {} });

beforeAll(async () => {
  if (!postgresUrl) return;
  server = await startServer();
  database = await createTestDatabase('postgres');
  nativeConnection = await NativeConnection.connect({ address: server.address });
  worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    db: database.db,
    workflowBundle: await workflowBundle(),
    dataConverter,
  });
  running = worker.run();
  connection = await Connection.connect({ address: server.address });
  app = createApp({
    database,
    temporal: new Client({ connection, dataConverter }),
    taskQueue,
    adminApiKey: ADMIN,
    log: createLogger('silent', 'faults'),
    payloadCodec: CODEC,
  });
  await seedApprovedPlanItems(database.db, 2026, [
    { code: '2026-HEALTH-01', title: 'x', department: 'health', ceilingFen: 1_000_000_000 },
  ]); // Art. 6: the approved version in force
}, 240_000);
afterAll(async () => {
  if (!postgresUrl) return;
  printSummary();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await connection?.close();
  await nativeConnection?.close();
  await server?.stop();
  await database?.destroy();
  await dropTemporalDatabases(postgresUrl, databases).catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

const call = async (method: string, p: string, key: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await app.request(p, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as Record<string, any>,
  };
};

describe.skipIf(!postgresUrl)('Temporal server on PostgreSQL killed (kill -9) under traffic', () => {
  it('503 + Retry-After while it is down, retries with the same Idempotency-Key land once, nothing lost or doubled', async () => {
    const key = async (body: unknown) => (await call('POST', '/v1/admin/api-keys', ADMIN, body)).json.key as string;
    const keys = {
      dept: await key({ role: 'department', name: 'health', department: 'health' }),
      bdb: await key({ role: 'bdb', name: 'bdb' }),
      approval: await key({ role: 'approval', name: 'a' }),
      finance: await key({ role: 'finance', name: 'f' }),
    };
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await call('POST', '/v1/projects', keys.dept, sampleApplication({ title: `crash ${i}` }));
      expect(created.status).toBe(201);
      ids.push(created.json.id as string);
    }
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const commands = [
      {
        action: 'technical-review',
        path: 'technical-review',
        key: keys.bdb,
        body: { decision: 'pass', opinion: 'ok', checklist },
      },
      {
        action: 'establishment',
        path: 'establishment',
        key: keys.approval,
        body: { decision: 'approve', approvalNo: 'K-1', opinion: 'ok', approvedEstimateFen: 1_200_000_00 },
      },
      {
        action: 'budget',
        path: 'budget',
        key: keys.finance,
        body: {
          fundType: 'construction',
          year: 2026,
          amountFen: 1_000_000,
          cityShareFen: 1_000_000,
          countyShareFen: 0,
        },
      },
    ];

    let down = false;
    let accepted = 0;
    const answers: Array<{ status: number; down: boolean; retryAfter: string | null }> = [];
    // A bureau's system: each command with its own Idempotency-Key, retried with the same key on a
    // 503 (nothing applied) or a 202 (pending: the same key attaches to the same update, issue 28).
    const traffic = async (id: string) => {
      for (const c of commands) {
        for (let attempt = 0; ; attempt++) {
          const r = await call('POST', `/v1/projects/${id}/${c.path}`, c.key, c.body, {
            'idempotency-key': `crash-${id}-${c.action}`,
          });
          answers.push({ status: r.status, down, retryAfter: r.retryAfter });
          if (r.status === 200) break;
          if ((r.status !== 503 && r.status !== 202) || attempt > 60)
            throw new Error(`${c.action} on ${id}: ${r.status} ${JSON.stringify(r.json)}`);
          await new Promise((res) => setTimeout(res, 1_000));
        }
        accepted++;
        await new Promise((res) => setTimeout(res, 200));
      }
    };
    const flows = Promise.all(ids.map(traffic));
    flows.catch(() => {}); // awaited below

    // Kill once traffic is under way: some commands answered, others still to come or in flight.
    while (accepted < 3) await new Promise((res) => setTimeout(res, 20));
    const ports = server!.ports;
    const acceptedBeforeKill = accepted;
    down = true;
    await server!.kill('SIGKILL');
    const killedAt = Date.now();
    const ready = await app.request('/readyz');
    await new Promise((res) => setTimeout(res, Math.max(0, 15_000 - (Date.now() - killedAt))));
    server = await startServer(ports);
    down = false;
    const downSeconds = (Date.now() - killedAt) / 1000;
    await flows;

    expect(ready.status).toBe(503);
    const statuses = [...new Set(answers.map((a) => a.status))].sort();
    expect(
      statuses.every((s) => s === 200 || s === 503 || s === 202),
      JSON.stringify(statuses),
    ).toBe(true);
    const unavailable = answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const a of unavailable) expect(Number(a.retryAfter)).toBeGreaterThan(0);

    // Exactly once: every command on the audit trail once, one allocation each, the projects in budgeting (Art. 11: the money is held until the BDB's plan).
    const perProject = await Promise.all(
      ids.map(async (id) => {
        const audit = await database.db.select().from(auditLog).where(eq(auditLog.projectId, id));
        const count = (action: string) => audit.filter((e) => e.action === action).length;
        const allocations = (
          await database.db
            .select()
            .from(fundMovements)
            .where(and(eq(fundMovements.projectId, id), eq(fundMovements.kind, 'allocate')))
        ).length;
        const view = await call('GET', `/v1/projects/${id}`, keys.bdb);
        return {
          counts: ['application', ...commands.map((c) => c.action)].map(count),
          allocations,
          stage: view.json.stage as string,
        };
      }),
    );
    const exactlyOnce = perProject.every(
      (p) => p.counts.every((n) => n === 1) && p.allocations === 1 && p.stage === 'budgeting',
    ); // Art. 11: money held for the BDB's plan
    record(
      'temporal-server on PostgreSQL killed (kill -9) under command traffic, restarted on the same databases',
      exactlyOnce && unavailable.length > 0,
      `${acceptedBeforeKill} of ${ids.length * commands.length} commands answered before the kill; down ${downSeconds.toFixed(0)} s; answers ${answers.filter((a) => a.status === 200).length} × 200, ${unavailable.length} × 503 (${answers.filter((a) => a.status === 503 && a.down).length} while down), /readyz ${ready.status}; audit entries per project (application/review/establishment/budget) ${perProject.map((p) => p.counts.join('')).join(' ')}, allocations ${perProject.map((p) => p.allocations).join('/')}, stages ${[...new Set(perProject.map((p) => p.stage))].join(',')}`,
    );
    expect(perProject).toEqual(ids.map(() => ({ counts: [1, 1, 1, 1], allocations: 1, stage: 'budgeting' })));
  }, 300_000);
});
