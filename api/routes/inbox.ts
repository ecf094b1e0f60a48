/**
 * The caller's inbox, from the database: the pending actions of the caller's role across projects
 * (departments: their own department's projects, shared/DOMAIN.md "Actors") and the unread notifications.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { unreadNotifications } from '../../db/queries/notifications.ts';
import { projectsAwaiting } from '../../db/queries/projects.ts';
import type { PendingAction } from '../../domain/types.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { inbox } from '../schemas.ts';

export function inboxRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/inbox',
      tags: ['projects'],
      summary: "The caller's pending actions across projects, earliest due first",
      description:
        'One item per pending action of the caller\'s role (department keys: own department\'s projects), ' +
        'earliest `dueAt` first, actions without a due date last. `notifications` are the unread reminders ' +
        'and violation notices addressed to the caller\'s role (and department), newest first, at most 200.',
      security,
      responses: {
        200: { description: 'Pending actions and unread notifications', content: json(inbox) },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const department = actor.role === 'department' ? (actor.department ?? '') : undefined;
      const [rows, unread] = await Promise.all([projectsAwaiting(db, actor.role, department), unreadNotifications(db, actor.role, department)]);
      const items = rows
        .flatMap((r) =>
          (r.pendingActions as PendingAction[])
            .filter((a) => a.role === actor.role)
            .map((a) => ({
              projectId: r.id,
              title: r.title,
              department: r.department,
              role: a.role,
              action: a.action,
              dueAt: a.dueAt ?? null,
              overdue: a.overdue,
              ...(a.basis ? { basis: a.basis } : {}), // a pending action a local policy asks for is labelled so
            })),
        )
        .sort((a, b) => dueOrder(a.dueAt) - dueOrder(b.dueAt) || a.projectId.localeCompare(b.projectId) || a.action.localeCompare(b.action));
      return c.json(
        {
          items,
          notifications: unread.map((n) => ({
            id: n.id,
            projectId: n.projectId,
            kind: n.kind,
            detail: n.detail,
            dueAt: n.dueAt?.toISOString() ?? null,
            basis: n.basis as 'measures' | 'policy',
            createdAt: n.createdAt.toISOString(),
          })),
        },
        200,
      );
    },
  );

  return app;
}

/** Sort key of a due date: earliest first, none last. */
const dueOrder = (dueAt: string | null) => (dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(dueAt) || Number.POSITIVE_INFINITY);
