/**
 * The accounts' security trail (Art. 24-25, 28; GB/T 39786): `account_events`, one SM3 chain,
 * appended in the same transaction as the change it records (db/queries/accounts.ts,
 * db/queries/sign-in.ts), read per account and verified whole by `npm run audit:verify`.
 */
import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { accountEvents, type AccountEventRow, type AccountRow } from '../schema.ts';
import type { AccountEventKind, AccountEventOutcome } from '../../domain/accounts.ts';
import { chainLink, GENESIS_HASH } from '../audit-chain.ts';
import { cursorMicros } from './keyset.ts';

export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Where a request came from (api/logging.ts requestOrigin), recorded with each event. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** Who acted: the key id (`account:<id>`, an API key id, `cli:<user>`) and a name; null for an anonymous sign-in attempt. */
export interface EventActor {
  keyId: string;
  name?: string | null | undefined;
}

export interface AccountEventInput {
  event: AccountEventKind;
  outcome: AccountEventOutcome;
  accountId: string | null;
  loginName: string;
  actor: EventActor | null;
  origin: RequestOrigin;
  at: Date;
  detail?: Record<string, unknown> | undefined;
}

/** The fields of a row the SM3 chain covers, in the form hashed (time as ISO text) — also the API's entry. */
export const chainedEvent = (r: Omit<AccountEventRow, 'prevHash' | 'hash'>) => ({
  seq: r.seq,
  at: r.at.toISOString(),
  event: r.event,
  outcome: r.outcome,
  accountId: r.accountId,
  loginName: r.loginName,
  actor: r.actor,
  actorName: r.actorName,
  ip: r.ip,
  userAgent: r.userAgent,
  detail: r.detail,
});

/** A transaction-scoped lock serialising appends, so the one chain never forks. */
const TRAIL_LOCK = sql`select pg_advisory_xact_lock(hashtext('account_events'))`;

/** Appends one event inside `tx` (the transaction of the change it records). */
export async function appendEvent(tx: Tx, e: AccountEventInput): Promise<void> {
  await tx.execute(TRAIL_LOCK);
  const [last] = await tx
    .select({ seq: accountEvents.seq, hash: accountEvents.hash })
    .from(accountEvents)
    .orderBy(desc(accountEvents.seq))
    .limit(1);
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: new Date(e.at.toISOString()),
    event: e.event,
    outcome: e.outcome,
    accountId: e.accountId,
    loginName: e.loginName,
    actor: e.actor?.keyId ?? null,
    actorName: e.actor?.name ?? null,
    ip: e.origin.ip,
    userAgent: e.origin.userAgent,
    detail: e.detail ?? {},
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(accountEvents).values({ ...row, prevHash, hash: chainLink(prevHash, chainedEvent(row)) });
}

/** Records an event that changes nothing else (a failed attempt, a refusal). */
export async function recordAccountEvent(db: Database, e: AccountEventInput): Promise<void> {
  await db.transaction((tx) => appendEvent(tx, e));
}

/** An account's events, newest first, after the keyset position `beforeSeq` (api/pagination.ts). */
export async function accountEventsOf(db: Database, accountId: string, limit: number, beforeSeq?: number) {
  return db
    .select({ row: accountEvents, cursorMicros: cursorMicros(accountEvents.at) })
    .from(accountEvents)
    .where(
      and(
        eq(accountEvents.accountId, accountId),
        beforeSeq === undefined ? undefined : lt(accountEvents.seq, beforeSeq),
      ),
    )
    .orderBy(desc(accountEvents.seq))
    .limit(limit);
}

/**
 * `npm run audit:verify`: recomputes the trail's chain — seq without gaps from 1, each prev_hash
 * the hash before, each hash over the row's content. Problems by seq; empty when intact.
 */
export async function verifyAccountEvents(db: Database): Promise<{ seq: number; problem: string }[]> {
  const problems: { seq: number; problem: string }[] = [];
  let prevHash = GENESIS_HASH;
  let expected = 1;
  const BATCH = 5000;
  for (let from = 0; ;) {
    const rows = await db
      .select()
      .from(accountEvents)
      .where(gt(accountEvents.seq, from))
      .orderBy(asc(accountEvents.seq))
      .limit(BATCH);
    for (const r of rows) {
      if (r.seq !== expected) problems.push({ seq: r.seq, problem: `expected seq ${expected} (rows missing)` });
      if (r.prevHash !== prevHash) problems.push({ seq: r.seq, problem: 'prev_hash does not match the previous row' });
      if (r.hash !== chainLink(r.prevHash, chainedEvent(r)))
        problems.push({ seq: r.seq, problem: 'hash does not match the row content' });
      prevHash = r.hash;
      expected = r.seq + 1;
      from = r.seq;
    }
    if (rows.length < BATCH) break;
  }
  return problems;
}

/** The trail fields of an event by the account itself (its own sign-in, sign-out, password…). */
export const selfEvent = (
  account: Pick<AccountRow, 'id' | 'loginName' | 'displayName'>,
  origin: RequestOrigin,
  at: Date,
) => ({
  accountId: account.id,
  loginName: account.loginName,
  actor: { keyId: `account:${account.id}`, name: account.displayName },
  origin,
  at,
});
