/** The `annual_plan_items` table's one owner (Art. 6, 8: the BDB's annual plan). */
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { annualPlanItems } from '../schema.ts';

export interface PlanItem {
  code: string;
  title: string;
  department: string;
  ceilingFen: number;
}

/** A year's plan, items by code. */
export async function planOf(db: Pick<Database, 'select'>, year: number) {
  const rows = await db.select().from(annualPlanItems).where(eq(annualPlanItems.year, year)).orderBy(asc(annualPlanItems.code));
  return {
    year,
    items: rows.map((r) => ({ code: r.code, title: r.title, department: r.department, ceilingFen: r.ceilingFen, updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy })),
  };
}

/** Replaces a year's plan as a whole, in one transaction; returns it as stored. */
export function replacePlan(db: Database, year: number, items: PlanItem[], by: string) {
  return db.transaction(async (tx) => {
    await tx.delete(annualPlanItems).where(eq(annualPlanItems.year, year));
    if (items.length > 0) {
      const now = new Date();
      await tx.insert(annualPlanItems).values(items.map((i) => ({ ...i, year, updatedAt: now, updatedBy: by })));
    }
    return planOf(tx, year);
  });
}

/** Art. 6, 8: the item of a year's plan for a department, if there is one. */
export async function findPlanItem(db: Database, year: number, code: string, department: string) {
  const [item] = await db
    .select({ code: annualPlanItems.code, ceilingFen: annualPlanItems.ceilingFen })
    .from(annualPlanItems)
    .where(and(eq(annualPlanItems.year, year), eq(annualPlanItems.code, code), eq(annualPlanItems.department, department)));
  return item;
}
