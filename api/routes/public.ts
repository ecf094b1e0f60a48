/**
 * The unauthenticated publicity listing of allocations (Art. 11), from the projects' read model.
 * Mounted under /v1/public/*, which the bearer middleware skips. The public allocation plans are
 * api/routes/allocation-plans.ts (`publicAllocationPlanRoutes`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { Database } from '../../db/client.ts';
import { plansByIds } from '../../db/queries/allocation-plans.ts';
import { namesOf } from '../../db/queries/departments.ts';
import { projectsWithAllocations } from '../../db/queries/projects.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { createRouter, json, problem } from '../router.ts';
import { jurisdiction } from '../schemas/common.ts';
import { publicAllocations } from '../schemas/reads.ts';

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
        'model of each project. Under the measures as written an allocation is public once the BDB published it ' +
        "in an allocation plan (`plan`, POST /v1/allocation-plans): finance's budget alone (money held, status " +
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
export async function publicAllocationsOf(
  db: Database,
  filter: { year?: number | undefined; jurisdiction?: string | undefined; projectIds?: string[] },
) {
  const [rows, names] = await Promise.all([
    projectsWithAllocations(db, { jurisdiction: filter.jurisdiction, projectIds: filter.projectIds }),
    namesOf(db),
  ]);
  const listed = rows.flatMap((r) =>
    r.allocations
      .filter(
        (a) =>
          PUBLIC_STATUS[a.status] !== undefined &&
          a.publicityDeadlineId !== null &&
          (filter.year === undefined || a.year === filter.year),
      )
      .map((a) => {
        const notice = (r.deadlines ?? []).find((d) => d.id === a.publicityDeadlineId);
        return {
          projectId: r.projectId,
          title: r.title,
          department: r.department,
          jurisdiction: r.jurisdiction,
          departmentName: names.department(r.department),
          jurisdictionName: names.jurisdiction(r.jurisdiction),
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
  const plans = await plansByIds(db, planIds);
  const byId = new Map(
    plans.map((p) => [
      p.id,
      { id: p.id, title: p.title, year: p.year, publishedAt: (p.publishedAt ?? p.createdAt).toISOString() },
    ]),
  );
  return listed
    .map(({ planId, ...a }) => ({
      ...a,
      plan:
        planId === null
          ? null
          : (byId.get(planId) ?? {
              id: planId,
              title: '',
              year: a.year,
              publishedAt: a.noticeStartsAt ?? a.allocatedAt,
            }),
    }))
    .sort(
      (x, y) =>
        Date.parse(y.allocatedAt) - Date.parse(x.allocatedAt) ||
        y.projectId.localeCompare(x.projectId) ||
        allocationSeq(y.allocationId) - allocationSeq(x.allocationId),
    );
}

const allocationSeq = (id: string) => Number(id.replace(/^alloc-/, '')) || 0;
