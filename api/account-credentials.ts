/**
 * What a signed-in session does with its own credentials (Art. 28, *policy*): change the password
 * and enrol or replace the TOTP authenticator. The current password is checked under the sign-in
 * lockout's counter, and every refusal is recorded on the security trail.
 */
import type { Database } from '../db/client.ts';
import type { AccountRow, SessionRow } from '../db/queries/accounts.ts';
import { confirmPendingTotp, recentPasswordHashes, setPassword, setPendingTotp } from '../db/queries/accounts.ts';
import { recordAccountEvent, selfEvent, type RequestOrigin } from '../db/queries/account-events.ts';
import { endSession, finishSignIn, reserveSignIn } from '../db/queries/sign-in.ts';
import { brokenPasswordRule, lockCompleted, signInDecision } from '../domain/accounts.ts';
import type { Actor } from '../domain/vocabulary.ts';
import { hashPassword, verifyPassword } from '../lib/passwords.ts';
import { newTotpSecret, totpUri, verifyTotp } from '../lib/totp.ts';
import { passwordChangeLocked, totpInvalid, weakPassword } from './account-problems.ts';
import { ApiError } from './problem.ts';

export interface AuthenticatedSession {
  actor: Actor;
  account: AccountRow;
  session: SessionRow;
}

/** The account service's clock and the sealing of TOTP secrets at rest (api/sessions.ts). */
export interface CredentialDeps {
  now: () => Date;
  seal: (accountId: string, secret: string) => string;
  open: (accountId: string, stored: string | null) => string | null;
}

export function createCredentialOperations(db: Database, { now, seal, open }: CredentialDeps) {
  /**
   * Checks a session holder's current password (a password change, a TOTP re-enrolment), counted
   * atomically per session as sign-in attempts are: the fifth wrong one in a row ends
   * the session — its holder must sign in again, through the sign-in lockout. Answers whether the
   * password was right, after `record` stored the refusal; throws once the session is ended.
   */
  async function checkCurrentPassword(
    current: AuthenticatedSession,
    password: string,
    origin: RequestOrigin,
    at: Date,
    record: (reason: string) => Promise<unknown>,
  ): Promise<boolean> {
    const counter = `session-password:${current.account.id}`;
    const source = current.session.id;
    const reserved = await reserveSignIn(db, counter, source, at, (attempts) => {
      const decision = signInDecision(attempts, at, source, true);
      return decision.allowed ? undefined : decision;
    });
    if ('refused' in reserved) throw await endForPasswordFailures(current, origin, at);
    const ok = await verifyPassword(password, current.account.passwordHash);
    const attempts = await finishSignIn(db, reserved.id, counter, ok ? 'success' : 'failure', at);
    if (ok) return true;
    await record('current-password');
    if (lockCompleted(attempts, at, source)) throw await endForPasswordFailures(current, origin, at);
    return false;
  }

  async function endForPasswordFailures(current: AuthenticatedSession, origin: RequestOrigin, at: Date) {
    await endSession(db, current.session.id, 'password-failures', {
      event: 'sign-out',
      outcome: 'success',
      ...selfEvent(current.account, origin, at),
      detail: { reason: 'password-failures' },
    });
    return passwordChangeLocked();
  }

  /** Art. 28 (policy): the rules of domain/accounts.ts; the account's other sessions end. Refusals are recorded too. */
  async function changePassword(
    current: AuthenticatedSession,
    input: { currentPassword: string; newPassword: string },
    origin: RequestOrigin,
  ) {
    const at = now();
    const refuse = async (problem: ApiError, reason: string) => {
      await recordAccountEvent(db, {
        event: 'password-change',
        outcome: 'failure',
        ...selfEvent(current.account, origin, at),
        detail: { reason },
      });
      return problem;
    };
    const recordWrong = (reason: string) =>
      recordAccountEvent(db, {
        event: 'password-change',
        outcome: 'failure',
        ...selfEvent(current.account, origin, at),
        detail: { reason },
      });
    if (!(await checkCurrentPassword(current, input.currentPassword, origin, at, recordWrong))) {
      throw new ApiError(
        403,
        'invalid_credentials',
        'Wrong password',
        'The current password is wrong.',
        {},
        {},
        { current: true },
      );
    }
    const tooWeak = brokenPasswordRule(input.newPassword, false);
    if (tooWeak) throw await refuse(weakPassword(tooWeak), tooWeak);
    for (const old of await recentPasswordHashes(db, current.account.id)) {
      if (await verifyPassword(input.newPassword, old)) throw await refuse(weakPassword('reused'), 'reused');
    }
    await setPassword(
      db,
      current.account.id,
      await hashPassword(input.newPassword),
      { event: 'password-change', outcome: 'success', ...selfEvent(current.account, origin, at) },
      current.session.id,
    );
  }

  /**
   * Starts enrolment: a new secret (sealed at rest), in force once a code of it is confirmed. Needs
   * the password, and — when an authenticator is in force — a current code of it: a session alone
   * (a browser left open) cannot replace the second factor.
   */
  async function enrolTotp(
    current: AuthenticatedSession,
    input: { password?: string | undefined; currentCode?: string | undefined },
    origin: RequestOrigin,
  ) {
    const at = now();
    const recordWrong = (reason: string) =>
      recordAccountEvent(db, {
        event: 'totp-enrolment',
        outcome: 'failure',
        ...selfEvent(current.account, origin, at),
        detail: { reason },
      });
    if (
      input.password === undefined ||
      !(await checkCurrentPassword(current, input.password, origin, at, recordWrong))
    ) {
      throw new ApiError(
        403,
        'invalid_credentials',
        'Wrong password',
        'Starting an enrolment needs the current password (password).',
        {},
        {},
        { current: true },
      );
    }
    const inForce = open(current.account.id, current.account.totpSecret);
    if (inForce !== null) {
      if (
        input.currentCode === undefined ||
        verifyTotp(inForce, input.currentCode, at, current.account.totpLastStep) === undefined
      ) {
        await recordWrong('current-code');
        throw new ApiError(
          403,
          'totp_invalid',
          'Wrong code',
          'Replacing the authenticator needs a current code of the enrolled one (currentCode).',
        );
      }
    }
    const secret = newTotpSecret();
    await setPendingTotp(db, current.account.id, seal(current.account.id, secret), {
      event: 'totp-enrolment',
      outcome: 'success',
      ...selfEvent(current.account, origin, at),
    });
    return { secret, otpauthUrl: totpUri(secret, current.account.loginName) };
  }

  async function confirmTotp(current: AuthenticatedSession, code: string, origin: RequestOrigin) {
    const at = now();
    const stored = current.account.totpPendingSecret;
    if (!stored)
      throw new ApiError(
        409,
        'totp_not_enrolling',
        'No enrolment',
        'Start the enrolment first: POST /v1/auth/totp with {}.',
      );
    const pending = open(current.account.id, stored)!;
    const step = verifyTotp(pending, code, at, null);
    if (step === undefined) {
      await recordAccountEvent(db, {
        event: 'totp-confirmation',
        outcome: 'failure',
        ...selfEvent(current.account, origin, at),
        detail: { reason: 'code' },
      });
      throw totpInvalid(422);
    }
    const event = {
      event: 'totp-confirmation',
      outcome: 'success',
      ...selfEvent(current.account, origin, at),
    } as const;
    if (!(await confirmPendingTotp(db, current.account.id, stored, seal(current.account.id, pending), step, event))) {
      throw new ApiError(
        409,
        'totp_not_enrolling',
        'No enrolment',
        'The enrolment was restarted meanwhile; confirm a code of the newest secret.',
      );
    }
  }
  return { changePassword, enrolTotp, confirmTotp };
}
