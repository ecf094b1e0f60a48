/**
 * The funds ledger (Art. 10-12, 21-22; docs/MEASURES.md "Money"): every movement is booked once —
 * the idempotency key is unique — and moves integer fen between the buckets of one project and fund
 * type in the same transaction; the table's CHECK constraints keep the balance identity and
 * non-negativity even if a caller is wrong.
 */
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { fundBalances, fundMovements } from '../db/schema.ts';
import type { LedgerMovement } from '../domain/effects.ts';
import type { Bucket as FundBucket, MovementKind } from '../domain/money.ts';

export type { LedgerMovement };

/** Which buckets each kind of movement may connect. */
const ALLOWED: Record<MovementKind, Array<[FundBucket | null, FundBucket]>> = {
  allocate: [[null, 'held']],
  publish: [['held', 'available']],
  disburse: [['available', 'disbursed']],
  freeze: [['available', 'frozen']],
  unfreeze: [['frozen', 'available']],
  cancel: [
    ['held', 'cancelled'],
    ['available', 'cancelled'],
    ['frozen', 'cancelled'],
  ],
};

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

/** PostgreSQL's check_violation: a movement that would break the identity or go negative. */
const CHECK_VIOLATION = '23514';

const errorCode = (err: unknown): unknown =>
  (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;

export function validateMovement(m: LedgerMovement): void {
  if (!Number.isSafeInteger(m.amountFen) || m.amountFen <= 0) {
    throw ApplicationFailure.nonRetryable(`amount must be a positive whole number of fen: ${m.amountFen}`, 'InvalidFundMovement');
  }
  if (!ALLOWED[m.kind].some(([from, to]) => from === m.from && to === m.to)) {
    throw ApplicationFailure.nonRetryable(`${m.kind} cannot move ${m.from ?? 'nothing'} → ${m.to}`, 'InvalidFundMovement');
  }
}

/** Books one movement; true when booked now, false when the key was booked before (a retry). */
export async function bookMovement(db: Database, m: LedgerMovement): Promise<boolean> {
  validateMovement(m);
  try {
    return await db.transaction(async (tx) => {
      const inserted = await tx
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
      if (inserted.length === 0) return false;

      await tx.insert(fundBalances).values({ projectId: m.projectId, fundType: m.fundType }).onConflictDoNothing();
      const set: Record<string, unknown> = { updatedAt: new Date() };
      set[property[m.to]] = sql`${column[m.to]} + ${m.amountFen}`;
      if (m.from) set[property[m.from]] = sql`${column[m.from]} - ${m.amountFen}`;
      if (m.kind === 'allocate') set.allocatedFen = sql`${fundBalances.allocatedFen} + ${m.amountFen}`;
      await tx
        .update(fundBalances)
        .set(set)
        .where(and(eq(fundBalances.projectId, m.projectId), eq(fundBalances.fundType, m.fundType)));
      return true;
    });
  } catch (err) {
    if (errorCode(err) === CHECK_VIOLATION) {
      // Retrying cannot help: the workflow's own bookkeeping disagrees with the ledger.
      throw ApplicationFailure.nonRetryable(
        `fund movement ${m.idempotencyKey} would break the ledger (negative balance or identity): ${(err as Error).message}`,
        'LedgerInvariantViolation',
      );
    }
    throw err;
  }
}
