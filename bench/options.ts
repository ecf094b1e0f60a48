/** The bench's command line (bench/run.ts's header): parsed and checked once, read by every scenario. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const { values } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    'max-cached': { type: 'string' },
    concurrency: { type: 'string' },
    open: { type: 'string' },
    rows: { type: 'string' },
    'wft-concurrency': { type: 'string' },
    temporal: { type: 'string', default: 'sqlite' },
    workers: { type: 'string' },
    profile: { type: 'string' },
  },
  strict: true,
});
// `--profile DIR`: this run again under node's --cpu-prof (every thread: the API, activities and
// the SDK on the main thread, the workflow sandbox on its own), then where the CPU of the measured
// window went (bench/profile.ts).
export const profileDir = values.profile ? path.resolve(values.profile) : undefined;
export const quick = values.quick;
export const SCENARIOS = [
  'throughput',
  'latency',
  'capacity',
  'history',
  'replay',
  'export',
  'upload',
  'console',
  'burst',
] as const;
export const selected = (values.scenario?.length ? values.scenario : SCENARIOS) as string[];
for (const s of selected)
  if (!(SCENARIOS as readonly string[]).includes(s))
    throw new Error(`unknown scenario ${s}; one of ${SCENARIOS.join(', ')}`);
export const maxCached = values['max-cached'] ? Number(values['max-cached']) : undefined;
export const concurrency = values.concurrency ? Number(values.concurrency) : 16;
export const temporalPersistence = values.temporal;
if (temporalPersistence !== 'sqlite' && temporalPersistence !== 'postgres')
  throw new Error(`--temporal ${temporalPersistence}: one of sqlite, postgres`);
if (temporalPersistence === 'postgres' && !process.env.DATABASE_URL)
  throw new Error('--temporal postgres runs Temporal on the PostgreSQL of DATABASE_URL: set DATABASE_URL');

export const workerProcesses = values.workers ? Number(values.workers) : 0;
if (values.workers && !(Number.isInteger(workerProcesses) && workerProcesses >= 1))
  throw new Error(`--workers ${values.workers}: a whole number ≥ 1`);
if (workerProcesses && (!process.env.DATABASE_URL || selected.some((s) => s !== 'throughput')))
  throw new Error(
    '--workers N runs the throughput scenario only (--scenario throughput), with DATABASE_URL set (the worker processes share its database)',
  );
