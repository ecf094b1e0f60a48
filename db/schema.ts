/**
 * Database schema (drizzle). Migrations are generated from this file by `npm run db:generate`
 * into db/migrations and committed; a shipped migration is never edited, only followed by a new one.
 *
 * The Temporal workflow is the source of truth for a project's state; the tables here are what
 * activities write so bureaus can list, filter and audit without asking every workflow.
 */
import { sql } from 'drizzle-orm';
import { ACCOUNT_EVENT_OUTCOMES, ACCOUNT_EVENTS } from '../domain/accounts.ts';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
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

import { FUND_BUCKETS, FUND_TYPES, MOVEMENT_KINDS } from '../domain/money.ts';
import { ROLES } from '../domain/vocabulary.ts';

/**
 * API keys (docs/API.md "Auth"). Only an SM3 digest of the secret is stored; the plaintext key is
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
    /** Art. 5, 12, 30 (measures): the jurisdiction (jurisdictions.code) the key acts for. */
    jurisdiction: text('jurisdiction').notNull().default('city'),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    // 三员分立 (policy, domain/admin-roles.ts): `admin` is the start-up key's alone, never a row's.
    check('api_keys_role_check', sql`${t.role} in ('bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin')`),
    // A department key always names its department; no other role carries one.
    check(
      'api_keys_department_check',
      sql`(${t.role} = 'department') = (${t.department} is not null)`,
    ),
  ],
);

/**
 * Personal accounts (issue 16; Art. 22, 24-25: persons are held to account) beside API keys, which
 * stay for systems. The password hash carries its algorithm and parameters (lib/passwords.ts); the
 * TOTP secret is the confirmed one, `totp_pending_secret` one being enrolled (lib/totp.ts);
 * `totp_last_step` is the time step of the last code accepted, so no code is accepted twice.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    loginName: text('login_name').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    department: text('department'),
    jurisdiction: text('jurisdiction'),
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    // 三员分立 (policy, domain/admin-roles.ts): `admin` is the start-up key's alone, never a row's.
    check('accounts_role_check', sql`${t.role} in ('bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin')`),
    // As for keys: a department account names its department; no other role carries one.
    check('accounts_department_check', sql`(${t.role} = 'department') = (${t.department} is not null)`),
  ],
);

/**
 * Sign-in sessions of accounts. Only SM3(token) is stored (the id); the CSRF token is not a
 * credential on its own and is handed back by GET /v1/auth/me. Idle and absolute expiry are
 * decided from `created_at` and `last_seen_at` (domain/accounts.ts sessionExpiry); `ended_at` is
 * set by sign-out, revocation or expiry.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** logout | logout-everywhere | revoked | idle | absolute | password-changed */
    endReason: text('end_reason'),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

/** The hashes of an account's passwords, newest last, for "not one of the last 5" (domain/accounts.ts). */
export const passwordHistory = pgTable(
  'password_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('password_history_account_idx').on(t.accountId, t.id)],
);

/**
 * The accounts' security trail (Art. 24-25: every action traced to a person; Art. 28; GB/T 39786 logs): every sign-in
 * and its failures (known login name or not), lockouts, sign-outs, expired sessions, password and
 * TOTP changes and the admins' actions on accounts, append-only, each row chained to the one before
 * by SM3 (db/audit-chain.ts chainLink) — one chain for the whole table, `seq` 1, 2, 3… The lockout
 * counts `sign_in_attempts` instead, which also holds the attempts still being checked.
 */
export const accountEvents = pgTable(
  'account_events',
  {
    seq: integer('seq').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** domain/accounts.ts ACCOUNT_EVENTS */
    event: text('event', { enum: ACCOUNT_EVENTS }).notNull(),
    /** domain/accounts.ts ACCOUNT_EVENT_OUTCOMES */
    outcome: text('outcome', { enum: ACCOUNT_EVENT_OUTCOMES }).notNull(),
    /** null for a sign-in attempt with a login name no active account has */
    accountId: text('account_id'),
    loginName: text('login_name').notNull(),
    /** Who acted: `account:<id>` (the person), an API key id (an admin system), `cli:<user>`; null for an anonymous sign-in attempt. */
    actor: text('actor'),
    actorName: text('actor_name'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    detail: jsonb('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('account_events_account_idx').on(t.accountId, t.seq),
    index('account_events_login_idx').on(t.loginName, t.event, t.at),
  ],
);

/**
 * The lockout's counter (issue 28; GB/T 22239-2019 8.1.4.1 b): one row per sign-in attempt of a login
 * name, reserved before its password is checked — in a transaction serialised per login name — and
 * finished with its outcome. A reservation still open counts against the limit, so parallel attempts
 * cannot all be checked before the first failure is recorded (domain/accounts.ts signInDecision).
 * `source` is the client address (api/client-address.ts). Rows older than a day are swept.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    loginName: text('login_name').notNull(),
    source: text('source').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** null while being checked; `failure`, `success`, or `incomplete` (a missing TOTP code: not a failure) */
    outcome: text('outcome', { enum: ['failure', 'success', 'incomplete'] }),
  },
  (t) => [index('sign_in_attempts_login_idx').on(t.loginName, t.startedAt), index('sign_in_attempts_started_idx').on(t.startedAt)],
);

export type AccountRow = typeof accounts.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type AccountEventRow = typeof accountEvents.$inferSelect;

/**
 * Art. 23: a read-model row whose view holds evaluations. One expression for the partial index and
 * the query (db/queries/evaluations.ts), so the planner can use the index.
 */
export const hasEvaluations = (view: AnyPgColumn) => sql`jsonb_array_length(coalesce(${view} -> 'evaluations', '[]'::jsonb)) > 0`;

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
    awaitingRoles: text('awaiting_roles').array().notNull().default(sql`'{}'::text[]`),
    pendingActions: jsonb('pending_actions').notNull().default(sql`'[]'::jsonb`),
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
    index('projects_overdue_created_idx').on(t.createdAt, t.id).where(sql`${t.overdue}`),
    index('projects_suspended_created_idx').on(t.createdAt, t.id).where(sql`${t.fundsSuspended}`),
    // `q` (title contains, ILIKE '%…%'): trigrams (pg_trgm, migration 0014; PGlite loads the
    // extension in db/client.ts), so a rare or absent term is found without reading every title.
    index('projects_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
  ],
);


export type ApiKeyRow = typeof apiKeys.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Lifecycle data (issue: the project lifecycle workflow)
// ---------------------------------------------------------------------------------------------

/** Money columns: integer fen in a bigint, read as a JS number (exact up to 2^53 fen ≈ 90 trillion yuan). */
const fenColumn = (name: string) => bigint(name, { mode: 'number' });


/**
 * Working-day calendar (docs/MEASURES.md "Working days"): only the dates that differ from
 * "Monday–Friday work, weekends off" are stored — statutory holidays, bridges and adjusted working
 * weekends (调休). Every day carries its source:
 * - `law`: computed from the holiday law (domain/holidays.ts) for a year without a notice yet,
 *   `provisional` until the State Council's notice of that year is entered;
 * - `notice`: the State Council's notice of the year, `reference` e.g. 国办发明电〔2026〕N号 (or
 *   `chinese-days` for the years the package's data covers);
 * - `admin`: a per-date override, never overwritten by a seed or a later notice.
 */
export const CALENDAR_SOURCES = ['law', 'notice', 'admin'] as const;
export type CalendarSource = (typeof CALENDAR_SOURCES)[number];

export const calendarDays = pgTable(
  'calendar_days',
  {
    date: date('date', { mode: 'string' }).primaryKey(),
    workday: boolean('workday').notNull(),
    name: text('name').notNull().default(''),
    source: text('source', { enum: CALENDAR_SOURCES }).notNull(),
    /** The notice's reference (source `notice`). */
    reference: text('reference'),
    /** True for law-derived days of a year whose notice is not entered yet. */
    provisional: boolean('provisional').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [check('calendar_days_source_check', sql`${t.source} in ('law', 'notice', 'admin')`)],
);

/**
 * Deadline policies per jurisdiction (Art. 30: a county may issue its own measures), versioned:
 * a PUT adds a version, a project pins the version it started under.
 */
export const policies = pgTable(
  'policies',
  {
    jurisdiction: text('jurisdiction').notNull(),
    version: integer('version').notNull(),
    deadlines: jsonb('deadlines').notNull(),
    /** Policy switches (domain/policy.ts PolicySwitches); `{}` in versions stored before: every switch off. */
    switches: jsonb('switches').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by'),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.version] }), check('policies_version_check', sql`${t.version} >= 1`)],
);

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
  (t) => [primaryKey({ columns: [t.year, t.version, t.code] }), check('annual_plan_ceiling_check', sql`${t.ceilingFen} >= 0`)],
);

/**
 * Per project and fund type: allocated = held + available + frozen + disbursed + cancelled, none
 * negative (docs/MEASURES.md "Money"). The database enforces it as well as the lifecycle core.
 */
export const fundBalances = pgTable(
  'fund_balances',
  {
    projectId: text('project_id').notNull(),
    fundType: text('fund_type', { enum: FUND_TYPES }).notNull(),
    allocatedFen: fenColumn('allocated_fen').notNull().default(0),
    heldFen: fenColumn('held_fen').notNull().default(0),
    availableFen: fenColumn('available_fen').notNull().default(0),
    frozenFen: fenColumn('frozen_fen').notNull().default(0),
    disbursedFen: fenColumn('disbursed_fen').notNull().default(0),
    cancelledFen: fenColumn('cancelled_fen').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.fundType] }),
    check(
      'fund_balances_non_negative',
      sql`${t.allocatedFen} >= 0 and ${t.heldFen} >= 0 and ${t.availableFen} >= 0 and ${t.frozenFen} >= 0 and ${t.disbursedFen} >= 0 and ${t.cancelledFen} >= 0`,
    ),
    check(
      'fund_balances_identity',
      sql`${t.allocatedFen} = ${t.heldFen} + ${t.availableFen} + ${t.frozenFen} + ${t.disbursedFen} + ${t.cancelledFen}`,
    ),
  ],
);

/**
 * Every fund movement, append-only. `idempotency_key` is unique, so a retried activity never books
 * twice. allocate: → held; publish: held → available; disburse: available → disbursed;
 * freeze/unfreeze: available ↔ frozen; cancel: held/available/frozen → cancelled.
 */
export const fundMovements = pgTable(
  'fund_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    projectId: text('project_id').notNull(),
    fundType: text('fund_type', { enum: FUND_TYPES }).notNull(),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    amountFen: fenColumn('amount_fen').notNull(),
    fromBucket: text('from_bucket', { enum: FUND_BUCKETS }),
    toBucket: text('to_bucket', { enum: FUND_BUCKETS }).notNull(),
    cityShareFen: fenColumn('city_share_fen'),
    countyShareFen: fenColumn('county_share_fen'),
    year: integer('year'),
    reason: text('reason').notNull().default(''),
    article: text('article'),
    actorKeyId: text('actor_key_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorDepartment: text('actor_department'),
    actorName: text('actor_name').notNull(),
    /** Art. 22, 24-25: the person (personal account) behind the movement; null for API keys. */
    actorAccountId: text('actor_account_id'),
    actorOrganization: text('actor_organization'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('fund_movements_project_idx').on(t.projectId, t.id),
    check('fund_movements_amount_positive', sql`${t.amountFen} > 0`),
  ],
);

/**
 * Audit trail (Art. 24-25): every accepted action, append-only, hash-chained per project with SM3
 * (GB/T 32905; Art. 28): hash = SM3(prev_hash ‖ canonical entry). `event_id` makes appends idempotent.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    projectId: text('project_id').notNull(),
    seq: integer('seq').notNull(),
    eventId: text('event_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    action: text('action').notNull(),
    actorKeyId: text('actor_key_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorDepartment: text('actor_department'),
    actorName: text('actor_name').notNull(),
    /** Art. 22, 24-25: the person (personal account) who acted; null for API keys and older entries. */
    actorAccountId: text('actor_account_id'),
    actorOrganization: text('actor_organization'),
    detail: jsonb('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.seq] }),
    uniqueIndex('audit_log_event_idx').on(t.projectId, t.eventId),
  ],
);

/** Notifications outbox: reminders and violations for the inbox (recipient role and department). */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique(),
    projectId: text('project_id').notNull(),
    recipientRole: text('recipient_role').notNull(),
    recipientDepartment: text('recipient_department'),
    kind: text('kind').notNull(),
    /** What the texts of `kind` are rendered from (domain/labels/notifications.ts), so either language can be shown later. */
    params: jsonb('params').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    /** The zh-CN text (domain/labels/notifications.ts renders English from kind + params). */
    detail: text('detail').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** `measures` (the text's own rule) or `policy` (a policy setting produced it). */
    basis: text('basis').notNull().default('measures'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When the row was written (its transaction's start): webhook delivery's cursor settles on it (lib/webhooks.ts). */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_recipient_idx').on(t.recipientRole, t.recipientDepartment, t.createdAt)],
);

/**
 * 待办's rows: one per pending action of a project (`projects.pending_actions`), kept by a trigger on
 * `projects` (migration 0017: written in the same statement as the read model, so never behind it),
 * so the inbox pages a role's actions by index — due first (`due_sort`: the due instant, `infinity`
 * for none), then project and place — and counts them without expanding every project's JSON.
 */
export const inboxItems = pgTable(
  'inbox_items',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The action's place in the project's `pending_actions` (1-based). */
    ordinal: integer('ordinal').notNull(),
    role: text('role').notNull(),
    department: text('department').notNull(),
    action: text('action').notNull(),
    ref: text('ref'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    dueSort: timestamp('due_sort', { withTimezone: true }).notNull(),
    overdue: boolean('overdue').notNull(),
    /** 'policy' when a local policy setting, not the text, asks for the action now (docs/MEASURES.md "Two kinds of rule"). */
    basis: text('basis'),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.ordinal] }),
    index('inbox_items_role_due_idx').on(t.role, t.dueSort, t.projectId, t.ordinal),
    index('inbox_items_role_department_due_idx').on(t.role, t.department, t.dueSort, t.projectId, t.ordinal),
  ],
);

/**
 * Who has read which notice: a notice is addressed to a role (and department), and each person
 * (`reader`: the actor's key id, `account:<id>` for a personal account) marks it read for
 * themselves — opening it, or 全部已读 — without clearing it for their colleagues.
 */
export const notificationReads = pgTable(
  'notification_reads',
  {
    reader: text('reader').notNull(),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reader, t.notificationId] })],
);

/**
 * HTTP idempotency (docs/API.md "Idempotency"): the first response to a (key, Idempotency-Key) pair, with the
 * request's hash so a reuse with another body is refused (422 idempotency_conflict).
 */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    apiKeyId: text('api_key_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The Temporal Update the request sent (api/idempotency.ts), noted just before it was sent: a
     * retry finding the record still pending asks Temporal what became of it instead of waiting.
     */
    workflowId: text('workflow_id'),
    updateId: text('update_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] })],
);

export type FundMovementRow = typeof fundMovements.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Art. 11: the BDB's allocation plans (资金拟分配计划). A plan is stored before its allocations are
 * sent to their projects (`allocationPublication`), with one row per listed allocation and its own
 * status, so a plan interrupted half-way (Temporal or a worker unavailable) is finished by a retry
 * of the same request: `publishing` until every item is `published` or `refused`, then `published`.
 */
export const ALLOCATION_PLAN_STATUSES = ['publishing', 'published'] as const;
export const ALLOCATION_PLAN_ITEM_STATUSES = ['pending', 'published', 'refused'] as const;

export const allocationPlans = pgTable(
  'allocation_plans',
  {
    id: text('id').primaryKey(),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    status: text('status', { enum: ALLOCATION_PLAN_STATUSES }).notNull().default('publishing'),
    createdByKeyId: text('created_by_key_id').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When its last item was sent: the plan is public from then on. */
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    index('allocation_plans_year_idx').on(t.year, t.createdAt),
    check('allocation_plans_status_check', sql`${t.status} in ('publishing', 'published')`),
  ],
);

export const allocationPlanItems = pgTable(
  'allocation_plan_items',
  {
    planId: text('plan_id').notNull(),
    position: integer('position').notNull(),
    projectId: text('project_id').notNull(),
    allocationId: text('allocation_id').notNull(),
    status: text('status', { enum: ALLOCATION_PLAN_ITEM_STATUSES }).notNull().default('pending'),
    /** Why the project refused it (`refused`): the problem code and text. */
    errorCode: text('error_code'),
    errorDetail: text('error_detail'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.position] }),
    uniqueIndex('allocation_plan_items_listed_idx').on(t.planId, t.projectId, t.allocationId),
    // An allocation is published by one plan only.
    uniqueIndex('allocation_plan_items_published_idx').on(t.projectId, t.allocationId).where(sql`${t.status} = 'published'`),
    check('allocation_plan_items_status_check', sql`${t.status} in ('pending', 'published', 'refused')`),
  ],
);

export type AllocationPlanRow = typeof allocationPlans.$inferSelect;
export type AllocationPlanItemRow = typeof allocationPlanItems.$inferSelect;

/**
 * Filed documents (Art. 8, 15, 21, 28, 29; lib/documents.ts): one row per upload. The bytes live in
 * the document store's backend, encrypted (SM4) under their SM3 digest; this row is the metadata.
 * `projectId` is set (by persistEffects, in the filing's own transaction) once a command of that
 * project files the document.
 */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    sm3: text('sm3').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    fileName: text('file_name').notNull(),
    uploadedByKeyId: text('uploaded_by_key_id').notNull(),
    uploadedByRole: text('uploaded_by_role', { enum: ROLES }).notNull(),
    uploadedByDepartment: text('uploaded_by_department'),
    uploadedByName: text('uploaded_by_name').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    /** The project a command filed it with (null: not referenced yet). */
    projectId: text('project_id'),
  },
  (t) => [
    index('documents_sm3_idx').on(t.sm3),
    index('documents_project_idx').on(t.projectId),
    check('documents_sm3_check', sql`${t.sm3} ~ '^[0-9a-f]{64}$'`),
    check('documents_size_check', sql`${t.size} > 0`),
  ],
);

export type DocumentRow = typeof documents.$inferSelect;

/**
 * Webhook subscriptions (docs/API.md "Webhooks"): notifications matching `role`, `department` and
 * `kinds` (each null: any) are POSTed to `url`, signed with `secret` (HMAC-SM3). The secret is kept
 * to sign with and never shown again. `cursor`: the highest notifications.id enqueued for delivery
 * whose insertion is settled (lib/webhooks.ts); newer rows are re-scanned until then.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  role: text('role'),
  department: text('department'),
  kinds: jsonb('kinds').$type<string[]>(),
  cursor: bigint('cursor', { mode: 'number' }).notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/** One notification to deliver to one subscription: pending until delivered or given up (24 h). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    notificationId: bigint('notification_id', { mode: 'number' }).notNull(),
    eventId: text('event_id').notNull(),
    projectId: text('project_id').notNull(),
    /** pending | delivered | failed (gave up after 24 h of attempts). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_once').on(t.subscriptionId, t.notificationId),
    index('webhook_deliveries_pending_idx').on(t.status, t.subscriptionId, t.projectId, t.notificationId),
  ],
);

/** Every delivery attempt: HTTP status (null when no answer), latency, error, when. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull(),
    subscriptionId: text('subscription_id').notNull(),
    eventId: text('event_id').notNull(),
    attempt: integer('attempt').notNull(),
    ok: boolean('ok').notNull(),
    statusCode: integer('status_code'),
    latencyMs: integer('latency_ms').notNull(),
    error: text('error'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_attempts_subscription_idx').on(t.subscriptionId, t.id)],
);

// ---------------------------------------------------------------------------------------------
// Plans, their approval and filings (Art. 6); jurisdictions (Art. 5, 12, 30) — issue 15 part A
// ---------------------------------------------------------------------------------------------

/**
 * Art. 5, 12, 30 (measures): the city and its county-level divisions. A key (and a person's account)
 * belongs to one; a project's jurisdiction is its key's; its pinned policy is that jurisdiction's.
 */
export const jurisdictions = pgTable('jurisdictions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** `city` for a county; null for the city itself. */
  parent: text('parent'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

export type JurisdictionRow = typeof jurisdictions.$inferSelect;

/**
 * The departments registry (项目实施单位, Art. 4; Art. 5, 12, 30: a department belongs to one
 * jurisdiction): the code keys, accounts, plan items and projects carry, the Chinese name people
 * read. Managed by the admin; a code in use before the registry existed is registered with the code
 * as its name until the admin names it.
 */
export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  jurisdiction: text('jurisdiction')
    .notNull()
    .default('city')
    .references(() => jurisdictions.code),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

export type DepartmentRow = typeof departments.$inferSelect;

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
    uniqueIndex('annual_plan_versions_one_draft').on(t.year).where(sql`${t.status} = 'draft'`),
    check('annual_plan_versions_status_check', sql`${t.status} in ('draft', 'approved')`),
    check('annual_plan_versions_approval_check', sql`(${t.status} = 'approved') = (${t.approvedOn} is not null and ${t.documentNo} is not null)`),
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

/**
 * Art. 23 (issue 15): the BDB's yearly evaluation of the city cloud platform (市级城市云平台日常应用), a
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

/**
 * Abuse limits' counters (api/rate-limit.ts): one fixed window per bucket — `write:<key id>`,
 * `upload:<key id>`, `sign-in:<address>` — counted by one atomic upsert, so every API process on
 * the database enforces one limit (issue 31: in memory, two processes let twice the limit through).
 * Rows of windows long past are swept.
 */
export const rateCounters = pgTable(
  'rate_counters',
  {
    bucket: text('bucket').primaryKey(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [index('rate_counters_window_idx').on(t.windowStart)],
);

/**
 * The administrators' trail (issue 28; GB/T 22239-2019 8.1.4.3 security audit; Art. 24-25 every
 * action traceable): every change an administrator makes to API keys, jurisdictions, policies,
 * the working-day calendar and webhook subscriptions — who, when, from where, the record before
 * and after — appended in the transaction of the change, each row chained to the one before by SM3
 * (db/audit-chain.ts chainLink), `seq` 1, 2, 3…; checked by `npm run audit:verify`. Personal
 * accounts' creation, revocation and reset are on `account_events`, chained the same way. Never a
 * secret: keys and webhook secrets appear only as "set".
 */
export const adminEvents = pgTable(
  'admin_events',
  {
    seq: integer('seq').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** e.g. `api-key.create`, `policy.version`, `calendar.override`, `webhook.delete` */
    action: text('action').notNull(),
    /** What was changed: a key id, a jurisdiction code, a year, a webhook id. */
    target: text('target').notNull(),
    /** Who: an API key id, `account:<id>`, `env-admin`, `cli:<user>`. */
    actor: text('actor').notNull(),
    actorName: text('actor_name'),
    actorRole: text('actor_role'),
    ip: text('ip'),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('admin_events_target_idx').on(t.action, t.target)],
);
export type AdminEventRow = typeof adminEvents.$inferSelect;

/**
 * Worker processes that are alive (api/routes/health.ts): each worker writes its row every few
 * seconds while it runs and deletes it when it stops. Temporal's poller list cannot say this in
 * seconds: an idle worker's long poll is renewed only once a minute, and a dead one's last poll
 * looks just as recent. Keyed by the worker's Temporal identity, which /readyz matches against the
 * task queue's pollers.
 */
export const workerHeartbeats = pgTable(
  'worker_heartbeats',
  {
    taskQueue: text('task_queue').notNull(),
    identity: text('identity').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskQueue, t.identity] })],
);

/**
 * Which document store this database's documents live in (lib/documents.ts). The folder backend
 * writes the same id into its folder at the first start; an API whose folder holds another id, or
 * none, is not looking at this database's documents and refuses to start (issue 31: two APIs, each
 * on its own DATA_DIR, split the documents silently).
 */
export const documentStoreMarkers = pgTable('document_store_markers', {
  kind: text('kind', { enum: ['folder'] }).primaryKey(),
  storeId: text('store_id').notNull(),
  /** host:path where the folder was first opened, for the error message. */
  location: text('location').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
