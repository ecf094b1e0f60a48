/**
 * The one owner of the personal-account tables (issue 16): `accounts`, `sessions`,
 * `password_history` and `login_failures`. The API's sign-in service (api/sessions.ts), its admin
 * routes and the `npm run accounts` CLI all go through here. Times come from the caller (an
 * injected clock), never from the database's now(), so expiry and lockout are testable.
 */
import { and, desc, eq, gt, isNull, lt, lte, ne, or } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { accounts, loginFailures, passwordHistory, sessions, type AccountRow, type SessionRow } from '../schema.ts';
import type { Role } from '../../domain/types.ts';
import { PASSWORD_HISTORY } from '../../domain/accounts.ts';

export type { AccountRow, SessionRow };

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

/** Inserts the account and its first password-history entry; undefined when the login name is taken. */
export async function insertAccount(db: Database, a: NewAccount): Promise<AccountRow | undefined> {
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
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

/** Every account, newest first. */
export const listAccounts = (db: Database): Promise<AccountRow[]> => db.select().from(accounts).orderBy(desc(accounts.createdAt), accounts.id);

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
): Promise<{ outcome: 'revoked'; sessionsEnded: number } | { outcome: 'already'; revokedAt: Date | null } | { outcome: 'unknown' }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(accounts)
      .set({ revokedAt: at })
      .where(and(eq(accounts.id, id), isNull(accounts.revokedAt)))
      .returning({ id: accounts.id });
    if (row) {
      const ended = await tx
        .update(sessions)
        .set({ endedAt: at, endReason: 'revoked' })
        .where(and(eq(sessions.accountId, id), isNull(sessions.endedAt)))
        .returning({ id: sessions.id });
      return { outcome: 'revoked' as const, sessionsEnded: ended.length };
    }
    const [existing] = await tx.select({ revokedAt: accounts.revokedAt }).from(accounts).where(eq(accounts.id, id)).limit(1);
    return existing ? { outcome: 'already' as const, revokedAt: existing.revokedAt } : { outcome: 'unknown' as const };
  });
}

// --- sign-in failures and lockout --------------------------------------------------------------

export async function recordLoginFailure(db: Database, loginName: string, reason: 'password' | 'totp', at: Date): Promise<void> {
  await db.insert(loginFailures).values({ loginName, reason, at });
}

/**
 * The failed sign-ins of a login name after `since` (its last successful sign-in; null: ever), up
 * to `at`, oldest first — what domain/accounts.ts lockedUntil counts. The newest 100 are enough:
 * a lock depends on the last run of failures only.
 */
export async function failuresSince(db: Database, loginName: string, since: Date | null, at: Date): Promise<Date[]> {
  const rows = await db
    .select({ at: loginFailures.at })
    .from(loginFailures)
    .where(and(eq(loginFailures.loginName, loginName), lte(loginFailures.at, at), since ? gt(loginFailures.at, since) : undefined))
    .orderBy(desc(loginFailures.at), desc(loginFailures.id))
    .limit(100);
  return rows.map((r) => r.at).reverse();
}

// --- sign-in -------------------------------------------------------------------------------------

/**
 * A successful sign-in: remembers when (the lockout counts failures after it) and, with TOTP, the
 * accepted time step — only if it is newer than the last one, so two concurrent sign-ins cannot
 * both use one code (false then). `confirmTotp` makes a pending secret (an admin's first sign-in)
 * the account's secret; `passwordHash` re-hashes with today's parameters.
 */
export async function recordSignIn(
  db: Database,
  account: AccountRow,
  at: Date,
  options: { totpStep?: number | undefined; confirmTotp?: boolean; passwordHash?: string | undefined } = {},
): Promise<boolean> {
  const set: Partial<typeof accounts.$inferInsert> = { lastSignInAt: at };
  if (options.totpStep !== undefined) set.totpLastStep = options.totpStep;
  if (options.confirmTotp && account.totpPendingSecret) {
    set.totpSecret = account.totpPendingSecret;
    set.totpPendingSecret = null;
  }
  if (options.passwordHash) set.passwordHash = options.passwordHash;
  const stepIsNew = options.totpStep === undefined ? undefined : or(isNull(accounts.totpLastStep), lt(accounts.totpLastStep, options.totpStep));
  const rows = await db
    .update(accounts)
    .set(set)
    .where(and(eq(accounts.id, account.id), isNull(accounts.revokedAt), stepIsNew))
    .returning({ id: accounts.id });
  return rows.length === 1;
}

// --- sessions ------------------------------------------------------------------------------------

export async function insertSession(db: Database, s: { id: string; accountId: string; csrfToken: string; at: Date }): Promise<void> {
  await db.insert(sessions).values({ id: s.id, accountId: s.accountId, csrfToken: s.csrfToken, createdAt: s.at, lastSeenAt: s.at });
}

/** A session that has not been ended, with its account when that is not revoked. */
export async function findOpenSession(db: Database, id: string): Promise<{ session: SessionRow; account: AccountRow } | undefined> {
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

export async function endSession(db: Database, id: string, reason: string, at: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: at, endReason: reason })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
}

/** Ends every open session of an account (sign-out everywhere), except `keep` when given. */
export async function endAccountSessions(db: Database, accountId: string, reason: string, at: Date, keep?: string): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ endedAt: at, endReason: reason })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.endedAt), keep ? ne(sessions.id, keep) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
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

/** Sets a new password (no longer to be changed) and records it in the history. */
export async function setPassword(db: Database, accountId: string, passwordHash: string, at: Date, mustChange = false): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash, mustChangePassword: mustChange }).where(eq(accounts.id, accountId));
    await tx.insert(passwordHistory).values({ accountId, passwordHash, createdAt: at });
  });
}

/** Starts (or restarts) TOTP enrolment with a new secret, not yet in force. */
export async function setPendingTotp(db: Database, accountId: string, secret: string): Promise<void> {
  await db.update(accounts).set({ totpPendingSecret: secret }).where(eq(accounts.id, accountId));
}

/** Puts the pending secret in force, remembering the step of the code that confirmed it. */
export async function confirmPendingTotp(db: Database, accountId: string, secret: string, step: number): Promise<boolean> {
  const rows = await db
    .update(accounts)
    .set({ totpSecret: secret, totpPendingSecret: null, totpLastStep: step })
    .where(and(eq(accounts.id, accountId), eq(accounts.totpPendingSecret, secret)))
    .returning({ id: accounts.id });
  return rows.length === 1;
}

/**
 * An operator's reset (CLI): a new initial password to change at first sign-in, TOTP back to
 * enrolment (`totpPendingSecret`, for admins; null otherwise), every session ended.
 */
export async function resetAccount(db: Database, accountId: string, passwordHash: string, totpPendingSecret: string | null, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(accounts)
      .set({ passwordHash, mustChangePassword: true, totpSecret: null, totpPendingSecret, totpLastStep: null })
      .where(eq(accounts.id, accountId));
    await tx.insert(passwordHistory).values({ accountId, passwordHash, createdAt: at });
    await tx
      .update(sessions)
      .set({ endedAt: at, endReason: 'reset' })
      .where(and(eq(sessions.accountId, accountId), isNull(sessions.endedAt)));
  });
}
