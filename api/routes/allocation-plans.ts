/**
 * Art. 11 (预算确定后，由市大数据应用局对资金拟分配计划进行公示): the BDB publishes an allocation plan of
 * allocations finance has budgeted (held money), and each listed allocation's notice period starts
 * (policy: the jurisdiction's publicity setting). Objections and the end of the period are the
 * project's own (domain/rules/budget.ts `publicityObjection`, domain/rules/deadlines.ts `expire`).
 *
 * POST /v1/allocation-plans validates every listed allocation against the read model first (each must
 * be `held`: budgeted and in no plan yet) and refuses the whole plan, storing nothing, when one is
 * not (422 `allocation_not_publishable`, naming each). Then it stores the plan with one row per
 * allocation (`pending`) and sends each project the internal command `allocationPublication`
 * {planId, allocationId}. A project that cannot be reached leaves its row `pending` and the request
 * answers 503: the plan id follows from the caller's key and Idempotency-Key, so a retry of the same
 * request finds the stored plan and sends only what is still pending (each send is itself an
 * idempotent Temporal Update). A project that refuses (its allocation was cancelled in between, the
 * project ended) marks its row `refused` with the reason; the others go on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { Database } from '../../db/client.ts';
import {
  findPlan,
  findPublishedPlan,
  itemsOfPlan,
  itemsOfPlans,
  listPlans as listPlanRows,
  markItemPublished,
  markItemRefused,
  markPlanPublished,
  pendingItemsOf,
  storePlan,
  type AllocationPlanItemRow,
  type AllocationPlanRow,
} from '../../db/queries/allocation-plans.ts';
import { allocationsOfProjects, type ProjectAllocations } from '../../db/queries/projects.ts';
import { entityId, requiredText, year } from '../../domain/field-schemas.ts';
import { requireRole } from '../auth.ts';
import type { ProjectGateway } from '../gateway.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { ApiError, notFound, unavailable } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { fen } from '../schemas/common.ts';

const listedAllocation = z.strictObject({
  projectId: z.string().regex(/^[A-Z0-9-]{4,40}$/, 'is not a project id'),
  allocationId: entityId,
});

export const allocationPlanBody = z
  .strictObject({
    year,
    title: requiredText(200),
    allocations: z
      .array(listedAllocation)
      .min(1)
      .max(500)
      .refine((list) => new Set(list.map((a) => `${a.projectId}/${a.allocationId}`)).size === list.length, {
        message: 'lists an allocation twice',
      }),
  })
  .openapi('AllocationPlanRequest');

const instant = z.string().openapi({ format: 'date-time' });

const planAllocation = z
  .object({
    projectId: z.string(),
    allocationId: z.string(),
    /** pending: not sent yet (retry the request); published: its notice started; refused: the project refused it. */
    status: z.enum(['pending', 'published', 'refused']),
    error: z.object({ code: z.string(), detail: z.string() }).nullable().optional(),
    title: z.string().nullable(),
    department: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    fundType: z.enum(['construction', 'om']).nullable(),
    year: z.number().int().nullable(),
    amountFen: fen.nullable(),
    cityShareFen: fen.nullable(),
    countyShareFen: fen.nullable(),
    /** The allocation's status in its project now: publicity, awaiting-objection, published, cancelled… */
    allocationStatus: z.string().nullable(),
    noticeStartsAt: instant.nullable(),
    noticeDueAt: instant.nullable(),
    /** When the notice ended and the money became available. */
    moneyAvailableAt: instant.nullable(),
  })
  .openapi('AllocationPlanItem');

export const allocationPlan = z
  .object({
    id: z.string(),
    year: z.number().int(),
    title: z.string(),
    /** publishing: some allocations not sent yet; published: every allocation sent (published or refused). */
    status: z.enum(['publishing', 'published']),
    createdAt: instant,
    createdBy: z.string().optional(),
    publishedAt: instant.nullable(),
    allocations: z.array(planAllocation),
  })
  .openapi('AllocationPlan');

const allocationPlanList = z.object({ items: z.array(allocationPlan) }).openapi('AllocationPlanList');

/** Crockford base32, as project ids. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const idFrom = (planYear: number, bytes: Uint8Array) =>
  `AP${planYear}-${Array.from(bytes.subarray(0, 10), (b) => ALPHABET[b % 32]).join('')}`;
/** A plan id from the caller's key id and Idempotency-Key (SM3), so a retry finds the stored plan. */
export const planIdFor = (planYear: number, seed: string) =>
  idFrom(planYear, createHash('sm3').update(`allocation-plan:${seed}`).digest());

const planIdParam = z
  .string()
  .regex(/^AP\d{4}-[0-9A-Z]{10}$/, 'is not an allocation plan id')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'AP2026-7F3K9Q2M4X' });

/** Plans with their allocations as the projects' read models show them now; `publicOnly`: published items, no actor. */
async function planViews(db: Database, plans: AllocationPlanRow[], publicOnly: boolean) {
  if (plans.length === 0) return [];
  const items = await itemsOfPlans(
    db,
    plans.map((p) => p.id),
  );
  const read = await allocationsOfProjects(
    db,
    items.map((i) => i.projectId),
  );
  return plans.map((p) => {
    const own = items.filter((i) => i.planId === p.id && (!publicOnly || i.status === 'published'));
    const view = {
      id: p.id,
      year: p.year,
      title: p.title,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      publishedAt: p.publishedAt?.toISOString() ?? null,
      allocations: own.map((i) => itemView(i, read.get(i.projectId), publicOnly)),
    };
    return publicOnly ? view : { ...view, createdBy: p.createdByName };
  });
}

function itemView(i: AllocationPlanItemRow, project: ProjectAllocations | undefined, publicOnly: boolean) {
  const a = project?.allocations.find((x) => x.id === i.allocationId);
  const notice = a?.publicityDeadlineId
    ? project?.deadlines.find((d) => (d as { id?: string }).id === a.publicityDeadlineId)
    : undefined;
  const view = {
    projectId: i.projectId,
    allocationId: i.allocationId,
    status: i.status,
    title: project?.title ?? null,
    department: project?.department ?? null,
    jurisdiction: project?.jurisdiction ?? null,
    fundType: a?.fundType ?? null,
    year: a?.year ?? null,
    amountFen: a?.amountFen ?? null,
    cityShareFen: a?.cityShareFen ?? null,
    countyShareFen: a?.countyShareFen ?? null,
    allocationStatus: a?.status ?? null,
    noticeStartsAt: notice?.startsAt ?? null,
    noticeDueAt: notice?.dueAt ?? null,
    moneyAvailableAt: a?.publishedAt ?? null,
  };
  return publicOnly
    ? view
    : { ...view, error: i.errorCode ? { code: i.errorCode, detail: i.errorDetail ?? '' } : null };
}

const sameList = (items: AllocationPlanItemRow[], listed: { projectId: string; allocationId: string }[]) =>
  items.length === listed.length &&
  items.every((i, n) => i.projectId === listed[n]!.projectId && i.allocationId === listed[n]!.allocationId);

export function allocationPlanRoutes({ db, gateway }: { db: Database; gateway: ProjectGateway }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/allocation-plans',
      tags: ['allocation plans'],
      summary: 'Publish an allocation plan (bdb, Art. 11)',
      description:
        'Art. 11: after finance determined the budget (POST …/budget: the money is held), the BDB publishes the ' +
        'allocation plan (拟分配计划). Every listed allocation must be `held` in its project (budgeted, in no plan ' +
        'yet); otherwise 422 `allocation_not_publishable` names each one that is not (`allocations: [{projectId, ' +
        "allocationId, reason, status}]`) and nothing is stored. The plan is then stored and each allocation's " +
        "notice period starts (policy: the publicity setting of the project's pinned policy, default 5 working " +
        'days); objections are recorded per project as before, and at the end of the period the money becomes ' +
        'available.\n\nPartial failure: when a project cannot be reached the answer is 503 and the plan stays ' +
        '`publishing` with that allocation `pending`; send the same request with the same Idempotency-Key again ' +
        '(the plan id follows from it) and only the pending allocations are sent — nothing twice. A project that ' +
        'refuses its allocation in between (cancelled, project ended) marks it `refused` with the reason; the ' +
        'plan is still published with the others. Without an Idempotency-Key a retry is a new plan, which the ' +
        'allocations already published refuse.',
      security,
      middleware: requireRole('bdb'),
      request: { body: { content: json(allocationPlanBody), required: true } },
      responses: {
        201: { description: "The plan, published (see each allocation's status)", content: json(allocationPlan) },
        400: problem('Invalid body'),
        401: problem('No or unknown key'),
        403: problem('Not a bdb key'),
        422: problem('allocation_not_publishable (naming each allocation), idempotency_conflict'),
        503: problem('A project could not be reached; the plan is stored: retry with the same Idempotency-Key'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const actor = c.get('actor');
      const idempotencyKey = idempotencyKeyOf(c);
      const planId = idempotencyKey
        ? planIdFor(body.year, `${actor.keyId}:${idempotencyKey}`)
        : idFrom(body.year, randomBytes(10));

      const stored = await findPlan(db, planId);
      if (stored) {
        // A retry of the same request (after a 503): the same plan, finished below.
        const items = await itemsOfPlan(db, planId);
        if (stored.year !== body.year || stored.title !== body.title || !sameList(items, body.allocations)) {
          throw new ApiError(
            422,
            'idempotency_conflict',
            'Idempotency key reused',
            `Allocation plan ${planId} was stored for a different request under this Idempotency-Key.`,
          );
        }
      } else {
        // Validate every listed allocation first: the whole plan or nothing.
        const read = await allocationsOfProjects(
          db,
          body.allocations.map((a) => a.projectId),
        );
        type Refusal = {
          projectId: string;
          allocationId: string;
          reason: string;
          status: string | null;
          planId?: string | null;
        };
        const refused = body.allocations.flatMap(({ projectId, allocationId }): Refusal[] => {
          const project = read.get(projectId);
          if (!project) return [{ projectId, allocationId, reason: 'project_not_found', status: null }];
          const a = project.allocations.find((x) => x.id === allocationId);
          if (!a) return [{ projectId, allocationId, reason: 'allocation_not_found', status: null }];
          if (a.status !== 'held')
            return [{ projectId, allocationId, reason: 'not_held', status: a.status, planId: a.planId ?? null }];
          return [];
        });
        if (refused.length > 0) {
          throw new ApiError(
            422,
            'allocation_not_publishable',
            'Allocation not publishable',
            `Art. 11: only allocations budgeted and held, in no plan yet, can be published; refused: ${refused.map((r) => `${r.projectId}/${r.allocationId} (${r.status ?? r.reason})`).join(', ')}. Nothing was stored.`,
            { allocations: refused },
          );
        }
        await storePlan(
          db,
          { id: planId, year: body.year, title: body.title, createdByKeyId: actor.keyId, createdByName: actor.name },
          body.allocations,
        );
      }

      // Send each pending allocation to its project, one by one.
      const pending = await pendingItemsOf(db, planId);
      const unreached: string[] = [];
      for (const item of pending) {
        try {
          await gateway.execute(item.projectId, {
            name: 'allocationPublication',
            payload: { planId, allocationId: item.allocationId },
            actor,
            idempotencyKey: `allocation-plan:${planId}:${item.allocationId}`,
          });
          await markItemPublished(db, planId, item.position);
        } catch (err) {
          if (!(err instanceof ApiError) || err.status >= 500) {
            unreached.push(`${item.projectId}/${item.allocationId}`);
            continue;
          }
          // Refused: unless an earlier attempt of this very plan published it already.
          const view =
            err.code === 'allocation_not_held' ? await gateway.view(item.projectId).catch(() => undefined) : undefined;
          const mine = view?.allocations.find((a) => a.id === item.allocationId)?.planId === planId;
          if (mine) await markItemPublished(db, planId, item.position);
          else await markItemRefused(db, planId, item.position, err.code, err.message);
        }
      }
      if (unreached.length > 0) {
        throw unavailable(
          `Allocation plan ${planId} is stored, but ${unreached.join(', ')} could not be reached; send the same request with the same Idempotency-Key again to finish it.`,
        );
      }
      await markPlanPublished(db, planId);
      const plan = await findPlan(db, planId);
      c.header('Location', `/v1/allocation-plans/${planId}`);
      return c.json((await planViews(db, [plan!], false))[0]!, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/allocation-plans',
      tags: ['allocation plans'],
      summary: 'Allocation plans, newest first (any role, Art. 11)',
      description:
        'Every plan, also one still `publishing` (a retry is due), with its allocations as their projects show them ' +
        'now: amounts, notice dates and status. Filter `year`. The unauthenticated public variant is ' +
        'GET /v1/public/allocation-plans.',
      security,
      request: { query: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }) },
      responses: {
        200: { description: 'Plans', content: json(allocationPlanList) },
        400: problem('Invalid filter'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const { year: planYear } = c.req.valid('query');
      return c.json({ items: await listPlans(db, planYear, false) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/allocation-plans/{id}',
      tags: ['allocation plans'],
      summary: 'One allocation plan (any role, Art. 11)',
      security,
      request: { params: z.object({ id: planIdParam }) },
      responses: {
        200: { description: 'The plan', content: json(allocationPlan) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        404: problem('No such plan'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const plan = await findPlan(db, id);
      if (!plan) throw notFound(`No allocation plan ${id}.`);
      return c.json((await planViews(db, [plan], false))[0]!, 200);
    },
  );

  return app;
}

async function listPlans(db: Database, planYear: number | undefined, publicOnly: boolean) {
  return planViews(db, await listPlanRows(db, { year: planYear, publicOnly }), publicOnly);
}

/** The public (unauthenticated) listing of published plans, under /v1/public/* like /v1/public/allocations. */
export function publicAllocationPlanRoutes({ db }: { db: Database }) {
  const app = createRouter<Env>();
  const publicPlan = allocationPlan.omit({ createdBy: true }).openapi('PublicAllocationPlan');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/public/allocation-plans',
      tags: ['public'],
      summary: 'Published allocation plans (Art. 11; no authentication)',
      description:
        'The plans the BDB published, newest first: only allocations whose notice has started, with their amounts, ' +
        'notice dates and current status, and no internal fields (who stored it, refusals). Filter `year`.',
      request: { query: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() }) },
      responses: {
        200: { description: 'Published plans', content: json(z.object({ items: z.array(publicPlan) })) },
        400: problem('Invalid filter'),
      },
    }),
    async (c) => {
      const { year: planYear } = c.req.valid('query');
      return c.json({ items: await listPlans(db, planYear, true) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/public/allocation-plans/{id}',
      tags: ['public'],
      summary: 'One published allocation plan (Art. 11; no authentication)',
      request: { params: z.object({ id: planIdParam }) },
      responses: {
        200: { description: 'The plan', content: json(publicPlan) },
        400: problem('Malformed id'),
        404: problem('No such published plan'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const plan = await findPublishedPlan(db, id);
      if (!plan) throw notFound(`No published allocation plan ${id}.`);
      return c.json((await planViews(db, [plan], true))[0]!, 200);
    },
  );

  return app;
}
