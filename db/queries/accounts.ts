/**
 * With its siblings the one owner of the personal-account tables: `accounts` and
 * `password_history` here (create, revoke, reset, passwords and TOTP), sign-in and `sessions` in
 * db/queries/sign-in.ts, the security trail `account_events` (appended in the same transaction as
 * the change it records) in db/queries/account-events.ts. The API's sign-in service
 * (api/sessions.ts), its admin routes and the `npm run accounts` CLI all go through these. Times
 * come from the caller (an injected clock), never from the database's now(), so expiry and lockout
 * are testable.
 */
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  accounts,
  passwordHistory,
  sessions,
  type AccountEventRow,
  type AccountRow,
  type SessionRow,
} from '../schema.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { PASSWORD_HISTORY } from '../../domain/accounts.ts';
import { appendEvent, type AccountEventInput, type EventActor, type RequestOrigin } from './account-events.ts';

export type { AccountEventRow, AccountRow, SessionRow };

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

// --- the lockout's counter -------------------------------------------------------------

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
