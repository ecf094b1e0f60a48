/**
 * API keys (Art. 28: SM3 digests, national cryptography): `bdp_<id>_<secret>`, of which only the SM3
 * digest of the secret is stored. Issued by the API (POST /v1/admin/keys) and by `npm run keys`.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The SM3 digest of a text (a key's secret, the ADMIN_API_KEY). */
export const sm3 = (text: string) => createHash('sm3').update(text, 'utf8').digest();

/** A new key: its id, its secret, the key as presented and the digest stored of it. */
export function generateKey(): { id: string; secret: string; key: string; secretHash: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `bdp_${id}_${secret}`, secretHash: sm3(secret).toString('hex') };
}
