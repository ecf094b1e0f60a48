/**
 * The problems of sign-in, sessions, passwords and TOTP (api/sessions.ts,
 * api/account-credentials.ts); their Chinese texts are in domain/labels/problems.ts.
 */
import type { LockScope, PasswordRule } from '../domain/accounts.ts';
import { ApiError } from './problem.ts';

export const invalidCredentials = () =>
  new ApiError(
    401,
    'invalid_credentials',
    'Sign-in failed',
    'The login name or password is wrong.',
    {},
    { 'WWW-Authenticate': 'Cookie' },
  );
export const totpRequiredProblem = (enrolled: boolean) =>
  new ApiError(
    401,
    'totp_required',
    'Second factor required',
    'Enter the 6-digit code of your authenticator app (TOTP).',
    { totpEnrolled: enrolled },
    { 'WWW-Authenticate': 'Cookie' },
  );
export const totpInvalid = (status: 401 | 422) =>
  new ApiError(status, 'totp_invalid', 'Wrong code', 'The authenticator code is wrong or was used already.');
export const accountLocked = (until: Date, now: Date, scope: LockScope = 'source') => {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const detail =
    scope === 'source'
      ? `Too many failed sign-ins from this address: it is locked out of this login name until ${until.toISOString()}; other addresses are not affected.`
      : `Too many failed sign-ins for this login name: sign-in without a second factor is locked until ${until.toISOString()}; an account with TOTP signs in with its code.`;
  return new ApiError(
    423,
    'account_locked',
    'Locked',
    detail,
    { lockedUntil: until.toISOString(), scope },
    { 'Retry-After': String(seconds) },
  );
};
/** Other attempts of the name are being checked and could reach the limit: try again in a moment. */
export const signInInProgress = () =>
  new ApiError(
    429,
    'sign_in_in_progress',
    'Sign-in in progress',
    'Other sign-in attempts of this login name are being checked; try again in a moment.',
    {},
    { 'Retry-After': '1' },
  );
export const weakPassword = (rule: PasswordRule) =>
  new ApiError(
    422,
    'weak_password',
    'Password rejected',
    {
      length: 'The new password must have at least 12 characters.',
      classes: 'The new password must use three of: lower-case letters, upper-case letters, digits, other characters.',
      reused: 'The new password must not be one of the last 5 passwords.',
    }[rule],
    { rule },
  );
export const sessionRequired = () =>
  new ApiError(
    403,
    'session_required',
    'Session required',
    'This endpoint is for a personal account signed in with the session cookie, not an API key.',
  );

export const passwordChangeLocked = () =>
  new ApiError(
    423,
    'password_change_locked',
    'Too many wrong passwords',
    'Five wrong current passwords in a row: this session has ended; sign in again.',
    {},
    { 'WWW-Authenticate': 'Cookie' },
  );
