/**
 * Abuse limit on writes: each API key may send at most `perMinute` POST/PUT/DELETE requests per
 * minute (fixed window, in memory — one API process; several API replicas would share a Redis
 * store through the same library). Over the limit → 429 problem+json with Retry-After. Reads are
 * not limited: bureaus' dashboards poll them.
 */
import type { MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { ApiError } from './problem.ts';

const WINDOW_MS = 60_000;

export function writeRateLimit(perMinute: number): MiddlewareHandler {
  const limiter = perKeyLimit(perMinute, (seconds) => `At most ${perMinute} write requests per minute per API key; retry in ${seconds} s.`);
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' ? next() : limiter(c, next));
}

/**
 * (policy) Uploads to the document store per minute per API key (DOCUMENT_UPLOADS_PER_MINUTE), on
 * top of the write limit: an upload costs storage and CPU (SM3, SM4) far beyond a command.
 */
export const uploadRateLimit = (perMinute: number): MiddlewareHandler =>
  perKeyLimit(perMinute, (seconds) => `At most ${perMinute} document uploads per minute per API key (DOCUMENT_UPLOADS_PER_MINUTE); retry in ${seconds} s.`, 'upload_rate_limited', { Connection: 'close' });

function perKeyLimit(perMinute: number, detail: (seconds: number) => string, code = 'rate_limited', headers: Record<string, string> = {}): MiddlewareHandler {
  return rateLimiter({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-7',
    // Runs after bearer auth: the key id, never the key itself.
    keyGenerator: (c) => (c.get('actor' as never) as { keyId?: string } | undefined)?.keyId ?? 'anonymous',
    handler: (c) => {
      const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
      const seconds = info?.resetTime ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : WINDOW_MS / 1000;
      throw new ApiError(429, code, 'Too many requests', detail(seconds), { limit: perMinute }, { 'Retry-After': String(seconds), ...headers });
    },
  });
}
