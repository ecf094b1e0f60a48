/**
 * The `rate_counters` table's one owner (api/rate-limit.ts): fixed-window hit counters shared by
 * every API process on the database.
 */
import { lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { rateCounters } from '../schema.ts';

/**
 * Counts one hit in `bucket`'s window starting at `windowStart` and answers the window's hits so
 * far, this one included — one atomic upsert, so concurrent requests (of any process) are each
 * counted once. A newer window starts the count again; a hit stamped with an older window (another
 * process's clock a little behind) counts in the newer one.
 */
export async function countHit(db: Database, bucket: string, windowStart: Date): Promise<number> {
  const [row] = await db
    .insert(rateCounters)
    .values({ bucket, windowStart, hits: 1 })
    .onConflictDoUpdate({
      target: rateCounters.bucket,
      set: {
        hits: sql`case when ${rateCounters.windowStart} >= excluded.window_start then ${rateCounters.hits} + 1 else 1 end`,
        windowStart: sql`greatest(${rateCounters.windowStart}, excluded.window_start)`,
      },
    })
    .returning({ hits: rateCounters.hits });
  return row!.hits;
}

/** Takes one hit back (a request the limiter was told not to count after all); never below 0. */
export async function uncountHit(db: Database, bucket: string, windowStart: Date): Promise<void> {
  await db
    .update(rateCounters)
    .set({ hits: sql`greatest(${rateCounters.hits} - 1, 0)` })
    .where(sql`${rateCounters.bucket} = ${bucket} and ${rateCounters.windowStart} = ${windowStart}`);
}

/** Forgets a bucket. */
export async function resetBucket(db: Database, bucket: string): Promise<void> {
  await db.delete(rateCounters).where(sql`${rateCounters.bucket} = ${bucket}`);
}

/** Removes the counters of windows that started before `before`; answers how many. */
export async function sweepCounters(db: Database, before: Date): Promise<number> {
  const removed = await db
    .delete(rateCounters)
    .where(lt(rateCounters.windowStart, before))
    .returning({ bucket: rateCounters.bucket });
  return removed.length;
}
