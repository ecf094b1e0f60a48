/**
 * More than one machine (issue 31): two API processes and two worker processes (`tsx api/server.ts`,
 * `tsx worker.ts`) on temporal-server on PostgreSQL (scripts/temporal-postgres.ts) and the S3 test
 * server (the document store every API shares), driven the way a load balancer would: projects go
 * application → technical review → establishment → budget, each request to the next API in turn,
 * each command with its Idempotency-Key, and a request that fails (connection lost, 503, 409 in
 * progress) retried with the same key on the other API after the Retry-After it was given. Under this
 * load one worker and one API are killed with kill -9. Afterwards every count is what the commands
 * make — one read-model row and one audit entry per command per project, one allocation each —
 * `npm run audit:verify` is clean, every notification reached the webhook receiver — twice only when
 * the killed worker was sending it (at least once, docs/WEBHOOKS.md) — and
 * a document uploaded on one API downloads on the other.
 * Needs DATABASE_URL (Temporal's two databases are created there and dropped afterwards).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq, gt, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  fundMovements,
  notifications,
  projects,
  webhookAttempts,
  webhookDeliveries,
} from '../../db/schema.ts';
import { seedApprovedPlanItems } from '../../db/queries/plans.ts';
import { resolveS3Server, startS3Server, type RunningS3Server } from '../../scripts/s3-server.ts';
import {
  dropTemporalDatabases,
  startTemporalPostgres,
  type TemporalPostgres,
} from '../../scripts/temporal-postgres.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/net.ts';
import { eventually, sampleApplication } from '../support/system.ts';
import { printSummary, record, ROOT, spawnEntry, type Child } from './support.ts';

const run = promisify(execFile);
const PROJECTS = 24;
const CONCURRENCY = 8;
const ADMIN = `faults-admin-${randomBytes(24).toString('hex')}`;
const suffix = randomBytes(4).toString('hex');
const databases = { default: `temporal_scale_${suffix}`, visibility: `temporal_scale_${suffix}_visibility` };
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-scale-out-'));
const taskQueue = `faults-scale-${process.pid}`;
const s3Binary = resolveS3Server({ allowInstall: false });
const skip = !postgresUrl || 'missing' in s3Binary;
if (!postgresUrl) console.warn('[scale-out] skipped: DATABASE_URL is not set');
else if ('missing' in s3Binary) console.warn(`[scale-out] skipped: ${s3Binary.missing}`);

let temporal: TemporalPostgres | undefined;
let s3: RunningS3Server | undefined;
let database: TestDatabase;
const apis: Array<{ child: Child; base: string; alive: boolean }> = [];
const workers: Child[] = [];
let receiver: Server | undefined;
let hookUrl = '';
const received = new Map<string, number>();

beforeAll(async () => {
  if (skip) return;
  temporal = await startTemporalPostgres({
    databaseUrl: postgresUrl!,
    databases,
    stateDir: path.join(stateDir, 'temporal'),
    log: () => {},
  });
  s3 = await startS3Server(s3Binary.path, path.join(stateDir, 's3'));
  database = await createTestDatabase('postgres');
  await seedApprovedPlanItems(database.db, 2026, [
    { code: '2026-HEALTH-01', title: 'x', department: 'health', ceilingFen: 1_000_000_000_000 },
  ]); // Art. 6
  // The webhook receiver listens on this machine's own interface address: a webhook may not reach
  // loopback at all (lib/webhook-address.ts), and this machine's address only when the administrator
  // allows it (WEBHOOK_ALLOWED_NETWORKS), as a government intranet receiver would be. Packets to the
  // machine's own address never leave it.
  const own = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!own)
    throw new Error('the scale-out test needs a non-loopback IPv4 address on this machine for its webhook receiver');
  const common = {
    TEMPORAL_ADDRESS: temporal.address,
    DATABASE_URL: database.url!,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WEBHOOK_ALLOWED_NETWORKS: `${own}/32`,
  };
  const [w1, w2] = await Promise.all([
    spawnEntry('worker.ts', common, /worker started/),
    spawnEntry('worker.ts', common, /worker started/),
  ]);
  workers.push(w1, w2);
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const env = {
      ...common,
      ADMIN_API_KEY: ADMIN,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(stateDir, `api-${i}`),
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: 'bdp-scale-out',
      S3_ACCESS_KEY_ID: 'scale',
      S3_SECRET_ACCESS_KEY: 'scale-secret',
    };
    apis.push({
      child: await spawnEntry('api/server.ts', env, /API listening/),
      base: `http://127.0.0.1:${port}`,
      alive: true,
    });
  }
  receiver = createServer((req, res) => {
    const id = String(req.headers['x-event-id'] ?? '');
    req.resume();
    req.on('end', () => {
      received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, own, resolve));
  hookUrl = `http://${own}:${(receiver.address() as { port: number }).port}/hooks`;
}, 600_000);

afterAll(async () => {
  if (skip) return;
  printSummary();
  for (const a of apis) await a.child.stop();
  for (const w of workers) await w.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await s3?.stop();
  await temporal?.stop();
  await database?.destroy();
  await dropTemporalDatabases(postgresUrl!, databases).catch(() => undefined);
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** The load balancer: the next live API in turn; a lost connection marks nothing, it just moves on. */
let turn = 0;
const nextApi = () => {
  const live = apis.filter((a) => a.alive);
  return live[turn++ % live.length]!;
};
const statuses = new Map<string, number>();
const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);

/** One request as a bureau's system sends it: retried with the same Idempotency-Key until it is answered. */
async function send(
  method: string,
  p: string,
  key: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<Record<string, any>> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const api = nextApi();
    let res: Response;
    try {
      res = await fetch(`${api.base}${p}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      count('connection lost');
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    count(String(res.status));
    if (res.status < 300) return json;
    if (res.status === 503 || (res.status === 409 && json.code === 'idempotency_in_progress')) {
      await new Promise((r) => setTimeout(r, Math.min(12, Number(res.headers.get('retry-after') ?? 1)) * 1000));
      continue;
    }
    throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`);
  }
  throw new Error(`${method} ${p}: no answer after 60 attempts`);
}

describe.skipIf(skip)('two APIs and two workers; kill -9 of one of each under command load', () => {
  it('every count equal, audit:verify clean, webhooks at least once (again only after the kill), documents shared', async () => {
    const key = async (body: unknown) => (await send('POST', '/v1/admin/api-keys', ADMIN, body)).key as string;
    const keys = {
      dept: await key({ role: 'department', name: 'health', department: 'health' }),
      bdb: await key({ role: 'bdb', name: 'bdb' }),
      approval: await key({ role: 'approval', name: 'a' }),
      finance: await key({ role: 'finance', name: 'f' }),
    };
    await send('POST', '/v1/admin/webhooks', ADMIN, { url: hookUrl, secret: 'scale-out-secret-0123456789' });
    const since = Number(
      (await database.db.select({ id: notifications.id }).from(notifications).orderBy(notifications.id)).at(-1)?.id ??
        0,
    );

    // A document uploaded on one API is read on the other (the shared S3 store).
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(64 * 1024)]);
    const up = await fetch(`${apis[0]!.base}/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.dept}`, 'content-type': 'application/pdf', 'x-file-name': 'plan.pdf' },
      body: pdf,
    });
    const doc = (await up.json()) as { id: string };
    expect(up.status, JSON.stringify(doc)).toBe(201);
    const down = await fetch(`${apis[1]!.base}/v1/documents/${doc.id}`, {
      headers: { authorization: `Bearer ${keys.dept}` },
    });
    const sameBytes = Buffer.from(await down.arrayBuffer()).equals(pdf);

    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const steps = [
      { action: 'technical-review', key: keys.bdb, body: { decision: 'pass', opinion: 'ok', checklist } },
      {
        action: 'establishment',
        key: keys.approval,
        body: { decision: 'approve', approvalNo: 'S-1', opinion: 'ok', approvedEstimateFen: 1_200_000_00 },
      }, // Art. 8: 批复概算
      {
        action: 'budget',
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
    let answered = 0;
    const ids: string[] = [];
    const flow = async (i: number) => {
      const created = await send(
        'POST',
        '/v1/projects',
        keys.dept,
        sampleApplication({ title: `scale-out ${i}` }),
        `create-${suffix}-${i}`,
      );
      ids.push(created.id as string);
      answered++;
      for (const s of steps) {
        await send('POST', `/v1/projects/${created.id}/${s.action}`, s.key, s.body, `${s.action}-${suffix}-${i}`);
        answered++;
      }
    };
    let next = 0;
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PROJECTS) await flow(next++);
      }),
    );
    load.catch(() => undefined); // awaited below

    // Kill once a third of the commands were answered: the others are in flight or still to come.
    await eventually(async () => (answered >= (PROJECTS * 4) / 3 ? true : undefined), 300_000);
    const answeredAtKill = answered;
    await workers[0]!.kill9();
    apis[0]!.alive = false;
    await apis[0]!.child.kill9();
    const killedAt = Date.now();
    await load;
    const afterKillSeconds = (Date.now() - killedAt) / 1000;

    // Every count what the commands make.
    const rows = await database.db.select({ id: projects.id, stage: projects.stage }).from(projects);
    const perProject = await Promise.all(
      ids.map(async (id) => {
        const audit = await database.db
          .select({ action: auditLog.action })
          .from(auditLog)
          .where(eq(auditLog.projectId, id));
        const allocations = await database.db
          .select()
          .from(fundMovements)
          .where(and(eq(fundMovements.projectId, id), eq(fundMovements.kind, 'allocate')));
        return (
          ['application', ...steps.map((s) => s.action)]
            .map((a) => audit.filter((e) => e.action === a).length)
            .join('') + `/${allocations.length}`
        );
      }),
    );
    const verify = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url! },
    }).then(
      (r) => ({ ok: true, out: r.stdout }),
      (err: { stdout?: string; stderr?: string }) => ({ ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );

    // Webhooks: every notification written since the subscription, delivered. Deliveries start
    // once a notification is settled (60 s after it was written, lib/webhooks.ts).
    const outbox = await database.db
      .select({ eventId: notifications.eventId })
      .from(notifications)
      .where(gt(notifications.id, since));
    await eventually(async () => (outbox.every((n) => received.has(n.eventId)) ? true : undefined), 240_000).catch(
      () => undefined,
    );
    const delivered = outbox.filter((n) => (received.get(n.eventId) ?? 0) >= 1).length;
    // Delivery is at least once (docs/WEBHOOKS.md): a delivery the killed worker had claimed and was
    // sending when it died is sent again after its lease. Such a delivery counts one claimed attempt
    // more than its logged attempts (the dead worker never logged its own); any other duplicate is a fault.
    const duplicatedIds = [...received].filter(([, n]) => n > 1).map(([id]) => id);
    const claims = duplicatedIds.length
      ? await database.db
          .select({ eventId: webhookDeliveries.eventId, attempts: webhookDeliveries.attempts })
          .from(webhookDeliveries)
          .where(inArray(webhookDeliveries.eventId, duplicatedIds))
      : [];
    const logged = duplicatedIds.length
      ? await database.db
          .select({ eventId: webhookAttempts.eventId })
          .from(webhookAttempts)
          .where(inArray(webhookAttempts.eventId, duplicatedIds))
      : [];
    const resentAfterKill = duplicatedIds.filter((id) => {
      const claimed = claims.filter((c) => c.eventId === id).reduce((sum, c) => sum + c.attempts, 0);
      return claimed > logged.filter((a) => a.eventId === id).length;
    }).length;
    const duplicated = duplicatedIds.length - resentAfterKill;

    const exact =
      rows.length === PROJECTS &&
      new Set(ids).size === PROJECTS &&
      perProject.every((p) => p === '1111/1') &&
      rows.every((r) => r.stage === 'budgeting');
    record(
      'two APIs and two workers on temporal-server/PostgreSQL + S3; kill -9 of one worker and one API under load',
      exact && verify.ok && delivered === outbox.length && duplicated === 0 && sameBytes,
      `${answeredAtKill} of ${PROJECTS * 4} requests answered at the kill, the rest ${afterKillSeconds.toFixed(0)} s after; answers ${[...statuses].map(([k, v]) => `${v} × ${k}`).join(', ')}; ` +
        `${rows.length} projects (${[...new Set(rows.map((r) => r.stage))].join(',')}), audit/ledger per project ${[...new Set(perProject)].join(' ')}; audit:verify ${verify.ok ? 'clean' : 'BROKEN'}; ` +
        `webhooks ${delivered}/${outbox.length} delivered, ${resentAfterKill} sent again after the killed worker's lease, ${duplicated} other duplicates; document across APIs ${sameBytes ? 'same bytes' : 'DIFFERENT'}`,
    );
    expect(rows.length).toBe(PROJECTS);
    expect(perProject).toEqual(ids.map(() => '1111/1'));
    expect(rows.every((r) => r.stage === 'budgeting')).toBe(true); // Art. 11: the money held until the BDB's plan
    expect(verify.ok, verify.out.slice(-2000)).toBe(true);
    expect(outbox.length).toBeGreaterThan(0);
    expect(delivered).toBe(outbox.length);
    expect(duplicated).toBe(0);
    expect(sameBytes).toBe(true);
  }, 900_000);
});
