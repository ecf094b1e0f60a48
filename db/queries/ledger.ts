/**
 * The ledger's reads: `fund_movements` and `fund_balances` (Art. 10-12; docs/MEASURES.md "Money").
 * A project's movements and balances, and the funds overview with its exact totals. The rows are
 * written by activities/ (`persistEffects`); the row → response shapes live here too.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { fundBalances, fundMovements, projects, type FundMovementRow } from '../schema.ts';
import type { LedgerMovement } from '../../domain/effects.ts';
import type { FundBalance } from '../../domain/money.ts';
import { after, cursorMicros, type CursorPosition } from './keyset.ts';

/** The balance of a fund type with no money yet. */
export const ZERO: FundBalance = {
  allocatedFen: 0,
  heldFen: 0,
  availableFen: 0,
  frozenFen: 0,
  disbursedFen: 0,
  cancelledFen: 0,
};

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
  actorAccountId: m.actorAccountId,
  actorOrganization: m.actorOrganization,
  actorName: m.actorName,
  at: m.at.toISOString(),
  recordedAt: m.recordedAt.toISOString(),
});

/** A total of fen: a number while it is a safe integer, else the exact digits (api/schemas/reads.ts `fundTotals`). */
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

/** The filters' SQL, shared by the items and the totals. */
function fundsWhere(filter: FundsFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.jurisdiction) where.push(eq(projects.jurisdiction, filter.jurisdiction));
  if (filter.suspended !== undefined) where.push(eq(projects.fundsSuspended, filter.suspended));
  return where;
}

/**
 * The funds items (one per project with money booked, newest project first, both fund types, ZERO
 * where none), all of them or, with `limit`, one keyset batch after `position` (the export reads
 * them 1,000 at a time). Each item carries its project's keyset position (`cursorMicros`).
 */
export async function fundsItemsOf(
  db: Database,
  filter: FundsFilter,
  batch: { position?: CursorPosition | undefined; limit?: number | undefined } = {},
): Promise<Array<FundsItem & { cursorMicros: string }>> {
  const where = fundsWhere(filter);
  where.push(sql`exists (select 1 from ${fundBalances} where ${fundBalances.projectId} = ${projects.id})`);
  if (batch.position) where.push(after(projects.createdAt, projects.id, batch.position));
  const listed = db
    .select({
      projectId: projects.id,
      title: projects.title,
      department: projects.department,
      jurisdiction: projects.jurisdiction,
      fundsSuspended: projects.fundsSuspended,
      cursorMicros: cursorMicros(projects.createdAt),
    })
    .from(projects)
    .where(and(...where))
    .orderBy(desc(projects.createdAt), desc(projects.id));
  const rows = await (batch.limit === undefined ? listed : listed.limit(batch.limit));
  if (rows.length === 0) return [];
  // All items: the balances of every filtered project in one join; a batch: those of its projects.
  const balances = (
    await db
      .select({ balance: fundBalances })
      .from(fundBalances)
      .innerJoin(projects, eq(projects.id, fundBalances.projectId))
      .where(
        batch.limit === undefined
          ? and(...fundsWhere(filter))
          : inArray(
              fundBalances.projectId,
              rows.map((r) => r.projectId),
            ),
      )
  ).map((j) => j.balance);
  const byProject = new Map(rows.map((r) => [r.projectId, { ...r, construction: ZERO, om: ZERO }]));
  for (const b of balances) {
    const item = byProject.get(b.projectId);
    if (item) item[b.fundType] = balanceOf(b);
  }
  return [...byProject.values()];
}

/** The exact totals of the filtered items per fund type (PostgreSQL sums the bigint columns as numeric). */
export async function fundsTotalsOf(
  db: Database,
  filter: FundsFilter,
): Promise<Record<'construction' | 'om', FundTotals>> {
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
    .where(and(...fundsWhere(filter)))
    .groupBy(fundBalances.fundType);
  const totals: Record<'construction' | 'om', FundTotals> = { construction: { ...ZERO }, om: { ...ZERO } };
  for (const { fundType, ...sum } of sums) {
    totals[fundType] = Object.fromEntries(
      Object.entries(sum).map(([field, digits]) => [field, exactTotal(digits)]),
    ) as FundTotals;
  }
  return totals;
}

/**
 * One item per project with money booked, newest project first, both fund types (ZERO where none),
 * and the totals of the listed items, exact (docs/MEASURES.md "Money": PostgreSQL adds the bigint
 * columns as numeric; a total is a JSON integer while it is a safe integer, else a string of its digits).
 */
export async function fundsOverviewOf(db: Database, filter: FundsFilter) {
  const [items, totals] = await Promise.all([fundsItemsOf(db, filter), fundsTotalsOf(db, filter)]);
  return { items: items.map(({ cursorMicros: _position, ...item }) => item), totals };
}

const column = {
  held: fundBalances.heldFen,
  available: fundBalances.availableFen,
  frozen: fundBalances.frozenFen,
  disbursed: fundBalances.disbursedFen,
  cancelled: fundBalances.cancelledFen,
} as const;

const property = {
  held: 'heldFen',
  available: 'availableFen',
  frozen: 'frozenFen',
  disbursed: 'disbursedFen',
  cancelled: 'cancelledFen',
} as const;

/** Stores one movement under its idempotency key; false when the key was stored before (a retry). */
export async function insertMovement(db: Database, m: LedgerMovement): Promise<boolean> {
  const inserted = await db
    .insert(fundMovements)
    .values({
      idempotencyKey: m.idempotencyKey,
      projectId: m.projectId,
      fundType: m.fundType,
      kind: m.kind,
      amountFen: m.amountFen,
      fromBucket: m.from,
      toBucket: m.to,
      cityShareFen: m.cityShareFen ?? null,
      countyShareFen: m.countyShareFen ?? null,
      year: m.year ?? null,
      reason: m.reason,
      article: m.article ?? null,
      actorKeyId: m.actor.keyId,
      actorRole: m.actor.role,
      actorDepartment: m.actor.department ?? null,
      actorName: m.actor.name,
      actorAccountId: m.actor.accountId ?? null,
      actorOrganization: m.actor.organization ?? null,
      at: new Date(m.at),
    })
    .onConflictDoNothing({ target: fundMovements.idempotencyKey })
    .returning({ id: fundMovements.id });
  return inserted.length > 0;
}

/**
 * Moves the movement's amount between its buckets (and counts an allocation), creating the
 * project's balance row of that fund type when it has none; the table's CHECKs refuse a negative
 * bucket or a broken identity (SQLSTATE 23514).
 */
export async function applyMovement(db: Database, m: LedgerMovement): Promise<void> {
  await db.insert(fundBalances).values({ projectId: m.projectId, fundType: m.fundType }).onConflictDoNothing();
  const set: Record<string, unknown> = { updatedAt: new Date() };
  set[property[m.to]] = sql`${column[m.to]} + ${m.amountFen}`;
  if (m.from) set[property[m.from]] = sql`${column[m.from]} - ${m.amountFen}`;
  if (m.kind === 'allocate') set.allocatedFen = sql`${fundBalances.allocatedFen} + ${m.amountFen}`;
  await db
    .update(fundBalances)
    .set(set)
    .where(and(eq(fundBalances.projectId, m.projectId), eq(fundBalances.fundType, m.fundType)));
}
