/**
 * Password hashing (PBKDF2-HMAC-SM3, GB/T 39786 via GB/T 32905's SM3; Art. 28 measures) and the TOTP
 * second factor (RFC 6238) against the RFC's own test vectors.
 */
import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { brokenPasswordRule } from '../../domain/accounts.ts';
import {
  generateInitialPassword,
  hashPassword,
  needsRehash,
  PBKDF2_ITERATIONS,
  verifyPassword,
} from '../../lib/passwords.ts';
import { newTotpSecret, totpCode, totpUri, verifyTotp } from '../../lib/totp.ts';

/** RFC 4648 base32 of the RFC 6238 SHA-1 seed "12345678901234567890". */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('Art. 28: PBKDF2-HMAC-SM3 password hashes', () => {
  it('stores algorithm, iterations and salt with the hash, and verifies only the right password', async () => {
    const hash = await hashPassword('Jincheng-2026-secure');
    expect(hash).toMatch(new RegExp(`^pbkdf2-sm3\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}$`));
    expect(await verifyPassword('Jincheng-2026-secure', hash)).toBe(true);
    expect(await verifyPassword('Jincheng-2026-secur3', hash)).toBe(false);
    expect(await hashPassword('Jincheng-2026-secure')).not.toBe(hash); // a fresh salt each time
    expect(needsRehash(hash)).toBe(false);
  });
  it('is PBKDF2 with HMAC-SM3 (checked against node crypto directly), and old parameters still verify', async () => {
    const hash = await hashPassword('an-Old-password-1', 1000);
    const [, iterations, salt, key] = hash.split('$');
    expect(iterations).toBe('1000');
    expect(
      pbkdf2Sync('an-Old-password-1', Buffer.from(salt!, 'base64url'), 1000, 32, 'sm3').toString('base64url'),
    ).toBe(key);
    expect(await verifyPassword('an-Old-password-1', hash)).toBe(true);
    expect(needsRehash(hash)).toBe(true);
    expect(await verifyPassword('x', 'sha1$garbage')).toBe(false);
  });
  it('initial passwords pass the password rules themselves', () => {
    for (let i = 0; i < 200; i++) expect(brokenPasswordRule(generateInitialPassword(), false)).toBeUndefined();
  });
});

describe('(policy) TOTP, RFC 6238 Appendix B test vectors (SHA-1)', () => {
  // [Unix time, 8-digit TOTP]: a 6-digit code is the same number mod 10^6 (RFC 4226 §5.3).
  const VECTORS: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  it.each(VECTORS)('at T=%i the code is the last six digits of %s', (t, eight) => {
    expect(totpCode(RFC_SECRET, new Date(t * 1000))).toBe(eight.slice(2));
    expect(verifyTotp(RFC_SECRET, eight.slice(2), new Date(t * 1000), null)).toBe(Math.floor(t / 30));
  });
  it('accepts one step of drift either side, not two; never the same step twice', () => {
    const now = new Date(1234567890 * 1000);
    const code = totpCode(RFC_SECRET, now);
    expect(verifyTotp(RFC_SECRET, code, new Date(now.getTime() + 30_000), null)).toBe(Math.floor(1234567890 / 30));
    expect(verifyTotp(RFC_SECRET, code, new Date(now.getTime() + 61_000), null)).toBeUndefined();
    const step = verifyTotp(RFC_SECRET, code, now, null)!;
    expect(verifyTotp(RFC_SECRET, code, now, step)).toBeUndefined();
    expect(verifyTotp(RFC_SECRET, 'abcdef', now, null)).toBeUndefined();
  });
  it('new secrets are 160 bits; the URI is what authenticator apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'wang.admin'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Jincheng BDP');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
