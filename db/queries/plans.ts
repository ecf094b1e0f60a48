/**
 * The owner of the annual plan's tables (Art. 6, 8 (measures)): `annual_plan_versions`,
 * `annual_plan_items`, `plan_events` (the plan's audit trail) and `plan_filings` (备案).
 *
 * A year's plan has versions. The BDB edits the one draft (PUT replaces its items; the first edit
 * after an approval opens a new draft); recording the city government's approval makes the draft the
 * version in force (the highest approved version); older versions stay readable. Every change is a
 * row of `plan_events` in the same transaction: who, when, what changed.
 */
import { and, asc, desc, eq, max } from 'drizzle-orm';
import type { Actor } from '../../domain/vocabulary.ts';
import type { Database } from '../client.ts';
import { annualPlanItems, annualPlanVersions, planEvents, planFilings } from '../schema.ts';
import { actorNames } from './actors.ts';

export interface PlanItem {
  code: string;
  title: string;
  department: string;
  ceilingFen: number;
}

type Reader = Pick<Database, 'select'>;
type VersionRow = typeof annualPlanVersions.$inferSelect;

/** A version's status as shown: the draft, the approved version in force, or an older approved one. */
export type PlanVersionStatus = 'draft' | 'in-force' | 'superseded';

async function versionsOf(db: Reader, year: number): Promise<VersionRow[]> {
  return db
    .select()
    .from(annualPlanVersions)
    .where(eq(annualPlanVersions.year, year))
    .orderBy(asc(annualPlanVersions.version));
}

/** The version in force: the highest approved one. */
const inForceOf = (rows: VersionRow[]) => rows.filter((r) => r.status === 'approved').at(-1);

async function itemsOf(db: Reader, year: number, version: number) {
  const rows = await db
    .select()
    .from(annualPlanItems)
    .where(and(eq(annualPlanItems.year, year), eq(annualPlanItems.version, version)))
    .orderBy(asc(annualPlanItems.code));
  const nameOf = await actorNames(
    db,
    rows.map((r) => r.updatedBy),
  );
  return rows.map((r) => ({
    code: r.code,
    title: r.title,
    department: r.department,
    ceilingFen: r.ceilingFen,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedBy,
    updatedByName: nameOf(r.updatedBy),
  }));
}

function statusOf(row: VersionRow, inForce: VersionRow | undefined): PlanVersionStatus {
  if (row.status === 'draft') return 'draft';
  return inForce?.version === row.version ? 'in-force' : 'superseded';
}

const versionInfo = (
  row: VersionRow,
  inForce: VersionRow | undefined,
  nameOf: (id: string | null) => string | null,
) => ({
  version: row.version,
  status: statusOf(row, inForce),
  approvedOn: row.approvedOn,
  documentNo: row.documentNo,
  approvedAt: row.approvedAt?.toISOString() ?? null,
  approvedBy: row.approvedBy,
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
  approvedByName: nameOf(row.approvedBy),
  createdByName: nameOf(row.createdBy),
});

export type PlanVersionInfo = ReturnType<typeof versionInfo>;

async function planVersionOf(db: Reader, year: number, row: VersionRow, rows: VersionRow[]) {
  const nameOf = await actorNames(db, [row.approvedBy, row.createdBy]);
  return { year, ...versionInfo(row, inForceOf(rows), nameOf), items: await itemsOf(db, year, row.version) };
}

const emptyPlan = (year: number) => ({
  year,
  version: null,
  status: null,
  approvedOn: null,
  documentNo: null,
  approvedAt: null,
  approvedBy: null,
  createdAt: null,
  createdBy: null,
  approvedByName: null,
  createdByName: null,
  items: [],
});

/**
 * A year's plan as GET /v1/annual-plans/:year shows it: the version in force, or the draft while no
 * version was approved yet, or no items.
 */
export async function planOf(db: Reader, year: number) {
  const rows = await versionsOf(db, year);
  const row = inForceOf(rows) ?? rows.find((r) => r.status === 'draft');
  return row ? planVersionOf(db, year, row, rows) : emptyPlan(year);
}

/** Every version of a year, oldest first, without items. */
export async function planVersions(db: Reader, year: number) {
  const rows = await versionsOf(db, year);
  const inForce = inForceOf(rows);
  const nameOf = await actorNames(
    db,
    rows.flatMap((r) => [r.approvedBy, r.createdBy]),
  );
  return { year, items: rows.map((r) => versionInfo(r, inForce, nameOf)) };
}

/** One version with its items, or undefined. */
export async function planVersion(db: Reader, year: number, version: number) {
  const rows = await versionsOf(db, year);
  const row = rows.find((r) => r.version === version);
  return row ? planVersionOf(db, year, row, rows) : undefined;
}

const actorColumns = (actor: Actor) => ({
  actorKeyId: actor.keyId,
  actorRole: actor.role,
  actorDepartment: actor.department ?? null,
  actorJurisdiction: actor.jurisdiction ?? null,
  actorName: actor.name,
});

type ItemChange = { code: string; before: PlanItem; after: PlanItem };

/** What a draft edit changed against the items it replaces (Art. 6: the trail says what changed). */
function diff(before: PlanItem[], after: PlanItem[]) {
  const old = new Map(before.map((i) => [i.code, i]));
  const now = new Map(after.map((i) => [i.code, i]));
  const pick = (i: PlanItem): PlanItem => ({
    code: i.code,
    title: i.title,
    department: i.department,
    ceilingFen: i.ceilingFen,
  });
  const changed: ItemChange[] = [];
  for (const [code, a] of now) {
    const b = old.get(code);
    if (b && (b.title !== a.title || b.department !== a.department || b.ceilingFen !== a.ceilingFen))
      changed.push({ code, before: pick(b), after: pick(a) });
  }
  return {
    added: after.filter((i) => !old.has(i.code)).map(pick),
    removed: before.filter((i) => !now.has(i.code)).map(pick),
    changed,
  };
}

/**
 * Replaces the items of a year's draft, in one transaction with its trail entry; opens a new draft
 * (the next version number) when there is none. Returns the draft as stored.
 */
export function replacePlan(db: Database, year: number, items: PlanItem[], actor: Actor) {
  return db.transaction(async (tx) => {
    const rows = await versionsOf(tx, year);
    let draft = rows.find((r) => r.status === 'draft');
    const base = draft ?? inForceOf(rows);
    const before = base ? await itemsOf(tx, year, base.version) : [];
    if (!draft) {
      const [m] = await tx
        .select({ v: max(annualPlanVersions.version) })
        .from(annualPlanVersions)
        .where(eq(annualPlanVersions.year, year));
      [draft] = await tx
        .insert(annualPlanVersions)
        .values({ year, version: (m?.v ?? 0) + 1, status: 'draft', createdBy: actor.keyId })
        .returning();
    }
    const version = draft!.version;
    await tx.delete(annualPlanItems).where(and(eq(annualPlanItems.year, year), eq(annualPlanItems.version, version)));
    if (items.length > 0) {
      const now = new Date();
      // An item left as it was keeps who last changed it and when (the trail names this edit's changes).
      const old = new Map(before.map((b) => [b.code, b]));
      const same = (i: PlanItem, b: (typeof before)[number] | undefined) =>
        b !== undefined && b.title === i.title && b.department === i.department && b.ceilingFen === i.ceilingFen;
      await tx.insert(annualPlanItems).values(
        items.map((i) => {
          const b = old.get(i.code);
          const kept = same(i, b)
            ? { updatedAt: new Date(b!.updatedAt), updatedBy: b!.updatedBy }
            : { updatedAt: now, updatedBy: actor.keyId };
          return {
            code: i.code,
            title: i.title,
            department: i.department,
            ceilingFen: i.ceilingFen,
            year,
            version,
            ...kept,
          };
        }),
      );
    }
    await tx.insert(planEvents).values({
      year,
      version,
      action: 'draft-edit',
      ...actorColumns(actor),
      detail: { basedOn: base?.version ?? null, itemCount: items.length, ...diff(before, items) },
    });
    return planVersionOf(tx, year, draft!, await versionsOf(tx, year));
  });
}

export type ApprovalOutcome =
  | { outcome: 'approved'; plan: Awaited<ReturnType<typeof planVersionOf>> }
  | { outcome: 'no-draft' }
  | { outcome: 'empty'; version: number };

/**
 * Art. 6 (measures): records the city government's approval of the current draft (date, document
 * number); the draft becomes the version in force. In one transaction with its trail entry.
 */
export function approvePlan(
  db: Database,
  year: number,
  approval: { approvedOn: string; documentNo: string },
  actor: Actor,
): Promise<ApprovalOutcome> {
  return db.transaction(async (tx) => {
    const rows = await versionsOf(tx, year);
    const draft = rows.find((r) => r.status === 'draft');
    if (!draft) return { outcome: 'no-draft' } as const;
    const items = await itemsOf(tx, year, draft.version);
    if (items.length === 0) return { outcome: 'empty', version: draft.version } as const;
    const previous = inForceOf(rows);
    const [row] = await tx
      .update(annualPlanVersions)
      .set({
        status: 'approved',
        approvedOn: approval.approvedOn,
        documentNo: approval.documentNo,
        approvedAt: new Date(),
        approvedBy: actor.keyId,
      })
      .where(
        and(
          eq(annualPlanVersions.year, year),
          eq(annualPlanVersions.version, draft.version),
          eq(annualPlanVersions.status, 'draft'),
        ),
      )
      .returning();
    await tx.insert(planEvents).values({
      year,
      version: draft.version,
      action: 'approval',
      ...actorColumns(actor),
      detail: {
        approvedOn: approval.approvedOn,
        documentNo: approval.documentNo,
        supersedes: previous?.version ?? null,
        itemCount: items.length,
      },
    });
    return { outcome: 'approved', plan: await planVersionOf(tx, year, row!, await versionsOf(tx, year)) } as const;
  });
}

/** The trail of a year's plan, oldest first (filings naming the year included). */
export async function planHistory(db: Reader, year: number) {
  const rows = await db.select().from(planEvents).where(eq(planEvents.year, year)).orderBy(asc(planEvents.id));
  return {
    year,
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      version: r.version,
      actor: {
        keyId: r.actorKeyId,
        role: r.actorRole,
        department: r.actorDepartment,
        jurisdiction: r.actorJurisdiction,
        name: r.actorName,
      },
      detail: r.detail as Record<string, unknown>,
    })),
  };
}

/**
 * Art. 6, 8 (measures): the item of the approved version in force of a year's plan for a department;
 * otherwise why not (no approved version, or not in it — and whether the draft has it).
 */
export async function findPlanItem(db: Reader, year: number, code: string, department: string) {
  const rows = await versionsOf(db, year);
  const inForce = inForceOf(rows);
  const draft = rows.find((r) => r.status === 'draft');
  const lookup = async (version: number) => {
    const [item] = await db
      .select({ code: annualPlanItems.code, ceilingFen: annualPlanItems.ceilingFen })
      .from(annualPlanItems)
      .where(
        and(
          eq(annualPlanItems.year, year),
          eq(annualPlanItems.version, version),
          eq(annualPlanItems.code, code),
          eq(annualPlanItems.department, department),
        ),
      );
    return item;
  };
  const item = inForce ? await lookup(inForce.version) : undefined;
  if (item) return { found: true as const, item: { ...item, version: inForce!.version } };
  const inDraft = draft ? (await lookup(draft.version)) !== undefined : false;
  return { found: false as const, approvedVersion: inForce?.version ?? null, inDraft };
}

// --- filings (备案) ---------------------------------------------------------------------------------

export interface NewFiling {
  id: string;
  title: string;
  documentRef: string;
  filedOn: string;
  year: number | null;
}

const filingOf = (r: typeof planFilings.$inferSelect) => ({
  id: r.id,
  title: r.title,
  documentRef: r.documentRef,
  filedOn: r.filedOn,
  year: r.year,
  department: r.department,
  jurisdiction: r.jurisdiction,
  filedBy: r.filedByName,
  createdAt: r.createdAt.toISOString(),
});

/** Art. 6 (measures): records a filing with its trail entry, in one transaction. */
export function fileOwnPlan(db: Database, filing: NewFiling, actor: Actor) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(planFilings)
      .values({
        ...filing,
        department: actor.department ?? null,
        jurisdiction: actor.jurisdiction ?? 'city',
        filedByKeyId: actor.keyId,
        filedByName: actor.name,
      })
      .returning();
    await tx.insert(planEvents).values({
      year: filing.year,
      version: null,
      action: 'filing',
      ...actorColumns(actor),
      detail: { filingId: filing.id, title: filing.title, documentRef: filing.documentRef, filedOn: filing.filedOn },
    });
    return filingOf(row!);
  });
}

/** Filings, newest first; `department` limits them to one department's. */
export async function listFilings(
  db: Reader,
  filter: { department?: string | undefined; year?: number | undefined } = {},
) {
  const where = [];
  if (filter.department !== undefined) where.push(eq(planFilings.department, filter.department));
  if (filter.year !== undefined) where.push(eq(planFilings.year, filter.year));
  const rows = await db
    .select()
    .from(planFilings)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(planFilings.createdAt), desc(planFilings.id));
  return { items: rows.map(filingOf) };
}

/**
 * Tests and demo seeds: items straight into the approved version in force of a year (approved as
 * `documentNo` when the year has none yet), on the trail like any approval.
 */
export async function seedApprovedPlanItems(db: Database, year: number, items: PlanItem[], by = 'seed') {
  await db.transaction(async (tx) => {
    const rows = await versionsOf(tx, year);
    let version = inForceOf(rows)?.version;
    if (version === undefined) {
      version = (rows.at(-1)?.version ?? 0) + 1;
      await tx.insert(annualPlanVersions).values({
        year,
        version,
        status: 'approved',
        approvedOn: `${year - 1}-12-31`,
        documentNo: `seed-${year}`,
        approvedAt: new Date(),
        approvedBy: by,
        createdBy: by,
      });
    }
    await tx
      .insert(annualPlanItems)
      .values(items.map((i) => ({ ...i, year, version, updatedBy: by })))
      .onConflictDoNothing();
  });
}
