/**
 * Projects: the list from the read model (docs/API.md "Projects"; departments see their own department's
 * projects only, docs/MEASURES.md "Actors"), application (Art. 3, 6, 8) and the ProjectView.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../auth.ts';
import type { ProjectGateway } from '../gateway.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { cursorParam, decodeCursor, limitParam, page } from '../pagination.ts';
import { ApiError, forbidden } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { fileApplicationDocuments } from './documents.ts';
import { booleanFilter, booleanOf, departmentCode, jurisdiction, projectId, text } from '../schemas/common.ts';
import { projectView } from '../schemas/project-view.ts';
import { createProjectBody, existingSystemBody, outcomePendingResponse, projectList } from '../schemas/projects.ts';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import type { PendingAction } from '../../domain/deadline-kinds.ts';
import { policySwitches } from '../../domain/policy-defaults.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { ROLES, STAGES } from '../../domain/vocabulary.ts';
import { z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { policyFor } from '../../db/policies.ts';
import { ZERO } from '../../db/queries/ledger.ts';
import { findPlanItem } from '../../db/queries/plans.ts';
import { applicantJurisdiction } from './jurisdictions.ts';
import { committedView, listProjects, type ProjectListFilter } from '../../db/queries/projects.ts';
import type { CursorPosition } from '../../db/queries/keyset.ts';
import { formatDue, formatInstant } from '../../domain/labels/language.ts';
import { label } from '../../domain/labels/values.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { namesOf, type Names } from '../../db/queries/departments.ts';
import { EXPORT_BATCH, xlsxHeaders, xlsxResponses, xlsxStream, yesNo, type Column } from '../xlsx.ts';

export interface ProjectRoutesDeps {
  gateway: ProjectGateway;
  db: Database;
}

/**
 * GET /v1/projects/{id} answers the committed view from the read model — written in the same
 * transaction as the change's audit entry, before the change is answered (workflows/persistence.ts)
 * — instead of a workflow query, which with many open projects replays the project's history on the
 * worker for nearly every GET. A project the read model does not have (no such project,
 * or one whose row is not written yet) is asked of its workflow, which also answers 404 or 503.
 */
export function withCommittedViews(gateway: ProjectGateway, db: Database): ProjectGateway {
  return { ...gateway, view: async (id) => (await committedView(db, id)) ?? gateway.view(id) };
}

/** Crockford base32 without I, L, O, U: readable over the phone between bureaus. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const idFrom = (year: number, bytes: Uint8Array) =>
  `JC${year}-${Array.from(bytes.subarray(0, 8), (b) => ALPHABET[b % 32]).join('')}`;

/** A project id derived from the caller's key id and Idempotency-Key (SM3), so a retry finds it. */
export const projectIdFor = (year: number, seed: string): string =>
  idFrom(year, createHash('sm3').update(seed).digest());

export const newProjectId = (year: number): string => idFrom(year, randomBytes(8));

/** The list's filters, shared by GET /v1/projects and GET /v1/projects/export.xlsx. */
export const projectListQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  department: departmentCode.optional(),
  jurisdiction: jurisdiction.optional(),
  awaiting: z.enum(ROLES).optional().openapi({ description: 'Projects waiting for this role to act' }),
  overdue: booleanFilter.optional(),
  fundsSuspended: booleanFilter.optional(),
  q: text(200).optional(),
});

/** The query's filters for listProjects; a department key is limited to its own department. */
export function projectFilterOf(
  query: z.infer<typeof projectListQuery>,
  actor: Actor,
): Omit<ProjectListFilter, 'position' | 'limit'> {
  return {
    ownDepartment: actor.role === 'department' ? (actor.department ?? '') : undefined,
    department: query.department,
    stage: query.stage,
    jurisdiction: query.jurisdiction,
    awaiting: query.awaiting,
    overdue: booleanOf(query.overdue),
    fundsSuspended: booleanOf(query.fundsSuspended),
    q: query.q,
  };
}

/** A list row as the list's item (api/schemas/projects.ts projectSummary). */
export function projectSummaryOf({ cursorMicros: _position, ...r }: Awaited<ReturnType<typeof listProjects>>[number]) {
  return {
    ...r,
    stage: r.stage as ProjectView['stage'],
    pendingActions: r.pendingActions as PendingAction[],
    nextDeadline: r.nextDeadline?.toISOString() ?? null,
    funds: r.funds ?? { suspended: r.fundsSuspended, construction: ZERO, om: ZERO },
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
type ProjectSummary = ReturnType<typeof projectSummaryOf>;

/** The export's columns, from the list's item; departments and jurisdictions by their names. */
const projectColumns = (names: Names): Column<ProjectSummary>[] => [
  { header: '项目编号', width: 22, value: (p) => p.id },
  { header: '项目名称', width: 40, value: (p) => p.title },
  { header: '部门', width: 24, value: (p) => names.department(p.department) },
  { header: '辖区', width: 10, value: (p) => names.jurisdiction(p.jurisdiction) },
  { header: '类型', width: 10, value: (p) => label('kind', p.kind) },
  { header: '年度', width: 8, value: (p) => p.year },
  { header: '阶段', width: 12, value: (p) => label('stage', p.stage) },
  {
    header: '待办角色',
    width: 24,
    value: (p) => [...new Set(p.pendingActions.map((a) => a.role))].map((r) => label('role', r)).join('、') || null,
  },
  { header: '下一期限', width: 16, value: (p) => (p.nextDeadline ? formatDue(p.nextDeadline) : null) },
  { header: '逾期', width: 6, value: (p) => yesNo(p.overdue) },
  { header: '资金暂停', width: 10, value: (p) => yesNo(p.fundsSuspended) },
  { header: '建设资金已分配(元)', width: 20, value: (p) => ({ fen: p.funds.construction.allocatedFen }) },
  { header: '建设资金已拨付(元)', width: 20, value: (p) => ({ fen: p.funds.construction.disbursedFen }) },
  { header: '运维资金已分配(元)', width: 20, value: (p) => ({ fen: p.funds.om.allocatedFen }) },
  { header: '运维资金已拨付(元)', width: 20, value: (p) => ({ fen: p.funds.om.disbursedFen }) },
  { header: '创建时间', width: 18, value: (p) => formatInstant(p.createdAt) },
  { header: '更新时间', width: 18, value: (p) => formatInstant(p.updatedAt) },
];

/**
 * GET /v1/projects, from the read model. Its own sub-app: it is mounted before the project's
 * history, ledger and the other reads (api/app.ts), as the first of the project routes.
 */
export function projectListRoutes({ db }: { db: Database }) {
  const app = createRouter();

  // Before GET /v1/projects/{id} (projectRoutes is mounted after this sub-app, api/app.ts), and
  // `export.xlsx` is no project id (projectId's pattern) should the order ever change.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/export.xlsx',
      tags: ['projects'],
      summary: 'Export the project list as Excel (every matching project, no paging)',
      description:
        'The rows of GET /v1/projects for the same filters, newest first, all of them: one sheet 项目库 with Chinese headers, ' +
        'amounts in 元 (number format `#,##0.00`), deadlines as Asia/Shanghai dates (2026年11月25日) and instants as ' +
        'Asia/Shanghai time to the minute (2026-11-25 14:30). Department keys see their own department only, as in the list. ' +
        "Streamed as it is read (1,000 rows per query); `Content-Disposition: attachment; filename*=UTF-8''项目库.xlsx`.",
      security,
      request: { query: projectListQuery },
      responses: xlsxResponses(),
    }),
    async (c) => {
      const filter = projectFilterOf(c.req.valid('query'), c.get('actor'));
      const batch = async (position?: CursorPosition) =>
        (await listProjects(db, { ...filter, position, limit: EXPORT_BATCH })).map((r) => ({
          ...projectSummaryOf(r),
          cursorMicros: r.cursorMicros,
        }));
      const [first, names] = await Promise.all([batch(), namesOf(db)]);
      const stream = xlsxStream({
        fileName: '项目库.xlsx',
        sheetName: '项目库',
        columns: projectColumns(names),
        first,
        next: (last) => batch({ atMicros: last.cursorMicros, id: last.id }),
      });
      return c.body(stream, 200, xlsxHeaders('项目库.xlsx'));
    },
  );

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
        query: projectListQuery.extend({ limit: limitParam, cursor: cursorParam }),
      },
      responses: {
        200: { description: 'A page of project summaries', content: json(projectList) },
        400: problem('Invalid filter, limit or cursor'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const rows = await listProjects(db, {
        ...projectFilterOf(query, c.get('actor')),
        position: query.cursor ? decodeCursor(query.cursor) : undefined,
        limit: query.limit + 1,
      });

      const { rows: pageRows, nextCursor } = page(rows, query.limit);
      const items = pageRows.map(projectSummaryOf);
      return c.json({ items, nextCursor }, 200);
    },
  );

  return app;
}

export function projectRoutes({ gateway, db }: ProjectRoutesDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/projects',
      tags: ['projects'],
      summary: 'Apply for a project (department)',
      security,
      middleware: requireRole('department'),
      request: { body: { content: json(createProjectBody), required: true } },
      responses: {
        201: { description: 'The project workflow started', content: json(projectView) },
        202: outcomePendingResponse,
        400: problem('Invalid body'),
        401: problem('No or unknown key'),
        403: problem('Not a department key'),
        422: problem(
          'Refused by the measures: classified_project (Art. 3), not_in_annual_plan (Art. 6, 8: not an item of the approved version in force; ' +
            "`approvedVersion`, `inDraft` say why), jurisdiction_mismatch (Art. 5, 12, 30: a `jurisdiction` other than the key's), " +
            "exceeds_plan_ceiling (policy switch planCeilingRefusal, off by default: estimate.totalFen above the plan item's ceilingFen)",
        ),
        503: problem('Temporal or the database unreachable; nothing was applied'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const actor = c.get('actor');
      // Art. 3: the measures cover non-classified projects only.
      if (body.classified) {
        throw new ApiError(
          422,
          'classified_project',
          'Classified projects are out of scope',
          'Art. 3: only non-classified government big-data projects are managed here.',
        );
      }
      const department = actor.department!;
      // Art. 5, 12, 30 (measures): the project's jurisdiction is the key's; its policy is that jurisdiction's.
      const jurisdictionCode = applicantJurisdiction(actor, body.jurisdiction);
      // Art. 6, 8 (measures): the project must be an item of the approved version in force of its
      // year's annual plan, for its department.
      const found = await findPlanItem(db, body.year, body.annualPlanItem, department);
      if (!found.found) {
        const why =
          found.approvedVersion === null
            ? `the ${body.year} annual plan has no approved version yet${found.inDraft ? " (the item is in the draft awaiting the city government's approval)" : ''}`
            : `item ${body.annualPlanItem} is not in version ${found.approvedVersion} (in force) of the ${body.year} annual plan for department ${department}${found.inDraft ? ' (it is in the draft awaiting approval)' : ''}`;
        throw new ApiError(422, 'not_in_annual_plan', 'Not in the annual plan', `Art. 6, 8: ${why}.`, {
          year: body.year,
          annualPlanItem: body.annualPlanItem,
          department,
          approvedVersion: found.approvedVersion,
          inDraft: found.inDraft,
        });
      }
      const item = found.item;
      const policy = await policyFor(db, jurisdictionCode);
      // Art. 6, 8, 10 (policy switch planCeilingRefusal, off by default): the text names no ceiling of a
      // plan item; with the switch on, an estimate above the item's ceilingFen is refused.
      if (policySwitches(policy).planCeilingRefusal && body.estimate.totalFen > item.ceilingFen) {
        throw new ApiError(
          422,
          'exceeds_plan_ceiling',
          'Estimate above the annual plan ceiling',
          `Art. 6, 8 (policy planCeilingRefusal): the estimate of ${body.estimate.totalFen} fen exceeds the ceiling of ${item.ceilingFen} fen of item ${body.annualPlanItem} in the ${body.year} annual plan.`,
          {
            year: body.year,
            annualPlanItem: body.annualPlanItem,
            estimateFen: body.estimate.totalFen,
            ceilingFen: item.ceilingFen,
          },
        );
      }
      const { classified: _classified, documents: references, documentIds, ...application } = body;
      // With an Idempotency-Key the id follows from it, so a retry whose first attempt reached
      // Temporal (and then lost its answer) finds the same workflow instead of starting a second one.
      const idempotencyKey = idempotencyKeyOf(c);
      const id = idempotencyKey ? projectIdFor(body.year, `${actor.keyId}:${idempotencyKey}`) : newProjectId(body.year);
      // Art. 8: uploaded application documents are filed by their SM3 (checked: 422 document_unknown).
      const documents = await fileApplicationDocuments(db, references, documentIds, actor, id);
      // 201 only once the application's audit entry and read-model row are durable.
      const view = await gateway.create(
        {
          ...application,
          documents,
          ...(documentIds ? { documentIds } : {}),
          id,
          department,
          jurisdiction: jurisdictionCode,
          // Art. 30: pin the jurisdiction's policy in force now for the project's whole life.
          policy,
          createdAt: new Date().toISOString(),
          createdBy: actor,
          // Art. 12 (measures): county shares of allocations wait for the county finance's confirmation.
          countyShareConfirmation: true,
        },
        idempotencyKey,
      );
      c.header('Location', `/v1/projects/${view.id}`);
      return c.json(view, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/existing-systems',
      tags: ['projects'],
      summary: 'Register an existing system (department, Art. 21)',
      description:
        'Art. 21 (third sentence): 各单位原有信息化项目运行维护费用，经市大数据应用局审核后，按程序列入财政预算. ' +
        'Registers a system that is already in operation as a project of kind `existing`, owned by the ' +
        "key's department, which starts in stage `operating` (operatingSince = today, Asia/Shanghai; no " +
        'construction history). From there: the yearly BDB O&M review (om-review), the finance O&M budget, the ' +
        "BDB's allocation plan (POST /v1/allocation-plans) and disbursement, evaluations (Art. 23) and Art. 9 as " +
        'for any operating project. Existing systems are not items of the annual plan: Art. 6 plans new ' +
        "construction. The jurisdiction is the key's (Art. 5, 12, 30; a different `jurisdiction` → 422 `jurisdiction_mismatch`); its policy in force now is pinned (Art. 30). " +
        'With an Idempotency-Key the project id follows from it, so a retry finds the same project.',
      security,
      middleware: requireRole('department'),
      request: { body: { content: json(existingSystemBody), required: true } },
      responses: {
        201: { description: 'The project workflow started in operation', content: json(projectView) },
        202: outcomePendingResponse,
        400: problem('Invalid body (e.g. goLiveYear in the future)'),
        401: problem('No or unknown key'),
        403: problem('Not a department key'),
        422: problem("`jurisdiction_mismatch`: a `jurisdiction` other than the key's (Art. 5, 12, 30)"),
        503: problem('Temporal or the database unreachable; nothing was applied'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const actor = c.get('actor');
      const createdAt = new Date().toISOString();
      const today = shanghaiDate(createdAt);
      const thisYear = Number(today.slice(0, 4));
      if (body.goLiveYear > thisYear) {
        throw new ApiError(
          400,
          'validation_failed',
          'Validation failed',
          `goLiveYear ${body.goLiveYear} lies in the future.`,
          {
            errors: [{ path: 'goLiveYear', message: `must be ${thisYear} or earlier` }],
          },
        );
      }
      // Art. 5, 12, 30 (measures): the key's jurisdiction; its policy is that jurisdiction's.
      const jurisdictionCode = applicantJurisdiction(actor, body.jurisdiction);
      const idempotencyKey = idempotencyKeyOf(c);
      const id = idempotencyKey
        ? projectIdFor(thisYear, `existing:${actor.keyId}:${idempotencyKey}`)
        : newProjectId(thisYear);
      const view = await gateway.create(
        {
          id,
          title: body.name,
          summary: body.summary,
          kind: 'existing',
          department: actor.department!,
          jurisdiction: jurisdictionCode,
          // The registration year; not an annual plan year (Art. 6 does not apply).
          year: thisYear,
          annualPlanItem: '',
          estimate: { totalFen: 0, cityShareFen: 0, countyShareFen: 0 },
          // Already complete: the registration date stands for the (unknown) completion date.
          plannedCompletionDate: today,
          documents: { proposal: '', feasibilityStudy: '', preliminaryDesign: '', investmentEstimate: '' },
          goLiveYear: body.goLiveYear,
          policy: await policyFor(db, jurisdictionCode),
          createdAt,
          createdBy: actor,
          // Art. 12 (measures): county shares of allocations wait for the county finance's confirmation.
          countyShareConfirmation: true,
        },
        idempotencyKey,
      );
      c.header('Location', `/v1/projects/${view.id}`);
      return c.json(view, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}',
      tags: ['projects'],
      summary: 'A project as last committed',
      description:
        "The ProjectView of the project's last committed change, from the read model (written with the change's audit entry, " +
        'before the change was answered); it answers while Temporal is unreachable. A project the read model does not have yet is asked of its workflow.',
      security,
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: { description: 'ProjectView', content: json(projectView) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem("Another department's project"),
        404: problem('No such project'),
        503: problem('Database or Temporal unreachable'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = c.get('actor');
      const view = await gateway.view(id);
      // Departments see their own projects only (docs/MEASURES.md "Actors").
      if (actor.role === 'department' && view.department !== actor.department) {
        throw forbidden(`Project ${id} belongs to another department.`);
      }
      return c.json(view, 200);
    },
  );

  return app;
}
