/**
 * The BDB's annual plans (Art. 6, 8): items, versions and their approval, plan events and filings.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { fenColumn } from './money.ts';

/**
 * The BDB's annual plan (Art. 6, 8): a project must reference an item of its year and department in
 * the approved version in force. Items belong to one version of the year's plan (annual_plan_versions).
 */
export const annualPlanItems = pgTable(
  'annual_plan_items',
  {
    year: integer('year').notNull(),
    version: integer('version').notNull().default(1),
    code: text('code').notNull(),
    title: text('title').notNull(),
    department: text('department').notNull(),
    ceilingFen: fenColumn('ceiling_fen').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [
    primaryKey({ columns: [t.year, t.version, t.code] }),
    check('annual_plan_ceiling_check', sql`${t.ceilingFen} >= 0`),
  ],
);

/**
 * Art. 6 (measures): the versions of a year's annual plan. At most one `draft` per year (the BDB edits
 * it); approving it records the city government's approval (date, document number) and makes it the
 * version in force (the highest approved version); older versions stay readable.
 */
export const PLAN_VERSION_STATUSES = ['draft', 'approved'] as const;

export const annualPlanVersions = pgTable(
  'annual_plan_versions',
  {
    year: integer('year').notNull(),
    version: integer('version').notNull(),
    status: text('status', { enum: PLAN_VERSION_STATUSES }).notNull().default('draft'),
    approvedOn: date('approved_on', { mode: 'string' }),
    documentNo: text('document_no'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: text('approved_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [
    primaryKey({ columns: [t.year, t.version] }),
    uniqueIndex('annual_plan_versions_one_draft')
      .on(t.year)
      .where(sql`${t.status} = 'draft'`),
    check('annual_plan_versions_status_check', sql`${t.status} in ('draft', 'approved')`),
    check(
      'annual_plan_versions_approval_check',
      sql`(${t.status} = 'approved') = (${t.approvedOn} is not null and ${t.documentNo} is not null)`,
    ),
  ],
);

/**
 * Art. 6, Art. 24-25 (measures): the trail of every plan change — draft edits (what was added, removed,
 * changed), approvals and filings — who, when, what. Append-only.
 */
export const planEvents = pgTable(
  'plan_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The plan year (null for a filing that names none). */
    year: integer('year'),
    version: integer('version'),
    action: text('action').notNull(),
    actorKeyId: text('actor_key_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorDepartment: text('actor_department'),
    actorJurisdiction: text('actor_jurisdiction'),
    actorName: text('actor_name').notNull(),
    detail: jsonb('detail').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_events_year_idx').on(t.year, t.id)],
);

/** Art. 6 (measures): a department's or county's own plan filed (备案) with the BDB. */
export const planFilings = pgTable(
  'plan_filings',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    documentRef: text('document_ref').notNull(),
    filedOn: date('filed_on', { mode: 'string' }).notNull(),
    year: integer('year'),
    department: text('department'),
    jurisdiction: text('jurisdiction').notNull(),
    filedByKeyId: text('filed_by_key_id').notNull(),
    filedByName: text('filed_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('plan_filings_created_idx').on(t.createdAt, t.id)],
);
