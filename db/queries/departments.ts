/**
 * The `departments` table's one owner: the registry of 项目实施单位 (code, Chinese name, jurisdiction),
 * and the names people read for department and jurisdiction codes (`namesOf`).
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { departments, jurisdictions, type DepartmentRow } from '../schema.ts';

export type { DepartmentRow };

type Reader = Pick<Database, 'select'>;

export const listDepartments = (db: Reader): Promise<DepartmentRow[]> =>
  db.select().from(departments).orderBy(asc(departments.jurisdiction), asc(departments.code));

export async function findDepartment(db: Reader, code: string): Promise<DepartmentRow | undefined> {
  const [row] = await db.select().from(departments).where(eq(departments.code, code)).limit(1);
  return row;
}

/** Inserts a department; undefined when the code exists already. */
export async function insertDepartment(
  db: Database,
  d: { code: string; name: string; jurisdiction: string; by: string },
): Promise<DepartmentRow | undefined> {
  const [row] = await db
    .insert(departments)
    .values({ code: d.code, name: d.name, jurisdiction: d.jurisdiction, updatedBy: d.by })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Renames a department or moves it to another jurisdiction; its code never changes. */
export async function updateDepartment(
  db: Database,
  code: string,
  change: { name?: string | undefined; jurisdiction?: string | undefined },
  by: string,
): Promise<DepartmentRow | undefined> {
  const [row] = await db
    .update(departments)
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.jurisdiction !== undefined ? { jurisdiction: change.jurisdiction } : {}),
      updatedAt: new Date(),
      updatedBy: by,
    })
    .where(eq(departments.code, code))
    .returning();
  return row;
}

/**
 * A code a key or an account was created with that the registry does not have yet (a system or the
 * CLI naming its own code): registered with the code as its name, for the admin to name it.
 */
export async function registerDepartmentInUse(
  db: Database,
  code: string,
  jurisdiction: string,
  by: string,
): Promise<void> {
  await db.insert(departments).values({ code, name: code, jurisdiction, updatedBy: by }).onConflictDoNothing();
}

/** What people read for the codes: department and jurisdiction names (a code the registry lacks reads as itself). */
export interface Names {
  department(code: string | null | undefined): string;
  jurisdiction(code: string | null | undefined): string;
}

export async function namesOf(db: Reader): Promise<Names> {
  const [ds, js] = await Promise.all([
    db.select({ code: departments.code, name: departments.name }).from(departments),
    db.select({ code: jurisdictions.code, name: jurisdictions.name }).from(jurisdictions),
  ]);
  const d = new Map(ds.map((r) => [r.code, r.name]));
  const j = new Map(js.map((r) => [r.code, r.name]));
  return {
    department: (code) => (code ? (d.get(code) ?? code) : ''),
    jurisdiction: (code) => (code ? (j.get(code) ?? code) : ''),
  };
}
