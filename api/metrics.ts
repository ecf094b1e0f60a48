/**
 * Prometheus metrics (prom-client): default Node.js process metrics, HTTP request counts and
 * durations labelled by the matched route pattern (never the raw path, which would make one series
 * per project id), and Temporal client calls for the gateway (`observeTemporalCall`).
 *
 * One registry per process: every app created in the process (tests create several) shares it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createRouter } from './router.ts';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, matched route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration in seconds, by method, matched route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

const temporalCalls = new Counter({
  name: 'temporal_client_calls_total',
  help: 'Calls from the API to Temporal, by operation and outcome (ok or error)',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

const temporalDuration = new Histogram({
  name: 'temporal_client_call_duration_seconds',
  help: 'Duration of calls from the API to Temporal in seconds, by operation and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/**
 * docs/MEASURES.md "Working days": 1 while next year's State Council holiday notice is not entered
 * (its days are provisional, law-derived); alert on it from November. Refreshed on every scrape.
 */
const calendarNoticeMissing = new Gauge({
  name: 'bdp_calendar_next_year_notice_missing',
  help: "1 while next year's State Council holiday notice is not entered (working days provisional), else 0",
  registers: [metricsRegistry],
});

/** Runs one Temporal client call and records its count and duration (outcome `ok` or `error`). */
export async function observeTemporalCall<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  const stop = temporalDuration.startTimer({ operation });
  try {
    const result = await fn();
    temporalCalls.inc({ operation, outcome: 'ok' });
    stop({ outcome: 'ok' });
    return result;
  } catch (err) {
    temporalCalls.inc({ operation, outcome: 'error' });
    stop({ outcome: 'error' });
    throw err;
  }
}

/**
 * The route pattern that answered, e.g. `/v1/projects/:id/history`. Middleware patterns end in `*`;
 * when only those matched, no route did (`unmatched`, one series for all unknown paths).
 */
export function routeLabel(c: Context): string {
  const last = matchedRoutes(c).at(-1)?.path;
  return last === undefined || last.endsWith('*') ? 'unmatched' : last;
}

/** Counts and times every request; mount before everything else. */
export function httpMetrics() {
  return createMiddleware(async (c, next) => {
    const stop = httpDuration.startTimer();
    try {
      await next();
    } finally {
      const labels = { method: c.req.method, route: routeLabel(c), status: String(c.res.status) };
      httpRequests.inc(labels);
      stop(labels);
    }
  });
}

/** GET /metrics: the Prometheus text format (no auth; bind-protect it in production). */
export function metricsRoutes(deps: { nextYearNoticeMissing?: () => Promise<boolean> } = {}) {
  const app = createRouter<Env>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      tags: ['operations'],
      summary: 'Prometheus metrics (no auth; restrict by network binding in production)',
      responses: {
        200: {
          description: 'Prometheus text exposition format',
          content: { 'text/plain': { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      // A database that does not answer leaves the last value: /metrics itself never fails on it.
      if (deps.nextYearNoticeMissing)
        await deps.nextYearNoticeMissing().then(
          (missing) => calendarNoticeMissing.set(missing ? 1 : 0),
          () => undefined,
        );
      return c.text(await metricsRegistry.metrics(), 200, { 'Content-Type': metricsRegistry.contentType });
    },
  );
  return app;
}
