/** The funds overview (Art. 10-12), from the database: per-project balances and exact totals. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { fundsOverviewOf } from '../../db/queries/ledger.ts';
import { requireRole } from '../auth.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { booleanFilter, booleanOf, fundsOverview, jurisdiction } from '../schemas.ts';

export function fundsRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/funds',
      tags: ['funds'],
      summary: 'Per-project fund balances and totals (finance, bdb)',
      description:
        'One item per project with money booked, newest project first, both fund types (zeros where none); ' +
        '`totals` add up the listed items exactly (summed by PostgreSQL as numeric): each total is a JSON integer ' +
        'while it is at most 2^53 − 1 (Number.MAX_SAFE_INTEGER), else a string of its decimal digits, so no total is ' +
        'ever rounded; per fund type allocated = held + available + frozen + disbursed + cancelled holds in the totals ' +
        'as in every item. Filters: `jurisdiction`, `suspended` (funds suspended, Art. 22).',
      security,
      middleware: requireRole('finance', 'bdb'),
      request: {
        query: z.strictObject({ jurisdiction: jurisdiction.optional(), suspended: booleanFilter.optional() }),
      },
      responses: {
        200: { description: 'Balances and totals', content: json(fundsOverview) },
        400: problem('Invalid filter'),
        401: problem('No or unknown key'),
        403: problem('Neither finance nor bdb'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { items, totals } = await fundsOverviewOf(db, { jurisdiction: query.jurisdiction, suspended: booleanOf(query.suspended) });
      return c.json({ items, totals }, 200);
    },
  );

  return app;
}
