/**
 * Sign-in and sessions of the personal accounts: the lockout's counter (`sign_in_attempts`), a
 * successful sign-in, and the sessions it opens and ends, each with its trail event
 * (db/queries/account-events.ts). Times come from the caller (an injected clock).
 */
import { and, asc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { accounts, sessions, signInAttempts, type AccountRow, type SessionRow } from '../schema.ts';
import { FAILURE_MEMORY_MS, type SignInAttempt } from '../../domain/accounts.ts';
import { appendEvent, selfEvent, type AccountEventInput, type RequestOrigin, type Tx } from './account-events.ts';

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
