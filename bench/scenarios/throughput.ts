import type { ProjectView } from '../../domain/view-shapes.ts';
import { noopUpdate } from '../baseline-workflows.ts';
import { floorWorkflow } from '../floor.ts';
import { profileWindow } from '../profile.ts';
import type { BenchContext } from '../setup.ts';
import { profileDir, quick, concurrency, workerProcesses } from '../options.ts';
import { results, row, pool, CHECKLIST, application, cpuByProcess, cpuSince, cpuLine } from '../machinery.ts';

export async function throughput(ctx: BenchContext): Promise<void> {
  const { log, call, keys, baselineStart, client, baselineQueue } = ctx;
  const n = quick ? 10 : 200;
  log(`throughput: ${n} projects application → review → establishment → budget at concurrency ${concurrency}`);
  const baselineCpu: Record<string, number>[] = [];
  const baselineRound = async () => {
    const cpu = cpuByProcess();
    const t = performance.now();
    await pool([...Array(n).keys()], concurrency, async () => {
      const h = await baselineStart();
      for (let u = 0; u < 3; u++) await h.executeUpdate(noopUpdate, { args: [{ decision: 'pass' }] });
    });
    baselineCpu.push(cpuSince(cpu));
    return performance.now() - t;
  };
  // The baseline runs before and after ours (the machine's speed drifts); their mean is the reference.
  const baseBefore = await baselineRound();
  const cpuBefore = cpuByProcess();
  const t = performance.now();
  const endWindow = profileWindow(profileDir, 'ours', `the throughput scenario's ${n} projects (4 commands each)`);
  let firstId: string | undefined;
  await pool([...Array(n).keys()], concurrency, async (i) => {
    const { id } = await call('POST', '/v1/projects', keys.dept, application(i));
    firstId ??= id as string;
    await call('POST', `/v1/projects/${id}/technical-review`, keys.bdb, {
      decision: 'pass',
      opinion: 'ok',
      checklist: CHECKLIST,
    });
    await call('POST', `/v1/projects/${id}/establishment`, keys.approval, {
      decision: 'approve',
      approvalNo: `B-${i}`,
      opinion: 'ok',
      approvedEstimateFen: 1_000_000,
    });
    await call('POST', `/v1/projects/${id}/budget`, keys.finance, {
      fundType: 'construction',
      year: 2026,
      amountFen: 1000,
      cityShareFen: 1000,
      countyShareFen: 0,
    });
  });
  const ours = performance.now() - t;
  endWindow(n, 'projects');
  const oursCpu = cpuSince(cpuBefore);
  const endBaseline = profileWindow(
    profileDir,
    'baseline',
    `the baseline's ${n} workflows after ours (start + 3 no-op Updates each)`,
  );
  const baseAfter = await baselineRound();
  endBaseline(n, 'projects');
  const base = (baseBefore + baseAfter) / 2;
  // The design's floor (bench/floor.ts): the same four messages, each one local activity writing a command's rows.
  const floorView = (await call('GET', `/v1/projects/${firstId}`, keys.bdb)) as ProjectView;
  const endFloor = profileWindow(
    profileDir,
    'floor',
    `the design floor's ${n} workflows (an Update with start + 3 Updates, each one local activity writing a command's rows)`,
  );
  const cpuFloorBefore = cpuByProcess();
  const tFloor = performance.now();
  await pool([...Array(n).keys()], concurrency, () =>
    floorWorkflow({
      client,
      taskQueue: baselineQueue,
      view: floorView,
      payload: { decision: 'pass', checklist: CHECKLIST },
    }),
  );
  const floorMs = performance.now() - tFloor;
  endFloor(n, 'projects');
  const floorCpu = cpuSince(cpuFloorBefore);
  const perMin = (n / ours) * 60_000;
  results.throughput = {
    projects: n,
    messagesPerProject: 4,
    oursMs: ours,
    baselineMs: base,
    baselineBeforeMs: baseBefore,
    baselineAfterMs: baseAfter,
    projectsPerMinute: perMin,
    baselinePerMinute: (n / base) * 60_000,
    ratio: base / ours,
    target: 0.5,
    floorMs,
    floorPerMinute: (n / floorMs) * 60_000,
  };
  row(
    'throughput',
    `projects/min (4 messages each${workerProcesses ? `; ${workerProcesses} worker process${workerProcesses > 1 ? 'es' : ''}` : ''})`,
    perMin.toFixed(0),
    `${((n / base) * 60_000).toFixed(0)} (mean of ${((n / baseBefore) * 60_000).toFixed(0)} before, ${((n / baseAfter) * 60_000).toFixed(0)} after) → ratio ${(base / ours).toFixed(2)} (target ≥ 0.5; ≥ 0.6 on temporal-server/PostgreSQL)`,
  );
  // Where the CPU went (the machine is CPU-bound at this concurrency): ms of CPU per project.
  const throughput = results.throughput as Record<string, unknown>;
  throughput.cpuMsPerProject = {
    ours: Object.fromEntries(Object.entries(oursCpu).map(([k, v]) => [k, (v * 1000) / n])),
    baseline: baselineCpu.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, (v * 1000) / n]))),
    floor: Object.fromEntries(Object.entries(floorCpu).map(([k, v]) => [k, (v * 1000) / n])),
  };
  row(
    'throughput',
    "projects/min, the design's floor (bench/floor.ts)",
    ((n / floorMs) * 60_000).toFixed(0),
    `throughput ratio ours / floor ${(floorMs / ours).toFixed(2)}`,
  );
  if (Object.keys(oursCpu).length) {
    row(
      'throughput',
      'CPU ms per project, ours',
      cpuLine(oursCpu, n),
      `baseline: ${cpuLine(baselineCpu[1] ?? baselineCpu[0]!, n)}`,
    );
    row('throughput', "CPU ms per project, the design's floor", cpuLine(floorCpu, n), '');
  }
}
