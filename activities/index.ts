/**
 * Activities: all I/O of the project workflow. Dependencies come in through createActivities(deps)
 * so tests pass a real PGlite or PostgreSQL handle without module mocking (shared/STYLE.md).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { notifications, projects } from '../db/schema.ts';
import type { ProjectReadModel, Role } from '../domain/types.ts';
import { appendAudit, type AuditEntry } from './audit.ts';
import { computeDeadline, type DeadlineDates, type DeadlineSpec } from './calendar.ts';
import { bookMovement, type LedgerMovement } from './ledger.ts';

export interface ActivityDeps {
  db: Database;
}

export interface NotificationEntry {
  eventId: string;
  projectId: string;
  recipient: { role: Role; department?: string | undefined };
  kind: string;
  detail: string;
  dueAt?: string | null | undefined;
  at: string;
}

/** Upserts a project's read-model row; a retried or late write with an older `version` changes nothing. */
async function upsertProject(db: Database, model: ProjectReadModel): Promise<void> {
  const v = model.view;
  const row = {
    id: v.id,
    title: v.title,
    department: v.department,
    jurisdiction: v.jurisdiction,
    kind: v.kind,
    year: v.year,
    stage: v.stage,
    awaitingRoles: model.awaitingRoles,
    pendingActions: v.pendingActions,
    nextDeadline: model.nextDeadline ? new Date(model.nextDeadline) : null,
    overdue: model.overdue,
    fundsSuspended: v.funds.suspended,
    view: v,
    version: model.version,
    createdAt: new Date(v.createdAt),
    updatedAt: new Date(),
  };
  const { id: _id, createdAt: _createdAt, ...changes } = row;
  await db
    .insert(projects)
    .values(row)
    .onConflictDoUpdate({
      target: projects.id,
      set: changes,
      setWhere: sql`${projects.version} < excluded.version`,
    });
}

/** Puts reminders and violations into the notifications outbox, once per event id. */
async function insertNotifications(db: Database, entries: NotificationEntry[]): Promise<void> {
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
        detail: n.detail,
        dueAt: n.dueAt ? new Date(n.dueAt) : null,
        createdAt: new Date(n.at),
      })),
    )
    .onConflictDoNothing({ target: notifications.eventId });
}

async function bookAll(db: Database, movements: LedgerMovement[]): Promise<number> {
  let booked = 0;
  for (const m of movements) if (await bookMovement(db, m)) booked++;
  return booked;
}

/** Everything one batch of a project's effects writes, persisted together by `persistEffects`. */
export interface EffectWrites {
  projectId: string;
  audit: AuditEntry[];
  movements: LedgerMovement[];
  notifications: NotificationEntry[];
  /** The read model after the batch; absent when another batch follows at once. */
  model?: ProjectReadModel | undefined;
}

export function createActivities({ db }: ActivityDeps) {
  return {
    /** Upserts the project's read-model row (idempotent and order-safe, see upsertProject). */
    recordProject(model: ProjectReadModel): Promise<void> {
      return upsertProject(db, model);
    },

    /** Due and reminder instants of a deadline from the working-day calendar (see calendar.ts). */
    computeDeadline(spec: DeadlineSpec): Promise<DeadlineDates> {
      return computeDeadline(db, spec);
    },

    /** Books fund movements in order, each exactly once (Art. 10-12, 21-22). */
    bookFundMovements(movements: LedgerMovement[]): Promise<number> {
      return bookAll(db, movements);
    },

    /** Appends to the project's SM3 hash-chained audit trail (Art. 24-25). */
    appendAudit(projectId: string, entries: AuditEntry[]): Promise<number> {
      return appendAudit(db, projectId, entries);
    },

    /** Reminders and violations into the notifications outbox, once per event id. */
    notify(entries: NotificationEntry[]): Promise<void> {
      return insertNotifications(db, entries);
    },

    /**
     * One batch of effects in one transaction: audit entries first (Art. 24-25), then the fund
     * movements (Art. 10-12, 21-22), the notifications and the read model. All or nothing, and
     * idempotent (event ids, movement keys, model version), so the workflow runs it as a local
     * activity: a retry after a crash or a replayed workflow task writes nothing twice.
     */
    persistEffects(writes: EffectWrites): Promise<{ appended: number; booked: number }> {
      return db.transaction(async (tx) => {
        const appended = await appendAudit(tx, writes.projectId, writes.audit);
        const booked = await bookAll(tx, writes.movements);
        await insertNotifications(tx, writes.notifications);
        if (writes.model) await upsertProject(tx, writes.model);
        return { appended, booked };
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
