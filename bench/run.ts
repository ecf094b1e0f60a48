/**
 * `npm run bench [-- --scenario NAME] [--quick] [--temporal sqlite|postgres] [--workers N] [--json FILE] [--max-cached N] [--wft-concurrency N] [--concurrency N] [--open N] [--rows N]`
 *
 * `--temporal sqlite` (default): the Temporal dev server (`temporal server start-dev`, SQLite);
 * `--temporal postgres`: the production server on the PostgreSQL of DATABASE_URL
 * (scripts/temporal-postgres.ts; its own fresh databases, dropped afterwards).
 * `--workers N` (throughput only; needs DATABASE_URL): the project workflows run in N worker
 * processes (`tsx worker.ts`, as production runs them) instead of a worker inside this process.
 *
 * Every figure is paired with a baseline measured in the same run on the same Temporal server:
 * an empty workflow with a no-op Update (bench/baseline-workflows.ts). Scenarios: throughput,
 * latency, capacity, history, replay, export, upload (a 50 MiB document through a real HTTP
 * server, the process's RSS growth), console (the initial JavaScript; the 待办 and 项目库 pages in
 * Chromium over --rows read-model rows), burst (300 parallel creations without Idempotency-Key over
 * HTTP: answers by status against the projects created). See BENCHMARKS.md for method and results.
 *
 * Each scenario is a module of bench/scenarios/; what they run on is started by bench/setup.ts; the
 * options are bench/options.ts and the shared measurements, seeds and processes bench/machinery.ts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { printRunSummary } from './profile.ts';
import { profileDir, quick, selected, values } from './options.ts';
import { cleanup, results, rows } from './machinery.ts';
import { setUp } from './setup.ts';
import { burst } from './scenarios/burst.ts';
import { capacity } from './scenarios/capacity.ts';
import { consoleScenario } from './scenarios/console.ts';
import { exportScenario } from './scenarios/export.ts';
import { history } from './scenarios/history.ts';
import { latency } from './scenarios/latency.ts';
import { replay } from './scenarios/replay.ts';
import { throughput } from './scenarios/throughput.ts';
import { upload } from './scenarios/upload.ts';

// `--profile DIR`: this run again under node's --cpu-prof (every thread: the API, activities and
// the SDK on the main thread, the workflow sandbox on its own), then where the CPU of the measured
// window went (bench/profile.ts).
if (profileDir && !process.env.BDP_BENCH_PROFILING) {
  mkdirSync(profileDir, { recursive: true });
  // The summary reads every profile and window in the folder: only this run's.
  for (const f of readdirSync(profileDir))
    if (f.endsWith('.cpuprofile') || f === 'windows.json') rmSync(path.join(profileDir, f));
  const child = spawn(
    process.execPath,
    [
      `--cpu-prof`,
      `--cpu-prof-dir=${profileDir}`,
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit', env: { ...process.env, BDP_BENCH_PROFILING: '1' } },
  );
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code === 0) await printRunSummary(profileDir);
  process.exit(code);
}

Runtime.install({ logger: new DefaultLogger('ERROR') });

async function main() {
  const ctx = await setUp();
  const { projectWorker, baselineWorker, runs, stopWorkerProcesses, connection, native, database, temporal } = ctx;
  if (selected.includes('throughput')) await throughput(ctx);
  if (selected.includes('latency')) await latency(ctx);
  if (selected.includes('capacity')) await capacity(ctx);
  if (selected.includes('console')) await consoleScenario(ctx);
  if (selected.includes('export')) await exportScenario(ctx);
  if (selected.includes('upload')) await upload(ctx);
  if (selected.includes('burst')) await burst(ctx);
  if (selected.includes('replay')) await replay(ctx);
  if (selected.includes('history')) await history(ctx);

  projectWorker?.shutdown();
  baselineWorker.shutdown();
  await Promise.all(runs);
  await stopWorkerProcesses?.();
  await connection.close();
  await native.close();
  await database.close();
  await temporal.stop();

  console.log(
    `Temporal: ${String(results.temporal)}; database: ${String(results.database)}${quick ? '; --quick' : ''}`,
  );
  const width = [0, 1, 2, 3].map((c) =>
    Math.max(...[['scenario', 'metric', 'ours', 'baseline (same run)'], ...rows].map((r) => r[c]!.length)),
  );
  for (const r of [['scenario', 'metric', 'ours', 'baseline (same run)'], ...rows])
    console.log(r.map((c, i) => c.padEnd(width[i]!)).join('  '));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  async (err) => {
    console.error(err);
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
    process.exit(1);
  },
);
