/**
 * Art. 22: the records of a rectification order — the order itself, awaiting the department's
 * response under its deadline, and the issuer's decision on the project's record.
 */
import type { ProjectState } from './state.ts';
import type { RectificationReason, RectificationRecord } from './records.ts';
import type { Actor } from './vocabulary.ts';

/** What an order says: why, what to rectify, by when (null: the policy's period), who gave it. */
export interface RectificationOrder {
  reason: RectificationReason;
  description: string;
  dueOn: string | null;
  issuer: Actor;
  /** Given by a policy rule (a switch), not by a person. */
  automatic: boolean;
}

/** The order `id` under deadline `deadlineId`, and its decision entry (the caller records both). */
export function rectificationOrder(
  id: string,
  opts: RectificationOrder,
  deadlineId: string,
  now: string,
): { record: RectificationRecord; decision: ProjectState['decisions'][number] } {
  const r: RectificationRecord = {
    id,
    reason: opts.reason,
    description: opts.description,
    issuedByRole: opts.issuer.role,
    issuedBy: opts.issuer.name,
    issuedAt: now,
    automatic: opts.automatic,
    dueOn: opts.dueOn,
    status: 'awaiting-response',
    hasFailed: false,
    deadlineId,
    responses: [],
    extensions: [],
  };
  const decision: ProjectState['decisions'][number] = {
    action: 'rectification-order',
    role: opts.issuer.role,
    by: opts.issuer.name,
    at: now,
    decision: opts.reason,
    opinion: opts.description,
  };
  return { record: r, decision };
}
