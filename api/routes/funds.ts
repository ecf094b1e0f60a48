/** The funds overview (Art. 10-12), from the database: per-project balances and exact totals. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { namesOf, type Names } from '../../db/queries/departments.ts';
import {
  fundsItemsOf,
  fundsOverviewOf,
  fundsTotalsOf,
  type FundsFilter,
  type FundsItem,
} from '../../db/queries/ledger.ts';
import { EXPORT_BATCH, xlsxHeaders, xlsxResponses, xlsxStream, yesNo, type Column } from '../xlsx.ts';
import { READ_ROLES } from '../../domain/reads.ts';
import { financeScopeOf, requireFinanceJurisdiction, requireRole } from '../auth.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { booleanFilter, booleanOf, jurisdiction } from '../schemas/common.ts';
import { fundsOverview } from '../schemas/reads.ts';

/** The overview's filters, shared by GET /v1/funds and GET /v1/funds/export.xlsx. */
export const fundsQuery = z.strictObject({
  jurisdiction: jurisdiction.optional(),
  suspended: booleanFilter.optional(),
});
/**
 * The filter an actor may use: a county's finance sees its own county's projects only (Art. 12;
 * another jurisdiction asked for → 403 `other_jurisdiction_finance`).
 */
export function fundsFilterOf(query: z.infer<typeof fundsQuery>, actor: Actor): FundsFilter {
  const scope = financeScopeOf(actor);
  if (scope && query.jurisdiction !== undefined) requireFinanceJurisdiction(actor, query.jurisdiction);
  return { jurisdiction: scope ?? query.jurisdiction, suspended: booleanOf(query.suspended) };
}

const FUND_TYPES = [
  ['construction', '建设'],
  ['om', '运维'],
] as const;
const BALANCE_COLUMNS = [
  ['allocatedFen', '已分配(元)'],
  ['heldFen', '公示中(元)'],
  ['availableFen', '可拨付(元)'],
  ['frozenFen', '冻结中(元)'],
  ['disbursedFen', '已拨付(元)'],
  ['cancelledFen', '已取消(元)'],
] as const;

/** The export's columns, from the overview's item; per fund type its six balances; departments and jurisdictions by their names. */
const fundsColumns = (names: Names): Column<FundsItem>[] => [
  { header: '项目编号', width: 22, value: (f) => f.projectId },
  { header: '项目名称', width: 40, value: (f) => f.title },
  { header: '部门', width: 24, value: (f) => names.department(f.department) },
  { header: '辖区', width: 10, value: (f) => names.jurisdiction(f.jurisdiction) },
  { header: '资金暂停', width: 10, value: (f) => yesNo(f.fundsSuspended) },
  ...FUND_TYPES.flatMap(([type, name]) =>
    BALANCE_COLUMNS.map(([field, header]): Column<FundsItem> => ({
      header: `${name}${header}`,
      width: 20,
      value: (f) => ({ fen: f[type][field] }),
    })),
  ),
];

export function fundsRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/funds/export.xlsx',
      tags: ['funds'],
      summary: 'Export the funds overview as Excel (finance, bdb)',
      description:
        'The items of GET /v1/funds for the same filters, newest project first, all of them, and the totals row 合计 ' +
        '(exact: a total past 2^53 − 1 fen is the text of its digits): one sheet 资金 with Chinese headers, per fund type ' +
        '(建设, 运维) allocated, held (公示中), available, frozen, disbursed and cancelled in 元 (number format `#,##0.00`). ' +
        "Streamed as it is read (1,000 projects per query); `Content-Disposition: attachment; filename*=UTF-8''资金.xlsx`. " +
        "A county's finance gets its own county's projects only (Art. 12).",
      security,
      middleware: requireRole(...READ_ROLES.funds),
      request: { query: fundsQuery },
      responses: xlsxResponses('Neither finance nor bdb'),
    }),
    async (c) => {
      const filter = fundsFilterOf(c.req.valid('query'), c.get('actor'));
      const [first, names] = await Promise.all([fundsItemsOf(db, filter, { limit: EXPORT_BATCH }), namesOf(db)]);
      const stream = xlsxStream({
        fileName: '资金.xlsx',
        sheetName: '资金',
        columns: fundsColumns(names),
        first,
        next: (last) =>
          fundsItemsOf(db, filter, {
            position: { atMicros: last.cursorMicros, id: last.projectId },
            limit: EXPORT_BATCH,
          }),
        footer: async () => {
          const totals = await fundsTotalsOf(db, filter);
          return [
            [
              '合计',
              null,
              null,
              null,
              null,
              ...FUND_TYPES.flatMap(([type]) => BALANCE_COLUMNS.map(([field]) => ({ fen: totals[type][field] }))),
            ],
          ];
        },
      });
      return c.body(stream, 200, xlsxHeaders('资金.xlsx'));
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
        "as in every item. Filters: `jurisdiction`, `suspended` (funds suspended, Art. 22). A county's finance sees its own " +
        "county's projects only (Art. 12): without `jurisdiction` that one, with another → 403 `other_jurisdiction_finance`.",
      security,
      middleware: requireRole(...READ_ROLES.funds),
      request: {
        query: fundsQuery,
      },
      responses: {
        200: { description: 'Balances and totals', content: json(fundsOverview) },
        400: problem('Invalid filter'),
        401: problem('No or unknown key'),
        403: problem(
          "Neither finance nor bdb, or (`other_jurisdiction_finance`, Art. 12) a county's finance asking for another jurisdiction",
        ),
      },
    }),
    async (c) => {
      const { items, totals } = await fundsOverviewOf(db, fundsFilterOf(c.req.valid('query'), c.get('actor')));
      return c.json({ items, totals }, 200);
    },
  );

  return app;
}
