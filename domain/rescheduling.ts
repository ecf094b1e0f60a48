/**
 * docs/MEASURES.md "Working days": when a year's calendar changes (the State Council's notice is
 * entered, or an administrator overrides a day), open deadlines not yet due are recomputed, each on
 * the audit trail; a passed deadline is never reopened automatically.
 *
 * The API recomputes the dates with the new calendar (domain/calendar/working-days.ts over the stored calendar, db/calendar.ts) and sends them to
 * each affected project as this internal command (role `admin`, no HTTP command route), so the move
 * flows through the normal pipeline: workflow Update, audit entries, read model, and the workflow's
 * timer follows the new instants. The core never counts working days itself.
 */
import { z } from 'zod';
import type { ChangeContext } from './context.ts';
import { isBefore } from './calendar/dates.ts';
import { Rejection } from './errors.ts';
import { instant, requiredText } from './field-schemas.ts';

/** The command's payload (one schema: the workflow checks Updates and signals with it); built on first use (domain/commands.ts `lazily`). */
export const deadlineReschedulingBody = () =>
  z.strictObject({
    /** Which calendar change caused it: the year, the source of the change, the notice's reference. */
    cause: z.strictObject({
      year: z.number().int().min(2000).max(2100),
      source: z.enum(['law', 'notice', 'admin']),
      reference: requiredText(200).optional(),
    }),
    changes: z
      .array(z.strictObject({ deadlineId: requiredText(64), dueAt: instant, remindAt: instant.nullable() }))
      .max(1000),
  });

export type DeadlineReschedulingPayload = z.output<ReturnType<typeof deadlineReschedulingBody>>;

/** The handler (domain/rules/index.ts HANDLERS.deadlineRescheduling). */
export function deadlineRescheduling(ctx: ChangeContext, p: DeadlineReschedulingPayload): void {
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
