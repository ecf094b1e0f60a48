/**
 * 统计分析: projects per stage, deadlines met/late/open, violations and rectification orders per
 * article, and money allocated and disbursed per year, department and fund type — counted and summed
 * by the database (db/queries/statistics.ts) over the projects the caller may see: a department its
 * own, a county's finance its county's, everyone else all. The money is shown only to those who may
 * read the ledger (domain/reads.ts); the approval bureau sees the rest.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import {
  deadlinesByStatus,
  fundsByYearDepartmentType,
  projectsByStage,
  rectificationsByReason,
  violationsByArticle,
  type FundsStatistics,
  type StatisticsScope,
} from '../../db/queries/statistics.ts';
import { mayRead } from '../../domain/reads.ts';
import { byArticle, DEADLINE_STATUSES, DEADLINE_STATUS_TEXTS, RECTIFICATION_GROUNDS } from '../../domain/statistics.ts';
import { articleLabel, label } from '../../domain/labels/values.ts';
import { RECTIFICATION_REASONS, type RectificationReason } from '../../domain/records.ts';
import { STAGES, type Actor } from '../../domain/vocabulary.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { totalFen } from '../schemas/reads.ts';
import { xlsxHeaders, xlsxResponses, xlsxWorkbook, type Cell, type XlsxSheet } from '../xlsx.ts';

/** The projects the caller's statistics cover (the same rule as the project list's for departments). */
export function statisticsScope(actor: Actor): StatisticsScope {
  if (actor.role === 'department') return { department: actor.department ?? '' };
  // Art. 12, 30: a county's finance books that county's share; it sees that county's projects.
  if (actor.role === 'finance' && (actor.jurisdiction ?? 'city') !== 'city')
    return { jurisdiction: actor.jurisdiction };
  return {};
}

const count = z.number().int().min(0);
const fundSums = { allocatedFen: totalFen, disbursedFen: totalFen };

export const statistics = z
  .object({
    scope: z.object({ department: z.string().nullable(), jurisdiction: z.string().nullable() }).openapi({
      description:
        "Whose projects are counted: the department's own, a county's (a county's finance), or all (both null).",
    }),
    projectsByStage: z.array(z.object({ stage: z.enum(STAGES), count })),
    deadlines: z.object({
      byStatus: z.array(z.object({ status: z.enum(DEADLINE_STATUSES), count })),
      byDepartment: z.array(
        z.object({ department: z.string(), open: count, met: count, missed: count, cancelled: count }),
      ),
    }),
    violations: z.array(z.object({ article: z.string().openapi({ example: 'Art. 15' }), count })),
    rectifications: z.array(
      z.object({ reason: z.enum(RECTIFICATION_REASONS), article: z.string().openapi({ example: 'Art. 22' }), count }),
    ),
    funds: z
      .object({
        total: z.object(fundSums),
        byYear: z.array(z.object({ year: z.number().int(), ...fundSums })),
        byDepartment: z.array(z.object({ department: z.string(), ...fundSums })),
        byFundType: z.array(z.object({ fundType: z.enum(['construction', 'om']), ...fundSums })),
      })
      .nullable()
      .openapi({ description: 'From the ledger; null for roles that may not read it (approval, admin).' }),
  })
  .openapi('Statistics');

type Statistics = z.infer<typeof statistics>;

async function statisticsOf(db: Database, actor: Actor): Promise<Statistics> {
  const scope = statisticsScope(actor);
  const [stages, deadlines, violations, rectifications, funds] = await Promise.all([
    projectsByStage(db, scope),
    deadlinesByStatus(db, scope),
    violationsByArticle(db, scope),
    rectificationsByReason(db, scope),
    mayRead('ledger', actor.role)
      ? fundsByYearDepartmentType(db, scope)
      : Promise.resolve<FundsStatistics | null>(null),
  ]);
  const known = <T extends string>(values: readonly T[], v: string): v is T =>
    (values as readonly string[]).includes(v);
  const byDepartment = new Map<string, Record<(typeof DEADLINE_STATUSES)[number], number>>();
  for (const d of deadlines) {
    if (d.department === null || !known(DEADLINE_STATUSES, d.status)) continue;
    const row = byDepartment.get(d.department) ?? { open: 0, met: 0, missed: 0, cancelled: 0 };
    row[d.status] = d.count;
    byDepartment.set(d.department, row);
  }
  return {
    scope: { department: scope.department ?? null, jurisdiction: scope.jurisdiction ?? null },
    projectsByStage: STAGES.flatMap((stage) =>
      stages.filter((s) => s.stage === stage).map((s) => ({ stage, count: s.count })),
    ),
    deadlines: {
      byStatus: DEADLINE_STATUSES.map((status) => ({
        status,
        count: deadlines.find((d) => d.department === null && d.status === status)?.count ?? 0,
      })),
      byDepartment: [...byDepartment].map(([department, c]) => ({ department, ...c })),
    },
    violations: [...violations].sort((a, b) => byArticle(a.article, b.article)),
    rectifications: rectifications
      .filter((r): r is { reason: RectificationReason; count: number } => known(RECTIFICATION_REASONS, r.reason))
      .map((r) => ({ reason: r.reason, article: RECTIFICATION_GROUNDS[r.reason], count: r.count }))
      .sort((a, b) => byArticle(a.article, b.article) || a.reason.localeCompare(b.reason)),
    funds,
  };
}

/** The workbook: one sheet per table of the page, Chinese headers, amounts in 元. */
function statisticsSheets(s: Statistics): XlsxSheet[] {
  const money = (f: { allocatedFen: number | string; disbursedFen: number | string }): Cell[] => [
    { fen: f.allocatedFen },
    { fen: f.disbursedFen },
  ];
  const moneyHeaders = [
    { header: '已分配（元）', width: 20 },
    { header: '已拨付（元）', width: 20 },
  ];
  const sheets: XlsxSheet[] = [];
  if (s.funds) {
    sheets.push(
      {
        name: '资金（按年度）',
        headers: [{ header: '年度' }, ...moneyHeaders],
        rows: [...s.funds.byYear.map((r) => [r.year, ...money(r)]), ['合计', ...money(s.funds.total)]],
      },
      {
        name: '资金（按部门）',
        headers: [{ header: '部门', width: 20 }, ...moneyHeaders],
        rows: [...s.funds.byDepartment.map((r) => [r.department, ...money(r)]), ['合计', ...money(s.funds.total)]],
      },
      {
        name: '资金（按资金类型）',
        headers: [{ header: '资金类型' }, ...moneyHeaders],
        rows: [
          ...s.funds.byFundType.map((r) => [label('fundType', r.fundType), ...money(r)]),
          ['合计', ...money(s.funds.total)],
        ],
      },
    );
  }
  sheets.push(
    {
      name: '项目（按阶段）',
      headers: [{ header: '阶段' }, { header: '项目数' }],
      rows: s.projectsByStage.map((r) => [label('stage', r.stage), r.count]),
    },
    {
      name: '期限',
      headers: [
        { header: '部门', width: 20 },
        ...DEADLINE_STATUSES.map((st) => ({ header: DEADLINE_STATUS_TEXTS[st] })),
      ],
      rows: [
        ...s.deadlines.byDepartment.map((r) => [r.department, ...DEADLINE_STATUSES.map((st) => r[st])]),
        ['合计', ...s.deadlines.byStatus.map((r) => r.count)],
      ],
    },
    {
      name: '违规（按条款）',
      headers: [{ header: '条款', width: 24 }, { header: '违规记录数' }],
      rows: s.violations.map((r) => [articleLabel(r.article), r.count]),
    },
    {
      name: '整改（按条款）',
      headers: [{ header: '条款', width: 16 }, { header: '整改事由', width: 20 }, { header: '整改通知数' }],
      rows: s.rectifications.map((r) => [articleLabel(r.article), label('reason', r.reason), r.count]),
    },
  );
  return sheets;
}

export function statisticsRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/statistics',
      tags: ['projects'],
      summary:
        '统计分析: projects per stage, deadlines, violations and rectifications per article, funds per year, department and fund type',
      description:
        "Aggregates over the projects the caller may see (department keys: own department's; a county's finance: that " +
        "county's projects; everyone else: all), counted and summed by the database. `projectsByStage` from the read model; " +
        '`deadlines` per status (open, met, missed, cancelled) and per department; `violations` per article as recorded; ' +
        '`rectifications` per ground with the article it rests on. `funds` from the ledger: allocations (`allocate` ' +
        'movements, by budget year) and disbursements (`disburse`, by the year paid, Asia/Shanghai), exact integer fen ' +
        '(a string of digits past 2^53 − 1); null for roles that may not read the ledger (approval, admin).',
      security,
      responses: {
        200: { description: 'The aggregates', content: json(statistics) },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => c.json(await statisticsOf(db, c.get('actor')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/statistics/export.xlsx',
      tags: ['projects'],
      summary: 'Export the statistics as Excel',
      description:
        'The numbers of GET /v1/statistics for the caller, one sheet per table (资金 by year, department and fund type with ' +
        '合计, 项目（按阶段）, 期限, 违规（按条款）, 整改（按条款）), Chinese headers and labels, amounts in 元 ' +
        "(`#,##0.00`). `Content-Disposition: attachment; filename*=UTF-8''统计分析.xlsx`.",
      security,
      responses: xlsxResponses(),
    }),
    async (c) => {
      const body = await xlsxWorkbook(statisticsSheets(await statisticsOf(db, c.get('actor'))));
      return c.body(body as Uint8Array<ArrayBuffer>, 200, xlsxHeaders('统计分析.xlsx'));
    },
  );

  return app;
}
