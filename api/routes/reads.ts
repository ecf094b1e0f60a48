/**
 * Read-only views answered from the database (shared/API.md): the project list, a project's audit
 * history (Art. 24-25) and fund ledger, the caller's inbox, the funds overview (Art. 10-12) and
 * the public list of allocations (Art. 11). The tables are written by the workflow's activities;
 * nothing here asks Temporal, so lists stay fast however many projects run.
 *
 * Departments see their own department's projects only (shared/DOMAIN.md "Actors").
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { and, arrayContains, asc, desc, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { allocationPlans, auditLog, fundBalances, fundMovements, notifications, projects, type FundMovementRow } from '../../db/schema.ts';
import type { Actor, FundBalance, PendingAction, ProjectView } from '../../domain/types.ts';
import { ROLES, STAGES } from '../../domain/types.ts';
import { requireRole } from '../auth.ts';
import { after, cursorMicros, cursorParam, decodeCursor, limitParam, page } from '../pagination.ts';
import { forbidden, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import {
  departmentCode,
  fundsOverview,
  inbox,
  jurisdiction,
  projectHistory,
  projectId,
  projectLedger,
  projectList,
  publicAllocations,
  text,
} from '../schemas.ts';

const booleanFilter = z.enum(['true', 'false']);

const ZERO: FundBalance = { allocatedFen: 0, heldFen: 0, availableFen: 0, frozenFen: 0, disbursedFen: 0, cancelledFen: 0 };

/** Escapes LIKE wildcards so `q` matches literally (`100%` finds "100%", not "1000"). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The read-model row of a project, for the department check; 404 when there is none. */
async function projectOf(db: Database, id: string, actor: Actor) {
  const [row] = await db.select({ id: projects.id, department: projects.department }).from(projects).where(eq(projects.id, id)).limit(1);
  if (!row) throw notFound(`No project ${id}.`);
  if (actor.role === 'department' && row.department !== actor.department) {
    throw forbidden(`Project ${id} belongs to another department.`);
  }
  return row;
}

const balanceOf = (row: typeof fundBalances.$inferSelect): FundBalance => ({
  allocatedFen: row.allocatedFen,
  heldFen: row.heldFen,
  availableFen: row.availableFen,
  frozenFen: row.frozenFen,
  disbursedFen: row.disbursedFen,
  cancelledFen: row.cancelledFen,
});

/** A total of fen: a number while it is a safe integer, else the exact digits (api/schemas.ts `fundTotals`). */
type FundTotals = Record<keyof FundBalance, number | string>;

/** The exact decimal sum PostgreSQL computed, as a JSON integer when that is exact, else as a string. */
export const exactTotal = (digits: string | null): number | string => {
  const value = BigInt(digits ?? '0');
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
};

const movementOf = (m: FundMovementRow) => ({
  id: m.id,
  idempotencyKey: m.idempotencyKey,
  projectId: m.projectId,
  fundType: m.fundType,
  kind: m.kind,
  amountFen: m.amountFen,
  fromBucket: m.fromBucket,
  toBucket: m.toBucket,
  cityShareFen: m.cityShareFen,
  countyShareFen: m.countyShareFen,
  year: m.year,
  reason: m.reason,
  article: m.article,
  actorKeyId: m.actorKeyId,
  actorRole: m.actorRole,
  actorDepartment: m.actorDepartment,
  actorName: m.actorName,
  at: m.at.toISOString(),
  recordedAt: m.recordedAt.toISOString(),
});

export function readRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects',
      tags: ['projects'],
      summary: 'List projects (newest first)',
      description:
        'From the read model. Department keys see their own department only: the filter is forced, and ' +
        '`department=` naming another department gives an empty list. `q` matches a substring of the title, ' +
        'case-insensitively and literally (`%` and `_` are not wildcards). Keyset pagination: pass `nextCursor` as `cursor`.',
      security,
      request: {
        query: z.strictObject({
          stage: z.enum(STAGES).optional(),
          department: departmentCode.optional(),
          jurisdiction: jurisdiction.optional(),
          awaiting: z.enum(ROLES).optional().openapi({ description: 'Projects waiting for this role to act' }),
          overdue: booleanFilter.optional(),
          fundsSuspended: booleanFilter.optional(),
          q: text(200).optional(),
          limit: limitParam,
          cursor: cursorParam,
        }),
      },
      responses: {
        200: { description: 'A page of project summaries', content: json(projectList) },
        400: problem('Invalid filter, limit or cursor'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const actor = c.get('actor');
      const where: SQL[] = [];
      if (actor.role === 'department') where.push(eq(projects.department, actor.department ?? ''));
      if (query.department) where.push(eq(projects.department, query.department));
      if (query.stage) where.push(eq(projects.stage, query.stage));
      if (query.jurisdiction) where.push(eq(projects.jurisdiction, query.jurisdiction));
      if (query.awaiting) where.push(arrayContains(projects.awaitingRoles, [query.awaiting]));
      if (query.overdue) where.push(eq(projects.overdue, query.overdue === 'true'));
      if (query.fundsSuspended) where.push(eq(projects.fundsSuspended, query.fundsSuspended === 'true'));
      if (query.q) where.push(ilike(projects.title, `%${escapeLike(query.q)}%`));
      const position = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (position) where.push(after(projects.createdAt, projects.id, position));

      const rows = await db
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
        .limit(query.limit + 1);

      const { rows: pageRows, nextCursor } = page(rows, query.limit);
      const items = pageRows.map(({ cursorMicros: _position, ...r }) => ({
        ...r,
        stage: r.stage as ProjectView['stage'],
        pendingActions: r.pendingActions as PendingAction[],
        nextDeadline: r.nextDeadline?.toISOString() ?? null,
        funds: r.funds ?? { suspended: r.fundsSuspended, construction: ZERO, om: ZERO },
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      }));
      return c.json({ items, nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}/history',
      tags: ['projects'],
      summary: "A project's audit trail, oldest first (Art. 24-25)",
      description:
        'Append-only and tamper-evident: each entry carries `hash` = SM3(`prevHash` ‖ canonical entry), so a ' +
        'reader can verify the chain. Department keys: own projects only.',
      security,
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: { description: 'Audit entries, oldest first', content: json(projectHistory) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem("Another department's project"),
        404: problem('No such project in the read model'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await projectOf(db, id, c.get('actor'));
      const rows = await db.select().from(auditLog).where(eq(auditLog.projectId, id)).orderBy(asc(auditLog.seq));
      const items = rows.map((r) => ({
        seq: r.seq,
        at: r.at.toISOString(),
        action: r.action,
        actor: { keyId: r.actorKeyId, role: r.actorRole, department: r.actorDepartment, name: r.actorName },
        detail: r.detail,
        hash: r.hash,
        prevHash: r.prevHash,
      }));
      return c.json({ projectId: id, items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}/ledger',
      tags: ['funds'],
      summary: "A project's fund movements, oldest first, and its current balances",
      description:
        'Finance, BDB, or the project\'s own department. Amounts are integer fen. `balances` are the stored ' +
        'per-fund-type balances (all zero for a fund type with no money yet).',
      security,
      middleware: requireRole('finance', 'bdb', 'department'),
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: { description: 'Movements and balances', content: json(projectLedger) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem("Neither finance nor bdb, or another department's project"),
        404: problem('No such project in the read model'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await projectOf(db, id, c.get('actor'));
      const [movements, balances] = await Promise.all([
        db.select().from(fundMovements).where(eq(fundMovements.projectId, id)).orderBy(asc(fundMovements.id)),
        db.select().from(fundBalances).where(eq(fundBalances.projectId, id)),
      ]);
      const byType = new Map(balances.map((b) => [b.fundType, balanceOf(b)]));
      return c.json(
        {
          projectId: id,
          movements: movements.map(movementOf),
          balances: { construction: byType.get('construction') ?? ZERO, om: byType.get('om') ?? ZERO },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/inbox',
      tags: ['projects'],
      summary: "The caller's pending actions across projects, earliest due first",
      description:
        'One item per pending action of the caller\'s role (department keys: own department\'s projects), ' +
        'earliest `dueAt` first, actions without a due date last. `notifications` are the unread reminders ' +
        'and violation notices addressed to the caller\'s role (and department), newest first, at most 200.',
      security,
      responses: {
        200: { description: 'Pending actions and unread notifications', content: json(inbox) },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const mine: SQL[] = [arrayContains(projects.awaitingRoles, [actor.role])];
      const addressed: SQL[] = [eq(notifications.recipientRole, actor.role), isNull(notifications.readAt)];
      if (actor.role === 'department') {
        mine.push(eq(projects.department, actor.department ?? ''));
        addressed.push(eq(notifications.recipientDepartment, actor.department ?? ''));
      }
      const [rows, unread] = await Promise.all([
        db
          .select({ id: projects.id, title: projects.title, department: projects.department, pendingActions: projects.pendingActions })
          .from(projects)
          .where(and(...mine)),
        db
          .select()
          .from(notifications)
          .where(and(...addressed))
          .orderBy(desc(notifications.createdAt), desc(notifications.id))
          .limit(200),
      ]);
      const items = rows
        .flatMap((r) =>
          (r.pendingActions as PendingAction[])
            .filter((a) => a.role === actor.role)
            .map((a) => ({
              projectId: r.id,
              title: r.title,
              department: r.department,
              role: a.role,
              action: a.action,
              dueAt: a.dueAt ?? null,
              overdue: a.overdue,
            })),
        )
        .sort((a, b) => dueOrder(a.dueAt) - dueOrder(b.dueAt) || a.projectId.localeCompare(b.projectId) || a.action.localeCompare(b.action));
      return c.json(
        {
          items,
          notifications: unread.map((n) => ({
            id: n.id,
            projectId: n.projectId,
            kind: n.kind,
            detail: n.detail,
            dueAt: n.dueAt?.toISOString() ?? null,
            basis: n.basis as 'measures' | 'policy',
            createdAt: n.createdAt.toISOString(),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/funds',
      tags: ['funds'],
      summary: 'Per-project fund balances and totals (finance, bdb)',
      description:
        'One item per project with money booked, newest project first, both fund types (zeros where none); ' +
        '`totals` add up the listed items exactly (summed by PostgreSQL as numeric): each total is a JSON integer ' +
        'while it is at most 2^53 − 1 (Number.MAX_SAFE_INTEGER), else a string of its decimal digits, so no total is ' +
        'ever rounded; per fund type allocated = held + available + frozen + disbursed + cancelled holds in the totals ' +
        'as in every item. Filters: `jurisdiction`, `suspended` (funds suspended, Art. 22).',
      security,
      middleware: requireRole('finance', 'bdb'),
      request: {
        query: z.strictObject({ jurisdiction: jurisdiction.optional(), suspended: booleanFilter.optional() }),
      },
      responses: {
        200: { description: 'Balances and totals', content: json(fundsOverview) },
        400: problem('Invalid filter'),
        401: problem('No or unknown key'),
        403: problem('Neither finance nor bdb'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const where: SQL[] = [];
      if (query.jurisdiction) where.push(eq(projects.jurisdiction, query.jurisdiction));
      if (query.suspended) where.push(eq(projects.fundsSuspended, query.suspended === 'true'));
      const rows = await db
        .select({
          balance: fundBalances,
          title: projects.title,
          department: projects.department,
          jurisdiction: projects.jurisdiction,
          fundsSuspended: projects.fundsSuspended,
        })
        .from(fundBalances)
        .innerJoin(projects, eq(projects.id, fundBalances.projectId))
        .where(and(...where))
        .orderBy(desc(projects.createdAt), desc(projects.id));

      const items = new Map<string, { projectId: string; title: string; department: string; jurisdiction: string; fundsSuspended: boolean; construction: FundBalance; om: FundBalance }>();
      for (const r of rows) {
        const item = items.get(r.balance.projectId) ?? {
          projectId: r.balance.projectId,
          title: r.title,
          department: r.department,
          jurisdiction: r.jurisdiction,
          fundsSuspended: r.fundsSuspended,
          construction: ZERO,
          om: ZERO,
        };
        item[r.balance.fundType] = balanceOf(r.balance);
        items.set(item.projectId, item);
      }
      const list = [...items.values()];
      // shared/DOMAIN.md "Money": sums exact. PostgreSQL adds the bigint columns as numeric; a
      // total is a JSON integer while it is a safe integer, else a string of its digits.
      const sums = await db
        .select({
          fundType: fundBalances.fundType,
          allocatedFen: sql<string>`sum(${fundBalances.allocatedFen})::text`,
          heldFen: sql<string>`sum(${fundBalances.heldFen})::text`,
          availableFen: sql<string>`sum(${fundBalances.availableFen})::text`,
          frozenFen: sql<string>`sum(${fundBalances.frozenFen})::text`,
          disbursedFen: sql<string>`sum(${fundBalances.disbursedFen})::text`,
          cancelledFen: sql<string>`sum(${fundBalances.cancelledFen})::text`,
        })
        .from(fundBalances)
        .innerJoin(projects, eq(projects.id, fundBalances.projectId))
        .where(and(...where))
        .groupBy(fundBalances.fundType);
      const totals: Record<'construction' | 'om', FundTotals> = { construction: { ...ZERO }, om: { ...ZERO } };
      for (const { fundType, ...sum } of sums) {
        totals[fundType] = Object.fromEntries(Object.entries(sum).map(([field, digits]) => [field, exactTotal(digits)])) as FundTotals;
      }
      return c.json({ items: list, totals }, 200);
    },
  );

  return app;
}

/** Sort key of a due date: earliest first, none last. */
const dueOrder = (dueAt: string | null) => (dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(dueAt) || Number.POSITIVE_INFINITY);

/**
 * The unauthenticated publicity listing (Art. 11). Mounted under /v1/public/*, which the bearer
 * middleware skips.
 */
export function publicRoutes({ db }: { db: Database }) {
  const app = createRouter<Env>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/public/allocations',
      tags: ['public'],
      summary: 'Allocations under publicity and published (Art. 11; no authentication)',
      description:
        'Every allocation that has been put before the public, newest first, with its project, from the read ' +
        "model of each project. Under the measures as written an allocation is public once the BDB published it " +
        'in an allocation plan (`plan`, POST /v1/allocation-plans): finance\'s budget alone (money held, status ' +
        '`held` in the ProjectView) is not listed. Projects recorded under the earlier reading publicised each ' +
        'allocation at once (`plan` null). `status`: `publicity` while the notice period runs or an objection ' +
        'is still open (`noticeStartsAt`, `noticeDueAt`); `published` once the period ended and the money became ' +
        "available (the ledger's publish movement, `publishedAt`); after a cancel movement during the notice (an " +
        'upheld objection or a termination) `withdrawn`. Filters: `year` (budget year), `jurisdiction`.',
      request: {
        query: z.strictObject({
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          jurisdiction: jurisdiction.optional(),
        }),
      },
      responses: {
        200: { description: 'Allocations', content: json(publicAllocations) },
        400: problem('Invalid filter'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json({ items: await publicAllocationsOf(db, query) }, 200);
    },
  );

  return app;
}

type AllocationOfView = ProjectView['allocations'][number];
type DeadlineOfView = ProjectView['deadlines'][number] & { id?: string };

const PUBLIC_STATUS: Partial<Record<AllocationOfView['status'], 'publicity' | 'published' | 'withdrawn'>> = {
  publicity: 'publicity',
  'awaiting-objection': 'publicity',
  published: 'published',
  cancelled: 'withdrawn',
};

/**
 * Art. 11: the allocations put before the public, from the projects' read model (the ProjectView's
 * `allocations` and `deadlines`), with the BDB plan that published each. A `held` allocation (not yet
 * in a plan) and one cancelled before any notice started are not public.
 */
export async function publicAllocationsOf(db: Database, filter: { year?: number | undefined; jurisdiction?: string | undefined; projectIds?: string[] }) {
  const where: SQL[] = [sql`jsonb_typeof(${projects.view} -> 'allocations') = 'array'`];
  if (filter.jurisdiction) where.push(eq(projects.jurisdiction, filter.jurisdiction));
  if (filter.projectIds) where.push(inArray(projects.id, filter.projectIds.length > 0 ? filter.projectIds : ['']));
  const rows = await db
    .select({
      projectId: projects.id,
      title: projects.title,
      department: projects.department,
      jurisdiction: projects.jurisdiction,
      allocations: sql<AllocationOfView[]>`${projects.view} -> 'allocations'`,
      deadlines: sql<DeadlineOfView[] | null>`${projects.view} -> 'deadlines'`,
    })
    .from(projects)
    .where(and(...where));
  const listed = rows.flatMap((r) =>
    r.allocations
      .filter((a) => PUBLIC_STATUS[a.status] !== undefined && a.publicityDeadlineId !== null && (filter.year === undefined || a.year === filter.year))
      .map((a) => {
        const notice = (r.deadlines ?? []).find((d) => d.id === a.publicityDeadlineId);
        return {
          projectId: r.projectId,
          title: r.title,
          department: r.department,
          jurisdiction: r.jurisdiction,
          fundType: a.fundType,
          year: a.year,
          amountFen: a.amountFen,
          cityShareFen: a.cityShareFen,
          countyShareFen: a.countyShareFen,
          allocatedAt: a.allocatedAt,
          status: PUBLIC_STATUS[a.status]!,
          allocationId: a.id,
          planId: a.planId ?? null,
          noticeStartsAt: notice?.startsAt ?? null,
          noticeDueAt: notice?.dueAt ?? null,
          publishedAt: a.publishedAt,
        };
      }),
  );
  const planIds = [...new Set(listed.map((a) => a.planId).filter((id): id is string => id !== null))];
  const plans = planIds.length === 0 ? [] : await db.select().from(allocationPlans).where(inArray(allocationPlans.id, planIds));
  const byId = new Map(plans.map((p) => [p.id, { id: p.id, title: p.title, year: p.year, publishedAt: (p.publishedAt ?? p.createdAt).toISOString() }]));
  return listed
    .map(({ planId, ...a }) => ({ ...a, plan: planId === null ? null : (byId.get(planId) ?? { id: planId, title: '', year: a.year, publishedAt: a.noticeStartsAt ?? a.allocatedAt }) }))
    .sort((x, y) => Date.parse(y.allocatedAt) - Date.parse(x.allocatedAt) || y.projectId.localeCompare(x.projectId) || allocationSeq(y.allocationId) - allocationSeq(x.allocationId));
}

const allocationSeq = (id: string) => Number(id.replace(/^alloc-/, '')) || 0;
