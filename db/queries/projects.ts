/**
 * The `projects` read model's reads (docs/API.md "Projects"): the project list with its filters and keyset
 * paging, one project's department and committed view, the projects awaiting a role, those with open deadlines (the
 * calendar's rescheduling) and the allocations and deadlines of the ProjectView (Art. 11 listings,
 * allocation plans). The rows are written by activities/ (`persistEffects`).
 */
import { and, arrayContains, desc, eq, ilike, inArray, isNotNull, not, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { projects } from '../schema.ts';
import type { ProjectReadModel, ProjectView } from '../../domain/view-shapes.ts';
import { TERMINAL_STAGES, type Role } from '../../domain/vocabulary.ts';
import { after, cursorMicros, type CursorPosition } from './keyset.ts';

type AllocationOfView = ProjectView['allocations'][number];
type DeadlineOfView = ProjectView['deadlines'][number];

/** Escapes LIKE wildcards so `q` matches literally (`100%` finds "100%", not "1000"). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

export interface ProjectListFilter {
  /** A department key's own department: the list is limited to it whatever else is asked. */
  ownDepartment?: string | undefined;
  department?: string | undefined;
  stage?: string | undefined;
  jurisdiction?: string | undefined;
  awaiting?: Role | undefined;
  overdue?: boolean | undefined;
  fundsSuspended?: boolean | undefined;
  /** A substring of the title, case-insensitive and literal. */
  q?: string | undefined;
  /** Rows after this position (the cursor's). */
  position?: CursorPosition | undefined;
  /** Rows to fetch (the page size plus one, to see whether more follow). */
  limit: number;
}

/** Project summaries, newest first, with each row's keyset position (`cursorMicros`). */
export function listProjects(db: Database, filter: ProjectListFilter) {
  const where: SQL[] = [];
  if (filter.ownDepartment !== undefined) where.push(eq(projects.department, filter.ownDepartment));
  if (filter.department) where.push(eq(projects.department, filter.department));
  if (filter.stage) where.push(eq(projects.stage, filter.stage));
  if (filter.jurisdiction) where.push(eq(projects.jurisdiction, filter.jurisdiction));
  if (filter.awaiting) where.push(arrayContains(projects.awaitingRoles, [filter.awaiting]));
  // As literal predicates, so the partial indexes on `overdue` / `funds_suspended` apply whatever the plan's parameters.
  if (filter.overdue !== undefined) where.push(filter.overdue ? sql`${projects.overdue}` : not(projects.overdue));
  if (filter.fundsSuspended !== undefined)
    where.push(filter.fundsSuspended ? sql`${projects.fundsSuspended}` : not(projects.fundsSuspended));
  if (filter.q) where.push(ilike(projects.title, `%${escapeLike(filter.q)}%`));
  if (filter.position) where.push(after(projects.createdAt, projects.id, filter.position));
  return db
    .select({
      id: projects.id,
      title: projects.title,
      department: projects.department,
      jurisdiction: projects.jurisdiction,
      kind: projects.kind,
      year: projects.year,
      stage: projects.stage,
      pendingActions: projects.pendingActions,
      nextDeadline: projects.nextDeadline,
      overdue: projects.overdue,
      fundsSuspended: projects.fundsSuspended,
      funds: sql<ProjectView['funds'] | null>`${projects.view} -> 'funds'`,
      createdAt: projects.createdAt,
      updatedAt: projects.updatedAt,
      cursorMicros: cursorMicros(projects.createdAt),
    })
    .from(projects)
    .where(and(...where))
    .orderBy(desc(projects.createdAt), desc(projects.id))
    .limit(filter.limit);
}

/** A project's id and department, if the read model has it. */
export async function projectDepartment(
  db: Database,
  id: string,
): Promise<{ id: string; department: string; jurisdiction: string } | undefined> {
  const [row] = await db
    .select({ id: projects.id, department: projects.department, jurisdiction: projects.jurisdiction })
    .from(projects)
    .where(eq(projects.id, id))
    .limit(1);
  return row;
}

/**
 * A project's ProjectView as last committed (the read model is written in the same transaction as
 * the change's audit entry, before the change is answered), if the read model has it.
 */
export async function committedView(db: Database, id: string): Promise<ProjectView | undefined> {
  const [row] = await db.select({ view: projects.view }).from(projects).where(eq(projects.id, id)).limit(1);
  return row?.view as ProjectView | undefined;
}

/** The projects waiting for `role` to act (with `department`: that department's only), with their pending actions. */
export function projectsAwaiting(db: Database, role: Role, department?: string) {
  const mine: SQL[] = [arrayContains(projects.awaitingRoles, [role])];
  if (department !== undefined) mine.push(eq(projects.department, department));
  return db
    .select({
      id: projects.id,
      title: projects.title,
      department: projects.department,
      pendingActions: projects.pendingActions,
    })
    .from(projects)
    .where(and(...mine));
}

/** The views of the projects that have a deadline and have not ended (candidates for rescheduling). */
export function projectsWithOpenDeadlines(db: Database) {
  return db
    .select({ id: projects.id, view: projects.view })
    .from(projects)
    .where(and(isNotNull(projects.nextDeadline), notInArray(projects.stage, [...TERMINAL_STAGES])));
}

/** Projects whose view lists allocations, with those allocations and the deadlines (Art. 11 public listing). */
export function projectsWithAllocations(
  db: Database,
  filter: { jurisdiction?: string | undefined; projectIds?: string[] | undefined },
) {
  const where: SQL[] = [sql`jsonb_typeof(${projects.view} -> 'allocations') = 'array'`];
  if (filter.jurisdiction) where.push(eq(projects.jurisdiction, filter.jurisdiction));
  if (filter.projectIds) where.push(inArray(projects.id, filter.projectIds.length > 0 ? filter.projectIds : ['']));
  return db
    .select({
      projectId: projects.id,
      title: projects.title,
      department: projects.department,
      jurisdiction: projects.jurisdiction,
      allocations: sql<AllocationOfView[]>`${projects.view} -> 'allocations'`,
      deadlines: sql<(DeadlineOfView & { id?: string })[] | null>`${projects.view} -> 'deadlines'`,
    })
    .from(projects)
    .where(and(...where));
}

export interface ProjectAllocations {
  id: string;
  title: string;
  department: string;
  jurisdiction: string;
  allocations: AllocationOfView[];
  deadlines: DeadlineOfView[];
}

/** The allocations and deadlines of the given projects as their read models show them, by id (empty lists where none). */
export async function allocationsOfProjects(db: Database, ids: string[]): Promise<Map<string, ProjectAllocations>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: projects.id,
      title: projects.title,
      department: projects.department,
      jurisdiction: projects.jurisdiction,
      allocations: sql<AllocationOfView[] | null>`${projects.view} -> 'allocations'`,
      deadlines: sql<DeadlineOfView[] | null>`${projects.view} -> 'deadlines'`,
    })
    .from(projects)
    .where(inArray(projects.id, [...new Set(ids)]));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        ...r,
        allocations: Array.isArray(r.allocations) ? r.allocations : [],
        deadlines: Array.isArray(r.deadlines) ? r.deadlines : [],
      },
    ]),
  );
}

/** Upserts a project's read-model row; a retried or late write with an older `version` changes nothing. */
export async function upsertProject(db: Database, model: ProjectReadModel): Promise<void> {
  const v = model.view;
  const row = {
    id: v.id,
    title: v.title,
    department: v.department,
    jurisdiction: v.jurisdiction,
    kind: v.kind,
    year: v.year,
    stage: v.stage,
    awaitingRoles: model.awaitingRoles,
    pendingActions: v.pendingActions,
    nextDeadline: model.nextDeadline ? new Date(model.nextDeadline) : null,
    overdue: model.overdue,
    fundsSuspended: v.funds.suspended,
    view: v,
    version: model.version,
    createdAt: new Date(v.createdAt),
    updatedAt: new Date(),
  };
  await db
    .insert(projects)
    .values(row)
    .onConflictDoUpdate({
      target: projects.id,
      set: fromExcluded(row),
      setWhere: sql`${projects.version} < excluded.version`,
    });
}

/**
 * The upsert's update: every column of the row except the key and the creation time, taken from the
 * proposed row (`excluded`), so each value — the view's JSON included — is sent once. Built from the
 * first row's own keys, the one list of the columns.
 */
let updateFromExcluded: Record<string, SQL> | undefined;
const fromExcluded = (row: Record<keyof typeof projects.$inferInsert, unknown>) =>
  (updateFromExcluded ??= Object.fromEntries(
    Object.keys(row)
      .filter((key) => key !== 'id' && key !== 'createdAt')
      .map((key) => [key, sql.raw(`excluded."${projects[key as keyof typeof row].name}"`)]),
  ));
