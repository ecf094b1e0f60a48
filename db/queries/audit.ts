/**
 * The `audit_log` table (Art. 24-25): appending to a project's trail, reading it and verifying it.
 * Appends are idempotent per event id and serialised per project with a transaction-scoped advisory
 * lock, so the chain (SM3, db/audit-chain.ts) never forks.
 */
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { auditLog, projects, type AuditRow } from '../schema.ts';
import { personOf } from '../../domain/vocabulary.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { chainHash, GENESIS_HASH, type ChainedEntry } from '../audit-chain.ts';
import type { AuditEntry } from '../../domain/effects.ts';

/** The subjects (projects, `cloud-platform`) that have an audit trail, in id order. */
export const projectsWithTrail = async (db: Database): Promise<string[]> =>
  (await db.selectDistinct({ projectId: auditLog.projectId }).from(auditLog).orderBy(asc(auditLog.projectId))).map(
    (r) => r.projectId,
  );

/** The projects that have a read-model row (each needs a trail, `verifyAuditCompleteness`). */
export const projectsWithReadModel = async (db: Database): Promise<string[]> =>
  (await db.select({ projectId: projects.id }).from(projects)).map((r) => r.projectId);

/** A project's audit entries, oldest first. */
export const auditTrail = (db: Database, projectId: string): Promise<AuditRow[]> =>
  db.select().from(auditLog).where(eq(auditLog.projectId, projectId)).orderBy(asc(auditLog.seq));

export type { AuditEntry };

/** Appends in a transaction of its own (a savepoint inside the caller's, when it has one). */
export async function appendAudit(db: Database, projectId: string, entries: AuditEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  return db.transaction((tx) => appendAuditInTransaction(tx, projectId, entries));
}

/**
 * Appends inside the caller's transaction, which must be one: the advisory lock is held until it
 * ends (persistChange/persistEffects, activities/index.ts). No savepoint: two round trips fewer.
 */
export async function appendAuditInTransaction(
  tx: Database,
  projectId: string,
  entries: AuditEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audit:${projectId}`}))`);
  // One read: the chain's last entry and whichever of these entries are there already (a retry).
  const ids = entries.map((e) => e.eventId);
  const rows = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash, eventId: auditLog.eventId })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.projectId, projectId),
        or(
          inArray(auditLog.eventId, ids),
          sql`${auditLog.seq} = (select max(chain.seq) from ${auditLog} chain where chain.project_id = ${projectId})`,
        ),
      ),
    );
  const last = rows.reduce<(typeof rows)[number] | undefined>(
    (top, r) => (top === undefined || r.seq > top.seq ? r : top),
    undefined,
  );
  const known = new Set(rows.filter((r) => ids.includes(r.eventId)).map((r) => r.eventId));
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const values: Array<typeof auditLog.$inferInsert> = [];
  for (const entry of entries) {
    if (known.has(entry.eventId)) continue;
    known.add(entry.eventId);
    seq += 1;
    const chained: ChainedEntry = {
      projectId,
      seq,
      eventId: entry.eventId,
      at: new Date(entry.at).toISOString(),
      action: entry.action,
      actor: {
        keyId: entry.actor.keyId,
        role: entry.actor.role,
        department: entry.actor.department ?? null,
        name: entry.actor.name,
        ...personOf(entry.actor),
      },
      detail: entry.detail ?? null,
    };
    const hash = chainHash(prevHash, chained);
    values.push({
      projectId,
      seq,
      eventId: entry.eventId,
      at: new Date(chained.at),
      action: entry.action,
      actorKeyId: chained.actor.keyId,
      actorRole: chained.actor.role,
      actorDepartment: chained.actor.department,
      actorName: chained.actor.name,
      actorAccountId: chained.actor.accountId ?? null,
      actorOrganization: chained.actor.organization ?? null,
      detail: chained.detail,
      prevHash,
      hash,
    });
    prevHash = hash;
  }
  // The whole batch, chained in order, in one statement.
  if (values.length > 0) await tx.insert(auditLog).values(values);
  return values.length;
}

export const rowToChained = (row: AuditRow): ChainedEntry => ({
  projectId: row.projectId,
  seq: row.seq,
  eventId: row.eventId,
  at: row.at.toISOString(),
  action: row.action,
  actor: {
    keyId: row.actorKeyId,
    role: row.actorRole,
    department: row.actorDepartment,
    name: row.actorName,
    ...(row.actorAccountId === null ? {} : { accountId: row.actorAccountId }),
    ...(row.actorOrganization === null ? {} : { organization: row.actorOrganization }),
  },
  detail: row.detail,
});

export interface ChainProblem {
  projectId: string;
  seq: number;
  problem: string;
}

/**
 * Completeness of one project's trail against its read model (Art. 24-25): a read-model row needs a
 * trail; every decision the ProjectView shows needs its audit entry (counted per action); entries
 * follow time in sequence order.
 */
export async function verifyAuditCompleteness(db: Database, projectId: string): Promise<ChainProblem[]> {
  const rows = await db
    .select({ seq: auditLog.seq, at: auditLog.at, action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.projectId, projectId))
    .orderBy(asc(auditLog.seq));
  const [model] = await db.select({ view: projects.view }).from(projects).where(eq(projects.id, projectId));
  const problems: ChainProblem[] = [];
  if (model && rows.length === 0)
    return [{ projectId, seq: 0, problem: 'the project has a read-model row but no audit trail' }];
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.at < rows[i - 1]!.at)
      problems.push({
        projectId,
        seq: rows[i]!.seq,
        problem: `recorded at ${rows[i]!.at.toISOString()}, before seq ${rows[i - 1]!.seq}`,
      });
  }
  const decisions = ((model?.view as ProjectView | undefined)?.decisions ?? []).map((d) => d.action);
  const audited = new Map<string, number>();
  for (const r of rows) audited.set(r.action, (audited.get(r.action) ?? 0) + 1);
  const shown = new Map<string, number>();
  for (const action of decisions) shown.set(action, (shown.get(action) ?? 0) + 1);
  for (const [action, count] of shown) {
    const found = audited.get(action) ?? 0;
    if (found < count)
      problems.push({
        projectId,
        seq: 0,
        problem: `${count} decision(s) "${action}" in the view, ${found} on the audit trail`,
      });
  }
  return problems;
}

/** Recomputes one project's chain; lists every row whose link or hash does not match. */
export async function verifyAuditChain(db: Database, projectId: string): Promise<ChainProblem[]> {
  const rows = await db.select().from(auditLog).where(eq(auditLog.projectId, projectId)).orderBy(asc(auditLog.seq));
  const problems: ChainProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq)
      problems.push({ projectId, seq: row.seq, problem: `sequence gap: expected ${expectedSeq}` });
    if (row.prevHash !== prevHash)
      problems.push({ projectId, seq: row.seq, problem: 'prev_hash does not match the previous row' });
    if (chainHash(row.prevHash, rowToChained(row)) !== row.hash)
      problems.push({ projectId, seq: row.seq, problem: 'hash does not match the row content' });
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  return problems;
}
