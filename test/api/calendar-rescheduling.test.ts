/**
 * docs/MEASURES.md "Working days", end to end through the API and the real workflow: entering a
 * year's State Council notice with a make-up working Saturday moves the open rectification deadline
 * of a project (Update `deadlineRescheduling`, audit entry with old and new dates) and leaves the
 * closed one alone; a repeated PUT moves nothing.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { computeDeadline } from '../../db/calendar.ts';
import { addDays } from '../../domain/calendar/index.ts';
import { auditLog } from '../../db/schema.ts';
import { DEFAULT_CITY_POLICY } from '../../domain/policy-defaults.ts';
import {
  ADMIN_KEY,
  addPlanItems,
  createKey,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
});
afterAll(async () => {
  await system?.stop();
});

const call = async (method: string, path: string, key: string, body?: unknown, expected = 200): Promise<Json> => {
  const res = await system.request(method, path, { key, ...(body === undefined ? {} : { body }) });
  const json = (await res.json()) as Json;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(expected);
  return json;
};

it('Art. 22: a notice with a make-up working Saturday moves an open rectification deadline and leaves a closed one alone', async () => {
  // A city policy with 40 working days for rectification, so the deadline reaches the next year's
  // calendar (today + ~8 weeks).
  const deadlines = {
    ...DEFAULT_CITY_POLICY.deadlines,
    rectification: { duration: { unit: 'workingDays', amount: 40 }, reminder: { unit: 'workingDays', amount: 3 } },
  };
  await call('PUT', '/v1/policies/city', ADMIN_KEY, { deadlines }, 201);
  await addPlanItems(system, [{ department: 'health' }]);
  const dept = await createKey(system, 'department', 'health');
  const bdb = await createKey(system, 'bdb');
  const id = (await call('POST', '/v1/projects', dept, sampleApplication(), 201)).id as string;

  await call('POST', `/v1/projects/${id}/rectification-orders`, bdb, {
    reason: 'other',
    description: 'Closed before the notice',
  });
  await call('POST', `/v1/projects/${id}/rectification-orders`, bdb, {
    reason: 'other',
    description: 'Open when the notice comes',
  });
  await call('POST', `/v1/projects/${id}/rectification-orders/rect-1/response`, dept, {
    description: 'done',
    evidenceRef: 'sha256:ee',
  });
  const before = await call('POST', `/v1/projects/${id}/rectification-orders/rect-1/review`, bdb, {
    decision: 'accept',
    opinion: 'ok',
  });
  const closed = before.deadlines.find((d: Json) => d.ref === 'rect-1');
  const open = before.deadlines.find((d: Json) => d.ref === 'rect-2');
  expect(closed.status).not.toBe('open');
  expect(open).toMatchObject({ status: 'open', rule: { unit: 'workingDays', amount: 40 } });

  // The last Saturday before the due day becomes a working day in that year's notice.
  const startsOn = new Date(Date.parse(open.startsAt) + 8 * 3_600_000).toISOString().slice(0, 10);
  let saturday = new Date(Date.parse(open.dueAt) + 8 * 3_600_000 - 1).toISOString().slice(0, 10);
  while (new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, -1);
  expect(saturday > startsOn).toBe(true);
  const year = Number(saturday.slice(0, 4));
  const notice = {
    notice: `国办发明电〔${year - 1}〕99号`,
    days: [{ date: saturday, workday: true, name: '调休（测试）' }],
  };

  const put = await call('PUT', `/v1/calendar/${year}`, ADMIN_KEY, notice);
  expect({ moved: put.moved, projects: put.projects }).toEqual({ moved: 1, projects: 1 });
  expect(put.days.find((d: Json) => d.date === saturday)).toEqual({
    date: saturday,
    workday: true,
    name: '调休（测试）',
    source: 'notice',
    reference: notice.notice,
    provisional: false,
  });

  const expected = await computeDeadline(system.database.db, { startsOn, rule: open.rule, reminder: open.reminder });
  const after = await call('GET', `/v1/projects/${id}`, bdb);
  const moved = after.deadlines.find((d: Json) => d.ref === 'rect-2');
  expect(moved.dueAt).toBe(expected.dueAt);
  expect(Date.parse(moved.dueAt)).toBeLessThan(Date.parse(open.dueAt)); // one working day more: earlier
  expect(moved.status).toBe('open');
  expect(after.deadlines.find((d: Json) => d.ref === 'rect-1')).toEqual(closed);

  const entries = await system.database.db
    .select({ action: auditLog.action, detail: auditLog.detail, role: auditLog.actorRole })
    .from(auditLog)
    .where(and(eq(auditLog.projectId, id)))
    .orderBy(asc(auditLog.seq));
  const rescheduled = entries.filter((e) => e.action === 'deadline-rescheduled');
  expect(entries.filter((e) => e.action === 'deadline-rescheduling')).toHaveLength(1);
  expect(rescheduled).toHaveLength(1);
  expect(rescheduled[0]).toMatchObject({
    role: 'admin',
    detail: {
      deadlineId: open.id,
      kind: 'rectification',
      ref: 'rect-2',
      oldDueAt: open.dueAt,
      newDueAt: expected.dueAt,
      cause: { year, source: 'notice', reference: notice.notice },
    },
  });

  // The same notice again: nothing changes, nothing moves, no command.
  const again = await call('PUT', `/v1/calendar/${year}`, ADMIN_KEY, notice);
  expect({ moved: again.moved, projects: again.projects }).toEqual({ moved: 0, projects: 0 });
  const count = await system.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.projectId, id));
  expect(count.length).toBe(entries.length);
});
