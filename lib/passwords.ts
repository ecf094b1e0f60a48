/**
 * Password hashing for personal accounts: PBKDF2-HMAC-SM3 (PBKDF2 of RFC 8018 with HMAC over SM3,
 * the national hash of GB/T 32905, as GB/T 39786 asks of government systems; Art. 28 measures: secure
 * and controllable). Node's OpenSSL provides SM3 (`crypto.getHashes()` lists 'sm3'), so no
 * dependency is needed; the work runs on libuv's thread pool (async pbkdf2), not the event loop.
 *
 * Stored as `pbkdf2-sm3$<iterations>$<salt, base64url>$<derived key, base64url>`: algorithm and
 * parameters travel with the hash, so raising PBKDF2_ITERATIONS later re-hashes each password at
 * its owner's next sign-in (`needsRehash`) and old hashes keep verifying.
 *
 * Parameters: a 128-bit random salt per hash (NIST SP 800-132 asks ≥ 128 bits) and a 256-bit
 * derived key (SM3's output size). 300,000 iterations: SM3 has SHA-256's structure (64 rounds over
 * 512-bit blocks), so OWASP's PBKDF2-HMAC-SHA256 figure (600,000) is the guide; OpenSSL's SM3 is
 * about twice as slow per iteration as its SHA-256, so half the count costs the server about as
 * much time (≈ 0.2 s per sign-in on the 2-core CI machine) while an attacker's SM3 hardware, being
 * less common than SHA-256's, gains no advantage. An unknown login name is verified against a dummy
 * hash of the same cost, so timing does not tell which names exist.
 */
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const derive = promisify(pbkdf2);

export const PASSWORD_ALGORITHM = 'pbkdf2-sm3';
export const PBKDF2_ITERATIONS = 300_000;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

const FORMAT = /^pbkdf2-sm3\$(\d{1,9})\$([A-Za-z0-9_-]{16,128})\$([A-Za-z0-9_-]{16,128})$/;

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password.normalize('NFC'), salt, iterations, KEY_BYTES, 'sm3');
  return `${PASSWORD_ALGORITHM}$${iterations}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` matches the stored hash (constant-time compare); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = FORMAT.exec(stored);
  if (!match) return false;
  const iterations = Number(match[1]);
  const salt = Buffer.from(match[2]!, 'base64url');
  const expected = Buffer.from(match[3]!, 'base64url');
  const key = await derive(password.normalize('NFC'), salt, iterations, expected.length, 'sm3');
  return timingSafeEqual(key, expected);
}

/** The stored hash was made with other parameters than today's: re-hash at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const match = FORMAT.exec(stored);
  return !match || Number(match[1]) !== PBKDF2_ITERATIONS;
}

/** A hash no password matches, of today's cost: what an unknown login name is verified against. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword(randomBytes(32).toString('base64url')));

/**
 * A one-time initial password (shown once, changed at first sign-in): 16 characters from an
 * alphabet without look-alikes (no 0/O, 1/l/I), with all four classes, so it passes the rules itself.
 */
export function generateInitialPassword(): string {
  const groups = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '#%+-=@'];
  const all = groups.join('');
  const pick = (alphabet: string) => alphabet[randomBytes(1)[0]! % alphabet.length]!; // bias < 2 %, irrelevant at 16 characters
  const chars = [...groups.map(pick), ...Array.from({ length: 12 }, () => pick(all))];
  // Fisher-Yates with crypto randomness, so the guaranteed classes are not always in front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomBytes(1)[0]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
