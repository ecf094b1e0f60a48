/**
 * Abuse limits (hono-rate-limiter, fixed one-minute windows), counted in the database
 * (db/queries/rate-limits.ts) so every API process on it enforces one limit :
 *
 * - writes: each API key or personal account may send at most `perMinute` POST/PUT/DELETE requests
 *   per minute; requests without a key are not counted here (the only one is sign-in). Reads are
 *   not limited: bureaus' dashboards poll them.
 * - sign-in: per client address (api/client-address.ts), every POST /v1/auth/login counted before
 *   its body is read — malformed bodies exhaust only their sender's address, never a shared bucket
 *   or another person's sign-in (MLPS level 3, GB/T 22239-2019 8.1.4.1 b: limit
 *   illegal sign-in attempts). Failures per login name are the lockout's (api/sessions.ts).
 * - uploads: per API key, on top of the write limit (api/routes/documents.ts).
 *
 * Over a limit → 429 problem+json with Retry-After; the request is not run.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter, type Store } from 'hono-rate-limiter';
import type { Database } from '../db/client.ts';
import { countHit, resetBucket, sweepCounters, uncountHit } from '../db/queries/rate-limits.ts';
import { clientAddressOfRequest } from './client-address.ts';
import { ApiError } from './problem.ts';

const WINDOW_MS = 60_000;
/** Counters of windows older than this are removed (at most once a minute per process). */
const KEEP_MS = 10 * WINDOW_MS;

export type Clock = () => Date;

/** A hono-rate-limiter store on the `rate_counters` table: `prefix` + the limiter's key is the bucket. */
export function databaseStore(db: Database, prefix: string, now: Clock = () => new Date()): Store {
  const windowOf = () => new Date(Math.floor(now().getTime() / WINDOW_MS) * WINDOW_MS);
  let lastSweep = 0;
  const sweep = () => {
    const at = now().getTime();
    if (at - lastSweep < WINDOW_MS) return;
    lastSweep = at;
    // Housekeeping only: a failed sweep is tried again a minute later.
    sweepCounters(db, new Date(at - KEEP_MS)).catch(() => undefined);
  };
  return {
    prefix,
    localKeys: false,
    async increment(key) {
      const windowStart = windowOf();
      const totalHits = await countHit(db, prefix + key, windowStart);
      sweep();
      return { totalHits, resetTime: new Date(windowStart.getTime() + WINDOW_MS) };
    },
    decrement: (key) => uncountHit(db, prefix + key, windowOf()),
    resetKey: (key) => resetBucket(db, prefix + key),
  };
}

const isRead = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
const actorKeyId = (c: Context) => (c.get('actor' as never) as { keyId?: string } | undefined)?.keyId;

/** The write limit (RATE_LIMIT_WRITES_PER_MINUTE): per API key or personal account, after authentication. */
export function writeRateLimit(db: Database, perMinute: number, now?: Clock): MiddlewareHandler {
  return limit({
    db,
    now,
    bucket: 'write:',
    perMinute,
    // Runs after authentication: the key id (never the key) or `account:<id>`. No actor: sign-in,
    // limited per address by signInRateLimit instead of one bucket shared by every anonymous request.
    key: (c) => actorKeyId(c),
    skip: (c) => isRead(c.req.method),
    problem: (seconds) => [
      'rate_limited',
      `At most ${perMinute} write requests per minute per API key; retry in ${seconds} s.`,
      {},
    ],
  });
}

/** The sign-in limit (SIGN_IN_ATTEMPTS_PER_MINUTE): per client address, before the body is read. */
export function signInRateLimit(db: Database, perMinute: number, now?: Clock): MiddlewareHandler {
  return limit({
    db,
    now,
    bucket: 'sign-in:',
    perMinute,
    // No address (an in-process request without a socket): nothing to tell callers apart by.
    key: (c) => clientAddressOfRequest(c) ?? undefined,
    problem: (seconds) => [
      'sign_in_rate_limited',
      `At most ${perMinute} sign-in attempts per minute from one address; retry in ${seconds} s.`,
      {},
    ],
  });
}

/**
 * (policy) Uploads to the document store per minute per API key (DOCUMENT_UPLOADS_PER_MINUTE), on
 * top of the write limit: an upload costs storage and CPU (SM3, SM4) far beyond a command.
 */
export function uploadRateLimit(db: Database, perMinute: number, now?: Clock): MiddlewareHandler {
  return limit({
    db,
    now,
    bucket: 'upload:',
    perMinute,
    key: (c) => actorKeyId(c),
    problem: (seconds) => [
      'upload_rate_limited',
      `At most ${perMinute} document uploads per minute per API key (DOCUMENT_UPLOADS_PER_MINUTE); retry in ${seconds} s.`,
      { Connection: 'close' },
    ],
  });
}

function limit(options: {
  db: Database;
  now: Clock | undefined;
  bucket: string;
  perMinute: number;
  /** The bucket's key for this request; undefined: not counted by this limit. */
  key: (c: Context) => string | undefined;
  skip?: (c: Context) => boolean;
  problem: (seconds: number) => [code: string, detail: string, headers: Record<string, string>];
}): MiddlewareHandler {
  const now = options.now ?? (() => new Date());
  return rateLimiter({
    windowMs: WINDOW_MS,
    limit: options.perMinute,
    standardHeaders: 'draft-7',
    store: databaseStore(options.db, options.bucket, now),
    skip: (c) => options.skip?.(c) === true || options.key(c) === undefined,
    keyGenerator: (c) => options.key(c)!,
    handler: (c) => {
      const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
      const seconds = info?.resetTime
        ? Math.max(1, Math.ceil((info.resetTime.getTime() - now().getTime()) / 1000))
        : WINDOW_MS / 1000;
      const [code, detail, headers] = options.problem(seconds);
      throw new ApiError(
        429,
        code,
        'Too many requests',
        detail,
        { limit: options.perMinute },
        { 'Retry-After': String(seconds), ...headers },
      );
    },
  });
}
