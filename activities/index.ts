/**
 * Activities: all I/O of the project workflow. Dependencies come in through createActivities(deps)
 * so tests pass a real PGlite or PostgreSQL handle without module mocking. The SQL is in db/queries/;
 * here are the transactions and the wiring.
 */
import { computeDeadline } from '../db/calendar.ts';
import { limitTransactionWaits, type Database } from '../db/client.ts';
import { appendAudit, appendAuditInTransaction } from '../db/queries/audit.ts';
import { fileDocuments } from '../db/queries/documents.ts';
import { insertNotifications } from '../db/queries/notifications.ts';
import { upsertProject } from '../db/queries/projects.ts';
import { ApplicationFailure } from '@temporalio/common';
import { writesOf, type AuditEntry, type NotificationEntry, type Writes } from '../domain/effects.ts';
import { scheduleDeadlines, type Change, type DatedDeadline } from '../domain/project.ts';
import type { DeadlineDates, DeadlineSpec } from '../domain/calendar/index.ts';
import type { ProjectReadModel } from '../domain/view-shapes.ts';
import { readModel } from '../domain/view.ts';
import { bookMovement, type LedgerMovement } from './ledger.ts';

export type { NotificationEntry };

export interface ActivityDeps {
  db: Database;
  /**
   * The due and reminder instants of a deadline (default: `computeDeadline`, the working-day
   * calendar read through `db` or the persisting transaction); the fault tests' faster clock
   * replaces it (test/faults/fast-clock.ts).
   */
  deadlineDates?: ((db: Database, spec: DeadlineSpec) => Promise<DeadlineDates>) | undefined;
}

/**
 * Marks the documents the batch's commands filed (`payload.documentId` on their audit entries) as
 * referenced by the project, in the same transaction as the filing itself.
 */
async function markFiledDocuments(db: Database, projectId: string, entries: AuditEntry[]): Promise<void> {
  const ids = entries.flatMap((e) => {
    const payload = e.detail.payload as { documentId?: unknown; documentIds?: unknown } | undefined;
    // One document (contract, reports, rectification evidence), or Art. 8's application documents
    // (the application's own entry, or a resubmission).
    const many = [payload?.documentIds, (e.detail as { documentIds?: unknown }).documentIds].flatMap((m) =>
      m && typeof m === 'object' ? Object.values(m as Record<string, unknown>) : [],
    );
    return [payload?.documentId, ...many].filter((id): id is string => typeof id === 'string');
  });
  await fileDocuments(db, projectId, ids);
}

async function bookAll(db: Database, movements: LedgerMovement[]): Promise<number> {
  let booked = 0;
  for (const m of movements) if (await bookMovement(db, m)) booked++;
  return booked;
}

/**
 * Runs `work` in one transaction that gives up before the local activity's timeout does: a write
 * that timed out in the workflow can never commit later behind its back (the update was refused).
 * A refusal no retry fixes becomes a non-retryable failure.
 */
async function inOneTransaction<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await limitTransactionWaits(tx);
      return work(tx);
    });
  } catch (err) {
    throw asPermanent(err) ?? err;
  }
}

/**
 * Audit first (Art. 24-25), then ledger, outbox, filed documents and the read model. The last three
 * depend on nothing read before them: sent together, they run in this order on the transaction's
 * connection in one round trip (postgres.js pipelines; PGlite runs them one by one).
 */
async function writeEffects(tx: Database, writes: EffectWrites): Promise<{ appended: number; booked: number }> {
  const appended = await appendAuditInTransaction(tx, writes.projectId, writes.audit);
  const booked = await bookAll(tx, writes.movements);
  await Promise.all([
    insertNotifications(tx, writes.notifications),
    markFiledDocuments(tx, writes.projectId, writes.audit),
    writes.model ? upsertProject(tx, writes.model) : undefined,
  ]);
  return { appended, booked };
}

/** Everything one batch of a project's effects writes, persisted together by `persistEffects`. */
export interface EffectWrites extends Writes {
  projectId: string;
  /** The read model after the batch; absent when another batch follows at once. */
  model?: ProjectReadModel | undefined;
}

/**
 * SQLSTATE classes no retry can fix: 22 data exception (a value the column cannot hold), 23
 * integrity constraint (the ledger's CHECKs), 42 syntax or access rule. Anything else — a lost
 * connection, a shutdown, a timeout — may pass and is retried.
 */
const PERMANENT_SQLSTATE = /^(22|23|42)/;

/** A database refusal that no retry fixes, as a non-retryable failure; undefined for transient errors. */
export function asPermanent(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return err.nonRetryable ? err : undefined;
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: string | number }).code ?? '');
    if (PERMANENT_SQLSTATE.test(code)) {
      return ApplicationFailure.nonRetryable(
        `the database refused the writes (SQLSTATE ${code}): ${(e as Error).message}`,
        'PersistenceRefused',
      );
    }
  }
  return undefined;
}

export function createActivities({ db, deadlineDates = computeDeadline }: ActivityDeps) {
  return {
    /** Upserts the project's read-model row (idempotent and order-safe, see upsertProject). */
    recordProject(model: ProjectReadModel): Promise<void> {
      return upsertProject(db, model);
    },

    /** Due and reminder instants of a deadline from the working-day calendar (db/calendar.ts). */
    computeDeadline(spec: DeadlineSpec): Promise<DeadlineDates> {
      return deadlineDates(db, spec);
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
      return inOneTransaction(db, (tx) => writeEffects(tx, writes));
    },

    /**
     * A whole prepared change made durable in one local activity and one transaction (patch
     * `one-local-activity-per-change`): the dates of the deadlines it starts from the working-day
     * calendar (read in the same transaction), then its audit entries (Art. 24-25), ledger
     * movements, notifications and the read model of the state it leads to. Returns the dates for
     * the workflow to record in its own copy of the change before committing it.
     */
    persistChange({ projectId, change }: { projectId: string; change: Change }): Promise<DatedDeadline[]> {
      return inOneTransaction(db, async (tx) => {
        const dates = await scheduleDeadlines(change, (spec) => deadlineDates(tx, spec));
        await writeEffects(tx, { projectId, ...writesOf(change.effects), model: readModel(change.state) });
        return dates;
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
