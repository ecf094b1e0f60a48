/**
 * The `worker_heartbeats` table's one owner: a running worker's row, written every few seconds
 * (worker.ts), and the rows /readyz counts as alive. Times are the database's own clock, so the
 * API's and the workers' clocks never have to agree.
 */
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { workerHeartbeats } from '../schema.ts';

/** How often a running worker renews its row. */
export const HEARTBEAT_EVERY_MS = 2_000;

/** A row not renewed for this long belongs to a worker that died (or cannot reach the database). */
export const ALIVE_WITHIN_MS = 6_000;

/** Marks the worker alive now (inserting its row on the first beat). */
export async function beat(db: Database, worker: { taskQueue: string; identity: string }): Promise<void> {
  await db
    .insert(workerHeartbeats)
    .values(worker)
    .onConflictDoUpdate({
      target: [workerHeartbeats.taskQueue, workerHeartbeats.identity],
      set: { seenAt: sql`now()` },
    });
}

/** A stopped worker's row goes at once; rows of workers dead for an hour are pruned by any worker. */
export async function forget(db: Database, worker: { taskQueue: string; identity: string }): Promise<void> {
  await db
    .delete(workerHeartbeats)
    .where(and(eq(workerHeartbeats.taskQueue, worker.taskQueue), eq(workerHeartbeats.identity, worker.identity)));
}

export async function pruneDead(db: Database): Promise<void> {
  await db.delete(workerHeartbeats).where(lt(workerHeartbeats.seenAt, sql`now() - interval '1 hour'`));
}

/** Identities of the task queue's workers seen within the last `freshMs`. */
export async function aliveWorkers(db: Database, taskQueue: string, freshMs: number): Promise<string[]> {
  const rows = await db
    .select({ identity: workerHeartbeats.identity })
    .from(workerHeartbeats)
    .where(
      and(
        eq(workerHeartbeats.taskQueue, taskQueue),
        gt(workerHeartbeats.seenAt, sql`now() - make_interval(secs => ${freshMs / 1000})`),
      ),
    );
  return rows.map((r) => r.identity);
}
