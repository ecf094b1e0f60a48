/**
 * Money (Art. 10-12; docs/MEASURES.md "Money"): fund balances per project and fund type, the
 * append-only fund movements, and the BDB's allocation plans (Art. 11).
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { FUND_BUCKETS, FUND_TYPES, MOVEMENT_KINDS } from '../../domain/money.ts';

/** Money columns: integer fen in a bigint, read as a JS number (exact up to 2^53 fen ≈ 90 trillion yuan). */
export const fenColumn = (name: string) => bigint(name, { mode: 'number' });

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

export type FundMovementRow = typeof fundMovements.$inferSelect;

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
    uniqueIndex('allocation_plan_items_published_idx')
      .on(t.projectId, t.allocationId)
      .where(sql`${t.status} = 'published'`),
    check('allocation_plan_items_status_check', sql`${t.status} in ('pending', 'published', 'refused')`),
  ],
);

export type AllocationPlanRow = typeof allocationPlans.$inferSelect;
export type AllocationPlanItemRow = typeof allocationPlanItems.$inferSelect;
