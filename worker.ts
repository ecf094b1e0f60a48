/**
 * The Temporal worker: runs the project workflows and their activities.
 * `npm run start:worker` is the production entry point (needs TEMPORAL_ADDRESS and DATABASE_URL);
 * `npm start` and the tests call createProjectWorker() in-process.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type Activities, type ActivityDeps } from './activities/index.ts';
import { openDatabase, type Database } from './db/client.ts';
import { beat, forget, HEARTBEAT_EVERY_MS, pruneDead } from './db/queries/workers.ts';
import { webhookStore } from './db/queries/webhooks.ts';
import { prepareDatabase } from './db/seed.ts';
import { loadConfig, payloadConverter, requireExternalServices, webhookPolicy } from './lib/config.ts';
import { createLogger } from './lib/logger.ts';
import { connectWorker } from './lib/temporal.ts';
import { createWebhookDispatcher } from './lib/webhooks.ts';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
export const WORKFLOWS_PATH = path.join(ROOT, 'workflows', 'index.ts');

/**
 * Modules the workflow sandbox evaluates once per worker thread and shares between project
 * workflows (Temporal's `preloadModules`, reusable V8 context): domain/memo.ts, the cache of the
 * domain's zod schemas. Without it the sandbox built the schemas anew for every workflow it loaded
 * (a start, or a cache miss that replays): about 3 ms of CPU per load plus 2-3 ms per first command
 * (bench profile, BENCHMARKS.md). zod and the domain modules
 * stay per workflow (the SDK freezes what it preloads, and zod writes to its own objects: frozen,
 * they fail); the schemas are shared through memo's private map.
 */
export const PRELOADED_MODULES = [path.join(ROOT, 'domain', 'memo.ts')];

/**
 * How long a workflow task waits on a worker's own (sticky) queue before Temporal hands it to the
 * shared queue, where any worker takes it (replaying the history). The SDK default, 10 s, equals the
 * API's Temporal deadline: after a worker died, every command to a project it had cached hung 10 s,
 * answered 503 and was then applied. 2 s: a worker whose tasks wait that long on its own
 * queue is overloaded anyway, and another one may as well take them.
 */
export const STICKY_QUEUE_TIMEOUT = '2 seconds';

/** How every bundle of the project workflows is made: the worker's, the tests', the replay's. */
export const WORKFLOW_BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES };

export interface ProjectWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  /** A pre-built bundle (tests bundle once and share it); otherwise bundled from WORKFLOWS_PATH. */
  workflowBundle?: WorkflowBundleOption;
  /** Payload encryption (lib/codec.ts); the clients must use the same. */
  dataConverter?: DataConverter | undefined;
  /** Worker tunable (benchmarks): how many workflows stay cached in memory between tasks. */
  maxCachedWorkflows?: number | undefined;
  /** Worker tunable: workflow tasks run at once. */
  maxConcurrentWorkflowTaskExecutions?: number | undefined;
  /** Wraps the activities built from `db` (the bench times them). */
  activities?: ((base: Activities) => Activities) | undefined;
  /**
   * How a deadline's dates are computed (default: the working-day calendar in the database); the
   * fault tests bring them closer to now (test/faults/fast-clock.ts).
   */
  deadlineDates?: ActivityDeps['deadlineDates'];
  /** Written at every heartbeat (WORKER_HEALTH_FILE): a container health check tests its age. */
  healthFile?: string | undefined;
}

export async function createProjectWorker(options: ProjectWorkerOptions): Promise<Worker> {
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // The SDK's default (pid@host) is the same for two workers of one process; /readyz counts workers by it.
    identity: `${process.pid}@${os.hostname()}-${randomBytes(3).toString('hex')}`,
    activities: (options.activities ?? ((base) => base))(
      createActivities({ db: options.db, deadlineDates: options.deadlineDates }),
    ),
    // A stop never waits on a task for long (SIGTERM ends `npm start` within 30 s).
    shutdownGraceTime: '5 seconds',
    shutdownForceTime: '15 seconds',
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.maxConcurrentWorkflowTaskExecutions !== undefined
      ? { maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions }
      : {}),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_MODULES } }),
  });
  return withHeartbeat(worker, options.db, options.taskQueue, options.healthFile);
}

/**
 * While the worker runs and polls, its row in worker_heartbeats is renewed every few seconds
 * (db/queries/workers.ts); /readyz counts the workers whose row is fresh and that Temporal lists as
 * pollers. A worker that stops (or drains after SIGTERM) deletes its row; one that dies stops renewing it.
 */
function withHeartbeat(worker: Worker, db: Database, taskQueue: string, healthFile?: string): Worker {
  const run = worker.run.bind(worker);
  const self = { taskQueue, identity: worker.options.identity };
  // A database that cannot be written to makes this worker count as gone, which it is for the API.
  const renew = async () => {
    try {
      if (worker.getState() !== 'RUNNING') return await forget(db, self);
      await beat(db, self);
      if (healthFile) await writeFile(healthFile, `${new Date().toISOString()}\n`);
    } catch {
      // No beat: /readyz and the health check see this worker as gone.
    }
  };
  worker.run = async () => {
    await pruneDead(db).catch(() => undefined);
    const timer = setInterval(() => void renew(), HEARTBEAT_EVERY_MS);
    timer.unref();
    const running = run();
    void renew();
    try {
      return await running;
    } finally {
      clearInterval(timer);
      await forget(db, self).catch(() => undefined);
    }
  };
  return worker;
}

/** The worker process (`npm run start:worker`): configuration from the environment, runs until a signal. */
export async function runWorkerProcess(
  overrides: Pick<ProjectWorkerOptions, 'activities' | 'deadlineDates'> = {},
): Promise<void> {
  const config = loadConfig();
  const { temporalAddress } = requireExternalServices(config, 'the worker');
  const log = createLogger(config.logLevel, 'worker');
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  await prepareDatabase(database);
  const connection = await connectWorker(temporalAddress);
  const worker = await createProjectWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: database.db,
    dataConverter: payloadConverter(config),
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    healthFile: config.worker.healthFile,
    ...overrides,
  });
  log.info({ taskQueue: config.temporal.taskQueue, temporalAddress }, 'worker started');
  // Webhook delivery from the notifications outbox runs beside the worker (lib/webhooks.ts).
  const webhooks = createWebhookDispatcher({ store: webhookStore(database.db), log, policy: webhookPolicy(config) });
  webhooks.start();
  // Worker.run() installs its own SIGINT/SIGTERM handling and drains in-flight tasks.
  await worker.run();
  await webhooks.stop();
  await connection.close();
  await database.close();
  log.info('worker stopped');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runWorkerProcess().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
