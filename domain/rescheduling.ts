/**
 * shared/DOMAIN.md "Working days": when a year's calendar changes (the State Council's notice is
 * entered, or an administrator overrides a day), open deadlines not yet due are recomputed, each on
 * the audit trail; a passed deadline is never reopened automatically.
 *
 * The API recomputes the dates with the new calendar (activities/calendar.ts) and sends them to
 * each affected project as this internal command (role `admin`, no HTTP command route), so the move
 * flows through the normal pipeline: workflow Update, audit entries, read model, and the workflow's
 * timer follows the new instants. The core never counts working days itself.
 */
import type { Ctx } from './context.ts';
import { isBefore, isInstant } from './dates.ts';
import { Rejection } from './errors.ts';

export interface DeadlineReschedulingPayload {
  /** Which calendar change caused it: the year, the source of the change, the notice's reference. */
  cause: { year: number; source: 'law' | 'notice' | 'admin'; reference?: string };
  changes: { deadlineId: string; dueAt: string; remindAt: string | null }[];
}

const invalid = (path: string, message: string) =>
  new Rejection(400, 'validation_failed', `Invalid payload: ${path} ${message}`, { errors: [{ path, message }] });

function validate(p: unknown): asserts p is DeadlineReschedulingPayload {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalid('payload', 'must be an object');
  const { cause, changes } = p as Record<string, unknown>;
  if (typeof cause !== 'object' || cause === null) throw invalid('cause', 'must be an object');
  const c = cause as Record<string, unknown>;
  if (!Number.isSafeInteger(c.year) || (c.year as number) < 2000 || (c.year as number) > 2100) throw invalid('cause.year', 'must be an integer 2000..2100');
  if (!['law', 'notice', 'admin'].includes(c.source as string)) throw invalid('cause.source', 'must be one of law, notice, admin');
  if (c.reference !== undefined && (typeof c.reference !== 'string' || c.reference.length > 200)) throw invalid('cause.reference', 'must be a string');
  if (!Array.isArray(changes) || changes.length > 1000) throw invalid('changes', 'must be an array of at most 1000 changes');
  changes.forEach((x: unknown, i) => {
    const ch = (x ?? {}) as Record<string, unknown>;
    if (typeof ch.deadlineId !== 'string' || ch.deadlineId === '') throw invalid(`changes.${i}.deadlineId`, 'must be a deadline id');
    if (!isInstant(ch.dueAt)) throw invalid(`changes.${i}.dueAt`, 'must be an ISO 8601 instant');
    if (ch.remindAt !== null && ch.remindAt !== undefined && !isInstant(ch.remindAt)) throw invalid(`changes.${i}.remindAt`, 'must be an ISO 8601 instant or null');
  });
}

/** The handler (domain/rules.ts HANDLERS.deadlineRescheduling). */
export function deadlineRescheduling(ctx: Ctx, p: DeadlineReschedulingPayload): void {
  validate(p);
  for (const change of p.changes) {
    const d = ctx.deadline(change.deadlineId);
    if (!d) throw new Rejection(404, 'not_found', `No deadline ${change.deadlineId}.`);
    // Closed, unscheduled or passed deadlines stay as they are: never reopened automatically.
    if (d.status !== 'open' || d.dueAt === null || !isBefore(ctx.now, d.dueAt)) continue;
    const remindAt = change.remindAt ?? null;
    if (d.dueAt === change.dueAt && d.remindAt === remindAt) continue;
    const oldDueAt = d.dueAt;
    const oldRemindAt = d.remindAt;
    d.dueAt = change.dueAt;
    d.remindAt = remindAt;
    // A reminder moved past now is sent (again) at its new instant.
    if (remindAt !== null && isBefore(ctx.now, remindAt)) d.reminded = false;
    ctx.audit('deadline-rescheduled', {
      deadlineId: d.id,
      kind: d.kind,
      ref: d.ref,
      oldDueAt,
      newDueAt: d.dueAt,
      oldRemindAt,
      newRemindAt: d.remindAt,
      cause: { ...p.cause },
    });
  }
}
