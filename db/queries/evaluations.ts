/**
 * Art. 23: evaluations as a reference for next year's reviews. The `cloud_platform_evaluations`
 * table's one owner (the BDB's yearly evaluation of the city cloud platform, a subject of its own),
 * and the reads of project evaluations from the `projects` read model (each project's workflow keeps
 * its evaluations in its view; nothing here asks Temporal).
 */
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../client.ts';
import {
  cloudPlatformEvaluations,
  documents,
  hasEvaluations,
  projects,
  type CloudPlatformEvaluationRow,
} from '../schema.ts';
import { shanghaiYear } from '../../domain/calendar/index.ts';
import type { EvaluationRecord } from '../../domain/records.ts';
import { PRIOR_EVALUATION_YEARS, type PriorEvaluation } from '../../domain/view-shapes.ts';
import type { AuditEntry } from '../../domain/effects.ts';
import { appendAudit } from './audit.ts';

export type { CloudPlatformEvaluationRow };

/** The audit trail subject of the cloud platform's evaluations (`audit_log.project_id`; no project has this id). */
export const CLOUD_PLATFORM_SUBJECT = 'cloud-platform';

/** Every cloud platform evaluation, newest year first. */
export const listCloudPlatformEvaluations = (db: Database): Promise<CloudPlatformEvaluationRow[]> =>
  db.select().from(cloudPlatformEvaluations).orderBy(desc(cloudPlatformEvaluations.year));

/** One year's evaluation, if recorded. */
export async function findCloudPlatformEvaluation(
  db: Database,
  year: number,
): Promise<CloudPlatformEvaluationRow | undefined> {
  const [row] = await db.select().from(cloudPlatformEvaluations).where(eq(cloudPlatformEvaluations.year, year));
  return row;
}

/** Stores a year's evaluation; undefined when that year has one already (nothing changed). */
export async function insertCloudPlatformEvaluation(
  db: Database,
  values: Omit<CloudPlatformEvaluationRow, 'evaluatedAt'> & { evaluatedAt: Date },
): Promise<CloudPlatformEvaluationRow | undefined> {
  const [row] = await db.insert(cloudPlatformEvaluations).values(values).onConflictDoNothing().returning();
  if (row && values.documentId) {
    // The document is filed with the cloud platform from now on (as a project's filing marks it).
    await db
      .update(documents)
      .set({ projectId: CLOUD_PLATFORM_SUBJECT })
      .where(and(eq(documents.id, values.documentId), isNull(documents.projectId)));
  }
  return row;
}

/**
 * Stores a year's evaluation and appends its audit entry to the subject `cloud-platform`'s SM3 chain
 * (Art. 23, 24-25) in one transaction; undefined when that year has one already (nothing changed).
 */
export async function recordCloudPlatformEvaluation(
  db: Database,
  values: Omit<CloudPlatformEvaluationRow, 'evaluatedAt'> & { evaluatedAt: Date },
  audit: AuditEntry,
): Promise<CloudPlatformEvaluationRow | undefined> {
  return db.transaction(async (tx) => {
    const row = await insertCloudPlatformEvaluation(tx, values);
    if (!row) return undefined;
    await appendAudit(tx, CLOUD_PLATFORM_SUBJECT, [audit]);
    return row;
  });
}

/** What Art. 23 reads of another project: its id, title and the evaluations in its view. */
const evaluatedColumns = {
  id: projects.id,
  title: projects.title,
  evaluations: sql<EvaluationRecord[] | null>`${projects.view} -> 'evaluations'`,
};

/** The department's projects but one that have evaluations: the predicate of the partial index. */
const otherEvaluated = (department: string | AnyPgColumn, exceptId: string | AnyPgColumn) =>
  and(eq(projects.department, department), ne(projects.id, exceptId), hasEvaluations(projects.view));

/**
 * Art. 23: the department's projects but one that have evaluations, read through the partial index
 * projects_department_evaluated_idx (the other projects of a large department are never read).
 */
export const evaluatedProjectsOf = (db: Database, department: string, exceptId: string) =>
  db.select(evaluatedColumns).from(projects).where(otherEvaluated(department, exceptId));

/** Evaluated rows of the department's other projects → their evaluations from `fromYear` on, newest first. */
function priorFrom(
  rows: Array<{ id: string; title: string; evaluations: EvaluationRecord[] | null }>,
  fromYear: number,
): PriorEvaluation[] {
  const out: PriorEvaluation[] = [];
  for (const r of rows) {
    for (const e of Array.isArray(r.evaluations) ? r.evaluations : []) {
      if (e.year < fromYear) continue;
      out.push({
        projectId: r.id,
        title: r.title,
        year: e.year,
        result: {
          fundUseScore: e.fundUseScore,
          outputScore: e.outputScore,
          effectScore: e.effectScore,
          satisfactionScore: e.satisfactionScore,
          sharingCompliant: e.sharingCompliant,
          summary: e.summary,
        },
        date: e.evaluatedAt,
      });
    }
  }
  return out.sort((a, b) => b.year - a.year || b.date.localeCompare(a.date) || a.projectId.localeCompare(b.projectId));
}

/**
 * Art. 23: the evaluations of a department's other projects for the operating years from
 * `applicationYear − 2` on (PRIOR_EVALUATION_YEARS), newest first, as the read model shows them.
 */
export async function priorEvaluationsOf(
  db: Database,
  project: { id: string; department: string; applicationYear: number },
): Promise<PriorEvaluation[]> {
  const rows = await evaluatedProjectsOf(db, project.department, project.id);
  return priorFrom(rows, project.applicationYear - PRIOR_EVALUATION_YEARS);
}

/** The project's own row, joined to its department's other evaluated projects (priorEvaluationsOfProject). */
const self = alias(projects, 'self');

/**
 * Art. 23: the department's other projects with evaluations, read from the project's own row
 * (department, application date) in the same statement: the project's row left-joined to them
 * through the partial index projects_department_evaluated_idx. No row: the read model does not have
 * the project.
 */
export const selfAndEvaluatedProjects = (db: Database, projectId: string) =>
  db
    .select({ createdAt: self.createdAt, ...evaluatedColumns })
    .from(self)
    .leftJoin(projects, otherEvaluated(self.department, self.id))
    .where(eq(self.id, projectId));

/**
 * `priorEvaluationsOf` for a project known by its id alone, from its read-model row (department,
 * application date), in one round trip; undefined when the read model has no row for it. Neither
 * depends on the project's later changes, so the API reads them while a command to the project runs.
 */
export async function priorEvaluationsOfProject(
  db: Database,
  projectId: string,
): Promise<PriorEvaluation[] | undefined> {
  const rows = await selfAndEvaluatedProjects(db, projectId);
  if (rows.length === 0) return undefined;
  // With no other evaluated project in the department, the left join's one row has none (id null).
  const others = rows.flatMap(({ id, title, evaluations }) =>
    id === null || title === null ? [] : [{ id, title, evaluations }],
  );
  return priorFrom(others, shanghaiYear(rows[0]!.createdAt.toISOString()) - PRIOR_EVALUATION_YEARS);
}
