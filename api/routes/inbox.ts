/**
 * The caller's inbox (待办工作台), from the database: the pending actions of the caller's role across
 * projects (departments: their own department's projects, docs/MEASURES.md "Actors"), a page at a
 * time with the counts per traffic light; the notices addressed to the caller, each marked read by
 * the person who opens it (or 全部已读) for that person only.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import {
  markAllNoticesRead,
  markNoticeRead,
  noticesPage,
  pendingActionsPage,
  pendingCounts,
  unreadCount,
  type InboxScope,
  type PendingPosition,
} from '../../db/queries/inbox.ts';
import { loadCalendar } from '../../db/calendar.ts';
import { addDays, addWorkingDays, endOfDayShanghai, shanghaiDate } from '../../domain/calendar/index.ts';
import { DUE_SOON_WORKING_DAYS, LIGHTS, type LightThresholds } from '../../domain/inbox.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { cursorParam, decodeCursor, encodeCursor, limitParam } from '../pagination.ts';
import { notFound } from '../problem.ts';
import { namesOf, type Names } from '../../db/queries/departments.ts';
import { DEFAULT_LANGUAGE, type NotificationParams } from '../../domain/labels/language.ts';
import { NOTIFICATION_TEXTS, renderNotification } from '../../domain/labels/notifications.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { booleanFilter, booleanOf } from '../schemas/common.ts';
import { inbox, notificationItem } from '../schemas/reads.ts';

const scopeOf = (actor: Actor): InboxScope => ({
  role: actor.role,
  department: actor.role === 'department' ? (actor.department ?? '') : undefined,
});

/** The light's instants for `now`: yellow up to the end of the DUE_SOON_WORKING_DAYS-th working day after today. */
export async function lightThresholds(db: Database, now: Date): Promise<LightThresholds> {
  const today = shanghaiDate(now.toISOString());
  const isWorkday = await loadCalendar(db, today, addDays(today, 60));
  return {
    now: now.toISOString(),
    dueSoonUntil: endOfDayShanghai(addWorkingDays(today, DUE_SOON_WORKING_DAYS, isWorkday)),
  };
}

// --- the pending actions' cursor: [due µs or null, project id, ordinal], base64url JSON ----------

const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,600}$/;

export function encodePendingCursor(p: PendingPosition): string {
  return Buffer.from(JSON.stringify([p.dueMicros, p.projectId, p.ordinal]), 'utf8').toString('base64url');
}

export function decodePendingCursor(cursor: string): PendingPosition | undefined {
  if (!CURSOR_TEXT.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [dueMicros, projectId, ordinal] = parsed as unknown[];
  if (dueMicros !== null && (typeof dueMicros !== 'string' || !/^-?\d{1,18}$/.test(dueMicros))) return undefined;
  if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 200) return undefined;
  if (typeof ordinal !== 'number' || !Number.isInteger(ordinal) || ordinal < 1) return undefined;
  return { dueMicros, projectId, ordinal };
}

const pendingCursorParam = z
  .string()
  .regex(CURSOR_TEXT, 'is not a cursor returned by this API')
  .refine((value) => decodePendingCursor(value) !== undefined, { message: 'is not a cursor returned by this API' })
  .optional()
  .openapi({ description: 'Opaque: the `nextCursor` of the previous page.' });

const inboxQuery = z.strictObject({
  limit: limitParam,
  cursor: pendingCursorParam,
  light: z
    .enum([...LIGHTS, 'none'])
    .optional()
    .openapi({ description: 'Only the actions of this light (`none`: without a due date).' }),
  notificationLimit: z.coerce.number().int().min(0).max(200).default(200).openapi({
    description:
      'How many unread notifications to include, newest first (0-200, default 200; GET /v1/notifications pages them all).',
  }),
});

const noticeOf = (names: Names) => (n: Awaited<ReturnType<typeof noticesPage>>[number]) => ({
  id: n.id,
  projectId: n.projectId,
  kind: n.kind,
  detail: withNames(n, names),
  dueAt: n.dueAt?.toISOString() ?? null,
  basis: n.basis as 'measures' | 'policy',
  createdAt: n.createdAt.toISOString(),
  light: n.light,
  readAt: n.readAt === null ? null : new Date(n.readAt).toISOString(),
});

const noticesList = z
  .object({
    items: z.array(notificationItem),
    nextCursor: z.string().nullable().openapi({ description: 'The `cursor` of the next page; null on the last.' }),
    unreadCount: z.number().int(),
  })
  .openapi('NotificationList');

const noticeId = z.coerce
  .number()
  .int()
  .min(1)
  .max(Number.MAX_SAFE_INTEGER)
  .openapi({ param: { name: 'id', in: 'path' }, example: 42 });

export function inboxRoutes({ db, clock = () => new Date() }: { db: Database; clock?: (() => Date) | undefined }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/inbox',
      tags: ['projects'],
      summary: "The caller's pending actions across projects, earliest due first, a page at a time",
      description:
        "One item per pending action of the caller's role (department keys: own department's projects), " +
        'earliest `dueAt` first, actions without a due date last; `limit` (1-200, default 50) and `cursor` → `nextCursor` ' +
        '(keyset: a page never repeats or skips an action that did not change meanwhile). Each item has its traffic light ' +
        '(`light`, decided against `thresholds`); `counts` are all pending actions per light, counted by the database. ' +
        '`notifications` are the unread notices addressed to the caller (role, and department), newest first, at most ' +
        '`notificationLimit` (default 200); `unreadCount` counts them all. Unread is per person: each marks a notice read ' +
        'for themselves (POST /v1/notifications/{id}/read, POST /v1/notifications/read-all).',
      security,
      request: { query: inboxQuery },
      responses: {
        200: { description: 'A page of pending actions, the counts and unread notifications', content: json(inbox) },
        400: problem('Invalid limit, cursor or filter'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const query = c.req.valid('query');
      const scope = scopeOf(actor);
      const thresholds = await lightThresholds(db, clock());
      const position = query.cursor ? decodePendingCursor(query.cursor) : undefined;
      const [rows, counts, notices, unread, names] = await Promise.all([
        pendingActionsPage(db, scope, { thresholds, light: query.light, position, limit: query.limit + 1 }),
        pendingCounts(db, scope, thresholds),
        query.notificationLimit > 0
          ? noticesPage(db, scope, actor.keyId, { thresholds, unread: true, limit: query.notificationLimit })
          : Promise.resolve([]),
        unreadCount(db, scope, actor.keyId),
        namesOf(db),
      ]);
      const more = rows.length > query.limit;
      const shown = more ? rows.slice(0, query.limit) : rows;
      const last = shown.at(-1);
      return c.json(
        {
          items: shown.map((r) => ({
            projectId: r.projectId,
            title: r.title,
            department: r.department,
            role: actor.role,
            action: r.action,
            ...(r.ref === null ? {} : { ref: r.ref }),
            dueAt: r.dueAt?.toISOString() ?? null,
            overdue: r.overdue,
            light: r.light,
            ...(r.basis === 'policy' ? { basis: 'policy' as const } : {}), // a pending action a local policy asks for is labelled so
          })),
          nextCursor:
            more && last
              ? encodePendingCursor({ dueMicros: last.dueMicros, projectId: last.projectId, ordinal: last.ordinal })
              : null,
          counts,
          thresholds,
          notifications: notices.map(noticeOf(names)),
          unreadCount: unread,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/notifications',
      tags: ['projects'],
      summary: "The caller's notices, newest first, a page at a time, with the caller's read marks",
      description:
        'The reminders and violation notices addressed to the caller (role, and department for department keys), newest ' +
        'first; `unread=true`: only those the caller has not marked read. `limit` (1-200, default 50), `cursor` → `nextCursor`. ' +
        '`readAt` is when the caller marked the notice read (each person for themselves); `unreadCount` counts all unread.',
      security,
      request: { query: z.strictObject({ unread: booleanFilter.optional(), limit: limitParam, cursor: cursorParam }) },
      responses: {
        200: { description: 'A page of notices', content: json(noticesList) },
        400: problem('Invalid limit, cursor or filter'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const query = c.req.valid('query');
      const scope = scopeOf(actor);
      const thresholds = await lightThresholds(db, clock());
      const position = query.cursor ? decodeCursor(query.cursor) : undefined;
      const [rows, unread, names] = await Promise.all([
        noticesPage(db, scope, actor.keyId, {
          thresholds,
          unread: booleanOf(query.unread),
          position,
          limit: query.limit + 1,
        }),
        unreadCount(db, scope, actor.keyId),
        namesOf(db),
      ]);
      const shown = rows.slice(0, query.limit);
      const last = shown.at(-1);
      const nextCursor =
        rows.length > query.limit && last ? encodeCursor({ atMicros: last.cursorMicros, id: String(last.id) }) : null;
      return c.json({ items: shown.map(noticeOf(names)), nextCursor, unreadCount: unread }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/notifications/{id}/read',
      tags: ['projects'],
      summary: 'Mark one notice read for the caller (opening it)',
      description:
        'Marks the notice read for the calling person (or key) only: colleagues of the same role or department keep it ' +
        'unread until they open it. Marking it again changes nothing. A notice not addressed to the caller → 404.',
      security,
      request: { params: z.object({ id: noticeId }) },
      responses: {
        200: {
          description: 'Marked; the unread count after it',
          content: json(z.object({ id: z.number().int(), unreadCount: z.number().int() }).openapi('NotificationRead')),
        },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        404: problem('No such notice addressed to the caller'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const { id } = c.req.valid('param');
      const scope = scopeOf(actor);
      if (!(await markNoticeRead(db, scope, actor.keyId, id, clock())))
        throw notFound(`No notice ${id} is addressed to the caller.`);
      return c.json({ id, unreadCount: await unreadCount(db, scope, actor.keyId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/notifications/read-all',
      tags: ['projects'],
      summary: '全部已读: mark every notice addressed to the caller read, for the caller',
      description:
        "Marks all the caller's unread notices read for the calling person (or key) only; answers how many it marked.",
      security,
      responses: {
        200: {
          description: 'Marked',
          content: json(
            z.object({ marked: z.number().int(), unreadCount: z.number().int() }).openapi('NotificationsReadAll'),
          ),
        },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const scope = scopeOf(actor);
      const marked = await markAllNoticesRead(db, scope, actor.keyId, clock());
      return c.json({ marked, unreadCount: await unreadCount(db, scope, actor.keyId) }, 200);
    },
  );

  return app;
}

/**
 * A notice as people read it now: rendered again from its kind and params with the current texts
 * (domain/labels/notifications.ts) and the registries' names. The stored text is what the workflow rendered when it
 * was sent — it names departments and jurisdictions by code, and an order the system issued itself
 * by its English note — and stays as stored (workflows replay it); only its reading changes.
 */
function withNames(
  n: { kind: string; params: NotificationParams; detail: string; recipientRole: string },
  names: Names,
): string {
  // A system notice the API wrote itself (the calendar's) has no template: its text is the one stored.
  if (!NOTIFICATION_TEXTS[n.kind]) return n.detail;
  const params = n.params ?? {};
  const named: NotificationParams = { ...params };
  if (typeof params.jurisdiction === 'string') named.jurisdiction = names.jurisdiction(params.jurisdiction);
  if (typeof params.department === 'string') named.department = names.department(params.department);
  return renderNotification(DEFAULT_LANGUAGE, n.kind, named, n.recipientRole);
}
