/**
 * The webhook tables (docs/API.md "Webhooks", docs/WEBHOOKS.md): the administrators' subscriptions
 * (api/routes/webhooks.ts) and the delivery loop's storage (`webhookStore`, which lib/webhooks.ts's
 * dispatcher is given): its cursor over the notifications outbox, the deliveries it enqueues and
 * claims, and the attempts it logs.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, max, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { notifications, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../schema.ts';

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** The highest notification id now: a new subscription receives what comes after it. */
export async function currentOutboxPosition(db: Database): Promise<number> {
  const [row] = await db.select({ id: max(notifications.id) }).from(notifications);
  return Number(row?.id ?? 0);
}

/** Stores a subscription whose cursor is the outbox's position now, and answers its row. */
export async function insertSubscription(
  db: Database,
  values: Omit<typeof webhookSubscriptions.$inferInsert, 'cursor'>,
): Promise<WebhookSubscriptionRow> {
  const [created] = await db
    .insert(webhookSubscriptions)
    .values({ ...values, cursor: await currentOutboxPosition(db) })
    .returning();
  return created!;
}

/** Live (not deleted) subscriptions, newest first. */
export const liveSubscriptions = (db: Database): Promise<WebhookSubscriptionRow[]> =>
  db
    .select()
    .from(webhookSubscriptions)
    .where(isNull(webhookSubscriptions.deletedAt))
    .orderBy(desc(webhookSubscriptions.createdAt));

/** Marks the live subscription `id` deleted; answers it as it was, or undefined when there is none. */
export async function deleteSubscription(
  db: Database,
  id: string,
  at: Date,
): Promise<WebhookSubscriptionRow | undefined> {
  const done = await db
    .update(webhookSubscriptions)
    .set({ deletedAt: at })
    .where(and(eq(webhookSubscriptions.id, id), isNull(webhookSubscriptions.deletedAt)))
    .returning();
  return done[0];
}

/** Whether there is (or was: deleted ones too) a subscription `id`. */
export async function subscriptionExists(db: Database, id: string): Promise<boolean> {
  const [sub] = await db
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(eq(webhookSubscriptions.id, id));
  return sub !== undefined;
}

/** A subscription's delivery attempts, newest first, at most `limit`. */
export const attemptsOf = (db: Database, subscriptionId: string, limit = 500) =>
  db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.subscriptionId, subscriptionId))
    .orderBy(desc(webhookAttempts.id))
    .limit(limit);

/**
 * Enqueues, per live subscription, the notifications after its cursor that match its role,
 * department and kinds (once per subscription and notification), then advances the cursor over the
 * rows written at least `settleMs` ago; answers how many deliveries were enqueued.
 */
export async function enqueueDeliveries(db: Database, settleMs: number): Promise<number> {
  const subs = await db.select().from(webhookSubscriptions).where(isNull(webhookSubscriptions.deletedAt));
  let enqueued = 0;
  for (const sub of subs) {
    const conditions = [gt(notifications.id, sub.cursor)];
    if (sub.role) conditions.push(eq(notifications.recipientRole, sub.role));
    if (sub.department) conditions.push(eq(notifications.recipientDepartment, sub.department));
    if (sub.kinds && sub.kinds.length > 0) conditions.push(inArray(notifications.kind, sub.kinds));
    const rows = await db
      .select({ id: notifications.id, eventId: notifications.eventId, projectId: notifications.projectId })
      .from(notifications)
      .where(and(...conditions))
      .orderBy(asc(notifications.id));
    if (rows.length > 0) {
      const inserted = await db
        .insert(webhookDeliveries)
        .values(
          rows.map((n) => ({
            subscriptionId: sub.id,
            notificationId: n.id,
            eventId: n.eventId,
            projectId: n.projectId,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: webhookDeliveries.id });
      enqueued += inserted.length;
    }
    // Advance over rows written long enough ago that no lower id can still commit (ids are taken
    // at insert, commits may come in another order); newer ones are looked at again next pass.
    const [settled] = await db
      .select({ id: max(notifications.id) })
      .from(notifications)
      .where(and(gt(notifications.id, sub.cursor), lte(notifications.recordedAt, new Date(Date.now() - settleMs))));
    if (settled?.id) {
      await db
        .update(webhookSubscriptions)
        .set({ cursor: sql`greatest(${webhookSubscriptions.cursor}, ${Number(settled.id)})` })
        .where(eq(webhookSubscriptions.id, sub.id));
    }
  }
  return enqueued;
}

/** The oldest pending delivery per (live subscription, project), with its subscription, whatever its time. */
export async function pendingHeads(
  db: Database,
): Promise<Array<{ delivery: WebhookDeliveryRow; subscription: WebhookSubscriptionRow }>> {
  const heads = await db
    .selectDistinctOn([webhookDeliveries.subscriptionId, webhookDeliveries.projectId])
    .from(webhookDeliveries)
    .innerJoin(
      webhookSubscriptions,
      and(eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId), isNull(webhookSubscriptions.deletedAt)),
    )
    .where(eq(webhookDeliveries.status, 'pending'))
    .orderBy(webhookDeliveries.subscriptionId, webhookDeliveries.projectId, asc(webhookDeliveries.notificationId));
  return heads.map((h) => ({ delivery: h.webhook_deliveries, subscription: h.webhook_subscriptions }));
}

/**
 * Claims the pending delivery `id` whose time has come for `leaseMs` (counting the attempt): another
 * worker process, or an earlier pass still sending, leaves it alone until then. Undefined when it
 * is not (or no longer) due.
 */
export async function claimDelivery(
  db: Database,
  id: number,
  leaseMs: number,
): Promise<WebhookDeliveryRow | undefined> {
  const claimed = await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: new Date(Date.now() + leaseMs), attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, new Date()),
      ),
    )
    .returning();
  return claimed[0];
}

/** The notification `id`, or undefined. */
export async function notificationById(db: Database, id: number) {
  const [n] = await db.select().from(notifications).where(eq(notifications.id, id));
  return n;
}

/** Logs one delivery attempt. */
export async function recordAttempt(db: Database, values: typeof webhookAttempts.$inferInsert): Promise<void> {
  await db.insert(webhookAttempts).values(values);
}

/** The delivery reached its receiver. */
export async function markDelivered(db: Database, id: number): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'delivered', deliveredAt: new Date() })
    .where(eq(webhookDeliveries.id, id));
}

/** After a failed attempt: tried again at `next`, or, when `next` is undefined, given up (`failed`). */
export async function rescheduleDelivery(db: Database, id: number, next: Date | undefined): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set(next === undefined ? { status: 'failed' } : { nextAttemptAt: next })
    .where(eq(webhookDeliveries.id, id));
}

/** The delivery loop's storage on `db`, as lib/webhooks.ts's dispatcher takes it (`WebhookStore`). */
export const webhookStore = (db: Database) => ({
  enqueue: (settleMs: number) => enqueueDeliveries(db, settleMs),
  pendingHeads: () => pendingHeads(db),
  claim: (id: number, leaseMs: number) => claimDelivery(db, id, leaseMs),
  notification: (id: number) => notificationById(db, id),
  recordAttempt: (values: typeof webhookAttempts.$inferInsert) => recordAttempt(db, values),
  delivered: (id: number) => markDelivered(db, id),
  reschedule: (id: number, next: Date | undefined) => rescheduleDelivery(db, id, next),
});
