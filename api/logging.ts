/**
 * One structured log line per request (pino): request id, method, path, status and duration.
 * Deliberately nothing else: no headers (the Authorization header carries an API key), no query
 * string, no request or response body (documents and opinions are not log material).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { RequestOrigin } from '../db/queries/accounts.ts';
import type { Logger } from '../lib/logger.ts';

export function requestLogger(log: Logger) {
  return createMiddleware(async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      const entry = {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      };
      if (status >= 500) log.error(entry, 'request failed');
      else log.info(entry, 'request');
    }
  });
}

/**
 * Where a request came from, for the accounts' security trail (db/queries/accounts.ts): the peer
 * address of the socket (Node's server; a proxy in front shows as its own address — X-Forwarded-For
 * is not trusted, any client can send it) and the User-Agent, cut to 512 characters. Null when the
 * request did not come over a socket (in-process app.request()).
 */
export function requestOrigin(c: Context): RequestOrigin {
  let ip: string | null = null;
  try {
    ip = getConnInfo(c).remote.address ?? null;
  } catch {
    ip = null;
  }
  return { ip, userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null };
}
