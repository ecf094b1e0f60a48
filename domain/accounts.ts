/**
 * Personal accounts (Art. 22 holds *persons* to account, Art. 24-25 every action
 * traceable): the pure rules of passwords, sign-in lockout and session lifetime. No I/O and no
 * clock of its own: every function takes `now`, so the rules are tested with an injected clock.
 * Hashing (lib/passwords.ts), TOTP (lib/totp.ts) and storage (db/queries/accounts.ts, account-events.ts, sign-in.ts) build on it.
 *
 * These are settings of the system (policy), not of the measures: the text names no password or
 * session rule. Art. 28 (measures) asks for secure, controllable systems; the numbers follow the
 * usual government baseline (GB/T 22239 level 3: complexity, lockout after failures, idle timeout).
 */
import { isAdministrator } from './admin-roles.ts';
import type { Role } from './vocabulary.ts';
import { visibleLength } from './visible.ts';

/** (policy) Session: ends after 30 minutes without a request, and 8 hours after sign-in at the latest. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60_000;

/**
 * (policy) Lockout (GB/T 22239-2019 8.1.4.1 b, 限制非法登录次数), built so that nobody can use it to
 * shut a person out : 5 failed sign-ins in a row *from one client address* lock
 * that address out of the login name for 15 minutes — other addresses are not affected; and
 * NAME_LOCKOUT_FAILURES failures from any addresses lock the login name for 15 minutes for sign-ins
 * *without a second factor* (distributed guessing) — an account with TOTP in force still signs in,
 * from an address that is not itself locked, with its password and a fresh code.
 */
export const LOCKOUT_FAILURES = 5;
export const NAME_LOCKOUT_FAILURES = 20;
export const LOCKOUT_MS = 15 * 60_000;

/** (policy) Passwords: at least 12 characters, three of four character classes, none of the last 5. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MIN_CLASSES = 3;
export const PASSWORD_HISTORY = 5;

export type PasswordRule = 'length' | 'classes' | 'reused';

const CLASSES: RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

/** The number of character classes (lower, upper, digit, other) a password uses. */
export const characterClasses = (password: string) => CLASSES.filter((c) => c.test(password)).length;

/**
 * The first rule a new password breaks, or undefined. `reused` is decided by the caller (it needs
 * the hashes of the last PASSWORD_HISTORY passwords) and passed in. Length counts visible code
 * points: zero-width and other invisible characters do not make a password longer.
 */
export function brokenPasswordRule(password: string, reused: boolean): PasswordRule | undefined {
  if (visibleLength(password) < PASSWORD_MIN_LENGTH) return 'length';
  if (characterClasses(password) < PASSWORD_MIN_CLASSES) return 'classes';
  if (reused) return 'reused';
  return undefined;
}

/**
 * The state of a lockout from failed sign-ins, oldest first: each run of `threshold` failures locks
 * for `lockMs` from the last of them; once a lock has run out the count starts again (failures during
 * a lock are refused unchecked and not recorded). `until`: the end of the current lock (undefined
 * when not locked now); `run`: the failures counted towards the next lock.
 */
export function lockState(
  failures: readonly Date[],
  now: Date,
  threshold = LOCKOUT_FAILURES,
  lockMs = LOCKOUT_MS,
): { until: Date | undefined; run: number } {
  let count = 0;
  let until: Date | undefined;
  for (const at of failures) {
    if (until && at < until) continue; // recorded during a lock: does not count
    if (until && at >= until) until = undefined;
    count += 1;
    if (count >= threshold) {
      until = new Date(at.getTime() + lockMs);
      count = 0;
    }
  }
  return until && now < until ? { until, run: 0 } : { until: undefined, run: count };
}

/**
 * Lockout from the failed sign-ins of one login name since its last successful sign-in, oldest
 * first: each run of LOCKOUT_FAILURES failures locks the name for LOCKOUT_MS from the last of them;
 * once a lock has run out the count starts again. Returns the end of the current lock, or undefined.
 */
export const lockedUntil = (failures: readonly Date[], now: Date): Date | undefined => lockState(failures, now).until;

/** A sign-in attempt as the lockout counts it (db `sign_in_attempts`). */
export interface SignInAttempt {
  source: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: 'failure' | 'success' | 'incomplete' | null;
}

/** An attempt still being checked after this long was abandoned (its process died): it no longer counts. */
export const ATTEMPT_IN_FLIGHT_MS = 60_000;
/** (policy) Failures are counted for a day at most: older ones are forgotten. */
export const FAILURE_MEMORY_MS = 24 * 60 * 60_000;

export type LockScope = 'source' | 'name';

export type SignInDecision =
  | { allowed: true }
  | { allowed: false; reason: 'locked'; scope: LockScope; until: Date }
  | { allowed: false; reason: 'in-progress' };

/** The failures and the attempts still being checked that count now (since the last success, within FAILURE_MEMORY_MS). */
function countedAttempts(attempts: readonly SignInAttempt[], now: Date) {
  const lastSuccess = attempts.findLastIndex((a) => a.outcome === 'success');
  const counted = attempts
    .slice(lastSuccess + 1)
    .filter((a) => now.getTime() - a.startedAt.getTime() < FAILURE_MEMORY_MS);
  return {
    failures: counted.filter((a) => a.outcome === 'failure'),
    open: counted.filter((a) => a.outcome === null && now.getTime() - a.startedAt.getTime() < ATTEMPT_IN_FLIGHT_MS),
  };
}

const failureTimes = (attempts: readonly SignInAttempt[]) => attempts.map((a) => a.finishedAt ?? a.startedAt);

/**
 * Whether another attempt of a login name from `source` may be checked now, given the name's
 * attempts (oldest first) — see LOCKOUT_FAILURES. `secondFactor`: the account has TOTP in force
 * and the attempt brings a code, so the name-wide lock does not apply. An attempt still being
 * checked counts as a possible failure, so parallel attempts never check more passwords than the
 * limits allow .
 */
export function signInDecision(
  attempts: readonly SignInAttempt[],
  now: Date,
  source: string,
  secondFactor: boolean,
): SignInDecision {
  const { failures, open } = countedAttempts(attempts, now);
  const mine = lockState(failureTimes(failures.filter((a) => a.source === source)), now, LOCKOUT_FAILURES);
  if (mine.until) return { allowed: false, reason: 'locked', scope: 'source', until: mine.until };
  if (mine.run + open.filter((a) => a.source === source).length >= LOCKOUT_FAILURES)
    return { allowed: false, reason: 'in-progress' };
  if (secondFactor) return { allowed: true };
  const name = lockState(failureTimes(failures), now, NAME_LOCKOUT_FAILURES);
  if (name.until) return { allowed: false, reason: 'locked', scope: 'name', until: name.until };
  if (name.run + open.length >= NAME_LOCKOUT_FAILURES) return { allowed: false, reason: 'in-progress' };
  return { allowed: true };
}

/**
 * The lock a failure from `source` has just completed, given the name's attempts after it was
 * recorded: the source's (its fifth failure in a row) or the name's (the twentieth), or undefined.
 */
export function lockCompleted(
  attempts: readonly SignInAttempt[],
  now: Date,
  source: string,
): { scope: LockScope; until: Date } | undefined {
  const { failures } = countedAttempts(attempts, now);
  const justNow = (list: SignInAttempt[], threshold: number) => {
    const after = lockState(failureTimes(list), now, threshold).until;
    const before = lockState(failureTimes(list.slice(0, -1)), now, threshold).until;
    return after && !before ? after : undefined;
  };
  const mine = justNow(
    failures.filter((a) => a.source === source),
    LOCKOUT_FAILURES,
  );
  if (mine) return { scope: 'source', until: mine };
  const name = justNow(failures, NAME_LOCKOUT_FAILURES);
  return name ? { scope: 'name', until: name } : undefined;
}

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
}

/** Why a session is no longer valid at `now`, or undefined while it is. */
export function sessionExpiry(session: SessionTimes, now: Date): 'idle' | 'absolute' | undefined {
  if (now.getTime() - session.createdAt.getTime() >= SESSION_ABSOLUTE_MS) return 'absolute';
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle';
  return undefined;
}

/**
 * TOTP is required for the administrators' accounts (policy; GB/T 22239-2019 8.1.4.1 d, two factors
 * for administrators: 系统管理员, 安全管理员, 审计管理员, domain/admin-roles.ts), optional for the others.
 */
export const totpRequired = (role: Role) => isAdministrator(role);

/**
 * The organisation an account acts for (role + department or jurisdiction), as recorded
 * beside the person's name: `department/health`, `finance@zezhou`, `bdb`.
 */
export function organizationOf(account: {
  role: Role;
  department?: string | null | undefined;
  jurisdiction?: string | null | undefined;
}): string {
  if (account.department) return `${account.role}/${account.department}`;
  if (account.jurisdiction) return `${account.role}@${account.jurisdiction}`;
  return account.role;
}

/**
 * The accounts' security trail (Art. 24-25 trace every action to a person, Art. 28 asks for a secure system; GB/T 39786 asks for logs of
 * sign-in and of the management of accounts): the kinds of event recorded, one list for the table,
 * the API schema and the console. Failed sign-ins are `sign-in` with outcome `failure`, mirroring what
 * the lockout counts (db `sign_in_attempts`, signInDecision); an attempt while locked is `refused`
 * and does not count.
 */
export const ACCOUNT_EVENTS = [
  'sign-in',
  'lockout',
  'sign-out',
  'sign-out-everywhere',
  'session-expired',
  'password-change',
  'totp-enrolment',
  'totp-confirmation',
  'account-create',
  'account-revoke',
  'account-reset',
] as const;
export type AccountEventKind = (typeof ACCOUNT_EVENTS)[number];

export const ACCOUNT_EVENT_OUTCOMES = ['success', 'failure', 'refused'] as const;
export type AccountEventOutcome = (typeof ACCOUNT_EVENT_OUTCOMES)[number];
