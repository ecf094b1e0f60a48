/** A project's fund ledger (Art. 10-12), from the database: its movements and current balances. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { projectLedgerOf } from '../../db/queries/ledger.ts';
import { READ_ROLES } from '../../domain/reads.ts';
import { projectOf, requireFinanceJurisdiction, requireRole } from '../auth.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { projectId } from '../schemas/common.ts';
import { projectLedger } from '../schemas/reads.ts';

export function ledgerRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}/ledger',
      tags: ['funds'],
      summary: "A project's fund movements, oldest first, and its current balances",
      description:
        "Finance (a county's finance: its own county's projects only, Art. 12), BDB, or the project's own department. Amounts are integer fen. `balances` are the stored " +
        'per-fund-type balances (all zero for a fund type with no money yet).',
      security,
      middleware: requireRole(...READ_ROLES.ledger),
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: { description: 'Movements and balances', content: json(projectLedger) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem(
          "Neither finance nor bdb, another department's project, or (`other_jurisdiction_finance`, Art. 12) a county's finance reading another jurisdiction's project",
        ),
        404: problem('No such project in the read model'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const project = await projectOf(db, id, c.get('actor'));
      requireFinanceJurisdiction(c.get('actor'), project.jurisdiction);
      const { movements, balances } = await projectLedgerOf(db, id);
      return c.json({ projectId: id, movements, balances }, 200);
    },
  );

  return app;
}
