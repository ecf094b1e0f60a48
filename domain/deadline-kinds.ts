/**
 * Deadlines: their kinds, whether a period is the text's or policy (`deadlineBasis`; Art. 15, 21,
 * 30), their status and rule, and how a deadline and a pending action are shown.
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */
import type { Duration } from './policy.ts';
import type { Role, RuleBasis } from './vocabulary.ts';

export const DEADLINE_KINDS = [
  'publicity',
  'contract-filing',
  'progress-report',
  'acceptance-delay',
  'completion-report',
  'rectification',
  'annual-evaluation',
  'security-drill',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export type DeadlineStatus = 'open' | 'met' | 'missed' | 'cancelled';

/** How a deadline's due date follows from its start date: a span, or a fixed calendar date. */
export type DeadlineRule = Duration | { until: string };

export interface PendingAction {
  role: Role;
  action: string;
  /** The entity the action is about (contract number, change request id, period, ...). */
  ref?: string;
  dueAt?: string;
  overdue: boolean;
  /** `policy` when a policy setting, not the text, asks for it now (e.g. Art. 28's order); absent: the text's. */
  basis?: 'policy';
}

export interface DeadlineView {
  id: string;
  kind: string;
  ref?: string;
  startsAt: string;
  /** The instant the period ends: 24:00 Asia/Shanghai of `dueOn`. */
  dueAt: string;
  /** The period's last day (Asia/Shanghai), the date a person reads as the deadline (dates.ts dueDate). */
  dueOn: string;
  remindAt?: string;
  status: DeadlineStatus;
  /**
   * How the dates were computed, so they can be recomputed when a year's working-day calendar
   * changes (docs/MEASURES.md "Working days"; api/routes/calendar.ts).
   */
  rule?: DeadlineRule;
  reminder?: Duration | null;
  /** Whether the period is the text's (`measures`) or the jurisdiction's policy (`deadlineBasis`). */
  basis: RuleBasis;
}
