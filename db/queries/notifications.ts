/** The `notifications` table's reads: the inbox's unread reminders and violation notices. Written by activities/ (`persistEffects`). */
import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { notifications } from '../schema.ts';
import type { Role } from '../../domain/types.ts';

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
