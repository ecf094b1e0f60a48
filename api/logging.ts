/**
 * One structured log line per request (pino): request id, method, path, status and duration.
 * Deliberately nothing else: no headers (the Authorization header carries an API key), no query
 * string, no request or response body (documents and opinions are not log material).
 */
import { createMiddleware } from 'hono/factory';
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
