/** A project's audit history (Art. 24-25), from the database: the entries db/queries/audit.ts chained. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { auditTrail } from '../../db/queries/audit.ts';
import { projectOf } from '../auth.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { projectId } from '../schemas/common.ts';
import { projectHistory } from '../schemas/reads.ts';

export function historyRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}/history',
      tags: ['projects'],
      summary: "A project's audit trail, oldest first (Art. 24-25)",
      description:
        'Append-only and tamper-evident: each entry carries `hash` = SM3(`prevHash` ‖ canonical entry), so a ' +
        'reader can verify the chain. Department keys: own projects only.',
      security,
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: { description: 'Audit entries, oldest first', content: json(projectHistory) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem("Another department's project"),
        404: problem('No such project in the read model'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await projectOf(db, id, c.get('actor'));
      const rows = await auditTrail(db, id);
      const items = rows.map(auditEntryOf);
      return c.json({ projectId: id, items }, 200);
    },
  );

  return app;
}

/** An audit row as the API shows it (a project's history, the cloud platform's trail). */
export function auditEntryOf(r: Awaited<ReturnType<typeof auditTrail>>[number]) {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    action: r.action,
    actor: {
      keyId: r.actorKeyId,
      role: r.actorRole,
      department: r.actorDepartment,
      name: r.actorName,
      accountId: r.actorAccountId,
      organization: r.actorOrganization,
    },
    detail: r.detail,
    hash: r.hash,
    prevHash: r.prevHash,
  };
}
