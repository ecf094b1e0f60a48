/**
 * The read model's row (db/queries/projects.ts upsertProject) against both database drivers: a
 * newer version replaces every column, an older or repeated one changes nothing, and the creation
 * time stays the first write's. Local activities may retry or arrive late; the row must not go back.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProject } from '../../db/queries/projects.ts';
import { projects } from '../../db/schema.ts';
import type { ProjectReadModel } from '../../domain/view-shapes.ts';
import { Project } from '../../domain/project.ts';
import { makeInput } from '../domain/helpers.ts';
import { createTestDatabase, DRIVERS, driverAvailable, type TestDatabase } from '../support/database.ts';

const later = (model: ProjectReadModel, version: number, stage: string): ProjectReadModel => ({
  ...model,
  version,
  awaitingRoles: ['approval'],
  nextDeadline: '2026-12-31T10:00:00.000Z',
  overdue: true,
  view: {
    ...model.view,
    title: `${model.view.title} (v${version})`,
    stage: stage as ProjectReadModel['view']['stage'],
    createdAt: '2030-01-01T00:00:00.000Z',
  },
});

describe.each(DRIVERS)('the read-model row (%s)', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (driverAvailable(driver)) database = await createTestDatabase(driver);
  });
  afterAll(async () => database?.destroy());

  it.skipIf(!driverAvailable(driver))(
    'a newer version replaces the row; an older or repeated one does not',
    async () => {
      const id = `P-READ-MODEL-${driver}`;
      const first = Project.create(makeInput({ id })).readModel();
      const row = async () => (await database.db.select().from(projects).where(eq(projects.id, id)))[0]!;

      await upsertProject(database.db, first);
      const created = await row();
      expect(created).toMatchObject({ version: first.version, stage: first.view.stage, title: first.view.title });

      const second = later(first, first.version + 1, 'establishment');
      await upsertProject(database.db, second);
      const updated = await row();
      expect(updated).toMatchObject({
        version: second.version,
        stage: 'establishment',
        title: second.view.title,
        awaitingRoles: ['approval'],
        overdue: true,
        view: second.view,
      });
      expect(updated.nextDeadline?.toISOString()).toBe('2026-12-31T10:00:00.000Z');
      // The creation time is the first write's, whatever a later view says.
      expect(updated.createdAt.toISOString()).toBe(created.createdAt.toISOString());

      // A late retry of the first write, and the same version again with other values: nothing changes.
      await upsertProject(database.db, first);
      await upsertProject(database.db, later(first, second.version, 'budgeting'));
      expect(await row()).toMatchObject({ version: second.version, stage: 'establishment', view: second.view });
    },
  );
});
