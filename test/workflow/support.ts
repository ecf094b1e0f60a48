/**
 * The project workflow on the Java time-skipping test server, with the real worker, the real
 * activities and a real database: anything measured in days (publicity, filings, rectification,
 * years of operation) passes in seconds, and the ledger, audit trail and outbox are the real tables.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
// CommonJS package: Node's ESM loader (npm run bench) exposes it as a default export only.
import proto from '@temporalio/proto';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';
import { asc, eq } from 'drizzle-orm';
import { auditLog, fundBalances, fundMovements, notifications } from '../../db/schema.ts';
import { createProjectWorker } from '../../worker.ts';
import type { CommandInputs, CommandName } from '../../domain/commands.ts';
import type { ProjectInput } from '../../domain/project-input.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { createProjectGateway } from '../../api/gateway.ts';
import { commandSignal, commandUpdate, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import { actors, makeInput } from '../domain/helpers.ts';
import { createTestDatabase, type Driver, type TestDatabase } from '../support/database.ts';
import { createTimeSkipping } from '../support/time-skipping.ts';
import { workflowBundle } from '../support/system.ts';

/** The Java test server starts without custom search attributes; register the workflow's own. */
export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const { IndexedValueType } = proto.temporal.api.enums.v1;
  const types: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
    KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
    DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  };
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(PROJECT_SEARCH_ATTRIBUTES.map((k) => [k.name, types[k.type]!])),
  });
}

export interface Lifecycle {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  worker: Worker;
  taskQueue: string;
  /** Starts a project workflow as the API does; returns its id. */
  start(overrides?: Partial<ProjectInput>): Promise<string>;
  /** An Update (what the API sends); resolves with the view once the effects are durable. */
  send<K extends CommandName>(id: string, name: K, payload: CommandInputs[K], actor: Actor): Promise<ProjectView>;
  /** A Signal of the same name (what an operator sends from the UI or CLI). */
  signal<K extends CommandName>(
    id: string,
    name: K,
    payload: CommandInputs[K] | Record<string, unknown>,
    actor: Actor | undefined,
  ): Promise<void>;
  view(id: string): Promise<ProjectView>;
  /** Skips time on the test server, then waits until the workflow has caught up. */
  sleep(duration: string | number): Promise<void>;
  movements(id: string): Promise<Array<typeof fundMovements.$inferSelect>>;
  balances(id: string): Promise<Array<typeof fundBalances.$inferSelect>>;
  audit(id: string): Promise<Array<typeof auditLog.$inferSelect>>;
  notifications(id: string): Promise<Array<typeof notifications.$inferSelect>>;
  stop(): Promise<void>;
}

let counter = 0;
export const newId = () =>
  `JC2026-T${randomBytes(3).toString('hex').toUpperCase()}${(counter++).toString(36).toUpperCase()}`;

export async function startLifecycle(testServer: unknown, driver: Driver = 'pglite'): Promise<Lifecycle> {
  const env = await createTimeSkipping(testServer);
  await registerSearchAttributes(env);
  const database = await createTestDatabase(driver);
  const taskQueue = `wf-${randomBytes(4).toString('hex')}`;
  const worker = await createProjectWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    db: database.db,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const handle = (id: string) => env.client.workflow.getHandle(projectWorkflowId(id));
  const gateway = createProjectGateway(env.client, taskQueue);
  const view = (id: string) => handle(id).query(viewQuery);

  return {
    env,
    database,
    worker,
    taskQueue,
    async start(overrides = {}) {
      const createdAt = new Date(await env.currentTimeMs()).toISOString();
      // Completion planned for the middle of the next year, whatever day the test runs (BDP_TEST_DATE):
      // a fixed date would be past for a run started after it (Art. 22's acceptance delay).
      const plannedCompletionDate = `${Number(createdAt.slice(0, 4)) + 1}-06-30`;
      const input = makeInput({ id: newId(), createdAt, plannedCompletionDate, ...overrides });
      // As the API does: update-with-start, answered once the application is durable.
      await gateway.create(input);
      return input.id;
    },
    send(id, name, payload, actor) {
      return handle(id).executeUpdate(commandUpdate(name), { args: [{ payload, actor }] });
    },
    async signal(id, name, payload, actor) {
      await handle(id).signal(commandSignal(name), { payload, actor } as never);
    },
    view,
    async sleep(duration) {
      await env.sleep(duration);
    },
    movements: (id) =>
      database.db.select().from(fundMovements).where(eq(fundMovements.projectId, id)).orderBy(asc(fundMovements.id)),
    balances: (id) => database.db.select().from(fundBalances).where(eq(fundBalances.projectId, id)),
    audit: (id) => database.db.select().from(auditLog).where(eq(auditLog.projectId, id)).orderBy(asc(auditLog.seq)),
    notifications: (id) =>
      database.db.select().from(notifications).where(eq(notifications.projectId, id)).orderBy(asc(notifications.id)),
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await database.destroy();
    },
  };
}

export interface RunStats {
  runId: string;
  events: number;
  bytes: number;
  history: proto.temporal.api.history.v1.IHistory;
}

/** Every run of a project's workflow, following continue-as-new from the first run. */
export async function runsOf(lc: Lifecycle, projectId: string): Promise<RunStats[]> {
  const workflowId = projectWorkflowId(projectId);
  const first = await lc.env.client.workflow.getHandle(workflowId).describe();
  // The handle without a run id describes the latest run; walk from the first one.
  let runId: string | undefined = (first.raw.workflowExecutionInfo?.firstRunId as string | undefined) ?? first.runId;
  const runs: RunStats[] = [];
  while (runId) {
    const history: proto.temporal.api.history.v1.IHistory = await lc.env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events: proto.temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    runs.push({
      runId,
      events: events.length,
      bytes: proto.temporal.api.history.v1.History.encode(history).finish().length,
      history,
    });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

export const HISTORIES_DIR = fileURLToPath(new URL('../histories/', import.meta.url));

/**
 * Golden histories for the replay test: written only with UPDATE_HISTORIES=1, so a change to the
 * workflow never silently rewrites the histories it must stay compatible with. Stored as the
 * protobuf object form in JSON (longs, enums and bytes as strings) through @temporalio/proto alone:
 * the SDK's historyToJSON trips over its two copies of protobufjs in this dependency tree.
 */
export function saveGoldenHistory(name: string, history: proto.temporal.api.history.v1.IHistory): void {
  if (process.env.UPDATE_HISTORIES !== '1') return;
  const { History } = proto.temporal.api.history.v1;
  const object = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(`${HISTORIES_DIR}${name}.json`, `${JSON.stringify(object, null, 1)}\n`);
}

/** The ids of the patches a history's `core_patch` markers record, in order. */
export function patchesOf(history: proto.temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? [])
    .map((e) => e.markerRecordedEventAttributes)
    .filter((m) => m?.markerName === 'core_patch')
    .map((m) => JSON.parse(Buffer.from(m!.details!['patch-data']!.payloads![0]!.data!).toString('utf8')).id as string);
}

export function loadGoldenHistory(file: string): proto.temporal.api.history.v1.History {
  return proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * Art. 28-29 (issue 15): the department records the joint risk assessment (before technical
 * acceptance) and the emergency plan made with the contractor (before operation).
 */
export async function recordRiskAndEmergency(
  lc: Pick<Lifecycle, 'send'>,
  id: string,
  on: string,
  contractor = 'Acme',
): Promise<ProjectView> {
  await lc.send(
    id,
    'riskAssessment',
    { assessedOn: on, result: 'risks acceptable', documentRef: 'sha256:risk', bdbParticipant: 'BDB security office' },
    actors.department,
  );
  return lc.send(id, 'emergencyPlan', { adoptedOn: on, documentRef: 'sha256:plan', contractor }, actors.department);
}
