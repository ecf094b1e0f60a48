/**
 * 待办工作台's reads: the pending actions of a role (a department: its own projects) across the read
 * model, one row per action, earliest due first, paged by keyset; the counts per traffic light
 * (domain/inbox.ts) in one aggregate; the person's notices with their read marks, and the marks.
 * Every count is made here, by the database: nothing is loaded to be counted.
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { notificationReads, notifications, projects } from '../schema.ts';
import type { Light, LightThresholds } from '../../domain/inbox.ts';
import type { Role } from '../../domain/types.ts';
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

// The pending actions, one row each: the project row crossed with the elements of its
// `pending_actions` (jsonb_array_elements is lateral on its own), `ordinal` its place in the list.
const element = sql`pending.value`;
const due = sql`(${element} ->> 'dueAt')::timestamptz`;
const overdue = sql`coalesce((${element} ->> 'overdue')::boolean, false)`;
const ordinal = sql`pending.ordinal`;

/** domain/inbox.ts: the light of an item with `dueAt` and `overdue` flag; null without a due date. */
function lightCase(dueAt: SQL, overdueFlag: SQL, t: LightThresholds): SQL<Light | null> {
  return sql<Light | null>`case
    when ${overdueFlag} or ${dueAt} <= ${t.now}::timestamptz then 'red'
    when ${dueAt} is null then null
    when ${dueAt} <= ${t.dueSoonUntil}::timestamptz then 'yellow'
    else 'green' end`;
}

function pendingWhere(scope: InboxScope, light: LightFilter | undefined, t: LightThresholds): SQL[] {
  const where: SQL[] = [sql`${projects.awaitingRoles} @> array[${scope.role}]::text[]`, sql`${element} ->> 'role' = ${scope.role}`];
  if (scope.department !== undefined) where.push(eq(projects.department, scope.department));
  if (light === 'none') where.push(sql`${lightCase(due, overdue, t)} is null`);
  else if (light) where.push(sql`${lightCase(due, overdue, t)} = ${light}`);
  return where;
}

/** Rows strictly after `p` in the order (due asc, undated last), project id, ordinal. */
function afterPending(p: PendingPosition): SQL {
  const rest = sql`(${projects.id}, ${ordinal}) > (${p.projectId}, ${p.ordinal})`;
  if (p.dueMicros === null) return sql`(${due} is null and ${rest})`;
  const at = sql`(timestamptz 'epoch' + ${p.dueMicros}::bigint * interval '1 microsecond')`;
  return sql`(${due} is null or ${due} > ${at} or (${due} = ${at} and ${rest}))`;
}

/** One page of pending actions (`limit` rows: ask for the page size plus one to know whether more follow). */
export function pendingActionsPage(
  db: Database,
  scope: InboxScope,
  opts: { thresholds: LightThresholds; light?: LightFilter | undefined; position?: PendingPosition | undefined; limit: number },
) {
  const where = pendingWhere(scope, opts.light, opts.thresholds);
  if (opts.position) where.push(afterPending(opts.position));
  return db
    .select({
      projectId: projects.id,
      title: projects.title,
      department: projects.department,
      action: sql<string>`${element} ->> 'action'`,
      ref: sql<string | null>`${element} ->> 'ref'`,
      dueAt: sql<string | null>`${element} ->> 'dueAt'`,
      overdue: sql<boolean>`${overdue}`,
      light: lightCase(due, overdue, opts.thresholds),
      dueMicros: sql<string | null>`(extract(epoch from ${due}) * 1000000)::bigint::text`,
      ordinal: sql<number>`${ordinal}::int`,
    })
    .from(projects)
    .crossJoin(sql`jsonb_array_elements(${projects.pendingActions}) with ordinality as pending(value, ordinal)`)
    .where(and(...where))
    .orderBy(sql`${due} asc nulls last`, projects.id, ordinal)
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

/** The scope's pending actions counted per light, in one aggregate. */
export async function pendingCounts(db: Database, scope: InboxScope, thresholds: LightThresholds): Promise<PendingCounts> {
  const light = lightCase(due, overdue, thresholds);
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      red: sql<number>`(count(*) filter (where ${light} = 'red'))::int`,
      yellow: sql<number>`(count(*) filter (where ${light} = 'yellow'))::int`,
      green: sql<number>`(count(*) filter (where ${light} = 'green'))::int`,
      none: sql<number>`(count(*) filter (where ${light} is null))::int`,
    })
    .from(projects)
    .crossJoin(sql`jsonb_array_elements(${projects.pendingActions}) with ordinality as pending(value, ordinal)`)
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
  opts: { thresholds: LightThresholds; unread?: boolean | undefined; position?: CursorPosition | undefined; limit: number },
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
      dueAt: notifications.dueAt,
      basis: notifications.basis,
      createdAt: notifications.createdAt,
      readAt: sql<string | null>`(select to_json(${notificationReads.readAt}) #>> '{}' from ${notificationReads} where ${notificationReads.reader} = ${reader} and ${notificationReads.notificationId} = ${notifications.id})`,
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
export async function markNoticeRead(db: Database, scope: InboxScope, reader: string, id: number, at: Date): Promise<boolean> {
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
        .select({ reader: sql<string>`${reader}::text`.as('reader'), notificationId: notifications.id, readAt: sql<Date>`${at.toISOString()}::timestamptz`.as('read_at') })
        .from(notifications)
        .where(and(...addressedTo(scope), sql`not ${readBy(reader)}`)),
    )
    .onConflictDoNothing()
    .returning({ id: notificationReads.notificationId });
  return marked.length;
}
