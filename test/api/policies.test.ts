/**
 * Jurisdiction policies (Art. 30) over HTTP: the seeded city policy, a county issuing its own version,
 * a project pinning the version in force when it applied, and the errors of both routes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { policies } from '../../db/schema.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;
let system: TestSystem;
let bdb: string;
let health: string;
/** Art. 5, 12, 30: keys of the health department in three counties. */
const countyHealth: Record<string, string> = {};
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  bdb = await createKey(system, 'bdb');
  health = await createKey(system, 'department', 'health');
  for (const j of ['zezhou', 'gaoping', 'yangcheng'])
    countyHealth[j] = await createKey(system, 'department', 'health', j);
  await addPlanItems(system, [{ department: 'health' }]);
});
afterAll(async () => {
  await system?.stop();
});

const get = async (path: string, key?: string) => {
  const res = await system.request('GET', path, key ? { key } : {});
  return { status: res.status, body: (await res.json()) as Json };
};
const put = async (path: string, key: string | undefined, body: unknown) => {
  const res = await system.request('PUT', path, { ...(key ? { key } : {}), body });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
};
const countyDeadlines = () => ({
  ...structuredClone(DEFAULT_CITY_POLICY.deadlines),
  publicity: { duration: { unit: 'workingDays', amount: 3 }, reminder: null },
});

describe('GET /v1/policies and PUT /v1/policies/:jurisdiction (Art. 30)', () => {
  it('the city policy v1 is seeded with the defaults of docs/MEASURES.md "Deadlines"; any role reads it', async () => {
    const { status, body } = await get('/v1/policies?jurisdiction=city', bdb);
    expect(status).toBe(200);
    expect(body.items[0]).toMatchObject({
      jurisdiction: 'city',
      version: 1,
      deadlines: DEFAULT_CITY_POLICY.deadlines,
      switches: DEFAULT_POLICY_SWITCHES,
    });
    expect((await get('/v1/policies', health)).status).toBe(200);
  });

  it('a county issues its own versions; a project pins the latest of its jurisdiction, a county without one the city', async () => {
    const first = await put('/v1/policies/zezhou', ADMIN_KEY, { deadlines: countyDeadlines() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ jurisdiction: 'zezhou', version: 1 });
    const second = await put('/v1/policies/zezhou', ADMIN_KEY, {
      deadlines: { ...countyDeadlines(), publicity: { duration: { unit: 'workingDays', amount: 4 }, reminder: null } },
    });
    expect(second.body.version).toBe(2);
    expect((await get('/v1/policies?jurisdiction=zezhou', bdb)).body.items.map((p: Json) => p.version)).toEqual([1, 2]);

    const county = await system.request('POST', '/v1/projects', {
      key: countyHealth.zezhou,
      body: sampleApplication({
        jurisdiction: 'zezhou',
        estimate: { totalFen: 100, cityShareFen: 60, countyShareFen: 40 },
      }),
    });
    expect(county.status).toBe(201);
    expect(((await county.json()) as Json).policy).toEqual({
      jurisdiction: 'zezhou',
      version: 2,
      switches: DEFAULT_POLICY_SWITCHES,
    });
    const other = await system.request('POST', '/v1/projects', {
      key: countyHealth.gaoping,
      body: sampleApplication({ jurisdiction: 'gaoping' }),
    });
    expect(((await other.json()) as Json).policy).toEqual({
      jurisdiction: 'city',
      version: 1,
      switches: DEFAULT_POLICY_SWITCHES,
    });
  });

  it('Art. 15, 16, 21, 22: policy switches — each off unless the PUT turns it on; a project pins them; a version stored without switches reads as all off', async () => {
    const on = await put('/v1/policies/yangcheng', ADMIN_KEY, {
      deadlines: countyDeadlines(),
      switches: { lateFilingRectification: true, completionReportFreeze: true },
    });
    expect(on.status).toBe(201);
    expect(on.body.switches).toEqual({
      ...DEFAULT_POLICY_SWITCHES,
      lateFilingRectification: true,
      completionReportFreeze: true,
    });
    const project = await system.request('POST', '/v1/projects', {
      key: countyHealth.yangcheng,
      body: sampleApplication({
        jurisdiction: 'yangcheng',
        estimate: { totalFen: 100, cityShareFen: 60, countyShareFen: 40 },
      }),
    });
    expect(((await project.json()) as Json).policy.switches).toMatchObject({
      lateFilingRectification: true,
      missingReportRectification: false,
    });
    // A version written before the switches existed (the column's default).
    await system.database.db
      .insert(policies)
      .values({ jurisdiction: 'qinshui', version: 1, deadlines: countyDeadlines(), createdBy: 'before-switches' });
    expect((await get('/v1/policies?jurisdiction=qinshui', bdb)).body.items[0].switches).toEqual(
      DEFAULT_POLICY_SWITCHES,
    );
    for (const switches of [{ freezeEverything: true }, { completionReportFreeze: 'yes' }]) {
      expect((await put('/v1/policies/yangcheng', ADMIN_KEY, { deadlines: countyDeadlines(), switches })).status).toBe(
        400,
      );
    }
  });

  it('refuses invalid settings with 400 (and adds no version), other roles with 403, no key with 401', async () => {
    const before = (await get('/v1/policies?jurisdiction=lingchuan', bdb)).body.items.length;
    const bad = [
      {
        deadlines: {
          ...countyDeadlines(),
          publicity: { duration: { unit: 'workingDays', amount: 0 }, reminder: null },
        },
      },
      {
        deadlines: {
          ...countyDeadlines(),
          contractFiling: {
            duration: { unit: 'workingDays', amount: 5 },
            reminder: { unit: 'workingDays', amount: 5 },
          },
        },
      },
      { deadlines: { ...countyDeadlines(), annualEvaluation: { dueMonthDay: '13-01', reminder: null } } },
      { deadlines: { ...countyDeadlines(), extra: true } },
      { deadlines: countyDeadlines(), version: 9 },
    ];
    for (const body of bad) {
      const res = await put('/v1/policies/lingchuan', ADMIN_KEY, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await put('/v1/policies/NOT A CODE', ADMIN_KEY, { deadlines: countyDeadlines() })).status).toBe(400);
    expect((await get('/v1/policies?jurisdiction=lingchuan', bdb)).body.items.length).toBe(before);
    expect((await put('/v1/policies/lingchuan', bdb, { deadlines: countyDeadlines() })).status).toBe(403);
    expect((await put('/v1/policies/lingchuan', undefined, { deadlines: countyDeadlines() })).status).toBe(401);
    expect((await get('/v1/policies')).status).toBe(401);
  });

  it("Art. 15, 21, 30: the city's policy cannot change the 5 and 7 working days the text fixes (422 period_fixed_by_measures in Chinese, no version added); a county's own measures may", async () => {
    const versions = async (j: string) => (await get(`/v1/policies?jurisdiction=${j}`, bdb)).body.items.length;
    const before = await versions('city');
    for (const [field, article, days] of [
      ['contractFiling', '第十五条', '5 个工作日'],
      ['completionReport', '第二十一条', '7 个工作日'],
    ] as const) {
      const deadlines = {
        ...structuredClone(DEFAULT_CITY_POLICY.deadlines),
        [field]: { duration: { unit: 'calendarDays', amount: 60 }, reminder: null },
      };
      const res = await put('/v1/policies/city', ADMIN_KEY, { deadlines });
      expect(res.status, field).toBe(422);
      expect(res.body).toMatchObject({ code: 'period_fixed_by_measures', field });
      expect(res.body.title).toMatch(/[\u4e00-\u9fff]/);
      expect(res.body.detail).toContain(article);
      expect(res.body.detail).toContain(days);
      expect(res.body.detail).toContain('第三十条');
    }
    expect(await versions('city')).toBe(before);
    const county = await put('/v1/policies/chengqu', ADMIN_KEY, {
      deadlines: {
        ...countyDeadlines(),
        contractFiling: { duration: { unit: 'workingDays', amount: 3 }, reminder: null },
      },
    });
    expect(county.status).toBe(201);
    expect(county.body.deadlines.contractFiling.duration).toEqual({ unit: 'workingDays', amount: 3 });
  });
});
