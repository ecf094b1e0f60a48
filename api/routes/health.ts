/** Liveness and readiness (shared/API.md). /readyz is 200 only when Temporal and the database answer. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { createRouter, json } from '../router.ts';

export interface HealthDeps {
  checks: Record<string, () => Promise<boolean>>;
}

const status = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.boolean()).optional() });

export function healthRoutes({ checks }: HealthDeps) {
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
      summary: 'Readiness: Temporal and the database answer',
      responses: {
        200: { description: 'ready', content: json(status) },
        503: { description: 'a dependency does not answer', content: json(status) },
      },
    }),
    async (c) => {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
      );
      const results = Object.fromEntries(entries);
      const ready = entries.every(([, ok]) => ok);
      if (!ready) c.header('Retry-After', '5');
      return ready
        ? c.json({ status: 'ok' as const, checks: results }, 200)
        : c.json({ status: 'unavailable' as const, checks: results }, 503);
    },
  );
  return app;
}
