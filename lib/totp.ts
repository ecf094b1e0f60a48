/**
 * TOTP second factor (RFC 6238) for personal accounts — required for admin, optional for the other
 * roles — with `otpauth`, a maintained implementation of RFC 4226/6238 (see
 * docs/DEPENDENCIES.md). The parameters are what every authenticator app understands: HMAC-SHA1, 6 digits,
 * 30-second steps (the RFC's defaults; SM3 is not offered by the apps). One step either side is
 * accepted for clock drift, and each accepted step is remembered so a code is never accepted twice
 * (RFC 6238 §5.2).
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_ISSUER = 'Jincheng BDP';
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
const WINDOW = 1;

const totp = (secret: string, label = '') =>
  new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), base32 as authenticator apps expect. */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

/** The `otpauth://totp/...` URI an authenticator app reads (often from a QR code). */
export const totpUri = (secret: string, loginName: string) => totp(secret, loginName).toString();

/** The code for `at` (tests, and the CLI's self-check). */
export const totpCode = (secret: string, at: Date) => totp(secret).generate({ timestamp: at.getTime() });

/**
 * The time step of a valid code at `now`, or undefined. A step at or before `lastStep` (the last
 * code accepted for this secret) is refused: a code cannot be replayed.
 */
export function verifyTotp(secret: string, code: string, now: Date, lastStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return undefined;
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}
