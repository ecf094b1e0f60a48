import { randomBytes } from 'node:crypto';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { commandUpdate, projectWorkflowId } from '../../workflows/messages.ts';
import { type EffectWrites } from '../../activities/index.ts';
import { designFloorUpdate, noopLocalActivityUpdate, noopUpdate } from '../baseline-workflows.ts';
import { commandWrites } from '../floor.ts';
import type { BenchContext } from '../setup.ts';
import { quick } from '../options.ts';
import { results, row, percentile, ms, CHECKLIST, application, activityMs } from '../machinery.ts';

export async function latency(ctx: BenchContext): Promise<void> {
  const { log, client, call, keys, baselineStart } = ctx;
  const n = quick ? 20 : 200;
  log(`latency: ${n} technical-review POSTs vs ${n} raw no-op Updates`);
  const ids: string[] = [];
  const direct: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await call('POST', '/v1/projects', keys.dept, application(i))).id);
  for (let i = 0; i < n; i++) direct.push((await call('POST', '/v1/projects', keys.dept, application(i))).id);
  const floorView = (await call('GET', `/v1/projects/${direct[0]}`, keys.bdb)) as ProjectView;
  const handles = await Promise.all(Array.from({ length: n }, () => baselineStart()));
  const ours: number[] = [];
  const base: number[] = [];
  // The breakdown: the same command as a raw Update, without HTTP, auth and validation.
  const raw: number[] = [];
  const baseLocal: number[] = [];
  const actor = { keyId: 'bench', role: 'bdb' as const, name: 'bench' };
  const review = { payload: { decision: 'pass' as const, opinion: 'ok', checklist: CHECKLIST }, actor };
  const floor: number[] = [];
  // The rows a technical review writes, as the project worker wrote them for the first project.
  const floorWrites = (i: number): EffectWrites =>
    commandWrites(`FLOOR-${i}-${randomBytes(3).toString('hex')}`, 2, floorView, review.payload, actor);
  activityMs.clear();
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await call('POST', `/v1/projects/${ids[i]}/technical-review`, keys.bdb, {
      decision: 'pass',
      opinion: 'ok',
      checklist: CHECKLIST,
    });
    ours.push(performance.now() - t);
    t = performance.now();
    await client.workflow
      .getHandle(projectWorkflowId(direct[i]!))
      .executeUpdate(commandUpdate('technicalReview'), { args: [review] });
    raw.push(performance.now() - t);
    t = performance.now();
    await handles[i]!.executeUpdate(noopUpdate, { args: [{ decision: 'pass' }] });
    base.push(performance.now() - t);
    t = performance.now();
    await handles[i]!.executeUpdate(noopLocalActivityUpdate, { args: [{ decision: 'pass' }] });
    baseLocal.push(performance.now() - t);
    const writes = floorWrites(i);
    t = performance.now();
    await handles[i]!.executeUpdate(designFloorUpdate, { args: [writes] });
    floor.push(performance.now() - t);
  }
  const r = Object.fromEntries(
    [50, 95, 99].map((p) => [
      `p${p}`,
      { ours: percentile(ours, p), baseline: percentile(base, p), ratio: percentile(ours, p) / percentile(base, p) },
    ]),
  );
  results.latency = {
    samples: n,
    ...r,
    rawUpdate: { p50: percentile(raw, 50), p95: percentile(raw, 95), p99: percentile(raw, 99) },
    baselineWithLocalActivity: { p50: percentile(baseLocal, 50), p99: percentile(baseLocal, 99) },
    targets: { p50: 1.5, p99: 2 },
  };
  for (const p of [50, 95, 99])
    row(
      'latency',
      `technical review p${p}`,
      ms(percentile(ours, p)),
      `${ms(percentile(base, p))} → ratio ${(percentile(ours, p) / percentile(base, p)).toFixed(2)}${p === 50 ? ' (target ≤ 2.0)' : p === 99 ? ' (target ≤ 2)' : ''}`,
    );
  const floorP50 = percentile(floor, 50);
  (results.latency as Record<string, unknown>).designFloor = {
    p50: floorP50,
    p99: percentile(floor, 99),
    ratioP50: percentile(ours, 50) / floorP50,
    target: 1.3,
  };
  (results.latency as Record<string, unknown>).targets = { p50VsNoopUpdate: 2.0, p50VsDesignFloor: 1.3, p99: 2 };
  row(
    'latency',
    'technical review p50 vs the design floor',
    ms(percentile(ours, 50)),
    `${ms(floorP50)} (raw Update + one local activity writing the same rows in one transaction) → ratio ${(percentile(ours, 50) / floorP50).toFixed(2)} (target ≤ 1.3)`,
  );
  row(
    'latency',
    'same command as a raw Update p50 / p99 (no HTTP)',
    `${ms(percentile(raw, 50))} / ${ms(percentile(raw, 99))}`,
    `no-op Update with one no-op local activity: ${ms(percentile(baseLocal, 50))} / ${ms(percentile(baseLocal, 99))}`,
  );
  // The project's writes: persistChange (runs taking one-local-activity-per-change), else persistEffects.
  const persistName = activityMs.get('persistChange')?.length ? 'persistChange' : 'persistEffects';
  const persist = activityMs.get(persistName) ?? [];
  if (persist.length)
    row(
      'latency',
      `of which the ${persistName} transaction p50 / p99`,
      `${ms(percentile(persist, 50))} / ${ms(percentile(persist, 99))}`,
      `${persist.length} runs, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
    );
  (results.latency as Record<string, unknown>).persistEffects = persist.length
    ? { activity: persistName, p50: percentile(persist, 50), p99: percentile(persist, 99), runs: persist.length }
    : null;
}
