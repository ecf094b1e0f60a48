/**
 * Durable before visible (Art. 24-25: every accepted action on the audit trail before anyone is
 * told): through the real API, worker and database, a command is answered only once its effects are
 * stored; when the database cannot store them nothing is applied — a transient failure answers 503
 * and a retry acts exactly once, a permanent refusal answers a problem that says so — and the
 * project and the worker go on.
 */
import { asc, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { addPlanItems, createKey, sampleApplication, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

const checklist = {
  resourceCatalog: true,
  dataSharing: true,
  intensiveConstruction: true,
  cloudDeployment: true,
  securityControllable: true,
};
const review = (opinion: string) => ({ decision: 'pass', opinion, checklist });

describe.each(DRIVERS)('durable before visible with %s', (driver) => {
  let system: TestSystem;
  let department: string;
  let bdb: string;
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    await addPlanItems(system, [{ department: 'health' }]);
    department = await createKey(system, 'department', 'health');
    bdb = await createKey(system, 'bdb');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const apply = async () => {
    const res = await system.request('POST', '/v1/projects', { key: department, body: sampleApplication() });
    expect(res.status).toBe(201);
    return ((await res.json()) as Json).id as string;
  };
  const actions = async (id: string) =>
    (await system.database.db.select().from(auditLog).where(eq(auditLog.projectId, id)).orderBy(asc(auditLog.seq))).map(
      (r) => r.action,
    );

  it.skipIf(!driverAvailable(driver))(
    'Art. 24-25: creation answers 201 once the application is on the audit trail: the history is readable at once',
    async () => {
      const created = await system.request('POST', '/v1/projects', { key: department, body: sampleApplication() });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as Json).id as string;
      const history = await system.request('GET', `/v1/projects/${id}/history`, { key: department });
      expect(history.status).toBe(200);
      expect(((await history.json()) as Json).items.map((e: Json) => [e.seq, e.action])).toEqual([[1, 'application']]);
      const listed = await system.request('GET', `/v1/projects?q=${encodeURIComponent('智慧医疗')}`, { key: bdb });
      expect(((await listed.json()) as Json).items.map((p: Json) => p.id)).toContain(id);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 24-25: a change the database refuses for good → 500 persistence_failed, state unchanged, the project and the worker go on',
    async () => {
      const id = await apply();
      const other = await apply();
      // A real refusal by the database (SQLSTATE 23514) for this one opinion only.
      await system.database.db.execute(
        sql.raw(
          `alter table audit_log add constraint test_refuse_poison check (action <> 'technical-review' or detail->'payload'->>'opinion' <> 'poison')`,
        ),
      );
      try {
        const refused = await system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: bdb,
          body: review('poison'),
          headers: { 'accept-language': 'en' },
        });
        expect(refused.status).toBe(500);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        const problem = (await refused.json()) as Json;
        expect(problem.code).toBe('persistence_failed');
        expect(problem.detail).toMatch(/nothing was applied/);
        // The same refusal in the default language (zh-CN).
        const inChinese = await system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: bdb,
          body: review('poison'),
        });
        expect(((await inChinese.json()) as Json).detail).toMatch(/未作任何改动/);
        const view = (await (await system.request('GET', `/v1/projects/${id}`, { key: bdb })).json()) as Json;
        expect(view.stage).toBe('technical_review');
        expect(view.decisions.map((d: Json) => d.action)).toEqual(['application']);
        expect(await actions(id)).toEqual(['application']);
        // Other projects and other commands are served as ever.
        const fine = await system.request('POST', `/v1/projects/${other}/technical-review`, {
          key: bdb,
          body: review('fine'),
        });
        expect(fine.status).toBe(200);
      } finally {
        await system.database.db.execute(sql.raw('alter table audit_log drop constraint test_refuse_poison'));
      }
      // The same project takes the next command.
      const again = await system.request('POST', `/v1/projects/${id}/technical-review`, {
        key: bdb,
        body: review('fine now'),
      });
      expect(again.status).toBe(200);
      expect(await actions(id)).toEqual(['application', 'technical-review']);
    },
  );

  it.skipIf(driver !== 'postgres' || !driverAvailable(driver))(
    'Art. 24-25: a transient database failure → 503 with Retry-After and nothing applied; a retry (with or without Idempotency-Key) acts once',
    async () => {
      for (const idempotencyKey of ['durable-retry-1', undefined]) {
        const id = await apply();
        // Another session holds the audit table: every write of the command waits, then gives up.
        const locker = postgres(system.database.url!, { max: 1, onnotice: () => {} });
        const held = locker.begin(async (tx) => {
          await tx.unsafe('lock table audit_log in access exclusive mode');
          await new Promise((r) => setTimeout(r, 8_000));
        });
        await new Promise((r) => setTimeout(r, 300));
        const headers = idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined;
        const first = await system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: bdb,
          body: review('first'),
          headers,
        });
        expect(first.status).toBe(503);
        expect(first.headers.get('retry-after')).toBeTruthy();
        await held;
        await locker.end();
        expect(await actions(id)).toEqual(['application']);
        const view = (await (await system.request('GET', `/v1/projects/${id}`, { key: bdb })).json()) as Json;
        expect(view.stage).toBe('technical_review');

        const retry = await system.request('POST', `/v1/projects/${id}/technical-review`, {
          key: bdb,
          body: review('first'),
          headers,
        });
        expect(retry.status).toBe(200);
        expect(((await retry.json()) as Json).stage).toBe('establishment_review');
        expect(await actions(id)).toEqual(['application', 'technical-review']);
        // Nothing arrives later behind the answer's back.
        await new Promise((r) => setTimeout(r, 1_000));
        expect(await actions(id)).toEqual(['application', 'technical-review']);
      }
    },
    60_000,
  );
});
