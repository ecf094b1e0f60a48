/**
 * What the core asks the workflow to do after a change: start deadlines (dates computed by an
 * activity with the working-day calendar), book fund movements, notify, and append audit entries.
 * All plain data; the workflow executes them through activities.
 */
import type { DeadlineKind, DeadlineRule } from './deadline-kinds.ts';
import type { Bucket, FundType, MovementKind } from './money.ts';
import type { Duration } from './policy.ts';
import type { Actor, Role, RuleBasis } from './vocabulary.ts';

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
 * One booking (docs/MEASURES.md "Money"), complete as the ledger stores it: who caused it, the
 * article behind it and, for an allocation, its year and city/county shares (Art. 12).
 * `key` is deterministic (`${projectId}:${sequence}:${kind}:${fundType}`), so a retried write books
 * it exactly once.
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
  /** Art. 12: the shares of an allocation; null for every other movement. */
  cityShareFen: number | null;
  countyShareFen: number | null;
  /** The budget year of the allocation the money belongs to, when there is one. */
  year: number | null;
  reason: string | null;
  /** The article of the measures behind the movement, for the ledger row finance reads. */
  article: string;
  /** The command's actor, or the system for a deadline's consequence. */
  actor: Actor;
  at: string;
}

/** An entry of the project's audit trail (Art. 24-25); `eventId` makes its append idempotent. */
export interface AuditEffect {
  type: 'audit';
  eventId: string;
  action: string;
  actor: Actor;
  at: string;
  detail: Record<string, unknown>;
}

/** A notification for the outbox (recipient role, and department for a department). */
export interface NotifyEffect {
  type: 'notify';
  eventId: string;
  projectId: string;
  recipient: { role: Role; department?: string };
  kind: string;
  /** What the texts of `kind` are rendered from (domain/labels/notifications.ts); absent in effects recorded before. */
  params?: Record<string, string | number | boolean | null>;
  /** The zh-CN text (domain/labels/notifications.ts), kept for the outbox's and inbox's readers. */
  detail: string;
  dueAt: string | null;
  at: string;
  /** The text's own rule (`measures`) or a policy setting (`policy`), shown in the inbox; absent: `measures`. */
  basis?: RuleBasis;
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

/** An audit-trail row as it is appended (db/queries/audit.ts). */
export type AuditEntry = Omit<AuditEffect, 'type'>;

/** A notification as the outbox stores it. */
export type NotificationEntry = Omit<NotifyEffect, 'type'>;

/** A fund movement as the ledger books it (activities/ledger.ts). */
export interface LedgerMovement {
  idempotencyKey: string;
  projectId: string;
  fundType: FundType;
  kind: MovementKind;
  amountFen: number;
  from: Bucket | null;
  to: Bucket;
  cityShareFen?: number | null;
  countyShareFen?: number | null;
  year?: number | null;
  reason: string;
  article?: string | null;
  actor: Actor;
  /** ISO instant of the decision that caused it. */
  at: string;
}

/** What one change writes, in order: audit entries, ledger movements, notifications. */
export interface Writes {
  audit: AuditEntry[];
  movements: LedgerMovement[];
  notifications: NotificationEntry[];
}

/** Sorts a change's effects into the rows they write (deadline starts write nothing themselves). */
export function writesOf(effects: readonly Effect[]): Writes {
  const writes: Writes = { audit: [], movements: [], notifications: [] };
  for (const effect of effects) {
    if (effect.type === 'audit') {
      const { type: _type, ...entry } = effect;
      writes.audit.push(entry);
    } else if (effect.type === 'notify') {
      const { type: _type, ...entry } = effect;
      writes.notifications.push(entry);
    } else if (effect.type === 'fundMovement') {
      const { key, sequence: _sequence, allocationId: _allocationId, reason, ...m } = effect.movement;
      writes.movements.push({ ...m, idempotencyKey: key, reason: reason ?? m.kind });
    }
  }
  return writes;
}
