/**
 * Personal accounts' sign-in, sessions, passwords and TOTP (Art. 22, 24-25: every action
 * names the person). The rules are domain/accounts.ts; hashing lib/passwords.ts; TOTP lib/totp.ts;
 * storage db/queries/accounts.ts and its siblings. This module joins them and speaks in problems
 * (api/account-problems.ts); a session's password change and TOTP enrolment are
 * api/account-credentials.ts.
 *
 * A session token is 256 random bits in the `bdp_session` cookie; the database keeps SM3(token)
 * only, so a leaked table does not hand out sessions. The clock is injected (`now`) so idle and
 * absolute expiry are tested without waiting.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/client.ts';
import {
  findActiveAccountByLogin,
  insertAccount,
  resetAccount,
  revokeAccount,
  type AccountRow,
} from '../db/queries/accounts.ts';
import {
  recordAccountEvent,
  selfEvent,
  type AccountEventInput,
  type EventActor,
  type RequestOrigin,
} from '../db/queries/account-events.ts';
import {
  endAccountSessions,
  endSession,
  finishSignIn,
  findOpenSession,
  recordSignIn,
  reserveSignIn,
  touchSession,
} from '../db/queries/sign-in.ts';
import { needsReseal, openText, sealText, type Keyring } from '../lib/codec.ts';
import { lockCompleted, organizationOf, sessionExpiry, signInDecision, totpRequired } from '../domain/accounts.ts';
import type { Actor, Role } from '../domain/vocabulary.ts';
import { dummyHash, generateInitialPassword, hashPassword, needsRehash, verifyPassword } from '../lib/passwords.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../lib/totp.ts';
import { ApiError, unauthenticated } from './problem.ts';
import { createCredentialOperations, type AuthenticatedSession } from './account-credentials.ts';
import {
  accountLocked,
  invalidCredentials,
  signInInProgress,
  totpInvalid,
  totpRequiredProblem,
} from './account-problems.ts';

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

export interface AccountServiceOptions {
  /**
   * The keyring sealing TOTP secrets at rest (lib/codec.ts sealText, SM4 + HMAC-SM3): the master
   * keyring of the deployment (lib/config.ts documentKeyring: DOCUMENT_KEYS, else PAYLOAD_KEYS).
   */
  keys: Keyring;
  /** The clock (tests inject one to expire sessions and locks). */
  now?: (() => Date) | undefined;
}

/** No request behind the action (the CLI). */
export const NO_ORIGIN: RequestOrigin = { ip: null, userAgent: null };

export function createAccountService(db: Database, options: AccountServiceOptions) {
  const now = options.now ?? (() => new Date());
  const keys = options.keys;
  // Art. 28 (measures): TOTP secrets are sealed at rest, bound to their account's id.
  const seal = (accountId: string, secret: string) => sealText(keys, accountId, secret);
  const open = (accountId: string, stored: string | null) =>
    stored === null ? null : openText(keys, accountId, stored);

  /** Creates an account with a one-time initial password; an admin gets a TOTP secret to enrol. */
  async function createAccount(
    input: {
      loginName: string;
      displayName: string;
      role: Role;
      department?: string | undefined;
      jurisdiction?: string | undefined;
      phone?: string | undefined;
    },
    actor: EventActor,
    origin: RequestOrigin,
  ) {
    const id = randomBytes(6).toString('hex');
    const initialPassword = generateInitialPassword();
    const totpSecret = totpRequired(input.role) ? newTotpSecret() : null;
    const row = await insertAccount(
      db,
      {
        id,
        ...input,
        passwordHash: await hashPassword(initialPassword),
        totpPendingSecret: totpSecret ? seal(id, totpSecret) : null,
        createdBy: actor.keyId,
        at: now(),
      },
      { actor, origin },
    );
    if (!row)
      throw new ApiError(
        409,
        'already_exists',
        'Already exists',
        `The login name ${input.loginName} is taken.`,
        { loginName: input.loginName },
        {},
        { kind: 'account' },
      );
    return {
      account: row,
      initialPassword,
      totpEnrolment: totpSecret ? { secret: totpSecret, otpauthUrl: totpUri(totpSecret, row.loginName) } : null,
    };
  }

  /** Revokes an account (its sessions end in the same transaction, with the `account-revoke` event). */
  const revoke = (id: string, actor: EventActor, origin: RequestOrigin) =>
    revokeAccount(db, id, now(), { actor, origin });

  /**
   * An operator's reset (CLI): a new initial password; for an admin a new TOTP secret to enrol
   * (sealed); every session ended; undefined when no active account has the login name.
   */
  async function reset(loginName: string, actor: EventActor, origin: RequestOrigin) {
    const account = await findActiveAccountByLogin(db, loginName);
    if (!account) return undefined;
    const initialPassword = generateInitialPassword();
    const secret = totpRequired(account.role) ? newTotpSecret() : null;
    await resetAccount(db, account, await hashPassword(initialPassword), secret ? seal(account.id, secret) : null, {
      actor,
      origin,
      at: now(),
    });
    return { initialPassword, otpauthUrl: secret ? totpUri(secret, account.loginName) : null };
  }

  /**
   * Sign-in: password, then (admin, or an account with TOTP) the code. Unknown name and wrong
   * password answer alike — same problem, and a dummy hash of the same cost is verified — and both
   * count towards the name's lockout. A missing code is not a failure; a wrong one is. Every outcome
   * but a missing code is recorded in the trail.
   *
   * The lockout is counted atomically: the attempt is reserved before anything is
   * checked (db/queries/accounts.ts reserveSignIn; domain/accounts.ts signInDecision), an attempt
   * still being checked counting against the limit, and finished with its outcome.
   */
  async function login(
    input: { loginName: string; password: string; totp?: string | undefined },
    origin: RequestOrigin,
  ) {
    const at = now();
    const account = await findActiveAccountByLogin(db, input.loginName);
    const attempt = {
      accountId: account?.id ?? null,
      loginName: input.loginName,
      actor: account ? { keyId: accountKeyId(account.id), name: account.displayName } : null,
      origin,
      at,
    };
    const source = origin.ip ?? 'unknown';
    // The name-wide lock spares an account with TOTP whose attempt brings a code.
    const secondFactor =
      account !== undefined && (account.totpSecret !== null || totpRequired(account.role)) && input.totp !== undefined;
    const reserved = await reserveSignIn(db, input.loginName, source, at, (attempts) => {
      const decision = signInDecision(attempts, at, source, secondFactor);
      return decision.allowed ? undefined : decision;
    });
    if ('refused' in reserved) {
      const refusal = reserved.refused;
      const detail =
        refusal.reason === 'locked'
          ? { reason: 'locked', scope: refusal.scope, lockedUntil: refusal.until.toISOString() }
          : { reason: 'in-progress' };
      await recordAccountEvent(db, { event: 'sign-in', outcome: 'refused', ...attempt, detail });
      throw refusal.reason === 'locked' ? accountLocked(refusal.until, at, refusal.scope) : signInInProgress();
    }
    const failed = (detail: Record<string, unknown>) =>
      recordFailure(attempt, detail, reserved.id, source, secondFactor);
    let outcome: 'failure' | 'success' | 'incomplete' = 'incomplete';
    try {
      const passwordOk = await verifyPassword(input.password, account?.passwordHash ?? (await dummyHash()));
      if (!account || !passwordOk) {
        outcome = 'failure';
        await failed({ reason: 'password', knownAccount: account !== undefined });
        throw invalidCredentials();
      }
      let totpStep: number | undefined;
      const inForce = open(account.id, account.totpSecret);
      const secret = inForce ?? (totpRequired(account.role) ? open(account.id, account.totpPendingSecret) : null);
      if (inForce !== null || totpRequired(account.role)) {
        if (!secret) {
          // An admin without any secret (cannot be created so; an operator's `accounts reset` gives one).
          throw new ApiError(
            401,
            'totp_required',
            'Second factor required',
            'This admin account has no authenticator enrolled; an operator must reset it (npm run accounts -- reset).',
            { totpEnrolled: false },
            {},
            { totpEnrolled: false, reason: 'none' },
          );
        }
        if (input.totp === undefined) throw totpRequiredProblem(inForce !== null);
        totpStep = verifyTotp(secret, input.totp, at, account.totpLastStep);
        if (totpStep === undefined) {
          outcome = 'failure';
          await failed({ reason: 'totp' });
          throw totpInvalid(401);
        }
      }
      const confirming = inForce === null && totpStep !== undefined;
      // A secret confirmed now, or one still in plaintext (written before sealing) or sealed with an
      // older key, is sealed with the current key at this successful use.
      const sealedSecret =
        secret !== null && (confirming || needsReseal(keys, account.totpSecret!))
          ? seal(account.id, secret)
          : undefined;
      const rehash = needsRehash(account.passwordHash) ? await hashPassword(input.password) : undefined;
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const signedIn = await recordSignIn(
        db,
        account,
        at,
        { totpStep, confirmTotp: confirming, totpSecret: sealedSecret, passwordHash: rehash },
        { id: sm3Hex(token), csrfToken },
        origin,
      );
      if (!signedIn) {
        // The same code was just used by a concurrent sign-in (or the account was revoked meanwhile).
        outcome = 'failure';
        await failed({ reason: 'totp', replayed: true });
        throw totpInvalid(401);
      }
      outcome = 'success';
      await finishSignIn(db, reserved.id, input.loginName, 'success', at);
      const fresh = {
        ...account,
        lastSignInAt: at,
        ...(sealedSecret ? { totpSecret: sealedSecret } : {}),
        ...(confirming ? { totpPendingSecret: null } : {}),
      };
      return { token, csrfToken, account: fresh };
    } finally {
      // Every other way out (a missing code, an error): the reservation ends without counting.
      if (outcome === 'incomplete')
        await finishSignIn(db, reserved.id, input.loginName, 'incomplete', at).catch(() => undefined);
    }
  }

  /**
   * Records the failure (its reservation and the trail). The one that completes a lock — the
   * source's fifth in a row, or the name's twentieth — is followed by a `lockout` event and answers
   * as locked at once (a name-wide lock not for an attempt that brought a second factor).
   */
  async function recordFailure(
    attempt: Omit<AccountEventInput, 'event' | 'outcome' | 'detail'>,
    detail: Record<string, unknown>,
    reservation: number,
    source: string,
    secondFactor: boolean,
  ) {
    const attempts = await finishSignIn(db, reservation, attempt.loginName, 'failure', attempt.at);
    await recordAccountEvent(db, { event: 'sign-in', outcome: 'failure', ...attempt, detail: { ...detail, source } });
    const lock = lockCompleted(attempts, attempt.at, source);
    if (lock) {
      await recordAccountEvent(db, {
        event: 'lockout',
        outcome: 'success',
        ...attempt,
        detail: { scope: lock.scope, source, lockedUntil: lock.until.toISOString() },
      });
      if (lock.scope === 'source' || !secondFactor) throw accountLocked(lock.until, attempt.at, lock.scope);
    }
  }

  /** The session of a cookie, touched; 401 when unknown, ended, expired (recorded) or its account revoked. */
  async function authenticate(token: string, origin: RequestOrigin): Promise<AuthenticatedSession> {
    const at = now();
    const id = sm3Hex(token);
    const found = /^[A-Za-z0-9_-]{43}$/.test(token) ? await findOpenSession(db, id) : undefined;
    if (!found)
      throw unauthenticated('The session is unknown, ended, or its account was revoked; sign in again.', {
        session: true,
      });
    const expiry = sessionExpiry(found.session, at);
    if (expiry) {
      await endSession(db, id, expiry, {
        event: 'session-expired',
        outcome: 'success',
        ...selfEvent(found.account, origin, at),
        detail: { reason: expiry },
      });
      throw unauthenticated(
        `The session expired (${expiry === 'idle' ? '30 minutes without a request' : '8 hours after sign-in'}); sign in again.`,
        { session: true, expiry },
      );
    }
    await touchSession(db, id, at);
    return { actor: actorOf(found.account), account: found.account, session: { ...found.session, lastSeenAt: at } };
  }

  async function logout(current: AuthenticatedSession, everywhere: boolean, origin: RequestOrigin) {
    const at = now();
    if (everywhere)
      await endAccountSessions(db, current.account.id, 'logout-everywhere', {
        event: 'sign-out-everywhere',
        outcome: 'success',
        ...selfEvent(current.account, origin, at),
      });
    else
      await endSession(db, current.session.id, 'logout', {
        event: 'sign-out',
        outcome: 'success',
        ...selfEvent(current.account, origin, at),
      });
  }
  const { changePassword, enrolTotp, confirmTotp } = createCredentialOperations(db, { now, seal, open });

  return { createAccount, revoke, reset, login, authenticate, logout, changePassword, enrolTotp, confirmTotp, now };
}

export type AccountService = ReturnType<typeof createAccountService>;
