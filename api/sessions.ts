/**
 * Personal accounts' sign-in, sessions, passwords and TOTP (issue 16; Art. 22, 24-25: every action
 * names the person). The rules are domain/accounts.ts; hashing lib/passwords.ts; TOTP lib/totp.ts;
 * storage db/queries/accounts.ts. This module joins them and speaks in problems (api/problem.ts).
 *
 * A session token is 256 random bits in the `bdp_session` cookie; the database keeps SM3(token)
 * only, so a leaked table does not hand out sessions. The clock is injected (`now`) so idle and
 * absolute expiry are tested without waiting.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/client.ts';
import {
  confirmPendingTotp,
  endAccountSessions,
  endSession,
  failuresSince,
  findActiveAccountByLogin,
  findOpenSession,
  insertAccount,
  insertSession,
  recentPasswordHashes,
  recordLoginFailure,
  recordSignIn,
  setPassword,
  setPendingTotp,
  touchSession,
  type AccountRow,
  type SessionRow,
} from '../db/queries/accounts.ts';
import { brokenPasswordRule, lockedUntil, organizationOf, sessionExpiry, totpRequired, type PasswordRule } from '../domain/accounts.ts';
import type { Actor, Role } from '../domain/types.ts';
import { dummyHash, generateInitialPassword, hashPassword, needsRehash, verifyPassword } from '../lib/passwords.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../lib/totp.ts';
import { ApiError, unauthenticated } from './problem.ts';

export const SESSION_COOKIE = 'bdp_session';
export const CSRF_HEADER = 'X-CSRF-Token';

/** The actor's key id for a session: the account, so idempotency keys and rate limits are per person. */
export const accountKeyId = (accountId: string) => `account:${accountId}`;

const sm3Hex = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');

/** The account as the API shows it (never a hash or secret). */
export function accountInfo(a: AccountRow) {
  return {
    id: a.id,
    loginName: a.loginName,
    displayName: a.displayName,
    role: a.role,
    department: a.department,
    jurisdiction: a.jurisdiction,
    phone: a.phone,
    organization: organizationOf(a),
    totpEnabled: a.totpSecret !== null,
    mustChangePassword: a.mustChangePassword,
    lastSignInAt: a.lastSignInAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
    revokedAt: a.revokedAt?.toISOString() ?? null,
  };
}

/** Art. 22, 24-25: the actor of a session carries the person, recorded in audit, decisions and ledger. */
export function actorOf(a: AccountRow): Actor {
  return {
    keyId: accountKeyId(a.id),
    role: a.role,
    department: a.department ?? undefined,
    jurisdiction: a.jurisdiction ?? undefined,
    name: a.displayName,
    accountId: a.id,
    displayName: a.displayName,
    organization: organizationOf(a),
  };
}

export interface AuthenticatedSession {
  actor: Actor;
  account: AccountRow;
  session: SessionRow;
}

// --- problems (texts in domain/texts.ts) ---------------------------------------------------------

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'Sign-in failed', 'The login name or password is wrong.', {}, { 'WWW-Authenticate': 'Cookie' });
const totpRequiredProblem = (enrolled: boolean) =>
  new ApiError(401, 'totp_required', 'Second factor required', 'Enter the 6-digit code of your authenticator app (TOTP).', { totpEnrolled: enrolled }, { 'WWW-Authenticate': 'Cookie' });
const totpInvalid = (status: 401 | 422) => new ApiError(status, 'totp_invalid', 'Wrong code', 'The authenticator code is wrong or was used already.');
export const accountLocked = (until: Date, now: Date) => {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new ApiError(423, 'account_locked', 'Locked', `Too many failed sign-ins: locked until ${until.toISOString()}.`, { lockedUntil: until.toISOString() }, { 'Retry-After': String(seconds) });
};
const weakPassword = (rule: PasswordRule) =>
  new ApiError(422, 'weak_password', 'Password rejected', {
    length: 'The new password must have at least 12 characters.',
    classes: 'The new password must use three of: lower-case letters, upper-case letters, digits, other characters.',
    reused: 'The new password must not be one of the last 5 passwords.',
  }[rule], { rule });
export const sessionRequired = () => new ApiError(403, 'session_required', 'Session required', 'This endpoint is for a personal account signed in with the session cookie, not an API key.');

export interface AccountServiceOptions {
  /** The clock (tests inject one to expire sessions and locks). */
  now?: () => Date;
}

export function createAccountService(db: Database, options: AccountServiceOptions = {}) {
  const now = options.now ?? (() => new Date());

  /** Creates an account with a one-time initial password; an admin gets a TOTP secret to enrol. */
  async function createAccount(input: { loginName: string; displayName: string; role: Role; department?: string | undefined; jurisdiction?: string | undefined; phone?: string | undefined }, createdBy: string) {
    const initialPassword = generateInitialPassword();
    const totpSecret = totpRequired(input.role) ? newTotpSecret() : null;
    const row = await insertAccount(db, {
      id: randomBytes(6).toString('hex'),
      ...input,
      passwordHash: await hashPassword(initialPassword),
      totpPendingSecret: totpSecret,
      createdBy,
      at: now(),
    });
    if (!row) throw new ApiError(409, 'already_exists', 'Already exists', `The login name ${input.loginName} is taken.`, { loginName: input.loginName }, {}, { kind: 'account' });
    return {
      account: row,
      initialPassword,
      totpEnrolment: totpSecret ? { secret: totpSecret, otpauthUrl: totpUri(totpSecret, row.loginName) } : null,
    };
  }

  /**
   * Sign-in: password, then (admin, or an account with TOTP) the code. Unknown name and wrong
   * password answer alike — same problem, and a dummy hash of the same cost is verified — and both
   * count towards the name's lockout. A missing code is not a failure; a wrong one is.
   */
  async function login(input: { loginName: string; password: string; totp?: string | undefined }) {
    const at = now();
    const account = await findActiveAccountByLogin(db, input.loginName);
    const locked = lockedUntil(await failuresSince(db, input.loginName, account?.lastSignInAt ?? null, at), at);
    if (locked) throw accountLocked(locked, at);
    const passwordOk = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash()));
    if (!account || !passwordOk) {
      await failed(input.loginName, 'password', at);
      throw invalidCredentials();
    }
    let totpStep: number | undefined;
    const secret = account.totpSecret ?? (totpRequired(account.role) ? account.totpPendingSecret : null);
    if (account.totpSecret !== null || totpRequired(account.role)) {
      if (!secret) {
        // An admin without any secret (cannot be created so; an operator's `accounts reset` gives one).
        throw new ApiError(401, 'totp_required', 'Second factor required', 'This admin account has no authenticator enrolled; an operator must reset it (npm run accounts -- reset).', { totpEnrolled: false }, {}, { totpEnrolled: false, reason: 'none' });
      }
      if (input.totp === undefined) throw totpRequiredProblem(account.totpSecret !== null);
      totpStep = verifyTotp(secret, input.totp, at, account.totpLastStep);
      if (totpStep === undefined) {
        await failed(input.loginName, 'totp', at);
        throw totpInvalid(401);
      }
    }
    const rehash = needsRehash(account.passwordHash) ? await hashPassword(input.password) : undefined;
    if (!(await recordSignIn(db, account, at, { totpStep, confirmTotp: account.totpSecret === null && totpStep !== undefined, passwordHash: rehash }))) {
      // The same code was just used by a concurrent sign-in (or the account was revoked meanwhile).
      await failed(input.loginName, 'totp', at);
      throw totpInvalid(401);
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await insertSession(db, { id: sm3Hex(token), accountId: account.id, csrfToken, at });
    const fresh = { ...account, lastSignInAt: at, ...(totpStep !== undefined && account.totpSecret === null ? { totpSecret: secret, totpPendingSecret: null } : {}) };
    return { token, csrfToken, account: fresh };
  }

  /** Records the failure; the one that completes a run of five answers as locked at once. */
  async function failed(loginName: string, reason: 'password' | 'totp', at: Date) {
    await recordLoginFailure(db, loginName, reason, at);
    const account = await findActiveAccountByLogin(db, loginName);
    const locked = lockedUntil(await failuresSince(db, loginName, account?.lastSignInAt ?? null, at), at);
    if (locked) throw accountLocked(locked, at);
  }

  /** The session of a cookie, touched; 401 when unknown, ended, expired or its account revoked. */
  async function authenticate(token: string): Promise<AuthenticatedSession> {
    const at = now();
    const id = sm3Hex(token);
    const found = /^[A-Za-z0-9_-]{43}$/.test(token) ? await findOpenSession(db, id) : undefined;
    if (!found) throw unauthenticated('The session is unknown, ended, or its account was revoked; sign in again.', { session: true });
    const expiry = sessionExpiry(found.session, at);
    if (expiry) {
      await endSession(db, id, expiry, at);
      throw unauthenticated(`The session expired (${expiry === 'idle' ? '30 minutes without a request' : '8 hours after sign-in'}); sign in again.`, { session: true, expiry });
    }
    await touchSession(db, id, at);
    return { actor: actorOf(found.account), account: found.account, session: { ...found.session, lastSeenAt: at } };
  }

  async function logout(session: SessionRow, everywhere: boolean) {
    const at = now();
    if (everywhere) await endAccountSessions(db, session.accountId, 'logout-everywhere', at);
    else await endSession(db, session.id, 'logout', at);
  }

  /** Art. 28 (policy): the rules of domain/accounts.ts; the account's other sessions end. */
  async function changePassword(current: AuthenticatedSession, input: { currentPassword: string; newPassword: string }) {
    const at = now();
    if (!(await verifyPassword(input.currentPassword, current.account.passwordHash))) {
      throw new ApiError(403, 'invalid_credentials', 'Wrong password', 'The current password is wrong.', {}, {}, { current: true });
    }
    const tooWeak = brokenPasswordRule(input.newPassword, false);
    if (tooWeak) throw weakPassword(tooWeak);
    for (const old of await recentPasswordHashes(db, current.account.id)) {
      if (await verifyPassword(input.newPassword, old)) throw weakPassword('reused');
    }
    await setPassword(db, current.account.id, await hashPassword(input.newPassword), at);
    await endAccountSessions(db, current.account.id, 'password-changed', at, current.session.id);
  }

  /** Starts enrolment: a new secret, in force once a code of it is confirmed. */
  async function enrolTotp(current: AuthenticatedSession) {
    const secret = newTotpSecret();
    await setPendingTotp(db, current.account.id, secret);
    return { secret, otpauthUrl: totpUri(secret, current.account.loginName) };
  }

  async function confirmTotp(current: AuthenticatedSession, code: string) {
    const pending = current.account.totpPendingSecret;
    if (!pending) throw new ApiError(409, 'totp_not_enrolling', 'No enrolment', 'Start the enrolment first: POST /v1/auth/totp with {}.');
    const step = verifyTotp(pending, code, now(), null);
    if (step === undefined) throw totpInvalid(422);
    if (!(await confirmPendingTotp(db, current.account.id, pending, step))) throw new ApiError(409, 'totp_not_enrolling', 'No enrolment', 'The enrolment was restarted meanwhile; confirm a code of the newest secret.');
  }

  return { createAccount, login, authenticate, logout, changePassword, enrolTotp, confirmTotp, now };
}

export type AccountService = ReturnType<typeof createAccountService>;
