/**
 * What the core asks the workflow to do after a change: start deadlines (dates computed by an
 * activity with the working-day calendar), book fund movements, notify, and append audit entries.
 * All plain data; the workflow executes them through activities.
 */
import type { Actor, Bucket, DeadlineKind, DeadlineRule, Duration, FundType, MovementKind, Role } from './types.ts';

/** The actor of automatic consequences (deadline expiries, automatic orders). */
export const SYSTEM_ACTOR: Actor = { keyId: 'system', role: 'bdb', name: 'system (deadline)' };

/**
 * A deadline to schedule: the activity turns `startsOn` + `rule` into `dueAt` (end of the due day,
 * Asia/Shanghai) and `reminder` into `remindAt` (that many units before the due day), then the
 * workflow calls `project.setDeadlineDates(id, ...)`. `startsOn` may lie in the future (e.g. a
 * quarter end); the core never computes working days.
 */
export interface DeadlineStart {
  id: string;
  kind: DeadlineKind;
  ref?: string;
  startsOn: string;
  rule: DeadlineRule;
  reminder: Duration | null;
}

/**
 * One booking (shared/DOMAIN.md "Money"): allocate (→ held), publish (held → available), disburse
 * (available → disbursed), freeze / unfreeze (available ↔ frozen), cancel (held/available/frozen →
 * cancelled). `key` is deterministic (`${projectId}:${sequence}:${kind}:${fundType}`), so a retried
 * ledger activity books it exactly once.
 */
export interface FundMovement {
  key: string;
  projectId: string;
  sequence: number;
  kind: MovementKind;
  fundType: FundType;
  amountFen: number;
  from: Bucket | null;
  to: Bucket;
  allocationId: string | null;
  reason: string | null;
  at: string;
}

export interface NotifyEffect {
  type: 'notify';
  recipient: { role: Role; department?: string };
  kind: string;
  detail: string;
  dueAt?: string;
}

export interface AuditEffect {
  type: 'audit';
  action: string;
  actor: Actor;
  at: string;
  detail: Record<string, unknown>;
}

export type Effect =
  | { type: 'startDeadline'; deadline: DeadlineStart }
  | { type: 'fundMovement'; movement: FundMovement }
  | NotifyEffect
  | AuditEffect;

/** The next timer the workflow must set for an open deadline. */
export interface DeadlineEvent {
  deadlineId: string;
  kind: DeadlineKind;
  ref?: string;
  event: 'remind' | 'due';
  at: string;
}
