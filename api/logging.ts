/**
 * One structured log line per request (pino): request id, method, path, status and duration.
 * Deliberately nothing else: no headers (the Authorization header carries an API key), no query
 * string, no request or response body (documents and opinions are not log material).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { RequestOrigin } from '../db/queries/account-events.ts';
import type { Logger } from '../lib/logger.ts';
import { clientAddressOfRequest } from './client-address.ts';

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
 * Where a request came from, for the accounts' security trail (db/queries/accounts.ts): the client
 * address (api/client-address.ts: the socket's peer, or what a trusted proxy forwarded) and the
 * User-Agent, cut to 512 characters. Null when the request did not come over a socket (in-process
 * app.request()).
 */
export function requestOrigin(c: Context): RequestOrigin {
  return { ip: clientAddressOfRequest(c), userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null };
}
