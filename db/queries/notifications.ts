/**
 * The `notifications` table's reads (the inbox's unread reminders and violation notices) and the
 * system's own notices. A project's notifications are written by activities/ (`persistEffects`).
 */
import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { notifications } from '../schema.ts';
import type { NotificationEntry } from '../../domain/effects.ts';
import type { Role } from '../../domain/vocabulary.ts';

/** Unread notifications addressed to `role` (with `department`: and to that department), newest first, at most 200. */
export function unreadNotifications(db: Database, role: Role, department?: string) {
  const addressed: SQL[] = [eq(notifications.recipientRole, role), isNull(notifications.readAt)];
  if (department !== undefined) addressed.push(eq(notifications.recipientDepartment, department));
  return db
    .select()
    .from(notifications)
    .where(and(...addressed))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(200);
}

/** A notice of the system itself (not of a project), once per event id: e.g. the calendar's coverage warning. */
export async function recordSystemNotice(
  db: Database,
  notice: {
    eventId: string;
    subject: string;
    role: Role;
    kind: string;
    params: Record<string, string | number | boolean | null>;
    detail: string;
    at: Date;
  },
): Promise<void> {
  await db
    .insert(notifications)
    .values({
      eventId: notice.eventId,
      projectId: notice.subject,
      recipientRole: notice.role,
      kind: notice.kind,
      params: notice.params,
      detail: notice.detail,
      basis: 'measures',
      createdAt: notice.at,
    })
    .onConflictDoNothing({ target: notifications.eventId });
}

/** Puts reminders and violations into the notifications outbox, once per event id. */
export async function insertNotifications(db: Database, entries: NotificationEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insert(notifications)
    .values(
      entries.map((n) => ({
        eventId: n.eventId,
        projectId: n.projectId,
        recipientRole: n.recipient.role,
        recipientDepartment: n.recipient.department ?? null,
        kind: n.kind,
        params: n.params ?? {},
        detail: n.detail,
        dueAt: n.dueAt ? new Date(n.dueAt) : null,
        basis: n.basis ?? 'measures',
        createdAt: new Date(n.at),
      })),
    )
    .onConflictDoNothing({ target: notifications.eventId });
}
