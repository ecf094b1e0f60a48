/**
 * What every scenario of the bench runs on (bench/run.ts): Temporal, the database, the project
 * worker (or --workers processes) and the baseline worker, a client, the API app with its keys.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createApp } from '../api/app.ts';
import { openDatabase } from '../db/client.ts';
import { seedApprovedPlanItems } from '../db/queries/plans.ts';
import { prepareDatabase } from '../db/seed.ts';
import { generateKeyringSpec, parseKeyring } from '../lib/codec.ts';
import { createLogger } from '../lib/logger.ts';
import { createDocumentStore, folderBackend } from '../lib/documents.ts';
import { createProjectWorker, WORKFLOW_BUNDLE_OPTIONS } from '../worker.ts';
import { createActivities, type EffectWrites } from '../activities/index.ts';
import { inlineSourceMap, WORKFLOW_SOURCE_MAP } from './profile.ts';
import { ROOT, profileDir, maxCached, workerProcesses, values } from './options.ts';
import { results, BENCH_KEYS, dataConverter, startWorkerProcess, timed, startTemporal, cleanup } from './machinery.ts';

/** Starts everything the scenarios use; what it starts is registered in `cleanup` (bench/machinery.ts). */
export async function setUp() {
  let stopWorkerProcesses: (() => Promise<unknown>) | undefined;
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const temporal = await startTemporal(log);
  cleanup.push(() => temporal.stop());
  const env = { address: temporal.address };
  const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: 'memory://', max: 10 });
  await prepareDatabase(database);
  // Art. 6: an item of the approved version in force of the 2026 plan.
  await seedApprovedPlanItems(
    database.db,
    2026,
    [{ code: '2026-BENCH-01', title: 'bench', department: 'bench', ceilingFen: 1_000_000_000_000 }],
    'bench',
  );
  const native = await NativeConnection.connect({ address: env.address });
  const wftConcurrency = values['wft-concurrency'] ? Number(values['wft-concurrency']) : undefined;
  const tunables = {
    ...(maxCached ? { maxCachedWorkflows: maxCached } : {}),
    ...(wftConcurrency ? { maxConcurrentWorkflowTaskExecutions: wftConcurrency } : {}),
  };
  const projectQueue = `bench-projects-${randomBytes(3).toString('hex')}`;
  const baselineQueue = `bench-baseline-${randomBytes(3).toString('hex')}`;
  // Profiling: the bench bundles the workflow code itself and keeps the source map beside the
  // profiles, so the sandbox's samples are told apart by their original file (bench/profile.ts).
  const bundle = profileDir
    ? await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('ERROR') })
    : undefined;
  if (bundle) writeFileSync(path.join(profileDir!, WORKFLOW_SOURCE_MAP), inlineSourceMap(bundle.code));
  const projectWorker = workerProcesses
    ? undefined
    : await createProjectWorker({
        connection: native,
        namespace: 'default',
        taskQueue: projectQueue,
        db: database.db,
        dataConverter,
        ...tunables,
        activities: timed,
        ...(bundle ? { workflowBundle: bundle } : {}),
      });
  if (workerProcesses) {
    const env = {
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: process.env.DATABASE_URL!,
      TEMPORAL_TASK_QUEUE: projectQueue,
      PAYLOAD_KEYS: BENCH_KEYS,
      ...(maxCached ? { WORKER_MAX_CACHED_WORKFLOWS: String(maxCached) } : {}),
      ...(wftConcurrency ? { WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(wftConcurrency) } : {}),
    };
    const stops = await Promise.all(Array.from({ length: workerProcesses }, () => startWorkerProcess(env, log)));
    stopWorkerProcesses = () => Promise.all(stops.map((stop) => stop()));
    cleanup.push(stopWorkerProcesses);
    results.workerProcesses = workerProcesses;
  }
  // The design floor's writes go through the project worker's own transaction.
  const projectActivities = createActivities({ db: database.db });
  const baselineWorker = await Worker.create({
    connection: native,
    namespace: 'default',
    taskQueue: baselineQueue,
    dataConverter,
    activities: {
      noop: async () => {},
      persistEffects: (writes: EffectWrites) => projectActivities.persistEffects(writes),
    },
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: path.join(ROOT, 'bench/baseline-workflows.ts'),
      logger: new DefaultLogger('ERROR'),
    }),
    ...tunables,
  });
  const runs = [...(projectWorker ? [projectWorker.run()] : []), baselineWorker.run()];
  const connection = await Connection.connect({ address: env.address });
  const client = new Client({ connection, dataConverter });
  const ADMIN = `bench-admin-${randomBytes(24).toString('hex')}`;
  const documentsDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-bench-documents-'));
  cleanup.push(async () => rmSync(documentsDir, { recursive: true, force: true }));
  const documents = createDocumentStore({
    backend: folderBackend(documentsDir),
    keyring: parseKeyring(generateKeyringSpec('bench-docs')),
    maxBytes: 64 * 2 ** 20,
  });
  const app = createApp({
    database,
    temporal: client,
    taskQueue: projectQueue,
    adminApiKey: ADMIN,
    log: createLogger(process.env.BENCH_LOG_LEVEL ?? 'error', 'bench'),
    documents,
  });
  const call = async (method: string, p: string, key: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(p, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, any>;
    if (res.status >= 300)
      throw Object.assign(new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`), { status: res.status });
    return json;
  };
  const key = async (body: unknown) => (await call('POST', '/v1/admin/api-keys', ADMIN, body)).key as string;
  const keys = {
    dept: await key({ role: 'department', name: 'bench', department: 'bench' }),
    bdb: await key({ role: 'bdb', name: 'b' }),
    approval: await key({ role: 'approval', name: 'a' }),
    finance: await key({ role: 'finance', name: 'f' }),
  };
  const baselineStart = async () => {
    const h = await client.workflow.start('baselineWorkflow', {
      workflowId: `baseline-${randomBytes(6).toString('hex')}`,
      taskQueue: baselineQueue,
      args: [],
    });
    return h;
  };
  return {
    log,
    temporal,
    env,
    database,
    native,
    wftConcurrency,
    tunables,
    projectQueue,
    baselineQueue,
    bundle,
    projectWorker,
    baselineWorker,
    runs,
    connection,
    client,
    ADMIN,
    documentsDir,
    documents,
    app,
    call,
    key,
    keys,
    baselineStart,
    stopWorkerProcesses,
  };
}

export type BenchContext = Awaited<ReturnType<typeof setUp>>;
