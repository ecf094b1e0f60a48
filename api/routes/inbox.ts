/**
 * The caller's inbox, from the database: the pending actions of the caller's role across projects
 * (departments: their own department's projects, shared/DOMAIN.md "Actors") and the unread notifications.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { namesOf, type Names } from '../../db/queries/departments.ts';
import { unreadNotifications } from '../../db/queries/notifications.ts';
import { DEFAULT_LANGUAGE, renderNotification, type NotificationParams } from '../../domain/texts.ts';
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
      const [rows, unread, names] = await Promise.all([projectsAwaiting(db, actor.role, department), unreadNotifications(db, actor.role, department), namesOf(db)]);
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
            detail: withNames(n, names),
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

/**
 * The stored text names departments and jurisdictions by code (the workflow renders it and reads no
 * registry): a notice whose params carry one is rendered again with the registries' names.
 */
function withNames(n: { kind: string; params: NotificationParams; detail: string; recipientRole: string }, names: Names): string {
  const params = n.params ?? {};
  const named: NotificationParams = { ...params };
  if (typeof params.jurisdiction === 'string') named.jurisdiction = names.jurisdiction(params.jurisdiction);
  if (typeof params.department === 'string') named.department = names.department(params.department);
  if (named.jurisdiction === params.jurisdiction && named.department === params.department) return n.detail;
  return renderNotification(DEFAULT_LANGUAGE, n.kind, named, n.recipientRole);
}
