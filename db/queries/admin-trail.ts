/**
 * The `admin_events` table's one owner: the administrators' trail. A change and its
 * event are written in one transaction, which first takes a lock serialising every administrator's
 * change and append, so the one SM3 chain never forks and "before" is what the change replaced.
 */
import { asc, desc, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { adminEvents, type AdminEventRow } from '../schema.ts';
import { chainLink, GENESIS_HASH } from '../audit-chain.ts';
import { cursorMicros } from './keyset.ts';

export type { AdminEventRow };

/** Who made an administrator's change, and from where. */
export interface AdminActor {
  keyId: string;
  name?: string | null | undefined;
  role?: string | null | undefined;
  ip?: string | null | undefined;
}

/** What a change reports for the trail; `skip` when nothing changed (nothing is recorded). */
export type AdminChange<T> = { result: T; target: string; before: unknown; after: unknown } | { result: T; skip: true };

const ADMIN_TRAIL_LOCK = sql`select pg_advisory_xact_lock(hashtext('admin_events'))`;

/** The fields the SM3 chain covers, in the form hashed (time as ISO text) — also the API's entry. */
export const chainedAdminEvent = (r: Omit<AdminEventRow, 'prevHash' | 'hash'>) => ({
  seq: r.seq,
  at: r.at.toISOString(),
  action: r.action,
  target: r.target,
  actor: r.actor,
  actorName: r.actorName,
  actorRole: r.actorRole,
  ip: r.ip,
  before: r.before ?? null,
  after: r.after ?? null,
});

/**
 * Runs `change` and appends its event in one transaction (the change's queries get the transaction
 * as their database). A change that throws records nothing and changes nothing.
 */
export async function recordAdminChange<T>(
  db: Database,
  actor: AdminActor,
  action: string,
  change: (tx: Database) => Promise<AdminChange<T>>,
  at = new Date(),
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(ADMIN_TRAIL_LOCK);
    const outcome = await change(tx);
    if ('skip' in outcome) return outcome.result;
    const [last] = await tx
      .select({ seq: adminEvents.seq, hash: adminEvents.hash })
      .from(adminEvents)
      .orderBy(desc(adminEvents.seq))
      .limit(1);
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(at.toISOString()),
      action,
      target: outcome.target,
      actor: actor.keyId,
      actorName: actor.name ?? null,
      actorRole: actor.role ?? null,
      ip: actor.ip ?? null,
      // Through JSON, as jsonb will give them back (dates as text, no undefined).
      before:
        outcome.before === undefined || outcome.before === null
          ? null
          : (JSON.parse(JSON.stringify(outcome.before)) as unknown),
      after:
        outcome.after === undefined || outcome.after === null
          ? null
          : (JSON.parse(JSON.stringify(outcome.after)) as unknown),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    await tx.insert(adminEvents).values({ ...row, prevHash, hash: chainLink(prevHash, chainedAdminEvent(row)) });
    return outcome.result;
  });
}

/** The trail, newest first, before the keyset position `beforeSeq`. */
export const adminEventsPage = (db: Database, limit: number, beforeSeq?: number) =>
  db
    .select({ row: adminEvents, cursorMicros: cursorMicros(adminEvents.at) })
    .from(adminEvents)
    .where(beforeSeq === undefined ? undefined : lt(adminEvents.seq, beforeSeq))
    .orderBy(desc(adminEvents.seq))
    .limit(limit);

/**
 * `npm run audit:verify`: recomputes the trail's chain — seq without gaps from 1, each prev_hash the
 * hash before, each hash over the row's content. Problems by seq; empty when intact.
 */
export async function verifyAdminEvents(db: Database): Promise<{ seq: number; problem: string }[]> {
  const problems: { seq: number; problem: string }[] = [];
  let prevHash = GENESIS_HASH;
  let expected = 1;
  const BATCH = 5000;
  for (let from = 0; ;) {
    const rows = await db
      .select()
      .from(adminEvents)
      .where(gt(adminEvents.seq, from))
      .orderBy(asc(adminEvents.seq))
      .limit(BATCH);
    for (const r of rows) {
      if (r.seq !== expected) problems.push({ seq: r.seq, problem: `expected seq ${expected} (rows missing)` });
      if (r.prevHash !== prevHash) problems.push({ seq: r.seq, problem: 'prev_hash does not match the previous row' });
      if (r.hash !== chainLink(r.prevHash, chainedAdminEvent(r)))
        problems.push({ seq: r.seq, problem: 'hash does not match the row content' });
      prevHash = r.hash;
      expected = r.seq + 1;
      from = r.seq;
    }
    if (rows.length < BATCH) break;
  }
  return problems;
}
