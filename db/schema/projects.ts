/**
 * The projects' read model (the workflow is the source of truth; this is what activities write so
 * bureaus can list, filter and count), with the facts 统计分析 counts, and the cloud platform's
 * evaluations (Art. 23).
 */
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Art. 23: a read-model row whose view holds evaluations. One expression for the partial index and
 * the query (db/queries/evaluations.ts), so the planner can use the index.
 */
export const hasEvaluations = (view: AnyPgColumn) =>
  sql`jsonb_array_length(coalesce(${view} -> 'evaluations', '[]'::jsonb)) > 0`;

/**
 * 统计分析 (GET /v1/statistics) counts deadlines, violations and rectifications of many projects:
 * PostgreSQL keeps the few fields it counts beside each view (STORED generated columns, computed from
 * `view` on every write, so they cannot disagree with it), and the counts never read whole views.
 */
export const projectFacts = {
  /** `view.deadlines[*].status` (open | met | missed | cancelled), in the view's order. */
  deadlineStatuses: sql`jsonb_path_query_array(view, '$.deadlines[*].status')`,
  /** `view.violations[*].article` ("Art. 15", …). */
  violationArticles: sql`jsonb_path_query_array(view, '$.violations[*].article')`,
  /** `view.rectifications[*].reason` (domain/records.ts RECTIFICATION_REASONS). */
  rectificationReasons: sql`jsonb_path_query_array(view, '$.rectifications[*].reason')`,
};

/**
 * The project read model: one row per project, upserted by an activity after every change of the
 * workflow's state. `version` is the workflow's own change counter, so a late, retried upsert of an
 * older state never overwrites a newer one.
 */
export const projects = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    department: text('department').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    stage: text('stage').notNull(),
    /** Roles that must act next (for `awaiting=<role>` and the inbox). */
    awaitingRoles: text('awaiting_roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    pendingActions: jsonb('pending_actions')
      .notNull()
      .default(sql`'[]'::jsonb`),
    nextDeadline: timestamp('next_deadline', { withTimezone: true }),
    overdue: boolean('overdue').notNull().default(false),
    fundsSuspended: boolean('funds_suspended').notNull().default(false),
    /** The ProjectView as of `version`, for lists and the funds overview. */
    view: jsonb('view').notNull(),
    // What 统计分析 counts, computed by PostgreSQL from `view` (projectFacts below).
    deadlineStatuses: jsonb('deadline_statuses').generatedAlwaysAs(projectFacts.deadlineStatuses),
    violationArticles: jsonb('violation_articles').generatedAlwaysAs(projectFacts.violationArticles),
    rectificationReasons: jsonb('rectification_reasons').generatedAlwaysAs(projectFacts.rectificationReasons),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Lists are ordered by (created_at desc, id desc) and paged by that cursor: every list index ends
  // in (created_at, id), so a filtered or unfiltered page is a backward index scan, not a sort.
  (t) => [
    index('projects_created_idx').on(t.createdAt, t.id),
    index('projects_department_created_idx').on(t.department, t.createdAt, t.id),
    index('projects_stage_created_idx').on(t.stage, t.createdAt, t.id),
    index('projects_jurisdiction_created_idx').on(t.jurisdiction, t.createdAt, t.id),
    index('projects_awaiting_roles_idx').using('gin', t.awaitingRoles),
    index('projects_next_deadline_idx').on(t.nextDeadline),
    // Art. 23: the department's projects that have evaluations (priorEvaluationsOf, on every
    // ProjectView the API answers): without it each answer read every view of the department.
    index('projects_department_evaluated_idx').on(t.department).where(hasEvaluations(t.view)),
    // The yes/no filters pick few rows: partial indexes in list order, so `overdue=true` or
    // `fundsSuspended=true` reads only the matching rows instead of scanning the list until 50 match.
    index('projects_overdue_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.overdue}`),
    index('projects_suspended_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.fundsSuspended}`),
    // `q` (title contains, ILIKE '%…%'): trigrams (pg_trgm, migration 0014; PGlite loads the
    // extension in db/client.ts), so a rare or absent term is found without reading every title.
    index('projects_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
  ],
);

/**
 * Art. 23: the BDB's yearly evaluation of the city cloud platform (市级城市云平台日常应用), a
 * subject of its own (no project). One per year; its audit entries are chained under the subject
 * `cloud-platform` in `audit_log` (CLOUD_PLATFORM_SUBJECT).
 */
export const cloudPlatformEvaluations = pgTable(
  'cloud_platform_evaluations',
  {
    year: integer('year').primaryKey(),
    /** 0-100. */
    score: integer('score').notNull(),
    result: text('result').notNull(),
    opinion: text('opinion').notNull(),
    /** `sm3:<hex>` of a document of the document store, or a legacy free-text reference. */
    documentRef: text('document_ref').notNull(),
    documentId: text('document_id'),
    evaluatedByKeyId: text('evaluated_by_key_id').notNull(),
    evaluatedByName: text('evaluated_by_name').notNull(),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('cloud_platform_evaluations_score_check', sql`${t.score} between 0 and 100`)],
);

export type CloudPlatformEvaluationRow = typeof cloudPlatformEvaluations.$inferSelect;
