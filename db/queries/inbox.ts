/**
 * 待办工作台's reads: the pending actions of a role (a department: its own projects), one row per
 * action (inbox_items, kept from the read model by a trigger), earliest due first, paged by keyset
 * over its index; the counts per traffic light (domain/inbox.ts) in one aggregate; the person's
 * notices with their read marks, and the marks. Every count is made here, by the database: nothing
 * is loaded to be counted.
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { inboxItems, notificationReads, notifications, projects } from '../schema.ts';
import type { Light, LightThresholds } from '../../domain/inbox.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { after, cursorMicros, type CursorPosition } from './keyset.ts';

/** Whose inbox: a role, and for a department key its department. */
export interface InboxScope {
  role: Role;
  department?: string | undefined;
}

/**
 * A pending action's place in the inbox order (due first, undated last; then project id, then its
 * place in the project's list of pending actions): the cursor of the next page.
 */
export interface PendingPosition {
  /** Microseconds since the epoch of the due instant, as digits; null for an action without one. */
  dueMicros: string | null;
  projectId: string;
  ordinal: number;
}

/** An inbox filter by traffic light; `none`: the actions without a due date (and not overdue). */
export type LightFilter = Light | 'none';

/** domain/inbox.ts: the light of an item with `dueAt` and `overdue` flag; null without a due date. */
function lightCase(dueAt: SQL, overdueFlag: SQL, t: LightThresholds): SQL<Light | null> {
  return sql<Light | null>`case
    when ${overdueFlag} or ${dueAt} <= ${t.now}::timestamptz then 'red'
    when ${dueAt} is null then null
    when ${dueAt} <= ${t.dueSoonUntil}::timestamptz then 'yellow'
    else 'green' end`;
}

const itemLight = (t: LightThresholds) => lightCase(sql`${inboxItems.dueAt}`, sql`${inboxItems.overdue}`, t);

/** The scope's rows of inbox_items (by index: role, then department for a department). */
function pendingWhere(scope: InboxScope, light: LightFilter | undefined, t: LightThresholds): SQL[] {
  const where: SQL[] = [eq(inboxItems.role, scope.role)];
  if (scope.department !== undefined) where.push(eq(inboxItems.department, scope.department));
  // Each light as a range of `due_sort` where it can be (the index's order), then the exact rule.
  const now = sql`${t.now}::timestamptz`;
  const soon = sql`${t.dueSoonUntil}::timestamptz`;
  if (light === 'red') where.push(sql`(${inboxItems.overdue} or ${inboxItems.dueSort} <= ${now})`);
  else if (light === 'yellow')
    where.push(sql`${inboxItems.dueSort} > ${now} and ${inboxItems.dueSort} <= ${soon} and not ${inboxItems.overdue}`);
  else if (light === 'green')
    where.push(
      sql`${inboxItems.dueSort} > ${soon} and ${inboxItems.dueSort} < 'infinity' and not ${inboxItems.overdue}`,
    );
  else if (light === 'none') where.push(sql`${inboxItems.dueSort} = 'infinity' and not ${inboxItems.overdue}`);
  return where;
}

/** Rows strictly after `p` in the order (due_sort, project id, ordinal): one index range. */
function afterPending(p: PendingPosition): SQL {
  const at =
    p.dueMicros === null
      ? sql`'infinity'::timestamptz`
      : sql`(timestamptz 'epoch' + ${p.dueMicros}::bigint * interval '1 microsecond')`;
  return sql`(${inboxItems.dueSort}, ${inboxItems.projectId}, ${inboxItems.ordinal}) > (${at}, ${p.projectId}, ${p.ordinal})`;
}

/** One page of pending actions (`limit` rows: ask for the page size plus one to know whether more follow). */
export function pendingActionsPage(
  db: Database,
  scope: InboxScope,
  opts: {
    thresholds: LightThresholds;
    light?: LightFilter | undefined;
    position?: PendingPosition | undefined;
    limit: number;
  },
) {
  const where = pendingWhere(scope, opts.light, opts.thresholds);
  if (opts.position) where.push(afterPending(opts.position));
  return db
    .select({
      projectId: inboxItems.projectId,
      title: projects.title,
      department: inboxItems.department,
      action: inboxItems.action,
      ref: inboxItems.ref,
      dueAt: inboxItems.dueAt,
      overdue: inboxItems.overdue,
      basis: inboxItems.basis,
      light: itemLight(opts.thresholds),
      dueMicros: sql<
        string | null
      >`case when ${inboxItems.dueAt} is null then null else (extract(epoch from ${inboxItems.dueAt}) * 1000000)::bigint::text end`,
      ordinal: inboxItems.ordinal,
    })
    .from(inboxItems)
    .innerJoin(projects, eq(projects.id, inboxItems.projectId))
    .where(and(...where))
    .orderBy(inboxItems.dueSort, inboxItems.projectId, inboxItems.ordinal)
    .limit(opts.limit);
}

export interface PendingCounts {
  total: number;
  red: number;
  yellow: number;
  green: number;
  /** Without a due date (and not overdue): no light. */
  none: number;
}

/** The scope's pending actions counted per light, in one aggregate over its index range. */
export async function pendingCounts(
  db: Database,
  scope: InboxScope,
  thresholds: LightThresholds,
): Promise<PendingCounts> {
  const light = itemLight(thresholds);
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      red: sql<number>`(count(*) filter (where ${light} = 'red'))::int`,
      yellow: sql<number>`(count(*) filter (where ${light} = 'yellow'))::int`,
      green: sql<number>`(count(*) filter (where ${light} = 'green'))::int`,
      none: sql<number>`(count(*) filter (where ${light} is null))::int`,
    })
    .from(inboxItems)
    .where(and(...pendingWhere(scope, undefined, thresholds)));
  return row ?? { total: 0, red: 0, yellow: 0, green: 0, none: 0 };
}

// --- notices ------------------------------------------------------------------------------------

/** Notices addressed to the scope: its role (a department: and its department), not closed for everyone. */
function addressedTo(scope: InboxScope): SQL[] {
  const where: SQL[] = [eq(notifications.recipientRole, scope.role), isNull(notifications.readAt)];
  if (scope.department !== undefined) where.push(eq(notifications.recipientDepartment, scope.department));
  return where;
}

const readBy = (reader: string) =>
  sql`exists (select 1 from ${notificationReads} where ${notificationReads.reader} = ${reader} and ${notificationReads.notificationId} = ${notifications.id})`;

/**
 * The scope's notices, newest first, with `reader`'s read mark each (`unread`: only those not read),
 * `limit` rows after `position`, each with its keyset position (`cursorMicros`).
 */
export function noticesPage(
  db: Database,
  scope: InboxScope,
  reader: string,
  opts: {
    thresholds: LightThresholds;
    unread?: boolean | undefined;
    position?: CursorPosition | undefined;
    limit: number;
  },
) {
  const where = addressedTo(scope);
  if (opts.unread) where.push(sql`not ${readBy(reader)}`);
  if (opts.position) where.push(after(notifications.createdAt, notifications.id, opts.position));
  return db
    .select({
      id: notifications.id,
      projectId: notifications.projectId,
      kind: notifications.kind,
      detail: notifications.detail,
      params: notifications.params,
      recipientRole: notifications.recipientRole,
      dueAt: notifications.dueAt,
      basis: notifications.basis,
      createdAt: notifications.createdAt,
      readAt: sql<
        string | null
      >`(select to_json(${notificationReads.readAt}) #>> '{}' from ${notificationReads} where ${notificationReads.reader} = ${reader} and ${notificationReads.notificationId} = ${notifications.id})`,
      light: lightCase(sql`${notifications.dueAt}`, sql`false`, opts.thresholds),
      cursorMicros: cursorMicros(notifications.createdAt),
    })
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit);
}

/** How many of the scope's notices `reader` has not read. */
export async function unreadCount(db: Database, scope: InboxScope, reader: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(...addressedTo(scope), sql`not ${readBy(reader)}`));
  return row?.n ?? 0;
}

/**
 * Marks one notice read for `reader`, if it is addressed to the scope; answers whether it is
 * (marking it again changes nothing: the first mark's time stays).
 */
export async function markNoticeRead(
  db: Database,
  scope: InboxScope,
  reader: string,
  id: number,
  at: Date,
): Promise<boolean> {
  const [notice] = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.id, id), ...addressedTo(scope)))
    .limit(1);
  if (!notice) return false;
  await db.insert(notificationReads).values({ reader, notificationId: id, readAt: at }).onConflictDoNothing();
  return true;
}

/** 全部已读: marks every notice of the scope that `reader` has not read; answers how many. */
export async function markAllNoticesRead(db: Database, scope: InboxScope, reader: string, at: Date): Promise<number> {
  const marked = await db
    .insert(notificationReads)
    .select(
      db
        .select({
          reader: sql<string>`${reader}::text`.as('reader'),
          notificationId: notifications.id,
          readAt: sql<Date>`${at.toISOString()}::timestamptz`.as('read_at'),
        })
        .from(notifications)
        .where(and(...addressedTo(scope), sql`not ${readBy(reader)}`)),
    )
    .onConflictDoNothing()
    .returning({ id: notificationReads.notificationId });
  return marked.length;
}
