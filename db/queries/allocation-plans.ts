/**
 * The `allocation_plans` and `allocation_plan_items` tables' one owner (Art. 11: the BDB's
 * allocation plans). A plan is stored with one `pending` row per listed allocation before the
 * allocations are sent to their projects; each row then becomes `published` or `refused`, and the
 * plan `published` (api/routes/allocation-plans.ts).
 */
import { and, asc, desc, eq, exists, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { allocationPlanItems, allocationPlans, type AllocationPlanItemRow, type AllocationPlanRow } from '../schema.ts';

export type { AllocationPlanItemRow, AllocationPlanRow };

/** A plan by id. */
export async function findPlan(db: Database, id: string): Promise<AllocationPlanRow | undefined> {
  const [plan] = await db.select().from(allocationPlans).where(eq(allocationPlans.id, id));
  return plan;
}

/** A plan by id if it is public: one of its allocations is under notice. */
export async function findPublishedPlan(db: Database, id: string): Promise<AllocationPlanRow | undefined> {
  const [plan] = await db
    .select()
    .from(allocationPlans)
    .where(and(eq(allocationPlans.id, id), publishedItemExists(db)));
  return plan;
}

/** The plans with these ids. */
export const plansByIds = (db: Database, ids: string[]): Promise<AllocationPlanRow[]> =>
  ids.length === 0 ? Promise.resolve([]) : db.select().from(allocationPlans).where(inArray(allocationPlans.id, ids));

/** Plans, newest first, at most 500; `publicOnly`: those with an allocation under notice. */
export function listPlans(
  db: Database,
  filter: { year?: number | undefined; publicOnly: boolean },
): Promise<AllocationPlanRow[]> {
  const where: SQL[] = [];
  if (filter.year !== undefined) where.push(eq(allocationPlans.year, filter.year));
  if (filter.publicOnly) where.push(publishedItemExists(db));
  return db
    .select()
    .from(allocationPlans)
    .where(and(...where))
    .orderBy(desc(allocationPlans.createdAt), desc(allocationPlans.id))
    .limit(500);
}

/** A plan is public once one of its allocations is under notice. */
const publishedItemExists = (db: Database) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(allocationPlanItems)
      .where(and(eq(allocationPlanItems.planId, allocationPlans.id), eq(allocationPlanItems.status, 'published'))),
  );

/** A plan's items in their listed order. */
export const itemsOfPlan = (db: Database, planId: string): Promise<AllocationPlanItemRow[]> =>
  db
    .select()
    .from(allocationPlanItems)
    .where(eq(allocationPlanItems.planId, planId))
    .orderBy(asc(allocationPlanItems.position));

/** The items of several plans, by plan, in their listed order. */
export const itemsOfPlans = (db: Database, planIds: string[]): Promise<AllocationPlanItemRow[]> =>
  db
    .select()
    .from(allocationPlanItems)
    .where(inArray(allocationPlanItems.planId, planIds))
    .orderBy(asc(allocationPlanItems.planId), asc(allocationPlanItems.position));

/** A plan's items not sent yet, in their listed order. */
export const pendingItemsOf = (db: Database, planId: string): Promise<AllocationPlanItemRow[]> =>
  db
    .select()
    .from(allocationPlanItems)
    .where(and(eq(allocationPlanItems.planId, planId), eq(allocationPlanItems.status, 'pending')))
    .orderBy(asc(allocationPlanItems.position));

/** Stores a plan and its items (`pending`) in one transaction; a plan or item stored already is kept. */
export function storePlan(
  db: Database,
  plan: { id: string; year: number; title: string; createdByKeyId: string; createdByName: string },
  allocations: Array<{ projectId: string; allocationId: string }>,
) {
  return db.transaction(async (tx) => {
    await tx.insert(allocationPlans).values(plan).onConflictDoNothing();
    await tx
      .insert(allocationPlanItems)
      .values(
        allocations.map((a, position) => ({
          planId: plan.id,
          position,
          projectId: a.projectId,
          allocationId: a.allocationId,
        })),
      )
      .onConflictDoNothing();
  });
}

const itemAt = (planId: string, position: number) =>
  and(eq(allocationPlanItems.planId, planId), eq(allocationPlanItems.position, position));

/** The item's allocation was published (its notice started). */
export async function markItemPublished(db: Database, planId: string, position: number): Promise<void> {
  await db
    .update(allocationPlanItems)
    .set({ status: 'published', publishedAt: new Date() })
    .where(itemAt(planId, position));
}

/** The item's project refused it, with the problem's code and text. */
export async function markItemRefused(
  db: Database,
  planId: string,
  position: number,
  errorCode: string,
  errorDetail: string,
): Promise<void> {
  await db
    .update(allocationPlanItems)
    .set({ status: 'refused', errorCode, errorDetail })
    .where(itemAt(planId, position));
}

/** Every item was sent: the plan is published (the first publication time stays). */
export async function markPlanPublished(db: Database, planId: string): Promise<void> {
  await db
    .update(allocationPlans)
    .set({ status: 'published', publishedAt: sql`coalesce(${allocationPlans.publishedAt}, now())` })
    .where(eq(allocationPlans.id, planId));
}
