/**
 * Schemas of the reads (api/routes/history.ts, ledger.ts, inbox.ts, funds.ts, public.ts): the audit
 * trail (Art. 24-25), fund movements and totals (Art. 10-12), the inbox and the public allocations
 * (Art. 11).
 */
import { z } from '@hono/zod-openapi';
import { LIGHTS } from '../../domain/inbox.ts';
import { FUND_BUCKETS, FUND_TYPES, MOVEMENT_KINDS } from '../../domain/money.ts';
import { fen } from '../../domain/field-schemas.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import { instant } from './common.ts';
import { fundBalanceSchema } from './projects.ts';

/** Art. 24-25: one entry of a project's append-only, SM3 hash-chained audit trail. */
export const auditEntry = z
  .object({
    seq: z.number().int(),
    at: instant,
    action: z.string(),
    actor: z.object({
      keyId: z.string(),
      role: z.string(),
      department: z.string().nullable(),
      name: z.string(),
      accountId: z
        .string()
        .nullable()
        .openapi({ description: 'Art. 22, 24-25: the personal account that acted; null for API keys' }),
      organization: z.string().nullable(),
    }),
    detail: z.unknown(),
    hash: z.string(),
    prevHash: z.string(),
  })
  .openapi('AuditEntry');

export const projectHistory = z.object({ projectId: z.string(), items: z.array(auditEntry) }).openapi('ProjectHistory');

const fundType = z.enum(FUND_TYPES);
const fundBucket = z.enum(FUND_BUCKETS);

export const fundMovement = z
  .object({
    id: z.number().int(),
    idempotencyKey: z.string(),
    projectId: z.string(),
    fundType,
    kind: z.enum(MOVEMENT_KINDS),
    amountFen: fen,
    fromBucket: fundBucket.nullable(),
    toBucket: fundBucket,
    cityShareFen: fen.nullable(),
    countyShareFen: fen.nullable(),
    year: z.number().int().nullable(),
    reason: z.string(),
    article: z.string().nullable(),
    actorKeyId: z.string(),
    actorRole: z.string(),
    actorDepartment: z.string().nullable(),
    actorName: z.string(),
    actorAccountId: z
      .string()
      .nullable()
      .openapi({ description: 'Art. 22, 24-25: the personal account behind the movement; null for API keys' }),
    actorOrganization: z.string().nullable(),
    at: instant,
    recordedAt: instant,
  })
  .openapi('FundMovement');

export const projectLedger = z
  .object({
    projectId: z.string(),
    movements: z.array(fundMovement),
    balances: z.object({ construction: fundBalanceSchema, om: fundBalanceSchema }),
  })
  .openapi('ProjectLedger');

/** 待办's traffic light (domain/inbox.ts): null for an item without a due date. */
const light = z.enum(LIGHTS).nullable().openapi({
  description:
    'red: overdue or past due; yellow: due within 3 working days (the working-day calendar); green: later; null: no due date.',
});

export const inboxItem = z
  .object({
    projectId: z.string(),
    title: z.string(),
    department: z.string(),
    role: z.enum(ROLES),
    action: z.string(),
    /** The entity the action is about (contract number, rectification id, period, …), when there is one. */
    ref: z.string().optional(),
    dueAt: instant.nullable(),
    overdue: z.boolean(),
    light,
    /** `policy` when a local policy setting, not the text, asks for it now (e.g. Art. 28's order). */
    basis: z.literal('policy').optional(),
  })
  .openapi('InboxItem');

export const notificationItem = z
  .object({
    id: z.number().int(),
    projectId: z.string(),
    kind: z.string(),
    detail: z.string(),
    dueAt: instant.nullable(),
    /** docs/MEASURES.md "Two kinds of rule": the text's own rule or a policy setting produced it. */
    basis: z.enum(['measures', 'policy']),
    createdAt: instant,
    light,
    /** When the caller marked it read (each person marks a notice for themselves); null: unread. */
    readAt: instant.nullable(),
  })
  .openapi('Notification');

export const inboxCounts = z
  .object({
    total: z.number().int(),
    red: z.number().int(),
    yellow: z.number().int(),
    green: z.number().int(),
    none: z.number().int().openapi({ description: 'Pending actions without a due date' }),
  })
  .openapi('InboxCounts', {
    description:
      "All the caller's pending actions per traffic light, counted by the database (whatever page or `light` filter).",
  });

export const inbox = z
  .object({
    items: z.array(inboxItem),
    nextCursor: z.string().nullable().openapi({ description: 'The `cursor` of the next page; null on the last.' }),
    counts: inboxCounts,
    thresholds: z.object({ now: instant, dueSoonUntil: instant }).openapi({
      description:
        'The instants the lights were decided against: yellow up to `dueSoonUntil` (end of the 3rd working day after today, Asia/Shanghai).',
    }),
    notifications: z.array(notificationItem),
    unreadCount: z
      .number()
      .int()
      .openapi({ description: "The caller's unread notifications, all of them (counted by the database)." }),
  })
  .openapi('Inbox');

export const projectFunds = z
  .object({
    projectId: z.string(),
    title: z.string(),
    department: z.string(),
    jurisdiction: z.string(),
    fundsSuspended: z.boolean(),
    construction: fundBalanceSchema,
    om: fundBalanceSchema,
  })
  .openapi('ProjectFunds');

/**
 * A sum of fen over many projects: a JSON integer while it is a safe integer (≤ 2^53 − 1), else a
 * string of decimal digits (exact: summed by PostgreSQL as numeric).
 */
export const totalFen = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d+$/)])
  .openapi({
    description:
      'Integer fen; a string of decimal digits when the sum exceeds 2^53 − 1 (Number.MAX_SAFE_INTEGER), so it is never rounded.',
  });

export const fundTotals = z
  .object({
    allocatedFen: totalFen,
    heldFen: totalFen,
    availableFen: totalFen,
    frozenFen: totalFen,
    disbursedFen: totalFen,
    cancelledFen: totalFen,
  })
  .openapi('FundTotals');

export const fundsOverview = z
  .object({
    items: z.array(projectFunds),
    totals: z.object({ construction: fundTotals, om: fundTotals }),
  })
  .openapi('FundsOverview');

export const publicAllocation = z
  .object({
    projectId: z.string(),
    title: z.string(),
    department: z.string(),
    jurisdiction: z.string(),
    /** The names the public reads (the departments and jurisdictions registries; the code when unnamed). */
    departmentName: z.string(),
    jurisdictionName: z.string(),
    fundType,
    year: z.number().int().nullable(),
    amountFen: fen,
    cityShareFen: fen.nullable(),
    countyShareFen: fen.nullable(),
    allocatedAt: instant,
    status: z.enum(['publicity', 'published', 'withdrawn']),
    allocationId: z.string(),
    /** Art. 11: the BDB's allocation plan that published it (null: publicised at allocation, legacy). */
    plan: z.object({ id: z.string(), title: z.string(), year: z.number().int(), publishedAt: instant }).nullable(),
    noticeStartsAt: instant.nullable(),
    noticeDueAt: instant.nullable(),
    publishedAt: instant.nullable(),
  })
  .openapi('PublicAllocation');

export const publicAllocations = z.object({ items: z.array(publicAllocation) }).openapi('PublicAllocations');
