/**
 * Database schema (drizzle). Migrations are generated from this file by `npm run db:generate`
 * into db/migrations and committed; a shipped migration is never edited, only followed by a new one.
 *
 * The Temporal workflow is the source of truth for a project's state; the tables here are what
 * activities write so bureaus can list, filter and audit without asking every workflow.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, integer } from 'drizzle-orm/pg-core';

export const ROLES = ['bdb', 'approval', 'finance', 'department', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * API keys (shared/API.md "Auth"). Only an SM3 digest of the secret is stored; the plaintext key is
 * shown once, at creation. A key reads `bdp_<id>_<secret>` so the row is found by id and the
 * digests are compared in constant time.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    department: text('department'),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    check('api_keys_role_check', sql`${t.role} in ('bdb', 'approval', 'finance', 'department', 'admin')`),
    // A department key always names its department; no other role carries one.
    check(
      'api_keys_department_check',
      sql`(${t.role} = 'department') = (${t.department} is not null)`,
    ),
  ],
);

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
    awaitingRoles: text('awaiting_roles').array().notNull().default(sql`'{}'::text[]`),
    pendingActions: jsonb('pending_actions').notNull().default(sql`'[]'::jsonb`),
    nextDeadline: timestamp('next_deadline', { withTimezone: true }),
    overdue: boolean('overdue').notNull().default(false),
    fundsSuspended: boolean('funds_suspended').notNull().default(false),
    /** The ProjectView as of `version`, for lists and the funds overview. */
    view: jsonb('view').notNull(),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('projects_department_idx').on(t.department, t.createdAt),
    index('projects_stage_idx').on(t.stage, t.createdAt),
    index('projects_jurisdiction_idx').on(t.jurisdiction, t.createdAt),
    index('projects_next_deadline_idx').on(t.nextDeadline),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
