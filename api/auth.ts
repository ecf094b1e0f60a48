/**
 * API keys and the bearer middleware (docs/API.md "Auth"; Art. 24-25: every action is traceable
 * to a key, role and department).
 *
 * A key reads `bdp_<id>_<secret>`. Only SM3(secret) is stored (SM3: the national standard hash,
 * GB/T 32905, Art. 28). The secret is 256 random bits, so a fast hash without salt is enough; the
 * stored and presented digests are compared in constant time. ADMIN_API_KEY, when set, is the
 * start-up key from start-up on without a database row: role `admin`, every administrator duty,
 * the installation and break-glass credential (domain/admin-roles.ts STARTUP_ROLE, docs/ACCOUNTS.md).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { Database } from '../db/client.ts';
import { findActiveKey } from '../db/queries/keys.ts';
import { projectDepartment } from '../db/queries/projects.ts';
import type { Actor, Role } from '../domain/vocabulary.ts';
import { ADMIN_DUTIES, readOnlyRole, STARTUP_ROLE, type AdminDuty } from '../domain/admin-roles.ts';
import { financeJurisdictionRefusal } from '../domain/finance-jurisdiction.ts';
import { ApiError, forbidden, notFound, unauthenticated } from './problem.ts';
import { CSRF_HEADER, SESSION_COOKIE, type AccountService } from './sessions.ts';
import type { AuthenticatedSession } from './account-credentials.ts';
import { requestOrigin } from './logging.ts';
import { sm3 } from '../lib/api-keys.ts';

export type AuthEnv = { Variables: { actor: Actor; session: AuthenticatedSession | undefined } };

export const ENV_ADMIN_KEY_ID = 'env-admin';

const KEY_PATTERN = /^bdp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface KeyStore {
  /** The actor a presented key stands for, or undefined. */
  authenticate(presented: string): Promise<Actor | undefined>;
  /**
   * A browser session for an already authenticated actor: `<key id>.<expiry>.<HMAC-SM3>`, keyed by
   * the stored digest of the key's secret. It names the key, so revoking the key ends the session.
   */
  issueSession(actor: Actor, ttlMs: number): Promise<{ token: string; expiresAt: Date }>;
  /** The actor of a valid, unexpired session of a key that is still active, or undefined. */
  authenticateSession(token: string): Promise<Actor | undefined>;
}

const SESSION_PATTERN = /^([0-9a-f]{12}|env-admin)\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;
const sessionMac = (digest: Buffer, keyId: string, expires: number) =>
  createHmac('sm3', digest).update(`codec-session:${keyId}.${expires}`).digest();

export function createKeyStore(db: Database, adminApiKey: string | undefined): KeyStore {
  const adminDigest = adminApiKey ? sm3(adminApiKey) : undefined;
  const ENV_ADMIN: Actor = {
    keyId: ENV_ADMIN_KEY_ID,
    role: STARTUP_ROLE,
    name: '管理员密钥（启动配置）',
    jurisdiction: 'city',
  }; // what a person reads on the trails; the code is its keyId
  /** An active key's actor and stored digest, by id. */
  const activeKey = async (id: string): Promise<{ actor: Actor; digest: Buffer } | undefined> => {
    if (id === ENV_ADMIN_KEY_ID) return adminDigest ? { actor: ENV_ADMIN, digest: adminDigest } : undefined;
    const row = await findActiveKey(db, id);
    if (!row) return undefined;
    return {
      actor: {
        keyId: row.id,
        role: row.role,
        department: row.department ?? undefined,
        name: row.name,
        jurisdiction: row.jurisdiction,
      },
      digest: Buffer.from(row.secretHash, 'hex'),
    };
  };
  return {
    async issueSession(actor, ttlMs) {
      const key = await activeKey(actor.keyId);
      if (!key) throw unauthenticated('The API key is unknown or revoked.');
      const expires = Math.floor((Date.now() + ttlMs) / 1000);
      const token = `${actor.keyId}.${expires}.${sessionMac(key.digest, actor.keyId, expires).toString('base64url')}`;
      return { token, expiresAt: new Date(expires * 1000) };
    },
    async authenticateSession(token) {
      const match = SESSION_PATTERN.exec(token);
      if (!match) return undefined;
      const [, id, expiresText, mac] = match as unknown as [string, string, string, string];
      const expires = Number(expiresText);
      if (expires * 1000 <= Date.now()) return undefined;
      const key = await activeKey(id);
      if (!key) return undefined;
      const presented = Buffer.from(mac, 'base64url');
      const expected = sessionMac(key.digest, id, expires);
      return presented.length === expected.length && timingSafeEqual(presented, expected) ? key.actor : undefined;
    },
    async authenticate(presented) {
      if (adminDigest && timingSafeEqual(sm3(presented), adminDigest)) return ENV_ADMIN;
      const match = KEY_PATTERN.exec(presented);
      if (!match) return undefined;
      const [, id, secret] = match as unknown as [string, string, string];
      const key = await activeKey(id);
      if (!key) return undefined;
      return timingSafeEqual(sm3(secret), key.digest) ? key.actor : undefined;
    },
  };
}

/** The cookie of a codec session (the Temporal UI sends it with "include credentials"). */
export const CODEC_SESSION_COOKIE = 'bdp_codec_session';

/**
 * Requires a valid bearer key — or, with `sessionCookie`, a valid session in that cookie when no
 * Authorization header is sent — and puts its actor on the context.
 */
export function bearerAuth(keys: KeyStore, sessionCookie?: string) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    const session = sessionCookie && !header ? getCookie(c, sessionCookie) : undefined;
    if (session !== undefined) {
      const actor = await keys.authenticateSession(session);
      if (!actor) throw unauthenticated('The session is invalid, expired, or its key was revoked.');
      c.set('actor', actor);
      return next();
    }
    const match = header ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
    if (!match) throw unauthenticated();
    const actor = await keys.authenticate(match[1]!);
    if (!actor) throw unauthenticated('The API key is unknown or revoked.');
    c.set('actor', actor);
    await next();
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The paths a session may call while its password must be changed. */
export const AUTH_PREFIX = '/v1/auth/';

/**
 * The authentication of /v1: `Authorization: Bearer <key>` as before (systems), or else
 * a personal account's `bdp_session` cookie. A cookie request that writes (any method but GET, HEAD,
 * OPTIONS) must send `X-CSRF-Token` equal to its session's token (403 `csrf_failed`): a page of
 * another site can make the browser send the cookie, not read the token. While the password must be
 * changed, a session may call /v1/auth/* only (403 `password_change_required`).
 */
export function keyOrSessionAuth(keys: KeyStore, accounts: AccountService) {
  const bearer = bearerAuth(keys);
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = c.req.header('authorization') ? undefined : getCookie(c, SESSION_COOKIE);
    if (token === undefined) return bearer(c, next);
    const current = await accounts.authenticate(token, requestOrigin(c));
    if (!SAFE_METHODS.has(c.req.method)) {
      const presented = c.req.header(CSRF_HEADER) ?? '';
      const expected = Buffer.from(current.session.csrfToken);
      const given = Buffer.from(presented);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new ApiError(
          403,
          'csrf_failed',
          'CSRF check failed',
          `A write made with the session cookie needs the header ${CSRF_HEADER} with the session's token (GET /v1/auth/me).`,
        );
      }
    }
    if (current.account.mustChangePassword && !c.req.path.startsWith(AUTH_PREFIX)) {
      throw new ApiError(
        403,
        'password_change_required',
        'Password change required',
        'Change the initial password first: POST /v1/auth/password.',
      );
    }
    c.set('actor', current.actor);
    c.set('session', current);
    await next();
  });
}

/** An administrator duty's guard (三员分立, domain/admin-roles.ts ADMIN_DUTIES; policy). */
export const requireDuty = (duty: AdminDuty) => requireRole(...ADMIN_DUTIES[duty]);

/**
 * 三员分立 (policy, GB/T 22239-2019 8.1.10.2): the audit administrator changes nothing — every write
 * (any method but GET, HEAD, OPTIONS) is refused with 403 `read_only_role`, except the person's own
 * sign-in, password and authenticator under /v1/auth/*. A guard in front of every route, so a route
 * added later cannot forget it.
 */
export function readOnlyRoles() {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (actor && readOnlyRole(actor.role) && !SAFE_METHODS.has(c.req.method) && !c.req.path.startsWith(AUTH_PREFIX)) {
      throw new ApiError(
        403,
        'read_only_role',
        'Forbidden',
        `The role ${actor.role} reads the trails and changes nothing.`,
        {},
        {},
        { role: actor.role },
      );
    }
    await next();
  });
}

/** Role guard for a route (docs/MEASURES.md "Actors"). */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (!roles.includes(actor.role)) {
      throw forbidden(
        `This action needs the role ${roles.join(' or ')}; the ${actor.accountId ? 'account' : 'key'} has the role ${actor.role}.`,
      );
    }
    await next();
  });
}

/**
 * The read-model row of a project the actor may read (departments: their own department's only,
 * docs/MEASURES.md "Actors"); 404 when there is none, 403 for another department's.
 */
export async function projectOf(db: Database, id: string, actor: Actor) {
  const row = await projectDepartment(db, id);
  if (!row) throw notFound(`No project ${id}.`);
  if (actor.role === 'department' && row.department !== actor.department) {
    throw forbidden(`Project ${id} belongs to another department.`);
  }
  return row;
}

/**
 * Art. 12 (measures): a county's finance acts on and reads its own county's projects
 * only (domain/finance-jurisdiction.ts financeJurisdictionRefusal); 403 `other_jurisdiction_finance` otherwise.
 * Other roles pass.
 */
export function requireFinanceJurisdiction(actor: Actor, projectJurisdiction: string): void {
  if (actor.role !== 'finance') return;
  const refusal = financeJurisdictionRefusal(actor.jurisdiction, projectJurisdiction);
  if (refusal) throw new ApiError(refusal.status, refusal.code, 'Forbidden', refusal.message, refusal.details);
}

/** The jurisdiction a county's finance is confined to (Art. 12), or undefined for everyone else. */
export const financeScopeOf = (actor: Actor): string | undefined =>
  actor.role === 'finance' && (actor.jurisdiction ?? 'city') !== 'city' ? actor.jurisdiction : undefined;

/** The administrators' trail's actor of a request (db/queries/admin-trail.ts): key or person, role, client address. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function trailActor(c: Context<any>) {
  const actor = c.get('actor') as Actor;
  return { keyId: actor.keyId, name: actor.displayName ?? actor.name, role: actor.role, ip: requestOrigin(c).ip };
}
