/**
 * The BDB's annual plan (Art. 6, 8 (measures)): the BDB drafts it, the city government approves it,
 * and every project must reference an item of the approved version in force for its year and
 * department. A year's plan has versions: the BDB edits the draft (PUT), records the approval of
 * the draft (POST …/approval: date and document number), and a later draft approved again becomes
 * the version in force (amended); older versions stay readable. Every change is on the plan's trail
 * (GET …/history): who, when, what changed.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { approvePlan, planHistory, planOf, planVersion, planVersions, replacePlan } from '../../db/queries/plans.ts';
import { requireRole } from '../auth.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { calendarDate, text, yearParam } from '../schemas/common.ts';
import { annualPlan, annualPlanBody, annualPlanVersionInfo } from '../schemas/plans.ts';

/** Art. 6: the city government's approval of the current draft. */
export const planApprovalBody = z
  .strictObject({ approvedOn: calendarDate, documentNo: text(100).openapi({ example: '晋市政函〔2026〕12号' }) })
  .openapi('AnnualPlanApproval');

const planEvent = z
  .object({
    id: z.number().int(),
    at: z.string(),
    action: z.enum(['draft-edit', 'approval', 'filing']),
    version: z.number().int().nullable(),
    actor: z.object({
      keyId: z.string(),
      role: z.string(),
      department: z.string().nullable(),
      jurisdiction: z.string().nullable(),
      name: z.string(),
    }),
    detail: z.record(z.string(), z.unknown()).openapi({
      description:
        '`draft-edit`: `basedOn` (the version the draft started from), `itemCount`, `added`, `removed`, `changed` (`before`/`after`); ' +
        '`approval`: `approvedOn`, `documentNo`, `supersedes`, `itemCount`; `filing`: `filingId`, `title`, `documentRef`, `filedOn`.',
    }),
  })
  .openapi('AnnualPlanEvent');

const versionParam = z
  .string()
  .regex(/^\d{1,6}$/, 'must be a version number')
  .transform(Number)
  .openapi({ param: { name: 'version', in: 'path' }, type: 'integer', minimum: 1, example: 1 });

export function planRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/annual-plans/{year}',
      tags: ['annual plans'],
      summary: "Replace the items of a year's draft plan (bdb, Art. 6)",
      description:
        'The items given become the whole draft of that year, in one transaction (items not listed are removed), with an entry on the ' +
        "plan's trail naming what was added, removed and changed. Without a draft (none yet, or the last one was approved) a new draft " +
        'opens with the next version number; the version in force stays in force until the draft is approved (POST …/approval). ' +
        'Projects already created keep the item code they referenced.',
      security,
      middleware: requireRole('bdb'),
      request: {
        params: z.object({ year: yearParam }),
        body: { content: json(annualPlanBody), required: true },
      },
      responses: {
        200: { description: 'The draft as stored', content: json(annualPlan) },
        400: problem('Invalid year or body (e.g. duplicate codes)'),
        401: problem('No or unknown key'),
        403: problem('Not a bdb key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const { items } = c.req.valid('json');
      return c.json(await replacePlan(db, year, items, c.get('actor')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/annual-plans/{year}/approval',
      tags: ['annual plans'],
      summary: "Record the city government's approval of the draft (bdb, Art. 6)",
      description:
        'Art. 6 (measures): the BDB drafts the annual plan, the city government approves it. The draft becomes the version in force ' +
        '(applications reference its items from now on); the version it replaces stays readable as `superseded`. On the trail as `approval`.',
      security,
      middleware: requireRole('bdb'),
      request: { params: z.object({ year: yearParam }), body: { content: json(planApprovalBody), required: true } },
      responses: {
        200: { description: 'The approved version, now in force', content: json(annualPlan) },
        400: problem('Invalid year or body'),
        401: problem('No or unknown key'),
        403: problem('Not a bdb key'),
        409: problem('`no_draft_plan`: the year has no draft to approve'),
        422: problem('`empty_plan`: the draft has no items'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const result = await approvePlan(db, year, c.req.valid('json'), c.get('actor'));
      if (result.outcome === 'no-draft') {
        throw new ApiError(
          409,
          'no_draft_plan',
          'No draft plan',
          `Art. 6: the ${year} plan has no draft to approve (PUT /v1/annual-plans/${year} opens one).`,
          { year },
        );
      }
      if (result.outcome === 'empty') {
        throw new ApiError(
          422,
          'empty_plan',
          'Empty plan',
          `Art. 6: draft version ${result.version} of the ${year} plan has no items.`,
          { year, version: result.version },
        );
      }
      return c.json(result.plan, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual-plans/{year}',
      tags: ['annual plans'],
      summary: "A year's annual plan: the version in force (any role)",
      description:
        'The approved version in force, or the draft while none is approved (see `status`); items ordered by code. A year without a plan has no items.',
      security,
      request: { params: z.object({ year: yearParam }) },
      responses: {
        200: { description: 'The plan', content: json(annualPlan) },
        400: problem('Invalid year'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      return c.json(await planOf(db, year), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual-plans/{year}/versions',
      tags: ['annual plans'],
      summary: "Every version of a year's plan, oldest first (any role, Art. 6)",
      security,
      request: { params: z.object({ year: yearParam }) },
      responses: {
        200: {
          description: 'The versions without their items',
          content: json(z.object({ year: z.number().int(), items: z.array(annualPlanVersionInfo) })),
        },
        400: problem('Invalid year'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      return c.json(await planVersions(db, year), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual-plans/{year}/versions/{version}',
      tags: ['annual plans'],
      summary: "One version of a year's plan with its items (any role, Art. 6)",
      security,
      request: { params: z.object({ year: yearParam, version: versionParam }) },
      responses: {
        200: { description: 'The version', content: json(annualPlan) },
        400: problem('Invalid year or version'),
        401: problem('No or unknown key'),
        404: problem('No such version'),
      },
    }),
    async (c) => {
      const { year, version } = c.req.valid('param');
      const plan = await planVersion(db, year, version);
      if (!plan) throw notFound(`No version ${version} of the ${year} plan.`);
      return c.json(plan, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual-plans/{year}/history',
      tags: ['annual plans'],
      summary: "The trail of a year's plan: draft edits, approvals, filings naming the year (any role, Art. 6, 24-25)",
      security,
      request: { params: z.object({ year: yearParam }) },
      responses: {
        200: {
          description: 'Oldest first',
          content: json(z.object({ year: z.number().int(), items: z.array(planEvent) })),
        },
        400: problem('Invalid year'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      return c.json((await planHistory(db, year)) as { year: number; items: z.infer<typeof planEvent>[] }, 200);
    },
  );

  return app;
}
