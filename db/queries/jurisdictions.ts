/** The `jurisdictions` table's one owner (Art. 5, 12, 30 (measures): the city and its counties). */
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { apiKeys, departments, jurisdictions, policies, projects, type JurisdictionRow } from '../schema.ts';

export type { JurisdictionRow };

export const CITY = 'city';

export const listJurisdictions = (db: Pick<Database, 'select'>): Promise<JurisdictionRow[]> =>
  db
    .select()
    .from(jurisdictions)
    .orderBy(sql`${jurisdictions.parent} is not null`, asc(jurisdictions.code));

export async function findJurisdiction(
  db: Pick<Database, 'select'>,
  code: string,
): Promise<JurisdictionRow | undefined> {
  const [row] = await db.select().from(jurisdictions).where(eq(jurisdictions.code, code)).limit(1);
  return row;
}

/** Inserts a jurisdiction; undefined when the code exists already. */
export async function insertJurisdiction(
  db: Database,
  j: { code: string; name: string; parent: string | null; by: string },
): Promise<JurisdictionRow | undefined> {
  const [row] = await db
    .insert(jurisdictions)
    .values({ code: j.code, name: j.name, parent: j.parent, updatedBy: j.by })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function renameJurisdiction(
  db: Database,
  code: string,
  name: string,
  by: string,
): Promise<JurisdictionRow | undefined> {
  const [row] = await db
    .update(jurisdictions)
    .set({ name, updatedAt: new Date(), updatedBy: by })
    .where(eq(jurisdictions.code, code))
    .returning();
  return row;
}

/** What still refers to a jurisdiction: keys, projects, child jurisdictions, policy versions, departments (a delete is refused while any does). */
export async function jurisdictionUses(
  db: Database,
  code: string,
): Promise<{ keys: number; projects: number; children: number; policies: number; departments: number }> {
  const [k] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(eq(apiKeys.jurisdiction, code));
  const [p] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(projects)
    .where(eq(projects.jurisdiction, code));
  const [c] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(jurisdictions)
    .where(eq(jurisdictions.parent, code));
  const [v] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(policies)
    .where(eq(policies.jurisdiction, code));
  const [d] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(departments)
    .where(eq(departments.jurisdiction, code));
  return { keys: k?.n ?? 0, projects: p?.n ?? 0, children: c?.n ?? 0, policies: v?.n ?? 0, departments: d?.n ?? 0 };
}

export async function deleteJurisdiction(db: Database, code: string): Promise<boolean> {
  const rows = await db
    .delete(jurisdictions)
    .where(eq(jurisdictions.code, code))
    .returning({ code: jurisdictions.code });
  return rows.length > 0;
}
