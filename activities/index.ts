/**
 * Activities: all I/O of the project workflow. Dependencies come in through createActivities(deps)
 * so tests pass a real PGlite or PostgreSQL handle without module mocking (shared/STYLE.md).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { projects } from '../db/schema.ts';
import type { ProjectReadModel } from '../workflows/core/types.ts';

export interface ActivityDeps {
  db: Database;
}

export function createActivities({ db }: ActivityDeps) {
  return {
    /**
     * Upserts the project's read-model row. Idempotent and order-safe: a retried or late call with
     * an older `version` leaves a newer row untouched.
     */
    async recordProject(model: ProjectReadModel): Promise<void> {
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
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
