import { randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { projects } from '../../db/schema.ts';
import type { BenchContext } from '../setup.ts';
import { quick, values } from '../options.ts';
import { results, row, percentile, ms, pool, application, seedReadModel } from '../machinery.ts';

export async function capacity(ctx: BenchContext): Promise<void> {
  const { log, database, call, keys } = ctx;
  const n = values.open ? Number(values.open) : quick ? 200 : 10_000;
  log(`capacity: ${n} open projects waiting for review`);
  const t = performance.now();
  const ids: string[] = [];
  // As a bureau's system would: an Idempotency-Key per application, retried on a 503 (the key makes
  // the retry land on the same project); the retries are counted and reported.
  const run = randomBytes(4).toString('hex');
  let retried503 = 0;
  let peakRss = 0;
  const progressEvery = Math.max(1_000, Math.round(n / 20));
  await pool([...Array(n).keys()], 32, async (i) => {
    for (let attempt = 0; ; attempt++) {
      try {
        ids.push(
          (
            await call('POST', '/v1/projects', keys.dept, application(i), {
              'idempotency-key': `capacity-${run}-${i}`,
            })
          ).id,
        );
        if (ids.length % progressEvery === 0) {
          const rss = process.memoryUsage().rss;
          peakRss = Math.max(peakRss, rss);
          log(
            `capacity: ${ids.length} of ${n} started in ${((performance.now() - t) / 1000).toFixed(0)} s (${(ids.length / ((performance.now() - t) / 1000)).toFixed(1)}/s), RSS ${(rss / 2 ** 20).toFixed(0)} MiB, ${retried503} retried`,
          );
        }
        return;
      } catch (err) {
        if ((err as { status?: number }).status !== 503 || attempt >= 20) throw err;
        retried503++;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  });
  const startRate = n / ((performance.now() - t) / 1000);
  // Let the workers catch up (each start runs audit, notification and read-model activities),
  // so the reads below measure a settled system with n open workflows, not the start backlog.
  const settleStart = performance.now();
  // Settled when every project started here has its read-model row (other rows may exist already).
  const settled = async () => {
    // In slices: one parameter per project would pass PostgreSQL's limit of 65,534 at 100,000.
    let count = 0;
    for (let i = 0; i < ids.length; i += 10_000)
      count += await database.db.$count(projects, inArray(projects.id, ids.slice(i, i + 10_000)));
    return count >= n;
  };
  while (!(await settled()) && performance.now() - settleStart < 900_000)
    await new Promise((r) => setTimeout(r, 1_000));
  const settleSeconds = (performance.now() - settleStart) / 1000;
  global.gc?.();
  const mem = process.memoryUsage();
  const gets: number[] = [];
  let getFailures = 0;
  for (let i = 0; i < 200; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const s = performance.now();
    await call('GET', `/v1/projects/${id}`, keys.bdb).catch(() => getFailures++);
    gets.push(performance.now() - s);
  }
  const rowsWanted = values.rows ? Number(values.rows) : quick ? 5_000 : 100_000;
  await seedReadModel(database.db, rowsWanted);
  const lists: number[] = [];
  const filters = [
    '',
    '?stage=operating',
    '?jurisdiction=zezhou&limit=100',
    '?overdue=true',
    '?q=project%2012',
    '?awaiting=bdb&limit=200',
  ];
  const listByFilter: Record<string, number[]> = {};
  for (let i = 0; i < 120; i++) {
    const filter = filters[i % filters.length]!;
    const s = performance.now();
    await call('GET', `/v1/projects${filter}`, keys.bdb);
    lists.push(performance.now() - s);
    (listByFilter[filter] ??= []).push(performance.now() - s);
  }
  peakRss = Math.max(peakRss, mem.rss);
  // The targets: 100,000 open projects on one worker ≤ 2 GiB RSS; GET p99 ≤ 50 ms; list p99 ≤ 20 ms at 100,000 rows.
  results.capacity = {
    openProjects: n,
    retried503,
    startRatePerSecond: startRate,
    settleSeconds,
    getFailures,
    rssBytes: mem.rss,
    peakRssBytes: peakRss,
    heapUsedBytes: mem.heapUsed,
    getP99Ms: percentile(gets, 99),
    readModelRows: rowsWanted,
    listP50Ms: percentile(lists, 50),
    listP99Ms: percentile(lists, 99),
    listByFilter,
    targets: { rssBytes: 2 * 1024 ** 3, getP99Ms: 50, listP99Ms: 20 },
  };
  row(
    'capacity',
    `RSS / heap with ${n} open projects`,
    `${(mem.rss / 2 ** 20).toFixed(0)} MiB / ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB (peak RSS while starting ${(peakRss / 2 ** 20).toFixed(0)} MiB)`,
    `target RSS ≤ 2048 MiB (API + worker${process.env.DATABASE_URL ? '' : ' + PGlite'} in one process)`,
  );
  row(
    'capacity',
    'start rate (API accepted)',
    `${startRate.toFixed(1)} projects/s`,
    `backlog drained ${settleSeconds.toFixed(0)} s later; ${retried503} applications answered 503 and were retried with their Idempotency-Key`,
  );
  row('capacity', 'GET /v1/projects/:id p99', ms(percentile(gets, 99)), `${getFailures} of 200 failed; target ≤ 50 ms`);
  row(
    'capacity',
    `list p50 / p99 with ${rowsWanted} rows`,
    `${ms(percentile(lists, 50))} / ${ms(percentile(lists, 99))}`,
    'target p99 ≤ 20 ms',
  );
  for (const [filter, xs] of Object.entries(listByFilter))
    row(
      'capacity',
      `  list ${filter || '(no filter)'} p50 / p99`,
      `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))}`,
      `${xs.length} queries`,
    );
}
