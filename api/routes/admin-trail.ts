/**
 * The administrators' trail (GB/T 22239-2019 8.1.4.3 security audit): every change to API
 * keys, jurisdictions, policies, the calendar and webhooks — who, when, from where, before and after
 * — on one SM3 chain (db/queries/admin-trail.ts), readable by the audit administrator (三员分立).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { adminEventsPage, chainedAdminEvent, verifyAdminEvents } from '../../db/queries/admin-trail.ts';
import { verifyAccountEvents } from '../../db/queries/account-events.ts';
import { verifyAuditChain, verifyAuditCompleteness } from '../../db/queries/audit.ts';
import { requireDuty } from '../auth.ts';
import { cursorParam, decodeCursor, limitParam, page } from '../pagination.ts';
import { ApiError } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { adminEventList } from '../schemas/accounts.ts';
import { projectId } from '../schemas/common.ts';

const problemList = z.array(z.object({ seq: z.number().int(), problem: z.string() }));
const verification = z
  .object({
    checkedAt: z.string(),
    adminTrail: problemList.openapi({
      description: "The administrators' trail: each broken seq and why; empty when intact",
    }),
    accountTrail: problemList.openapi({
      description: "The accounts' security trail: each broken seq and why; empty when intact",
    }),
    project: z.object({ id: z.string(), problems: problemList }).nullable().openapi({
      description: "With `?project=`: that project's chain and completeness (as `npm run audit:verify --project`)",
    }),
  })
  .openapi('TrailVerification');

export function adminTrailRoutes({ db }: { db: Database }) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/trail',
      tags: ['admin'],
      summary: "The administrators' trail, newest first (keys, jurisdictions, policies, calendar, webhooks)",
      description:
        'Every change an administrator made to API keys, jurisdictions, policies, the working-day calendar and webhook ' +
        'subscriptions: who (key or person, role, client address), when, the record before and after (never a secret). ' +
        'Append-only, one SM3 hash chain written in the transaction of each change (`npm run audit:verify` checks it). ' +
        "Personal accounts' creation, revocation and reset are on their security trail (GET /v1/admin/accounts/{id}/events). " +
        'Keyset pagination: pass `nextCursor` as `cursor`. Roles (三员分立, policy): `auditadmin`, the start-up key — the ' +
        'administrators whose acts it records do not review it; nobody can change or erase an entry (no route writes it, the database refuses it).',
      security,
      middleware: requireDuty('trail'),
      request: { query: z.object({ limit: limitParam, cursor: cursorParam }) },
      responses: {
        200: { description: 'Entries, newest first', content: json(adminEventList) },
        400: problem('Malformed limit or cursor'),
        401: problem('No or unknown key'),
        403: problem('Not the audit administrator (`auditadmin`) or the start-up key'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const position = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (position && !/^\d{1,10}$/.test(position.id)) {
        throw new ApiError(400, 'validation_failed', 'Validation failed', 'cursor: is not a cursor of this list', {
          errors: [{ path: 'cursor', message: 'is not a cursor of this list' }],
        });
      }
      const rows = await adminEventsPage(db, query.limit + 1, position ? Number(position.id) : undefined);
      const cut = page(
        rows.map((r) => ({ ...r.row, id: String(r.row.seq), cursorMicros: r.cursorMicros })),
        query.limit,
      );
      return c.json(
        {
          items: cut.rows.map((r) => ({ ...chainedAdminEvent(r), prevHash: r.prevHash, hash: r.hash })),
          nextCursor: cut.nextCursor,
        },
        200,
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/trail/verification',
      tags: ['admin'],
      summary: "Verify the administrators' and the accounts' trails now (and one project's, with ?project=)",
      description:
        'What `npm run audit:verify` reports, for the audit administrator (三员分立, policy; Art. 24-25, 28 *measures*): each SM3 chain is ' +
        "recomputed now; a row altered or removed behind the system's back is named by its seq. Every project at once stays with " +
        '`npm run audit:verify` (a long run); one project with `?project=`. Roles: `auditadmin`, the start-up key.',
      security,
      middleware: requireDuty('trail'),
      request: {
        query: z.object({ project: projectId.openapi({ param: { name: 'project', in: 'query' } }).optional() }),
      },
      responses: {
        200: { description: 'The problems found; empty lists when intact', content: json(verification) },
        400: problem('Malformed project id'),
        401: problem('No or unknown key'),
        403: problem('Not the audit administrator (`auditadmin`) or the start-up key'),
      },
    }),
    async (c) => {
      const { project } = c.req.valid('query');
      const [adminTrail, accountTrail, chain, completeness] = await Promise.all([
        verifyAdminEvents(db),
        verifyAccountEvents(db),
        project ? verifyAuditChain(db, project) : Promise.resolve([]),
        project ? verifyAuditCompleteness(db, project) : Promise.resolve([]),
      ]);
      const problems = [...chain, ...completeness].map((p) => ({ seq: p.seq, problem: p.problem }));
      return c.json(
        {
          checkedAt: new Date().toISOString(),
          adminTrail,
          accountTrail,
          project: project ? { id: project, problems } : null,
        },
        200,
      );
    },
  );
  return app;
}
