/**
 * The backup drill (docs/BACKUP.md): `npm start` (the embedded default: Temporal dev server on
 * SQLite, PGlite, worker and API in one process) runs in a temporary DATA_DIR with a faster deadline
 * clock; projects wait on their publicity deadlines (Art. 11) while commands pour in through the API
 * and `npm run backup` runs. Then everything is killed (kill -9), the directory deleted, the backup
 * restored into a fresh directory with `npm run restore`, and the system started from it:
 * - every project of the backup is there, in Temporal (running, the same version) and in the read model;
 * - the ledger and the audit trail are exactly the backup's rows, each equal to the row the live
 *   system had (the live system may have had more: what came after the snapshot);
 * - `npm run audit:verify` passes, after the restore and at the end;
 * - the API keys and the admin key of the backup work again, and a filed document opens;
 * - the publicity deadlines, falling due after the restore, fire exactly once: one timer each, one
 *   `publish` movement each, the money available — nothing booked twice.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { asc } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { auditLog, fundBalances, fundMovements, projects } from '../../db/schema.ts';
import { EncryptionCodec, parseKeyring } from '../../lib/codec.ts';
import type { Manifest } from '../../db/backup-manifest.ts';
import { PROJECT_WORKFLOW_TYPE, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import { sampleApplication } from '../support/system.ts';
import { freePort } from '../support/net.ts';
import { printSummary, record, ROOT, spawnEntry, STARTED, type Child } from './support.ts';
import { pendingTimers } from '../support/timers.ts';

const run = promisify(execFile);
/** 5 working days (≥ 5 calendar days) of publicity in ≥ 108 s: after the restore, whatever today is. */
const SPEEDUP = 4000;
const YEAR = 2026;
const PLAN_ITEM = `${YEAR}-HEALTH-01`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-backup-drill-'));
const dirs = { live: path.join(tmp, 'live'), restored: path.join(tmp, 'restored'), backup: path.join(tmp, 'backup') };
let system: (Child & { api: string; temporal: string; pids: () => Promise<number[]> }) | undefined;

/** The environment of the embedded default: no external service, keys generated into DATA_DIR. */
const embedded = (dataDir: string) => ({
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  TEMPORAL_ADDRESS: '',
  TEMPORAL_UI_URL: '',
  ADMIN_API_KEY: '',
  PAYLOAD_KEYS: '',
  DOCUMENT_KEYS: '',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_WRITES_PER_MINUTE: '0',
});

async function startSystem(dataDir: string) {
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const child = await spawnEntry(
    'test/faults/fast-clock-start.ts',
    {
      ...embedded(dataDir),
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      FAST_CLOCK_SPEEDUP: String(SPEEDUP),
    },
    STARTED,
    300_000,
  );
  // The process and its children (the dev server), by id: kill -9 of `npm start` leaves no orphan.
  const pids = async (): Promise<number[]> => {
    const all: number[] = [child.process.pid!];
    for (let i = 0; i < all.length; i++) {
      const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(all[i])]).catch(() => ({ stdout: '' }));
      all.push(
        ...stdout
          .split('\n')
          .map((s) => Number(s.trim()))
          .filter((n) => n > 0),
      );
    }
    return all;
  };
  system = { ...child, api: `http://127.0.0.1:${port}`, temporal: `127.0.0.1:${temporalPort}`, pids };
  return system;
}

async function killSystem(): Promise<void> {
  if (!system) return;
  const pids = await system.pids();
  for (const pid of pids.reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await system.kill9();
  system = undefined;
}

async function call(base: string, method: string, p: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, any>;
  return { status: res.status, json };
}

async function ok(base: string, method: string, p: string, key: string, body?: unknown) {
  const res = await call(base, method, p, key, body);
  if (res.status >= 300) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

const npm = (script: string, dataDir: string, args: string[]) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...embedded(dataDir) },
    maxBuffer: 16 * 1024 * 1024,
  });

/** The ledger, the balances, the audit trail and the read model's versions, straight from a stopped DATA_DIR's PGlite. */
async function readStores(dataDir: string) {
  const handle = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
  try {
    const audit = await handle.db.select().from(auditLog).orderBy(asc(auditLog.projectId), asc(auditLog.seq));
    const ledger = await handle.db.select().from(fundMovements).orderBy(asc(fundMovements.id));
    const balances = await handle.db.select().from(fundBalances);
    const models = await handle.db
      .select({ id: projects.id, version: projects.version, stage: projects.stage })
      .from(projects);
    return { audit, ledger, balances, models };
  } finally {
    await handle.close();
  }
}

const clientFor = async (address: string, dataDir: string) => {
  const keyring = parseKeyring(fs.readFileSync(path.join(dataDir, 'payload-keys'), 'utf8').trim());
  return new Client({
    connection: await Connection.connect({ address }),
    dataConverter: { payloadCodecs: [new EncryptionCodec('sm4', keyring)] },
  });
};

const eventually = async <T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
};

afterAll(async () => {
  printSummary();
  await killSystem();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('backup under command traffic, kill -9, restore into a fresh directory', () => {
  it('Art. 11, 24-25: every project, ledger row and audit entry of the backup is back, audit:verify passes, deadlines due after the restore fire once', async () => {
    // 1. The live system, keys, the approved plan (Art. 6), three projects whose money is published (Art. 11).
    const live = await startSystem(dirs.live);
    const admin = fs.readFileSync(path.join(dirs.live, 'admin-api-key'), 'utf8').trim();
    const key = async (body: unknown) => (await ok(live.api, 'POST', '/v1/admin/api-keys', admin, body)).key as string;
    const keys = {
      dept: await key({ role: 'department', name: 'health', department: 'health' }),
      bdb: await key({ role: 'bdb', name: 'bdb' }),
      approval: await key({ role: 'approval', name: 'approval' }),
      finance: await key({ role: 'finance', name: 'finance' }),
    };
    await ok(live.api, 'PUT', `/v1/annual-plans/${YEAR}`, keys.bdb, {
      items: [{ code: PLAN_ITEM, title: '全民健康信息平台', department: 'health', ceilingFen: 500_000_000_00 }],
    });
    await ok(live.api, 'POST', `/v1/annual-plans/${YEAR}/approval`, keys.bdb, {
      approvedOn: `${YEAR}-01-10`,
      documentNo: `晋市政函〔${YEAR}〕1号`,
    });
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const waiting: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = (await ok(
        live.api,
        'POST',
        '/v1/projects',
        keys.dept,
        sampleApplication({ annualPlanItem: PLAN_ITEM, title: `公示项目 ${i}` }),
      )) as { id: string };
      await ok(live.api, 'POST', `/v1/projects/${id}/technical-review`, keys.bdb, {
        decision: 'pass',
        opinion: '同意',
        checklist,
      });
      await ok(live.api, 'POST', `/v1/projects/${id}/establishment`, keys.approval, {
        decision: 'approve',
        approvalNo: `晋审批〔${YEAR}〕${i + 1}号`,
        opinion: '同意立项',
        approvedEstimateFen: 100_000_000,
      });
      await ok(live.api, 'POST', `/v1/projects/${id}/budget`, keys.finance, {
        fundType: 'construction',
        year: YEAR,
        amountFen: 10_000_000 * (i + 1),
        cityShareFen: 10_000_000 * (i + 1),
        countyShareFen: 0,
      });
      waiting.push(id);
    }
    await ok(live.api, 'POST', '/v1/allocation-plans', keys.bdb, {
      year: YEAR,
      title: `${YEAR}年第一批资金拟分配计划`,
      allocations: waiting.map((projectId) => ({ projectId, allocationId: 'alloc-1' })),
    });
    // A filed document (the folder store, sealed with DATA_DIR's document keys).
    const pdf = Buffer.from(`%PDF-1.7\n% 备份演练 ${Date.now()}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
    const uploaded = await fetch(`${live.api}/v1/documents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.dept}`,
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent('合同.pdf'),
        'content-length': String(pdf.length),
      },
      body: pdf,
    });
    expect(uploaded.status).toBe(201);
    const documentId = ((await uploaded.json()) as { id: string }).id;
    const dueAt = new Map<string, number>();
    for (const id of waiting) {
      const view = await ok(live.api, 'GET', `/v1/projects/${id}`, keys.bdb);
      expect(view.stage).toBe('publicity');
      dueAt.set(id, Date.parse(view.deadlines.find((d: { kind: string }) => d.kind === 'publicity').dueAt));
    }

    // 2. Command traffic (new projects and their technical reviews) while `npm run backup` runs.
    let traffic = true;
    const commands: Array<{ started: number; ended: number; status: number }> = [];
    const loop = async () => {
      while (traffic) {
        const started = Date.now();
        const created = await call(
          live.api,
          'POST',
          '/v1/projects',
          keys.dept,
          sampleApplication({ annualPlanItem: PLAN_ITEM, title: `备份期间的项目 ${commands.length}` }),
        );
        commands.push({ started, ended: Date.now(), status: created.status });
        if (created.status !== 201) continue;
        const reviewStarted = Date.now();
        const reviewed = await call(live.api, 'POST', `/v1/projects/${created.json.id}/technical-review`, keys.bdb, {
          decision: 'pass',
          opinion: '同意',
          checklist,
        });
        commands.push({ started: reviewStarted, ended: Date.now(), status: reviewed.status });
      }
    };
    const loops = [loop(), loop()];
    await new Promise((r) => setTimeout(r, 2_000));
    const backupFrom = Date.now();
    const { stdout: backupOut } = await npm('scripts/backup.ts', dirs.live, ['--out', dirs.backup]);
    const backupTo = Date.now();
    await new Promise((r) => setTimeout(r, 2_000));
    traffic = false;
    await Promise.all(loops);
    const during = commands.filter((c) => c.ended >= backupFrom && c.started <= backupTo);
    expect(backupOut).toContain('运行中的系统');
    expect(during.length).toBeGreaterThan(0);
    expect(commands.filter((c) => c.status >= 500)).toEqual([]); // the freeze delays commands, it refuses none

    // The dev server (SQLite in WAL mode) wrote on while the backup read it.
    expect(live.output()).not.toMatch(/SQLITE_BUSY|database is locked/);

    // 3. Disaster: kill -9 of everything, the live state read from what it left, the directory deleted.
    await killSystem();
    const atKill = await readStores(dirs.live);
    fs.rmSync(dirs.live, { recursive: true, force: true });

    // 4. Restore into a fresh directory: refused over a non-empty one; the backup's own rows.
    fs.mkdirSync(dirs.restored);
    fs.writeFileSync(path.join(dirs.restored, 'something'), 'x');
    const refused = await npm('scripts/restore.ts', dirs.restored, ['--from', dirs.backup]).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('不为空') });
    fs.rmSync(dirs.restored, { recursive: true, force: true });
    const { stdout: restoreOut } = await npm('scripts/restore.ts', dirs.restored, ['--from', dirs.backup]);
    expect(restoreOut).toContain('恢复完成');
    const manifest = JSON.parse(fs.readFileSync(path.join(dirs.backup, 'manifest.json'), 'utf8')) as Manifest;
    const rowsOf = (table: string) => manifest.postgres.tables.find((t) => t.name === table)!.rows;
    const restored = await readStores(dirs.restored);
    expect(restored.audit).toHaveLength(rowsOf('audit_log'));
    expect(restored.ledger).toHaveLength(rowsOf('fund_movements'));
    expect(restored.models).toHaveLength(rowsOf('projects'));
    // Each restored row is the live system's row, unchanged; the live system may have had more (after the snapshot).
    const liveAudit = new Map(atKill.audit.map((r) => [`${r.projectId}#${r.seq}`, r]));
    for (const r of restored.audit) expect(liveAudit.get(`${r.projectId}#${r.seq}`)).toEqual(r);
    const liveLedger = new Map(atKill.ledger.map((r) => [r.idempotencyKey, r]));
    for (const r of restored.ledger) expect(liveLedger.get(r.idempotencyKey)).toEqual(r);
    expect(restored.audit.length).toBeLessThanOrEqual(atKill.audit.length);
    // And nothing the live system had committed before the freeze is missing.
    const frozenAt = Date.parse(manifest.postgres.frozenAt);
    const restoredAudit = new Set(restored.audit.map((r) => `${r.projectId}#${r.seq}`));
    expect(
      atKill.audit.filter((r) => r.recordedAt.getTime() < frozenAt && !restoredAudit.has(`${r.projectId}#${r.seq}`)),
    ).toEqual([]);
    const restoredLedger = new Set(restored.ledger.map((r) => r.idempotencyKey));
    expect(
      atKill.ledger.filter((r) => r.recordedAt.getTime() < frozenAt && !restoredLedger.has(r.idempotencyKey)),
    ).toEqual([]);
    expect(atKill.audit.filter((r) => r.recordedAt.getTime() < frozenAt).length).toBeGreaterThan(0);
    const { stdout: verifiedAfterRestore } = await npm('scripts/audit-verify.ts', dirs.restored, []);
    expect(verifiedAfterRestore).toMatch(/0 broken/);

    // 5. The system starts from it: every project of the backup runs in Temporal at the read model's version.
    const again = await startSystem(dirs.restored);
    const readyAt = Date.now();
    const client = await clientFor(again.temporal, dirs.restored);
    for (const m of restored.models) {
      const handle = client.workflow.getHandle(projectWorkflowId(m.id));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const view = await handle.query(viewQuery);
      expect({ id: m.id, stage: view.stage }).toEqual({ id: m.id, stage: m.stage });
    }
    const workflows: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = '${PROJECT_WORKFLOW_TYPE}'` }))
      workflows.push(w.workflowId);
    // A workflow whose first write the freeze held back has no row in the backup: Temporal runs that
    // workflow task again and it writes the row now (keyed, so once).
    expect(workflows).toEqual(expect.arrayContaining(restored.models.map((m) => projectWorkflowId(m.id))));
    // The keys of the backup work again (api_keys restored; the admin key from DATA_DIR), and the document opens.
    const adminRestored = fs.readFileSync(path.join(dirs.restored, 'admin-api-key'), 'utf8').trim();
    expect(adminRestored).toBe(admin);
    const bdb = keys.bdb;
    const document = await fetch(`${again.api}/v1/documents/${documentId}`, {
      headers: { authorization: `Bearer ${keys.dept}` },
    });
    expect(document.status).toBe(200);
    expect(Buffer.from(await document.arrayBuffer())).toEqual(pdf);
    const rowless = workflows.filter((w) => !restored.models.some((m) => projectWorkflowId(m.id) === w));
    for (const w of rowless) {
      const stage = (await client.workflow.getHandle(w).query(viewQuery)).stage;
      await eventually(
        async () =>
          (await call(again.api, 'GET', `/v1/projects/${w.replace(/^project-/, '')}`, bdb)).json.stage === stage
            ? true
            : undefined,
        30_000,
        `read model of ${w}`,
      );
    }
    expect(restored.models.map((m) => m.id)).toEqual(expect.arrayContaining(waiting));

    // 6. The publicity deadlines fall due after the restore and fire exactly once (Art. 11).
    const pending = new Map<string, Map<string, number>>();
    for (const id of waiting) {
      expect(dueAt.get(id)!).toBeGreaterThan(readyAt);
      const timers = await pendingTimers(client, id);
      expect([...timers.values()].filter((due) => Math.abs(due - dueAt.get(id)!) < 2_000)).toHaveLength(1);
      pending.set(id, timers);
    }
    for (const [i, id] of waiting.entries()) {
      const view = await eventually(
        async () => {
          const v = await ok(again.api, 'GET', `/v1/projects/${id}`, bdb);
          return v.stage === 'contracting' ? v : undefined;
        },
        Math.max(0, dueAt.get(id)! - Date.now()) + 90_000,
        `project ${id} past its publicity`,
      );
      expect(view.funds.construction).toMatchObject({ heldFen: 0, availableFen: 10_000_000 * (i + 1) });
      const history = await client.workflow.getHandle(projectWorkflowId(id)).fetchHistory();
      const fired = (history.events ?? []).filter(
        (e) => e.timerFiredEventAttributes && pending.get(id)!.has(e.timerFiredEventAttributes.timerId!),
      );
      expect(fired).toHaveLength(pending.get(id)!.size);
      for (const e of fired) expect(Number(e.eventTime!.seconds) * 1000).toBeGreaterThanOrEqual(readyAt - 1_000);
    }
    await client.connection.close();
    await again.stop();
    system = undefined;

    // 7. At the end: one allocation and one publication per project, balances equal to their movements, the trail intact.
    const end = await readStores(dirs.restored);
    for (const id of waiting)
      expect(end.ledger.filter((m) => m.projectId === id).map((m) => m.kind)).toEqual(['allocate', 'publish']);
    expect(new Set(end.ledger.map((m) => m.idempotencyKey)).size).toBe(end.ledger.length);
    for (const b of end.balances) {
      const moves = end.ledger.filter((m) => m.projectId === b.projectId && m.fundType === b.fundType);
      const into = (bucket: string) =>
        moves.filter((m) => m.toBucket === bucket).reduce((s, m) => s + m.amountFen, 0) -
        moves.filter((m) => m.fromBucket === bucket).reduce((s, m) => s + m.amountFen, 0);
      expect({ held: b.heldFen, available: b.availableFen }).toEqual({
        held: into('held'),
        available: into('available'),
      });
    }
    const { stdout: verifiedAtEnd } = await npm('scripts/audit-verify.ts', dirs.restored, []);
    expect(verifiedAtEnd).toMatch(/0 broken/);
    record(
      'npm run backup under command traffic, kill -9, DATA_DIR deleted, npm run restore into a fresh directory',
      true,
      `${during.length} commands overlapped the backup, the document and the old keys work, ${rowless.length} workflows wrote their first row after the restore (frozen ${manifest.postgres.frozenMs} ms); ${restored.models.length} projects, ${restored.audit.length}/${atKill.audit.length} audit entries and ${restored.ledger.length}/${atKill.ledger.length} ledger rows back (backup/live at kill), audit:verify clean; ${waiting.length} publicity deadlines due after the restore fired once each`,
    );
  }, 600_000);
});
