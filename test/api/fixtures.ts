/**
 * Rows written straight into the read model, the ledger and the audit trail with drizzle.
 *
 * The lifecycle workflow will write these tables through its activities; the read endpoints are
 * tested against rows inserted directly so every filter, ordering and status case can be set up
 * exactly (budgets, publicity, notifications… are not produced by the workflow yet).
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { auditLog, fundBalances, fundMovements, notifications, projects } from '../../db/schema.ts';

export const zeroBalance = {
  allocatedFen: 0,
  heldFen: 0,
  availableFen: 0,
  frozenFen: 0,
  disbursedFen: 0,
  cancelledFen: 0,
};

export interface ProjectFixture {
  id: string;
  title?: string;
  department?: string;
  jurisdiction?: string;
  stage?: string;
  awaitingRoles?: string[];
  pendingActions?: Array<{ role: string; action: string; ref?: string; dueAt?: string; overdue: boolean }>;
  overdue?: boolean;
  fundsSuspended?: boolean;
  nextDeadline?: Date | null;
  /** A Date, or SQL such as a timestamp literal with microseconds. */
  createdAt?: Date | SQL;
  construction?: typeof zeroBalance;
  /** The ProjectView's decisions (audit:verify compares them with the trail). */
  decisions?: Array<{ action: string; role: string; by: string; at: string }>;
  /** The ProjectView's allocations and deadlines (Art. 11 public listing, allocation plans). */
  allocations?: Array<Record<string, unknown>>;
  deadlines?: Array<Record<string, unknown>>;
  /** Art. 23: the ProjectView's evaluations (priorEvaluations of the department's applications). */
  evaluations?: Array<Record<string, unknown>>;
  /** The ProjectView's violations and rectifications (统计分析 counts them per article). */
  violations?: Array<Record<string, unknown>>;
  rectifications?: Array<Record<string, unknown>>;
}

/** Art. 23: an evaluation record as the ProjectView holds it. */
export const evaluationFixture = (
  year: number,
  evaluatedAt = `${year + 1}-01-15T02:00:00.000Z`,
  sharingCompliant = true,
) => ({
  year,
  fundUseScore: 80,
  outputScore: 81,
  effectScore: 82,
  satisfactionScore: 83,
  sharingCompliant,
  dataStoredOnPlatform: true,
  summary: `evaluation ${year}`,
  evaluatedAt,
  evaluatedBy: 'BDB reviewer',
});

export async function insertProject(db: Database, p: ProjectFixture) {
  const funds = { suspended: p.fundsSuspended ?? false, construction: p.construction ?? zeroBalance, om: zeroBalance };
  const view = {
    id: p.id,
    title: p.title ?? `Project ${p.id}`,
    department: p.department ?? 'health',
    jurisdiction: p.jurisdiction ?? 'city',
    kind: 'new',
    stage: p.stage ?? 'technical_review',
    pendingActions: p.pendingActions ?? [],
    funds,
    decisions: p.decisions ?? [],
    ...(p.allocations ? { allocations: p.allocations } : {}),
    ...(p.deadlines ? { deadlines: p.deadlines } : {}),
    ...(p.evaluations ? { evaluations: p.evaluations } : {}),
    ...(p.violations ? { violations: p.violations } : {}),
    ...(p.rectifications ? { rectifications: p.rectifications } : {}),
  };
  await db.insert(projects).values({
    id: p.id,
    title: view.title,
    department: view.department,
    jurisdiction: view.jurisdiction,
    kind: 'new',
    year: 2026,
    stage: view.stage,
    awaitingRoles: p.awaitingRoles ?? [...new Set(view.pendingActions.map((a) => a.role))],
    pendingActions: view.pendingActions,
    nextDeadline: p.nextDeadline ?? null,
    overdue: p.overdue ?? false,
    fundsSuspended: funds.suspended,
    view,
    version: 1,
    createdAt: p.createdAt ?? new Date(),
  });
}

/** Appends audit entries with a real SM3 chain (hash = SM3(prevHash ‖ entry)). */
export async function insertAudit(db: Database, projectId: string, actions: string[]) {
  let prevHash = '0'.repeat(64);
  const rows = actions.map((action, i) => {
    const entry = { projectId, seq: i + 1, action };
    const hash = createHash('sm3').update(prevHash).update(JSON.stringify(entry)).digest('hex');
    const row = {
      projectId,
      seq: i + 1,
      eventId: `${projectId}-${i + 1}`,
      at: new Date(Date.UTC(2026, 0, 1 + i)),
      action,
      actorKeyId: 'abcdefabcdef',
      actorRole: i === 0 ? 'department' : 'bdb',
      actorDepartment: i === 0 ? 'health' : null,
      actorName: i === 0 ? 'Health bureau' : 'BDB reviewer',
      detail: { step: i + 1 },
      prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // Inserted in reverse so "oldest first" must come from ORDER BY, not insertion order.
  await db.insert(auditLog).values(rows.reverse());
}

let movementCounter = 0;

export async function insertMovement(
  db: Database,
  m: {
    projectId: string;
    fundType?: 'construction' | 'om';
    kind: 'allocate' | 'publish' | 'disburse' | 'freeze' | 'unfreeze' | 'cancel';
    amountFen: number;
    year?: number;
    cityShareFen?: number;
    countyShareFen?: number;
    at?: Date;
  },
) {
  const buckets = {
    allocate: [null, 'held'],
    publish: ['held', 'available'],
    disburse: ['available', 'disbursed'],
    freeze: ['available', 'frozen'],
    unfreeze: ['frozen', 'available'],
    cancel: ['held', 'cancelled'],
  } as const;
  const [fromBucket, toBucket] = buckets[m.kind];
  movementCounter += 1;
  const [row] = await db
    .insert(fundMovements)
    .values({
      idempotencyKey: `fixture-${m.projectId}-${movementCounter}-${Math.random()}`,
      projectId: m.projectId,
      fundType: m.fundType ?? 'construction',
      kind: m.kind,
      amountFen: m.amountFen,
      fromBucket,
      toBucket,
      cityShareFen: m.kind === 'allocate' ? (m.cityShareFen ?? m.amountFen) : null,
      countyShareFen: m.kind === 'allocate' ? (m.countyShareFen ?? 0) : null,
      year: m.kind === 'allocate' ? (m.year ?? 2026) : null,
      reason: `${m.kind} fixture`,
      article: m.kind === 'allocate' ? 'Art. 10' : null,
      actorKeyId: 'fedcbafedcba',
      actorRole: 'finance',
      actorDepartment: null,
      actorName: 'Finance bureau',
      at: m.at ?? new Date(),
    })
    .returning();
  return row!;
}

export async function insertBalance(
  db: Database,
  projectId: string,
  fundType: 'construction' | 'om',
  b: Partial<typeof zeroBalance>,
) {
  const balance = { ...zeroBalance, ...b };
  balance.allocatedFen =
    balance.heldFen + balance.availableFen + balance.frozenFen + balance.disbursedFen + balance.cancelledFen;
  await db.insert(fundBalances).values({ projectId, fundType, ...balance });
  return balance;
}

export async function insertNotification(
  db: Database,
  n: {
    eventId: string;
    projectId: string;
    role: string;
    department?: string | null;
    read?: boolean;
    createdAt?: Date;
    dueAt?: Date;
  },
) {
  await db.insert(notifications).values({
    eventId: n.eventId,
    projectId: n.projectId,
    recipientRole: n.role,
    recipientDepartment: n.department ?? null,
    kind: 'reminder',
    detail: `notification ${n.eventId}`,
    dueAt: n.dueAt ?? null,
    createdAt: n.createdAt ?? new Date(),
    readAt: n.read ? new Date() : null,
  });
}

/** A timestamp literal, for created_at values with microseconds. */
export const timestamp = (text: string) => sql`${text}::timestamptz`;

/** An allocation as the ProjectView shows it (domain/records.ts AllocationRecord). */
export function allocationFixture(a: {
  id: string;
  amountFen: number;
  status: 'held' | 'publicity' | 'awaiting-objection' | 'published' | 'cancelled';
  fundType?: 'construction' | 'om';
  year?: number;
  cityShareFen?: number;
  countyShareFen?: number;
  allocatedAt: string;
  publicityDeadlineId?: string | null;
  planId?: string | null;
  publishedAt?: string | null;
}) {
  return {
    id: a.id,
    fundType: a.fundType ?? 'construction',
    year: a.year ?? 2026,
    amountFen: a.amountFen,
    cityShareFen: a.cityShareFen ?? a.amountFen,
    countyShareFen: a.countyShareFen ?? 0,
    allocatedAt: a.allocatedAt,
    allocatedBy: 'Finance officer',
    status: a.status,
    publicityDeadlineId:
      a.publicityDeadlineId === undefined ? (a.status === 'held' ? null : `dl-${a.id}`) : a.publicityDeadlineId,
    ...(a.planId !== undefined ? { planId: a.planId } : {}),
    publishedAt: a.publishedAt ?? null,
    cancelledAt: null,
    fundedChanges: [],
  };
}

/** The notice deadline of an allocation fixture (id `dl-<allocation id>`). */
export const noticeFixture = (allocationId: string, startsAt: string, dueAt: string, status = 'open') => ({
  id: `dl-${allocationId}`,
  kind: 'publicity',
  ref: allocationId,
  startsAt,
  dueAt,
  status,
});
