/**
 * The BDB's annual plan (Art. 6, 8): every project must reference an item of its year's plan for its
 * department. The BDB replaces a year's plan as a whole; everyone may read it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { planOf, replacePlan } from '../../db/queries/plans.ts';
import { requireRole } from '../auth.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { annualPlan, annualPlanBody, yearParam } from '../schemas.ts';

export function planRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/annual-plans/{year}',
      tags: ['annual plans'],
      summary: "Replace a year's annual plan (bdb, Art. 6)",
      description:
        'The items given become the whole plan of that year, in one transaction (items not listed are ' +
        'removed). Projects already created keep the item code they referenced.',
      security,
      middleware: requireRole('bdb'),
      request: {
        params: z.object({ year: yearParam }),
        body: { content: json(annualPlanBody), required: true },
      },
      responses: {
        200: { description: 'The plan as stored', content: json(annualPlan) },
        400: problem('Invalid year or body (e.g. duplicate codes)'),
        401: problem('No or unknown key'),
        403: problem('Not a bdb key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const { items } = c.req.valid('json');
      const by = c.get('actor').keyId;
      return c.json(await replacePlan(db, year, items, by), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual-plans/{year}',
      tags: ['annual plans'],
      summary: "A year's annual plan (any role)",
      description: 'Items ordered by code; a year without a plan has no items.',
      security,
      request: { params: z.object({ year: yearParam }) },
      responses: {
        200: { description: 'The plan', content: json(annualPlan) },
        400: problem('Invalid year'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      return c.json(await planOf(db, year), 200);
    },
  );

  return app;
}
