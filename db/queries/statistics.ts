/**
 * 统计分析's aggregates, each one SQL statement over the read model (`projects` and its generated
 * columns, db/schema/projects.ts projectFacts) or the ledger (`fund_movements`): nothing is loaded to be
 * counted. Sums of fen are exact (numeric in PostgreSQL; ledger.ts exactTotal).
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { fundMovements, projects } from '../schema.ts';
import { exactTotal } from './ledger.ts';

/** Whose projects are counted: a department's own, a county's, or (neither) all. */
export interface StatisticsScope {
  department?: string | undefined;
  jurisdiction?: string | undefined;
}

function scoped(scope: StatisticsScope): SQL[] {
  const where: SQL[] = [];
  if (scope.department !== undefined) where.push(eq(projects.department, scope.department));
  if (scope.jurisdiction !== undefined) where.push(eq(projects.jurisdiction, scope.jurisdiction));
  return where;
}

/** Projects per stage. */
export function projectsByStage(db: Database, scope: StatisticsScope) {
  return db
    .select({ stage: projects.stage, count: sql<number>`count(*)::int` })
    .from(projects)
    .where(and(...scoped(scope)))
    .groupBy(projects.stage)
    .orderBy(projects.stage);
}

/**
 * Deadlines per status (open, met, missed, cancelled) and department, and per status over all
 * (`department` null), from the views' deadlines.
 */
export function deadlinesByStatus(db: Database, scope: StatisticsScope) {
  const status = sql<string>`deadline.status`;
  return db
    .select({ department: sql<string | null>`${projects.department}`, status, count: sql<number>`count(*)::int` })
    .from(projects)
    .crossJoin(sql`jsonb_array_elements_text(${projects.deadlineStatuses}) as deadline(status)`)
    .where(and(...scoped(scope)))
    .groupBy(sql`grouping sets ((${projects.department}, ${status}), (${status}))`)
    .orderBy(sql`${projects.department} nulls first`, status);
}

/** Violations per article ("Art. 15", …) as the views record them. */
export function violationsByArticle(db: Database, scope: StatisticsScope) {
  const article = sql<string>`violation.article`;
  return db
    .select({ article, count: sql<number>`count(*)::int` })
    .from(projects)
    .crossJoin(sql`jsonb_array_elements_text(${projects.violationArticles}) as violation(article)`)
    .where(and(...scoped(scope)))
    .groupBy(article)
    .orderBy(article);
}

/** Rectification orders per ground (domain/records.ts RECTIFICATION_REASONS). */
export function rectificationsByReason(db: Database, scope: StatisticsScope) {
  const reason = sql<string>`rectification.reason`;
  return db
    .select({ reason, count: sql<number>`count(*)::int` })
    .from(projects)
    .crossJoin(sql`jsonb_array_elements_text(${projects.rectificationReasons}) as rectification(reason)`)
    .where(and(...scoped(scope)))
    .groupBy(reason)
    .orderBy(reason);
}

export interface FundSums {
  allocatedFen: number | string;
  disbursedFen: number | string;
}

export interface FundsStatistics {
  total: FundSums;
  byYear: Array<FundSums & { year: number }>;
  byDepartment: Array<FundSums & { department: string }>;
  byFundType: Array<FundSums & { fundType: 'construction' | 'om' }>;
}

/**
 * Money allocated (分配, the `allocate` movements) and disbursed (拨付, `disburse`) from the ledger,
 * per year, department and fund type, and in total: one statement with grouping sets. The year of an
 * allocation is its budget year; of a disbursement, the year it was paid (Asia/Shanghai).
 */
export async function fundsByYearDepartmentType(db: Database, scope: StatisticsScope): Promise<FundsStatistics> {
  const year = sql`coalesce(${fundMovements.year}, extract(year from (${fundMovements.at} at time zone 'UTC') + interval '8 hours')::int)`;
  const rows = await db
    .select({
      set: sql<'year' | 'department' | 'fundType' | 'total'>`case
        when grouping(${year}) = 0 then 'year'
        when grouping(${projects.department}) = 0 then 'department'
        when grouping(${fundMovements.fundType}) = 0 then 'fundType'
        else 'total' end`,
      year: sql<number | null>`${year}`,
      department: sql<string | null>`${projects.department}`,
      fundType: sql<'construction' | 'om' | null>`${fundMovements.fundType}`,
      allocated: sql<
        string | null
      >`(sum(${fundMovements.amountFen}) filter (where ${fundMovements.kind} = 'allocate'))::text`,
      disbursed: sql<
        string | null
      >`(sum(${fundMovements.amountFen}) filter (where ${fundMovements.kind} = 'disburse'))::text`,
    })
    .from(fundMovements)
    .innerJoin(projects, eq(projects.id, fundMovements.projectId))
    .where(and(inArray(fundMovements.kind, ['allocate', 'disburse']), ...scoped(scope)))
    .groupBy(sql`grouping sets ((${year}), (${projects.department}), (${fundMovements.fundType}), ())`);
  const sums = (r: (typeof rows)[number]): FundSums => ({
    allocatedFen: exactTotal(r.allocated),
    disbursedFen: exactTotal(r.disbursed),
  });
  const out: FundsStatistics = {
    total: { allocatedFen: 0, disbursedFen: 0 },
    byYear: [],
    byDepartment: [],
    byFundType: [],
  };
  for (const r of rows) {
    if (r.set === 'total') out.total = sums(r);
    else if (r.set === 'year') out.byYear.push({ year: Number(r.year), ...sums(r) });
    else if (r.set === 'department') out.byDepartment.push({ department: r.department!, ...sums(r) });
    else out.byFundType.push({ fundType: r.fundType!, ...sums(r) });
  }
  out.byYear.sort((a, b) => a.year - b.year);
  out.byDepartment.sort((a, b) => a.department.localeCompare(b.department));
  out.byFundType.sort((a, b) => a.fundType.localeCompare(b.fundType));
  return out;
}
