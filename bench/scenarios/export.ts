import { projects } from '../../db/schema.ts';
import type { BenchContext } from '../setup.ts';
import { quick, values } from '../options.ts';
import { results, row } from '../machinery.ts';

export async function exportScenario(ctx: BenchContext): Promise<void> {
  const { log, database, app, keys } = ctx;
  // The Excel export of the whole read model: end to end through the app, the body read
  // to its end (and dropped), with the process's RSS sampled every 100 ms while it runs.
  const rowsWanted = values.rows ? Number(values.rows) : quick ? 5_000 : 100_000;
  const have = await database.db.$count(projects);
  log(`export: ${rowsWanted} read-model rows (${have} there), then GET /v1/projects/export.xlsx`);
  const batch = [];
  for (let i = have; i < rowsWanted; i++) {
    const funds = {
      suspended: i % 11 === 0,
      construction: {
        allocatedFen: i * 10_000,
        heldFen: 0,
        availableFen: i * 5_000,
        frozenFen: 0,
        disbursedFen: i * 5_000,
        cancelledFen: 0,
      },
      om: {
        allocatedFen: i * 100,
        heldFen: 0,
        availableFen: i * 100,
        frozenFen: 0,
        disbursedFen: 0,
        cancelledFen: 0,
      },
    };
    batch.push({
      id: `EXPORT-${i}`,
      title: `导出基准项目 export bench ${i}`,
      department: `d${i % 50}`,
      jurisdiction: i % 3 ? 'city' : 'zezhou',
      kind: 'new',
      year: 2026,
      stage: i % 2 ? 'operating' : 'construction',
      awaitingRoles: ['bdb'],
      pendingActions: [{ role: 'bdb', action: 'technical-review', overdue: false }],
      nextDeadline: new Date(Date.now() + i * 60_000),
      overdue: i % 7 === 0,
      fundsSuspended: i % 11 === 0,
      view: { funds },
      version: 1,
      createdAt: new Date(Date.now() - i * 1000),
    });
    if (batch.length === 1000) await database.db.insert(projects).values(batch.splice(0)).onConflictDoNothing();
  }
  if (batch.length) await database.db.insert(projects).values(batch).onConflictDoNothing();
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const t = performance.now();
  const res = await app.request('/v1/projects/export.xlsx', { headers: { authorization: `Bearer ${keys.bdb}` } });
  if (res.status !== 200 || !res.body) throw new Error(`export → ${res.status}`);
  let bytes = 0;
  const reader = res.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const growth = peak - before;
  results.export = {
    readModelRows: Math.max(have, rowsWanted),
    seconds,
    bytes,
    rssBeforeBytes: before,
    rssPeakBytes: peak,
    rssGrowthBytes: growth,
    targets: { seconds: 30, rssGrowthBytes: 300 * 2 ** 20 },
  };
  row(
    'export',
    `GET /v1/projects/export.xlsx, ${Math.max(have, rowsWanted)} rows (${(bytes / 2 ** 20).toFixed(1)} MiB file)`,
    `${seconds.toFixed(1)} s, RSS +${(growth / 2 ** 20).toFixed(0)} MiB`,
    `target < 30 s and < 300 MiB RSS growth (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  );
}
