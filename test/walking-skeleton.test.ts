/**
 * The walking skeleton through every layer, on the real Temporal dev server, with both database
 * drivers: HTTP → auth → workflow start → activity writes the read model → workflow query → HTTP.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projects } from '../db/schema.ts';
import { projectWorkflowId } from '../workflows/messages.ts';
import { DRIVERS, driverAvailable } from './support/database.ts';
import {
  addPlanItems,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from './support/system.ts';

describe.each(DRIVERS)('walking skeleton with %s', (driver) => {
  let system: TestSystem;
  let healthKey: string;
  let transportKey: string;

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    healthKey = await createKey(system, 'department', 'health');
    transportKey = await createKey(system, 'department', 'transport');
    await addPlanItems(system, [{ department: 'health' }]);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.skipIf(!driverAvailable(driver))(
    'a department applies, the workflow runs, the read model and the query agree',
    async () => {
      const created = await system.request('POST', '/v1/projects', { key: healthKey, body: sampleApplication() });
      expect(created.status).toBe(201);
      const view = (await created.json()) as {
        id: string;
        stage: string;
        department: string;
        pendingActions: unknown[];
      };
      expect(view.id).toMatch(/^JC2026-[0-9A-Z]{8}$/);
      expect(created.headers.get('location')).toBe(`/v1/projects/${view.id}`);
      expect(view.department).toBe('health'); // taken from the key, not the body

      // The workflow exists on the real server, on this test's task queue.
      const description = await system.client.workflow.getHandle(projectWorkflowId(view.id)).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(description.taskQueue).toBe(system.taskQueue);

      // An activity wrote the read-model row.
      const row = await eventually(async () => {
        const [r] = await system.database.db.select().from(projects).where(eq(projects.id, view.id));
        return r;
      });
      expect(row.department).toBe('health');
      expect(row.stage).toBe(view.stage);
      expect(row.awaitingRoles).toEqual(['bdb']);

      // GET answers from the workflow query.
      const fetched = await system.request('GET', `/v1/projects/${view.id}`, { key: healthKey });
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toEqual(view);

      // Another department may not look at it; a bdb key may.
      const other = await system.request('GET', `/v1/projects/${view.id}`, { key: transportKey });
      expect(other.status).toBe(403);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      const bdbKey = await createKey(system, 'bdb');
      expect((await system.request('GET', `/v1/projects/${view.id}`, { key: bdbKey })).status).toBe(200);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 3: a classified project is refused with 422 and nothing starts',
    async () => {
      const res = await system.request('POST', '/v1/projects', {
        key: healthKey,
        body: sampleApplication({ classified: true }),
      });
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { code: string };
      expect(problem.code).toBe('classified_project');
      const rows = await system.database.db.select().from(projects).where(eq(projects.department, 'health'));
      expect(rows.every((r) => r.title !== 'classified')).toBe(true);
      expect(rows).toHaveLength(1); // only the project of the previous test
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 6, 8: an item outside the annual plan of the year and department is refused with 422',
    async () => {
      // transport applies with health's plan item, then with an item that does not exist.
      for (const annualPlanItem of ['2026-HEALTH-01', '2026-NOWHERE-99']) {
        const res = await system.request('POST', '/v1/projects', {
          key: transportKey,
          body: sampleApplication({ annualPlanItem }),
        });
        expect(res.status).toBe(422);
        expect(((await res.json()) as { code: string }).code).toBe('not_in_annual_plan');
      }
      const wrongYear = await system.request('POST', '/v1/projects', {
        key: healthKey,
        body: sampleApplication({ year: 2027 }),
      });
      expect(wrongYear.status).toBe(422);
      const rows = await system.database.db.select().from(projects).where(eq(projects.department, 'transport'));
      expect(rows).toHaveLength(0);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'refuses missing keys, wrong roles, bad bodies and unknown projects as problem+json',
    async () => {
      const noKey = await system.request('POST', '/v1/projects', { body: sampleApplication() });
      expect(noKey.status).toBe(401);
      expect(noKey.headers.get('www-authenticate')).toBe('Bearer');

      const bdbKey = await createKey(system, 'bdb');
      const wrongRole = await system.request('POST', '/v1/projects', { key: bdbKey, body: sampleApplication() });
      expect(wrongRole.status).toBe(403);

      const bad = await system.request('POST', '/v1/projects', {
        key: healthKey,
        body: sampleApplication({ estimate: { totalFen: 10.5, cityShareFen: 0, countyShareFen: 0 }, extra: true }),
      });
      expect(bad.status).toBe(400);
      const problem = (await bad.json()) as { code: string; errors: Array<{ path: string }> };
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['json.estimate.totalFen', 'json']));

      const malformed = await system.request('POST', '/v1/projects', { key: healthKey, body: '{not json' });
      expect(malformed.status).toBe(400);

      const missing = await system.request('GET', '/v1/projects/JC2026-00000000', { key: healthKey });
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { code: string }).code).toBe('not_found');

      const traversal = await system.request('GET', '/v1/projects/..%2F..%2Fetc%2Fpasswd', { key: healthKey });
      expect(traversal.status).toBe(400);
    },
  );
});
