/**
 * What the bench's scenarios share: the results and the table, measurements (percentiles, CPU per
 * process, activity timings), the sample application, starting Temporal and the worker processes,
 * seeding the read model, and what to stop when a scenario fails.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Activities } from '../activities/index.ts';
import { openDatabase } from '../db/client.ts';
import { departments, notifications, projects } from '../db/schema.ts';
import { EncryptionCodec, generateKeyringSpec, parseKeyring } from '../lib/codec.ts';
import { DEV_SERVER_ARGS, resolveDevServer } from '../scripts/temporal-bin.ts';
import { dropTemporalDatabases, startTemporalPostgres } from '../scripts/temporal-postgres.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { ROOT, quick, maxCached, concurrency, temporalPersistence, workerProcesses, values } from './options.ts';

export const results: Record<string, unknown> = {
  database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
  temporal: temporalPersistence === 'postgres' ? 'temporal-server on PostgreSQL' : 'dev server (SQLite)',
  quick,
  maxCachedWorkflows: maxCached ?? 'SDK default',
  maxConcurrentWorkflowTaskExecutions: values['wft-concurrency'] ?? 'SDK default',
  concurrency,
  startedAt: new Date().toISOString(),
};
export const rows: Array<[string, string, string, string]> = [];
export const row = (scenario: string, metric: string, ours: string, baseline: string) =>
  rows.push([scenario, metric, ours, baseline]);

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
export const ms = (n: number) => `${n.toFixed(1)} ms`;
export async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export const BENCH_KEYS = generateKeyringSpec('bench');
export const codec = new EncryptionCodec('sm4', parseKeyring(BENCH_KEYS));
export const dataConverter = { payloadCodecs: [codec] };
export const CHECKLIST = {
  resourceCatalog: true,
  dataSharing: true,
  intensiveConstruction: true,
  cloudDeployment: true,
  securityControllable: true,
};
export const application = (i: number) => ({
  title: `基准项目 bench ${i}`,
  summary: '',
  kind: 'new',
  jurisdiction: 'city',
  year: 2026,
  annualPlanItem: '2026-BENCH-01',
  estimate: { totalFen: 1_000_000, cityShareFen: 1_000_000, countyShareFen: 0 },
  plannedCompletionDate: '2027-06-30',
  documents: { proposal: 'a', feasibilityStudy: 'b', preliminaryDesign: 'c', investmentEstimate: 'd' },
  classified: false,
  leader: { name: '基准', post: 'bench', contact: '0356-0000000' }, // Art. 14 (measures)
});

/**
 * CPU seconds the machine's processes have used so far, by kind: this process (API, worker, the
 * bench's clients), the Temporal server, PostgreSQL, anything else. Linux /proc only (empty
 * elsewhere); a difference of two snapshots says where a scenario's CPU went.
 */
export function cpuByProcess(): Map<string, number> {
  const out = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the command), in clock ticks (100/s).
    const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
    const kind =
      Number(pid) === process.pid
        ? workerProcesses
          ? 'node (API, bench)'
          : 'node (API, worker, bench)'
        : workerPids.has(Number(pid))
          ? 'node (worker processes)'
          : comm.startsWith('temporal')
            ? 'Temporal server'
            : comm.startsWith('postgres')
              ? 'PostgreSQL'
              : 'other';
    out.set(kind, (out.get(kind) ?? 0) + seconds);
  }
  return out;
}
export const cpuSince = (before: Map<string, number>): Record<string, number> => {
  const now = cpuByProcess();
  return Object.fromEntries(
    [...now]
      .map(([k, v]) => [k, Math.max(0, v - (before.get(k) ?? 0))])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
};
export const cpuLine = (cpu: Record<string, number>, per: number) =>
  Object.entries(cpu)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${((v * 1000) / per).toFixed(1)}`)
    .join(', ');

/** The `--workers N` processes (their CPU is counted apart). */
export const workerPids = new Set<number>();

/** Starts `tsx worker.ts` on the task queue and waits until it says it started. */
export async function startWorkerProcess(
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workerPids.add(child.pid!);
  let out = '';
  child.stdout.on('data', (d) => (out = (out + String(d)).slice(-4000)));
  child.stderr.on('data', (d) => (out = (out + String(d)).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 180_000;
  while (!/worker started/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker process did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`worker process ${child.pid} started`);
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
}

/** Durations of each activity as the worker runs it, for the latency breakdown. */
export const activityMs = new Map<string, number[]>();
export function timed(base: Activities): Activities {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(base) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await fn(...args);
      } finally {
        const list = activityMs.get(name) ?? [];
        list.push(performance.now() - t);
        activityMs.set(name, list);
      }
    };
  }
  return wrapped as Activities;
}

/** The Temporal server every scenario but history runs on: the dev server (SQLite) or temporal-server on PostgreSQL. */
export async function startTemporal(
  log: (line: string) => void,
): Promise<{ address: string; stop: () => Promise<void> }> {
  if (temporalPersistence === 'postgres') {
    const url = process.env.DATABASE_URL!;
    const suffix = randomBytes(4).toString('hex');
    const databases = { default: `temporal_bench_${suffix}`, visibility: `temporal_bench_${suffix}_visibility` };
    log(`Temporal: temporal-server on PostgreSQL (${databases.default}, ${databases.visibility})`);
    const server = await startTemporalPostgres({ databaseUrl: url, databases, log: (l) => log(`  ${l}`) });
    let stopped = false;
    return {
      address: server.address,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await dropTemporalDatabases(url, databases);
      },
    };
  }
  log('Temporal: dev server (SQLite)');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: await resolveDevServer({ log }),
      searchAttributes: [...PROJECT_SEARCH_ATTRIBUTES],
      extraArgs: [...DEV_SERVER_ARGS],
      ui: false,
    },
  });
  let stopped = false;
  return {
    address: env.address,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await env.teardown();
    },
  };
}

/** The fields of the browser's PerformanceResourceTiming the console scenario reads. */
export interface ResourceTiming {
  name: string;
  requestStart: number;
  responseEnd: number;
  encodedBodySize: number;
}

/** Who acts next on a seeded project, by its position (one in four rows each). */
export const SEED_ACTIONS = [
  { role: 'bdb', action: 'technical-review' },
  { role: 'approval', action: 'establishment' },
  { role: 'finance', action: 'budget' },
  { role: 'department', action: 'contract' },
] as const;
export const SEED_STAGES = [
  'technical_review',
  'establishment_review',
  'budgeting',
  'contracting',
  'construction',
  'operating',
] as const;

/**
 * Fills the read model up to `rowsWanted` rows (capacity and console scenarios): synthetic projects
 * of 50 departments and two jurisdictions, spread over six stages, each awaiting one role with one
 * pending action (a due date within ±60 days; one in seven overdue), funds in the view as the list
 * shows them, one in eleven suspended. Rows already there count.
 */
export async function seedReadModel(db: Awaited<ReturnType<typeof openDatabase>>['db'], rowsWanted: number) {
  const have = await db.$count(projects);
  const batch = [];
  const now = Date.now();
  for (let i = have; i < rowsWanted; i++) {
    const next = SEED_ACTIONS[i % SEED_ACTIONS.length]!;
    const dueAt = new Date(now + ((i % 120) - 60) * 86_400_000);
    const overdue = i % 7 === 0;
    const funds = {
      suspended: i % 11 === 0,
      construction: {
        allocatedFen: (i % 1000) * 10_000,
        heldFen: 0,
        availableFen: 0,
        frozenFen: 0,
        disbursedFen: 0,
        cancelledFen: 0,
      },
      om: { allocatedFen: 0, heldFen: 0, availableFen: 0, frozenFen: 0, disbursedFen: 0, cancelledFen: 0 },
    };
    batch.push({
      id: `BENCH-${i}`,
      title: `基准项目 bench project ${i}`,
      department: `d${i % 50}`,
      jurisdiction: i % 3 ? 'city' : 'zezhou',
      kind: 'new',
      year: 2026,
      stage: SEED_STAGES[i % SEED_STAGES.length]!,
      awaitingRoles: [next.role],
      pendingActions: [{ role: next.role, action: next.action, dueAt: dueAt.toISOString(), overdue }],
      nextDeadline: dueAt,
      overdue,
      fundsSuspended: i % 11 === 0,
      view: { funds },
      version: 1,
      createdAt: new Date(now - i * 1000),
    });
    if (batch.length === 1000) await db.insert(projects).values(batch.splice(0)).onConflictDoNothing();
  }
  if (batch.length) await db.insert(projects).values(batch).onConflictDoNothing();
  // The departments registry names them (the console's 部门 filter chooses from it).
  await db
    .insert(departments)
    .values(
      Array.from({ length: 50 }, (_, i) => ({
        code: `d${i}`,
        name: `基准部门${i}`,
        jurisdiction: 'city',
        updatedBy: 'bench',
      })),
    )
    .onConflictDoNothing();
}

/**
 * Notices for the BDB (console scenario): one per twenty read-model rows, a reminder with a due date
 * on every third — all unread for a new reviewer, so 待办's unread count covers them all.
 */
export async function seedNotices(db: Awaited<ReturnType<typeof openDatabase>>['db'], wanted: number) {
  const now = Date.now();
  const batch = [];
  for (let i = 0; i < wanted; i++) {
    batch.push({
      eventId: `bench-notice-${i}`,
      projectId: `BENCH-${i * 20}`,
      recipientRole: 'bdb',
      kind: 'reminder',
      detail: `基准提醒 ${i}`,
      dueAt: i % 3 === 0 ? new Date(now + ((i % 40) - 10) * 86_400_000) : null,
      createdAt: new Date(now - i * 60_000),
    });
    if (batch.length === 1000) await db.insert(notifications).values(batch.splice(0)).onConflictDoNothing();
  }
  if (batch.length) await db.insert(notifications).values(batch).onConflictDoNothing();
}

/** Stops what main() started, also when a scenario fails (no dev server left behind). */

/** Stops what main() started, also when a scenario fails (no dev server left behind). */
export const cleanup: Array<() => Promise<unknown>> = [];
