/**
 * The one owner of the personal-account tables (issue 16): `accounts`, `sessions`,
 * `password_history` and `account_events` (the security trail, appended in the same transaction as
 * the change it records). The API's sign-in service (api/sessions.ts), its admin
 * routes and the `npm run accounts` CLI all go through here. Times come from the caller (an
 * injected clock), never from the database's now(), so expiry and lockout are testable.
 */
import { and, asc, desc, eq, gt, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  accountEvents,
  accounts,
  passwordHistory,
  sessions,
  signInAttempts,
  type AccountEventRow,
  type AccountRow,
  type SessionRow,
} from '../schema.ts';
import type { Role } from '../../domain/vocabulary.ts';
import {
  FAILURE_MEMORY_MS,
  PASSWORD_HISTORY,
  type AccountEventKind,
  type AccountEventOutcome,
  type SignInAttempt,
} from '../../domain/accounts.ts';
import { chainLink, GENESIS_HASH } from '../audit-chain.ts';
import { cursorMicros } from './keyset.ts';

export type { AccountEventRow, AccountRow, SessionRow };

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

// --- the security trail (Art. 24-25, 28; GB/T 39786) ---------------------------------------------------

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
async function appendEvent(tx: Tx, e: AccountEventInput): Promise<void> {
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

export interface NewAccount {
  id: string;
  loginName: string;
  displayName: string;
  role: Role;
  department?: string | null | undefined;
  jurisdiction?: string | null | undefined;
  phone?: string | null | undefined;
  passwordHash: string;
  totpPendingSecret?: string | null | undefined;
  createdBy: string;
  at: Date;
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown): boolean => {
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
};

/** Inserts the account, its first password-history entry and its `account-create` event; undefined when the login name is taken. */
export async function insertAccount(
  db: Database,
  a: NewAccount,
  event: { actor: EventActor; origin: RequestOrigin },
): Promise<AccountRow | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(accounts)
        .values({
          id: a.id,
          loginName: a.loginName,
          displayName: a.displayName,
          role: a.role,
          department: a.department ?? null,
          jurisdiction: a.jurisdiction ?? null,
          phone: a.phone ?? null,
          passwordHash: a.passwordHash,
          mustChangePassword: true,
          totpPendingSecret: a.totpPendingSecret ?? null,
          createdBy: a.createdBy,
          createdAt: a.at,
        })
        .returning();
      await tx.insert(passwordHistory).values({ accountId: a.id, passwordHash: a.passwordHash, createdAt: a.at });
      await appendEvent(tx, {
        event: 'account-create',
        outcome: 'success',
        accountId: a.id,
        loginName: a.loginName,
        at: a.at,
        ...event,
        detail: { role: a.role, department: a.department ?? null, jurisdiction: a.jurisdiction ?? null },
      });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

/** Every account, newest first. */
export const listAccounts = (db: Database): Promise<AccountRow[]> =>
  db.select().from(accounts).orderBy(desc(accounts.createdAt), accounts.id);

export async function findAccount(db: Database, id: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row;
}

/** An active (not revoked) account by login name. */
export async function findActiveAccountByLogin(db: Database, loginName: string): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.loginName, loginName), isNull(accounts.revokedAt)))
    .limit(1);
  return row;
}

/**
 * Revokes an active account and ends all its sessions in the same transaction, so no request after
 * the answer is served by them: `revoked`, `already` (with the first revocation time) or `unknown`.
 */
export async function revokeAccount(
  db: Database,
  id: string,
  at: Date,
  event: { actor: EventActor; origin: RequestOrigin },
): Promise<
  | { outcome: 'revoked'; sessionsEnded: number }
  | { outcome: 'already'; revokedAt: Date | null }
  | { outcome: 'unknown' }
> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ revokedAt: at })
      .where(and(eq(accounts.id, id), isNull(accounts.revokedAt)))
      .returning({ id: accounts.id, loginName: accounts.loginName });
    if (row) {
      const ended = await tx
        .update(sessions)
        .set({ endedAt: at, endReason: 'revoked' })
        .where(and(eq(sessions.accountId, id), isNull(sessions.endedAt)))
        .returning({ id: sessions.id });
      await appendEvent(tx, {
        event: 'account-revoke',
        outcome: 'success',
        accountId: id,
        loginName: row.loginName,
        at,
        ...event,
        detail: { sessionsEnded: ended.length },
      });
      return { outcome: 'revoked' as const, sessionsEnded: ended.length };
    }
    const [existing] = await tx
      .select({ revokedAt: accounts.revokedAt })
      .from(accounts)
      .where(eq(accounts.id, id))
      .limit(1);
    return existing ? { outcome: 'already' as const, revokedAt: existing.revokedAt } : { outcome: 'unknown' as const };
  });
}

// --- the lockout's counter (issue 28) -------------------------------------------------------------

/** A transaction-scoped lock per login name: its attempts are reserved and finished one at a time. */
const signInLock = (loginName: string) => sql`select pg_advisory_xact_lock(hashtext(${`sign-in:${loginName}`}))`;

async function attemptsOf(tx: Tx, loginName: string, at: Date): Promise<SignInAttempt[]> {
  return tx
    .select({
      source: signInAttempts.source,
      startedAt: signInAttempts.startedAt,
      finishedAt: signInAttempts.finishedAt,
      outcome: signInAttempts.outcome,
    })
    .from(signInAttempts)
    .where(
      and(
        eq(signInAttempts.loginName, loginName),
        gt(signInAttempts.startedAt, new Date(at.getTime() - FAILURE_MEMORY_MS)),
      ),
    )
    .orderBy(asc(signInAttempts.startedAt), asc(signInAttempts.id));
}

/**
 * Reserves an attempt of `loginName` from `source` when `decide` allows it, given the name's
 * attempts (oldest first) — atomically: per login name one transaction at a time, so of parallel
 * attempts no more are checked than the limit allows. Answers the reservation's id, or the refusal.
 */
export async function reserveSignIn<R>(
  db: Database,
  loginName: string,
  source: string,
  at: Date,
  decide: (attempts: SignInAttempt[]) => R | undefined,
): Promise<{ id: number } | { refused: R }> {
  return db.transaction(async (tx) => {
    await tx.execute(signInLock(loginName));
    const refused = decide(await attemptsOf(tx, loginName, at));
    if (refused !== undefined) return { refused };
    const [row] = await tx
      .insert(signInAttempts)
      .values({ loginName, source, startedAt: at })
      .returning({ id: signInAttempts.id });
    // Housekeeping: attempts older than the lockout remembers are no longer needed.
    await tx
      .delete(signInAttempts)
      .where(
        and(
          eq(signInAttempts.loginName, loginName),
          lt(signInAttempts.startedAt, new Date(at.getTime() - FAILURE_MEMORY_MS)),
        ),
      );
    return { id: row!.id };
  });
}

/** Finishes a reservation with its outcome and answers the name's attempts after it (oldest first). */
export async function finishSignIn(
  db: Database,
  id: number,
  loginName: string,
  outcome: 'failure' | 'success' | 'incomplete',
  at: Date,
): Promise<SignInAttempt[]> {
  return db.transaction(async (tx) => {
    await tx.execute(signInLock(loginName));
    await tx.update(signInAttempts).set({ outcome, finishedAt: at }).where(eq(signInAttempts.id, id));
    return attemptsOf(tx, loginName, at);
  });
}

/** Removes every attempt that started before `before` (all login names); answers how many. */
export async function sweepSignInAttempts(db: Database, before: Date): Promise<number> {
  return (
    await db.delete(signInAttempts).where(lt(signInAttempts.startedAt, before)).returning({ id: signInAttempts.id })
  ).length;
}

// --- sign-in ---------------------------------------------------------------------------------------

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

/**
 * A successful sign-in, in one transaction: remembers when (the lockout counts failures after it)
 * and, with TOTP, the accepted time step — only if it is newer than the last one, so two concurrent
 * sign-ins cannot both use one code (false then, nothing written); `totpSecret` puts a (sealed)
 * secret in force — an admin's first sign-in confirming the pending one, or a secret sealed again
 * (legacy plaintext, or an older key) — clearing the pending one when `confirmTotp`; `passwordHash`
 * re-hashes with today's parameters. Then the session and the `sign-in` event.
 */
export async function recordSignIn(
  db: Database,
  account: AccountRow,
  at: Date,
  options: {
    totpStep?: number | undefined;
    confirmTotp?: boolean;
    totpSecret?: string | undefined;
    passwordHash?: string | undefined;
  },
  session: { id: string; csrfToken: string },
  origin: RequestOrigin,
): Promise<boolean> {
  const set: Partial<typeof accounts.$inferInsert> = { lastSignInAt: at };
  if (options.totpStep !== undefined) set.totpLastStep = options.totpStep;
  if (options.totpSecret) set.totpSecret = options.totpSecret;
  if (options.confirmTotp) set.totpPendingSecret = null;
  if (options.passwordHash) set.passwordHash = options.passwordHash;
  const stepIsNew =
    options.totpStep === undefined
      ? undefined
      : or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, options.totpStep));
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(accounts)
      .set(set)
      .where(and(eq(accounts.id, account.id), isNull(accounts.revokedAt), stepIsNew))
      .returning({ id: accounts.id });
    if (rows.length !== 1) return false;
    await tx
      .insert(sessions)
      .values({ id: session.id, accountId: account.id, csrfToken: session.csrfToken, createdAt: at, lastSeenAt: at });
    await appendEvent(tx, {
      event: 'sign-in',
      outcome: 'success',
      ...selfEvent(account, origin, at),
      detail: { totp: options.totpStep !== undefined, ...(options.confirmTotp ? { totpConfirmed: true } : {}) },
    });
    return true;
  });
}

// --- sessions ------------------------------------------------------------------------------------

/** A session that has not been ended, with its account when that is not revoked. */
export async function findOpenSession(
  db: Database,
  id: string,
): Promise<{ session: SessionRow; account: AccountRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, account: accounts })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt), isNull(accounts.revokedAt)))
    .limit(1);
  return row;
}

/** Marks the session seen at `at` (the idle timeout counts from here); only moves forward. */
export async function touchSession(db: Database, id: string, at: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: at })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt), lt(sessions.lastSeenAt, at)));
}

/**
 * Ends one session (sign-out, or expiry found at a request) and records `event` with it — once:
 * a session already ended records nothing.
 */
export async function endSession(db: Database, id: string, reason: string, event: AccountEventInput): Promise<void> {
  await db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ endedAt: event.at, endReason: reason })
      .where(and(eq(sessions.id, id), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    if (ended.length === 1) await appendEvent(tx, event);
  });
}

/** Ends every open session of an account (sign-out everywhere), except `keep` when given, with its event. */
export async function endAccountSessions(
  db: Database,
  accountId: string,
  reason: string,
  event: AccountEventInput,
  keep?: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(sessions)
      .set({ endedAt: event.at, endReason: reason })
      .where(and(eq(sessions.accountId, accountId), isNull(sessions.endedAt), keep ? ne(sessions.id, keep) : undefined))
      .returning({ id: sessions.id });
    await appendEvent(tx, { ...event, detail: { ...event.detail, sessionsEnded: rows.length } });
    return rows.length;
  });
}

// --- passwords and TOTP --------------------------------------------------------------------------

/** The hashes of the account's last PASSWORD_HISTORY passwords (the current one included), newest first. */
export async function recentPasswordHashes(db: Database, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ hash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.accountId, accountId))
    .orderBy(desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY);
  return rows.map((r) => r.hash);
}

/**
 * A password change: the new password (no longer to be changed) in the history, the account's other
 * sessions (all but `keep`) ended, and the `password-change` event — one transaction.
 */
export async function setPassword(
  db: Database,
  accountId: string,
  passwordHash: string,
  event: AccountEventInput,
  keep: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash, mustChangePassword: false }).where(eq(accounts.id, accountId));
    await tx.insert(passwordHistory).values({ accountId, passwordHash, createdAt: event.at });
    const ended = await tx
      .update(sessions)
      .set({ endedAt: event.at, endReason: 'password-changed' })
      .where(and(eq(sessions.accountId, accountId), isNull(sessions.endedAt), ne(sessions.id, keep)))
      .returning({ id: sessions.id });
    await appendEvent(tx, { ...event, detail: { ...event.detail, sessionsEnded: ended.length } });
  });
}

/** Starts (or restarts) TOTP enrolment with a new (sealed) secret, not yet in force. */
export async function setPendingTotp(
  db: Database,
  accountId: string,
  sealedSecret: string,
  event: AccountEventInput,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ totpPendingSecret: sealedSecret }).where(eq(accounts.id, accountId));
    await appendEvent(tx, event);
  });
}

/**
 * Puts the pending secret in force (as `sealedSecret`, the same secret sealed afresh), remembering
 * the step of the code that confirmed it — only while the pending secret is still `storedPending`.
 */
export async function confirmPendingTotp(
  db: Database,
  accountId: string,
  storedPending: string,
  sealedSecret: string,
  step: number,
  event: AccountEventInput,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(accounts)
      .set({ totpSecret: sealedSecret, totpPendingSecret: null, totpLastStep: step })
      .where(and(eq(accounts.id, accountId), eq(accounts.totpPendingSecret, storedPending)))
      .returning({ id: accounts.id });
    if (rows.length !== 1) return false;
    await appendEvent(tx, event);
    return true;
  });
}

/**
 * An operator's reset (CLI): a new initial password to change at first sign-in, TOTP back to
 * enrolment (`totpPendingSecret`, sealed, for admins; null otherwise), every session ended, the
 * `account-reset` event.
 */
export async function resetAccount(
  db: Database,
  account: Pick<AccountRow, 'id' | 'loginName'>,
  passwordHash: string,
  totpPendingSecret: string | null,
  event: { actor: EventActor; origin: RequestOrigin; at: Date },
): Promise<void> {
  const at = event.at;
  await db.transaction(async (tx) => {
    await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, totpSecret: null, totpPendingSecret, totpLastStep: null })
      .where(eq(accounts.id, account.id));
    await tx.insert(passwordHistory).values({ accountId: account.id, passwordHash, createdAt: at });
    const ended = await tx
      .update(sessions)
      .set({ endedAt: at, endReason: 'reset' })
      .where(and(eq(sessions.accountId, account.id), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    await appendEvent(tx, {
      event: 'account-reset',
      outcome: 'success',
      accountId: account.id,
      loginName: account.loginName,
      ...event,
      detail: { sessionsEnded: ended.length },
    });
  });
}
