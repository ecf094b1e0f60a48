/**
 * The administrators' trail (issue 28; GB/T 22239-2019 8.1.4.3 security audit): every change to API
 * keys, jurisdictions, policies, the calendar and webhooks — who, when, from where, before and after
 * — on one SM3 chain (db/queries/admin-trail.ts), readable by the audit administrator (三员分立).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { adminEventsPage, chainedAdminEvent } from '../../db/queries/admin-trail.ts';
import { requireDuty } from '../auth.ts';
import { cursorParam, decodeCursor, limitParam, page } from '../pagination.ts';
import { ApiError } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { adminEventList } from '../schemas.ts';

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
        'administrators whose acts it records do not review it; nobody can change or erase an entry (no route writes it).',
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
        throw new ApiError(400, 'validation_failed', 'Validation failed', 'cursor: is not a cursor of this list', { errors: [{ path: 'cursor', message: 'is not a cursor of this list' }] });
      }
      const rows = await adminEventsPage(db, query.limit + 1, position ? Number(position.id) : undefined);
      const cut = page(rows.map((r) => ({ ...r.row, id: String(r.row.seq), cursorMicros: r.cursorMicros })), query.limit);
      return c.json({ items: cut.rows.map((r) => ({ ...chainedAdminEvent(r), prevHash: r.prevHash, hash: r.hash })), nextCursor: cut.nextCursor }, 200);
    },
  );
  return app;
}
