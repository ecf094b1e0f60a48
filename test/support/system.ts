/**
 * The whole system in-process for integration tests: a real Temporal server (address from the
 * global setup), a real database (either driver), the real worker on its own task queue and the
 * real Hono app. Requests go through app.request(), i.e. the full middleware and routing stack.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createApp } from '../../api/app.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EncryptionCodec, generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { createDocumentStore, folderBackend, type DocumentBackend, type DocumentStore } from '../../lib/documents.ts';
import type { UploadLimits } from '../../api/routes/documents.ts';
import { seedApprovedPlanItems } from '../../db/queries/plans.ts';
import { DEFAULT_CITY_POLICY } from '../../domain/policy-defaults.ts';
import { createLogger } from '../../lib/logger.ts';
import { createProjectWorker, WORKFLOW_BUNDLE_OPTIONS } from '../../worker.ts';
import { createTestDatabase, type Driver, type TestDatabase } from './database.ts';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling takes a second or two: once per test file. */
export const workflowBundle = () =>
  (bundle ??= bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: quietLogger }));

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

export const ADMIN_KEY = `test-admin-${randomBytes(24).toString('hex')}`;

/** Every test system encrypts its payloads with SM4 + HMAC-SM3, as production does (Art. 28). */
export const TEST_CODEC = new EncryptionCodec('sm4', parseKeyring(generateKeyringSpec('test')));

export interface TestSystem {
  database: TestDatabase;
  client: Client;
  worker: Worker;
  taskQueue: string;
  app: ReturnType<typeof createApp>;
  /** The folder of the document store's folder backend (a temporary directory, removed by stop()). */
  documentsDir: string;
  /** The document store the API uses (its backend: options.documentBackend, else the folder). */
  documentStore: DocumentStore;
  /** Calls the API as `key` (undefined: no Authorization header); a Uint8Array body is sent as is. */
  request(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  stop(): Promise<void>;
}

/** The test systems' document keyring (the store wraps each document's data key with it). */
export const TEST_DOCUMENT_KEYS = parseKeyring(generateKeyringSpec('doctest'));

export async function startSystem(
  driver: Driver,
  temporalAddress: string,
  options: {
    documentMaxBytes?: number;
    documentBackend?: DocumentBackend;
    documentLimits?: UploadLimits;
    clock?: () => Date;
    /** Networks webhooks may reach (tests' receivers listen on loopback: `127.0.0.1/32`). */
    webhookAllowedNetworks?: string[];
  } = {},
): Promise<TestSystem> {
  const documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-documents-'));
  const database = await createTestDatabase(driver);
  const taskQueue = `test-${driver}-${randomBytes(4).toString('hex')}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createProjectWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    db: database.db,
    workflowBundle: await workflowBundle(),
    dataConverter: { payloadCodecs: [TEST_CODEC] },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: 'default', dataConverter: { payloadCodecs: [TEST_CODEC] } });
  const documentStore = createDocumentStore({
    backend: options.documentBackend ?? folderBackend(documentsDir),
    keyring: TEST_DOCUMENT_KEYS,
    maxBytes: options.documentMaxBytes ?? 50 * 1024 * 1024,
  });
  const app = createApp({
    database,
    temporal: client,
    taskQueue,
    adminApiKey: ADMIN_KEY,
    log: createLogger('silent', 'test'),
    payloadCodec: TEST_CODEC,
    uiOrigin: UI_ORIGIN,
    documents: documentStore,
    documentLimits: options.documentLimits,
    clock: options.clock,
    accountKeys: TEST_DOCUMENT_KEYS,
    webhookPolicy: { allowedNetworks: options.webhookAllowedNetworks ?? [], systemEndpoints: [] },
  });
  return {
    database,
    client,
    worker,
    taskQueue,
    app,
    documentsDir,
    documentStore,
    request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      if (options.body !== undefined) headers['content-type'] ??= 'application/json';
      const body =
        options.body === undefined
          ? undefined
          : typeof options.body === 'string' || options.body instanceof Uint8Array
            ? options.body
            : JSON.stringify(options.body);
      return Promise.resolve(app.request(path, { method, headers, body: body as RequestInit['body'] }));
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await database.destroy();
      fs.rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}

/** The Temporal UI origin the test API allows on its codec endpoint. */
export const UI_ORIGIN = 'http://127.0.0.1:8233';

/** Creates a key through the admin API and returns the plaintext key. */
export async function createKey(
  system: TestSystem,
  role: string,
  department?: string,
  jurisdiction?: string,
): Promise<string> {
  const res = await system.request('POST', '/v1/admin/api-keys', {
    key: ADMIN_KEY,
    body: {
      role,
      name: `${role} ${department ?? ''} ${jurisdiction ?? ''}`.trim(),
      ...(department ? { department } : {}),
      ...(jurisdiction ? { jurisdiction } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`creating a ${role} key failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

/** Polls until `check` returns a value (read models are written asynchronously by activities). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sampleApplication = (overrides: Record<string, unknown> = {}) => ({
  title: '智慧医疗数据平台 Smart health data platform',
  summary: 'Integrates hospital records for sharing through the city cloud.',
  kind: 'new',
  // Art. 5, 12, 30: no `jurisdiction`: the key's.
  year: 2026,
  annualPlanItem: '2026-HEALTH-01',
  estimate: { totalFen: 1_200_000_00, cityShareFen: 1_200_000_00, countyShareFen: 0 },
  plannedCompletionDate: '2027-06-30',
  documents: {
    proposal: 'sha256:0a1b2c',
    feasibilityStudy: 'sha256:1b2c3d',
    preliminaryDesign: 'sha256:2c3d4e',
    investmentEstimate: 'sha256:3d4e5f',
  },
  classified: false,
  // Art. 14 (measures): the 项目负责人
  leader: { name: '张伟', post: '信息科科长', contact: '0356-2020001' },
  ...overrides,
});

/**
 * Puts items into the approved version in force of the BDB's annual plan (Art. 6, 8) straight into
 * the database, so a department may apply for them; `code` defaults to `${year}-${DEPARTMENT}-01`,
 * the code sampleApplication uses for 'health'.
 */
export async function addPlanItems(
  system: TestSystem,
  items: Array<{ department: string; code?: string; year?: number; ceilingFen?: number }>,
): Promise<string[]> {
  const rows = items.map((i) => ({
    year: i.year ?? 2026,
    code: i.code ?? planItemCode(i.department, i.year),
    title: `Plan item of ${i.department}`,
    department: i.department,
    ceilingFen: i.ceilingFen ?? 5_000_000_00,
  }));
  for (const year of new Set(rows.map((r) => r.year))) {
    await seedApprovedPlanItems(
      system.database.db,
      year,
      rows.filter((r) => r.year === year),
      'test',
    );
  }
  return rows.map((r) => r.code);
}

export const planItemCode = (department: string, year = 2026) => `${year}-${department.toUpperCase()}-01`;

/**
 * Art. 6, 8 (policy switch planCeilingRefusal, off by default): a jurisdiction whose policy refuses
 * estimates above the plan item's ceiling, and a department key of that jurisdiction.
 */
export async function ceilingRefusingKey(
  system: TestSystem,
  department: string,
  jurisdiction = 'lingchuan',
): Promise<string> {
  const res = await system.request('PUT', `/v1/policies/${jurisdiction}`, {
    key: ADMIN_KEY,
    body: { deadlines: DEFAULT_CITY_POLICY.deadlines, switches: { planCeilingRefusal: true } },
  });
  if (res.status !== 201) throw new Error(`policy of ${jurisdiction}: ${res.status} ${await res.text()}`);
  return createKey(system, 'department', department, jurisdiction);
}
