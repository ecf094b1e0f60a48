/**
 * The funds ledger (Art. 10-12, 21-22; docs/MEASURES.md "Money"): every movement is booked once —
 * the idempotency key is unique — and moves integer fen between the buckets of one project and fund
 * type in the same transaction; the table's CHECK constraints keep the balance identity and
 * non-negativity even if a caller is wrong.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client.ts';
import { applyMovement, insertMovement } from '../db/queries/ledger.ts';
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

/** PostgreSQL's check_violation: a movement that would break the identity or go negative. */
const CHECK_VIOLATION = '23514';

const errorCode = (err: unknown): unknown =>
  (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;

export function validateMovement(m: LedgerMovement): void {
  if (!Number.isSafeInteger(m.amountFen) || m.amountFen <= 0) {
    throw ApplicationFailure.nonRetryable(
      `amount must be a positive whole number of fen: ${m.amountFen}`,
      'InvalidFundMovement',
    );
  }
  if (!ALLOWED[m.kind].some(([from, to]) => from === m.from && to === m.to)) {
    throw ApplicationFailure.nonRetryable(
      `${m.kind} cannot move ${m.from ?? 'nothing'} → ${m.to}`,
      'InvalidFundMovement',
    );
  }
}

/** Books one movement; true when booked now, false when the key was booked before (a retry). */
export async function bookMovement(db: Database, m: LedgerMovement): Promise<boolean> {
  validateMovement(m);
  try {
    return await db.transaction(async (tx) => {
      if (!(await insertMovement(tx, m))) return false;
      await applyMovement(tx, m);
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
