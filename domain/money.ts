/**
 * Money (Art. 10-12; docs/MEASURES.md "Money"): the fund types, the buckets money sits in, the
 * movements between them, an estimate's city and county shares, and why money is frozen.
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */

/** Art. 10-12: the two kinds of money a project receives. */
export const FUND_TYPES = ['construction', 'om'] as const;
export type FundType = (typeof FUND_TYPES)[number];

/** docs/MEASURES.md "Money": where a project's money of one fund type sits. */
export const FUND_BUCKETS = ['held', 'available', 'frozen', 'disbursed', 'cancelled'] as const;
export type Bucket = (typeof FUND_BUCKETS)[number];

/**
 * docs/MEASURES.md "Money": allocate (→ held), publish (held → available), disburse (available →
 * disbursed), freeze / unfreeze (available ↔ frozen), cancel (held/available/frozen → cancelled).
 */
export const MOVEMENT_KINDS = ['allocate', 'publish', 'disburse', 'freeze', 'unfreeze', 'cancel'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface Estimate {
  totalFen: number;
  cityShareFen: number;
  countyShareFen: number;
}

// ---------------------------------------------------------------------------------------------
// Money (docs/MEASURES.md "Money"): integer fen, allocated = held + available + frozen + disbursed
// + cancelled per fund type, none negative.
// ---------------------------------------------------------------------------------------------

export interface FundBalance {
  allocatedFen: number;
  heldFen: number;
  availableFen: number;
  frozenFen: number;
  disbursedFen: number;
  cancelledFen: number;
}

/** Why money is frozen: Art. 22 suspension, or Art. 21 overdue completion report. */
export const FREEZE_REASONS = ['suspension', 'completion-report'] as const;
export type FreezeReason = (typeof FREEZE_REASONS)[number];
