/**
 * API keys and the bearer middleware (shared/API.md "Auth"; Art. 24-25: every action is traceable
 * to a key, role and department).
 *
 * A key reads `bdp_<id>_<secret>`. Only SM3(secret) is stored (SM3: the national standard hash,
 * GB/T 32905, Art. 28). The secret is 256 random bits, so a fast hash without salt is enough; the
 * stored and presented digests are compared in constant time. ADMIN_API_KEY, when set, is an admin
 * key from start-up on without a database row.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { Database } from '../db/client.ts';
import { apiKeys } from '../db/schema.ts';
import type { Actor, Role } from '../workflows/core/types.ts';
import { forbidden, unauthenticated } from './problem.ts';

export type AuthEnv = { Variables: { actor: Actor } };

export const ENV_ADMIN_KEY_ID = 'env-admin';

const sm3 = (text: string) => createHash('sm3').update(text, 'utf8').digest();

export function generateKey(): { id: string; secret: string; key: string; secretHash: string } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `bdp_${id}_${secret}`, secretHash: sm3(secret).toString('hex') };
}

const KEY_PATTERN = /^bdp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface KeyStore {
  /** The actor a presented key stands for, or undefined. */
  authenticate(presented: string): Promise<Actor | undefined>;
}

export function createKeyStore(db: Database, adminApiKey: string | undefined): KeyStore {
  const adminDigest = adminApiKey ? sm3(adminApiKey) : undefined;
  return {
    async authenticate(presented) {
      if (adminDigest && timingSafeEqual(sm3(presented), adminDigest)) {
        return { keyId: ENV_ADMIN_KEY_ID, role: 'admin', name: 'ADMIN_API_KEY' };
      }
      const match = KEY_PATTERN.exec(presented);
      if (!match) return undefined;
      const [, id, secret] = match as unknown as [string, string, string];
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .limit(1);
      if (!row) return undefined;
      if (!timingSafeEqual(sm3(secret), Buffer.from(row.secretHash, 'hex'))) return undefined;
      return { keyId: row.id, role: row.role, department: row.department ?? undefined, name: row.name };
    },
  };
}

/** Requires a valid bearer key and puts its actor on the context. */
export function bearerAuth(keys: KeyStore) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
    if (!match) throw unauthenticated();
    const actor = await keys.authenticate(match[1]!);
    if (!actor) throw unauthenticated('The API key is unknown or revoked.');
    c.set('actor', actor);
    await next();
  });
}

/** Role guard for a route (shared/DOMAIN.md "Actors"). */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (!roles.includes(actor.role)) {
      throw forbidden(`This action needs the role ${roles.join(' or ')}; the key has the role ${actor.role}.`);
    }
    await next();
  });
}
