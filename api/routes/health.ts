/**
 * Liveness and readiness (docs/API.md "Operations"). /readyz is 200 only when the database and Temporal answer
 * and at least one worker polls the project task queue; it answers within a second whatever is down
 * (every check runs at once, each with its own deadline), so a load balancer's probe never hangs.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { createRouter, json } from '../router.ts';

export interface HealthDeps {
  /** Each answers true when its dependency does; a check that throws or is late counts as false. */
  checks: Record<string, () => Promise<boolean>>;
  /** Worker processes polling the task queue right now; ready needs at least one. */
  workers?: () => Promise<number>;
  /** How long each check may take (default 800 ms: the answer comes within a second). */
  deadlineMs?: number;
}

const status = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z
      .record(z.string(), z.boolean())
      .optional()
      .describe(
        'Per dependency: `database`, `temporal`, `workers` (at least one worker polls); false when it failed or did not answer within 0.8 s.',
      ),
    workers: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe(
        'Worker processes polling the project task queue now: listed by Temporal as pollers and alive by their own heartbeat (renewed every 2 s, ' +
          'stale after 6 s), so a worker that died is no longer counted after a few seconds. null when it could not be counted in time.',
      ),
  })
  .openapi('Health');

/** The check's answer, or undefined when it failed or took longer than `ms`. */
async function within<T>(ms: number, check: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([check().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes({ checks, workers, deadlineMs = 800 }: HealthDeps) {
  const app = createRouter<Env>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['operations'],
      summary: 'Liveness: the API process is running',
      responses: { 200: { description: 'alive', content: json(status) } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['operations'],
      summary: 'Readiness: the database and Temporal answer and a worker polls',
      description:
        'Answers within a second: the checks run at once, each given 0.8 s. 200 when every check passes; 503 with ' +
        '`Retry-After` otherwise. `workers` says how many worker processes poll the task queue now.',
      responses: {
        200: { description: 'ready', content: json(status) },
        503: { description: 'a dependency does not answer in time, or no worker polls', content: json(status) },
      },
    }),
    async (c) => {
      const [entries, count] = await Promise.all([
        Promise.all(
          Object.entries(checks).map(
            async ([name, check]) => [name, (await within(deadlineMs, check)) === true] as const,
          ),
        ),
        workers ? within(deadlineMs, workers) : Promise.resolve(undefined),
      ]);
      const results: Record<string, boolean> = Object.fromEntries(entries);
      if (workers) results.workers = (count ?? 0) > 0;
      const ready = Object.values(results).every(Boolean);
      const body = { checks: results, ...(workers ? { workers: count ?? null } : {}) };
      if (!ready) c.header('Retry-After', '5');
      return ready
        ? c.json({ status: 'ok' as const, ...body }, 200)
        : c.json({ status: 'unavailable' as const, ...body }, 503);
    },
  );
  return app;
}
