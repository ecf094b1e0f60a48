/**
 * One fund movement booked on a project's balances (Art. 10-12, 21-22): the pure part of
 * ChangeContext.move — the balance change, the movement's sequence number and its ledger row.
 */
import type { Effect } from './effects.ts';
import type { Bucket, FundBalance, FundType, MovementKind } from './money.ts';
import type { ProjectState } from './state.ts';
import type { Actor } from './vocabulary.ts';

export const BUCKET_FIELD: Record<Bucket, keyof FundBalance> = {
  held: 'heldFen',
  available: 'availableFen',
  frozen: 'frozenFen',
  disbursed: 'disbursedFen',
  cancelled: 'cancelledFen',
};

/** The article behind each kind of fund movement, for the ledger row finance reads. */
function articleOf(kind: MovementKind, reason: string | null): string {
  switch (kind) {
    case 'allocate':
      return 'Art. 10, 12';
    case 'publish':
      return 'Art. 11';
    case 'disburse':
      return 'Art. 10';
    case 'freeze':
    case 'unfreeze':
      return reason === 'completion-report' ? 'Art. 21' : 'Art. 22';
    case 'cancel':
      return 'Art. 22';
  }
}

export interface MovementRequest {
  kind: MovementKind;
  fundType: FundType;
  amountFen: number;
  from: Bucket | null;
  to: Bucket;
  allocationId?: string;
  reason?: string;
}

/**
 * Books `m` on the state's balances (throws on a non-positive amount or a bucket that would go
 * negative), numbers it in the state, and answers its ledger effect with its idempotency key.
 */
export function bookMovement(
  state: ProjectState,
  m: MovementRequest,
  actor: Actor,
  now: string,
): Extract<Effect, { type: 'fundMovement' }> {
  const { kind, fundType, amountFen, from, to, allocationId, reason } = m;
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new Error(`bad movement amount ${amountFen}`);
  const balance = state.funds[fundType];
  if (from === null) {
    balance.allocatedFen += amountFen;
  } else {
    const field = BUCKET_FIELD[from];
    if (balance[field] < amountFen) throw new Error(`${fundType} ${from} would become negative`);
    balance[field] -= amountFen;
  }
  balance[BUCKET_FIELD[to]] += amountFen;
  state.seq.movement += 1;
  const sequence = state.seq.movement;
  const projectId = state.input.id;
  const allocation = allocationId ? state.allocations.find((a) => a.id === allocationId) : undefined;
  const shares = kind === 'allocate' && allocation !== undefined;
  return {
    type: 'fundMovement',
    movement: {
      key: `${projectId}:${sequence}:${kind}:${fundType}`,
      projectId,
      sequence,
      kind,
      fundType,
      amountFen,
      from,
      to,
      allocationId: allocationId ?? null,
      // Art. 12: the city and county shares of an allocation, on its ledger row.
      cityShareFen: shares ? allocation.cityShareFen : null,
      countyShareFen: shares ? allocation.countyShareFen : null,
      year: allocation?.year ?? null,
      reason: reason ?? null,
      article: articleOf(kind, reason ?? null),
      actor,
      at: now,
    },
  };
}
