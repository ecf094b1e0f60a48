/**
 * The ledger's reads: `fund_movements` and `fund_balances` (Art. 10-12; shared/DOMAIN.md "Money").
 * A project's movements and balances, and the funds overview with its exact totals. The rows are
 * written by activities/ (`persistEffects`); the row → response shapes live here too.
 */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { fundBalances, fundMovements, projects, type FundMovementRow } from '../schema.ts';
import type { FundBalance } from '../../domain/types.ts';

/** The balance of a fund type with no money yet. */
export const ZERO: FundBalance = { allocatedFen: 0, heldFen: 0, availableFen: 0, frozenFen: 0, disbursedFen: 0, cancelledFen: 0 };

export const balanceOf = (row: typeof fundBalances.$inferSelect): FundBalance => ({
  allocatedFen: row.allocatedFen,
  heldFen: row.heldFen,
  availableFen: row.availableFen,
  frozenFen: row.frozenFen,
  disbursedFen: row.disbursedFen,
  cancelledFen: row.cancelledFen,
});

export const movementOf = (m: FundMovementRow) => ({
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

/** A total of fen: a number while it is a safe integer, else the exact digits (api/schemas.ts `fundTotals`). */
export type FundTotals = Record<keyof FundBalance, number | string>;

/** The exact decimal sum PostgreSQL computed, as a JSON integer when that is exact, else as a string. */
export const exactTotal = (digits: string | null): number | string => {
  const value = BigInt(digits ?? '0');
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
};

/** A project's movements, oldest first, and its balances per fund type (ZERO where none). */
export async function projectLedgerOf(db: Database, projectId: string) {
  const [movements, balances] = await Promise.all([
    db.select().from(fundMovements).where(eq(fundMovements.projectId, projectId)).orderBy(asc(fundMovements.id)),
    db.select().from(fundBalances).where(eq(fundBalances.projectId, projectId)),
  ]);
  const byType = new Map(balances.map((b) => [b.fundType, balanceOf(b)]));
  return {
    movements: movements.map(movementOf),
    balances: { construction: byType.get('construction') ?? ZERO, om: byType.get('om') ?? ZERO },
  };
}

export interface FundsFilter {
  jurisdiction?: string | undefined;
  /** Funds suspended (Art. 22). */
  suspended?: boolean | undefined;
}

export interface FundsItem {
  projectId: string;
  title: string;
  department: string;
  jurisdiction: string;
  fundsSuspended: boolean;
  construction: FundBalance;
  om: FundBalance;
}

/**
 * One item per project with money booked, newest project first, both fund types (ZERO where none),
 * and the totals of the listed items, exact (shared/DOMAIN.md "Money": PostgreSQL adds the bigint
 * columns as numeric; a total is a JSON integer while it is a safe integer, else a string of its digits).
 */
export async function fundsOverviewOf(db: Database, filter: FundsFilter) {
  const where: SQL[] = [];
  if (filter.jurisdiction) where.push(eq(projects.jurisdiction, filter.jurisdiction));
  if (filter.suspended !== undefined) where.push(eq(projects.fundsSuspended, filter.suspended));
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

  const items = new Map<string, FundsItem>();
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
  return { items: [...items.values()], totals };
}
