/** Annual plans (Art. 6) through the real app, on both drivers. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { annualPlanItems } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey } from '../support/system.ts';
import { bdb, call, finance, health, system, usePlansCalendarSystem, type Json } from './plans-calendar-system.ts';

describe.each(DRIVERS)('annual plans and calendar with %s', (driver) => {
  usePlansCalendarSystem(driver);

  const plan = {
    items: [
      { code: '2026-HEALTH-01', title: '智慧医疗 Smart health', department: 'health', ceilingFen: 1_500_000_00 },
      { code: '2026-EDU-01', title: 'Education cloud', department: 'education', ceilingFen: 800_000_00 },
    ],
  };

  it.skipIf(!driverAvailable(driver))(
    'Art. 6: PUT replaces the whole draft of a year in one go; GET returns it to any role while no version is approved',
    async () => {
      const first = await call('PUT', '/v1/annual-plans/2026', bdb, plan);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ year: 2026, version: 1, status: 'draft', approvedOn: null, documentNo: null });
      expect(first.body.items.map((i: Json) => i.code)).toEqual(['2026-EDU-01', '2026-HEALTH-01']);
      expect(first.body.items[1]).toEqual({
        ...plan.items[0],
        updatedAt: expect.any(String),
        updatedBy: expect.stringMatching(/^[0-9a-f]{12}$/),
        updatedByName: 'bdb',
      });

      const replaced = await call('PUT', '/v1/annual-plans/2026', bdb, {
        items: [{ code: '2026-HEALTH-01', title: 'Smart health v2', department: 'health', ceilingFen: 2_000_000_00 }],
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ version: 1, status: 'draft' }); // still the one draft
      const rows = await system.database.db.select().from(annualPlanItems).where(eq(annualPlanItems.year, 2026));
      expect(rows.map((r) => [r.version, r.code, r.title, r.ceilingFen])).toEqual([
        [1, '2026-HEALTH-01', 'Smart health v2', 2_000_000_00],
      ]);

      // Other years are untouched.
      await call('PUT', '/v1/annual-plans/2027', bdb, plan);
      for (const key of [health, finance, ADMIN_KEY]) {
        const got = await call('GET', '/v1/annual-plans/2026', key);
        expect(got.status).toBe(200);
        expect(got.body.items.map((i: Json) => i.title)).toEqual(['Smart health v2']);
      }
      expect((await call('GET', '/v1/annual-plans/2027', health)).body.items).toHaveLength(2);
      expect((await call('GET', '/v1/annual-plans/2031', health)).body).toMatchObject({
        year: 2031,
        version: null,
        status: null,
        items: [],
      });

      // An empty draft clears the year's draft.
      expect((await call('PUT', '/v1/annual-plans/2027', bdb, { items: [] })).body.items).toEqual([]);
      expect((await call('GET', '/v1/annual-plans/2027', bdb)).body.items).toEqual([]);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 6 (measures): draft → approved (date, document number) → amended; old versions readable; every change on the trail (who, when, what)',
    async () => {
      const year = 2032;
      await call('PUT', `/v1/annual-plans/${year}`, bdb, {
        items: [{ code: `${year}-A`, title: 'A', department: 'health', ceilingFen: 100 }],
      });
      // Art. 6: the city government approves the draft; the BDB records it.
      const approved = await call('POST', `/v1/annual-plans/${year}/approval`, bdb, {
        approvedOn: `${year}-01-10`,
        documentNo: '晋市政函〔2032〕1号',
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        year,
        version: 1,
        status: 'in-force',
        approvedOn: `${year}-01-10`,
        documentNo: '晋市政函〔2032〕1号',
        approvedBy: expect.any(String),
      });
      // No draft left to approve.
      const again = await call('POST', `/v1/annual-plans/${year}/approval`, bdb, {
        approvedOn: `${year}-01-11`,
        documentNo: 'x',
      });
      expect([again.status, again.body.code]).toEqual([409, 'no_draft_plan']);
      expect(again.body.title).toBe('没有年度计划草案');

      // Amending: an edit opens draft 2; version 1 stays in force until draft 2 is approved.
      const draft = await call('PUT', `/v1/annual-plans/${year}`, bdb, {
        items: [
          { code: `${year}-A`, title: 'A (amended)', department: 'health', ceilingFen: 200 },
          { code: `${year}-B`, title: 'B', department: 'education', ceilingFen: 50 },
        ],
      });
      expect(draft.body).toMatchObject({ version: 2, status: 'draft' });
      expect((await call('GET', `/v1/annual-plans/${year}`, health)).body).toMatchObject({
        version: 1,
        status: 'in-force',
        items: [{ title: 'A' }],
      });
      await call('POST', `/v1/annual-plans/${year}/approval`, bdb, {
        approvedOn: `${year}-06-01`,
        documentNo: '晋市政函〔2032〕9号',
      });
      expect((await call('GET', `/v1/annual-plans/${year}`, health)).body).toMatchObject({
        version: 2,
        status: 'in-force',
        documentNo: '晋市政函〔2032〕9号',
      });

      const versions = await call('GET', `/v1/annual-plans/${year}/versions`, finance);
      expect(versions.body.items.map((v: Json) => [v.version, v.status, v.documentNo])).toEqual([
        [1, 'superseded', '晋市政函〔2032〕1号'],
        [2, 'in-force', '晋市政函〔2032〕9号'],
      ]);
      const v1 = await call('GET', `/v1/annual-plans/${year}/versions/1`, health);
      expect(v1.body).toMatchObject({
        version: 1,
        status: 'superseded',
        items: [{ code: `${year}-A`, title: 'A', ceilingFen: 100 }],
      });
      expect((await call('GET', `/v1/annual-plans/${year}/versions/9`, health)).status).toBe(404);

      const history = await call('GET', `/v1/annual-plans/${year}/history`, health);
      expect(history.body.items.map((e: Json) => [e.action, e.version])).toEqual([
        ['draft-edit', 1],
        ['approval', 1],
        ['draft-edit', 2],
        ['approval', 2],
      ]);
      const [, , edit, approval] = history.body.items as Json[];
      expect(edit!.actor).toMatchObject({
        role: 'bdb',
        keyId: expect.stringMatching(/^[0-9a-f]{12}$/),
        jurisdiction: 'city',
      });
      expect(edit!.detail).toMatchObject({
        basedOn: 1,
        added: [{ code: `${year}-B` }],
        removed: [],
        changed: [
          {
            code: `${year}-A`,
            before: { title: 'A', ceilingFen: 100 },
            after: { title: 'A (amended)', ceilingFen: 200 },
          },
        ],
      });
      expect(approval!.detail).toMatchObject({
        approvedOn: `${year}-06-01`,
        documentNo: '晋市政函〔2032〕9号',
        supersedes: 1,
      });
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 6: approval — 409 without a draft, 422 for an empty draft, 400 for a bad body, 403 for every role but bdb; nothing changes',
    async () => {
      const year = 2033;
      expect(
        (
          await call('POST', `/v1/annual-plans/${year}/approval`, bdb, {
            approvedOn: `${year}-01-10`,
            documentNo: 'D-1',
          })
        ).body.code,
      ).toBe('no_draft_plan');
      await call('PUT', `/v1/annual-plans/${year}`, bdb, { items: [] });
      const empty = await call('POST', `/v1/annual-plans/${year}/approval`, bdb, {
        approvedOn: `${year}-01-10`,
        documentNo: 'D-1',
      });
      expect([empty.status, empty.body.code]).toEqual([422, 'empty_plan']);
      await call('PUT', `/v1/annual-plans/${year}`, bdb, plan);
      for (const body of [
        {},
        { approvedOn: 'yesterday', documentNo: 'D-1' },
        { approvedOn: `${year}-01-10` },
        { approvedOn: `${year}-01-10`, documentNo: 'D-1', extra: 1 },
      ]) {
        expect((await call('POST', `/v1/annual-plans/${year}/approval`, bdb, body)).status, JSON.stringify(body)).toBe(
          400,
        );
      }
      for (const key of [health, finance, ADMIN_KEY]) {
        expect(
          (
            await call('POST', `/v1/annual-plans/${year}/approval`, key, {
              approvedOn: `${year}-01-10`,
              documentNo: 'D-1',
            })
          ).status,
        ).toBe(403);
      }
      expect((await call('GET', `/v1/annual-plans/${year}`, bdb)).body).toMatchObject({ version: 1, status: 'draft' });
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Art. 6 (measures): a department or county files its own plan (备案); the bdb lists every filing, a department its own',
    async () => {
      const zezhouHealth = await createKey(system, 'department', 'health-zz', 'zezhou');
      const filed = await call('POST', '/v1/plan-filings', zezhouHealth, {
        title: '泽州县卫生信息化规划',
        documentRef: 'sha256:zz-plan',
        filedOn: '2026-02-03',
        year: 2034,
      });
      expect(filed.status).toBe(201);
      expect(filed.body).toMatchObject({
        title: '泽州县卫生信息化规划',
        documentRef: 'sha256:zz-plan',
        filedOn: '2026-02-03',
        year: 2034,
        department: 'health-zz',
        jurisdiction: 'zezhou',
      });
      await call('POST', '/v1/plan-filings', health, {
        title: 'Health plan',
        documentRef: 'sha256:h-plan',
        filedOn: '2026-02-04',
      });
      const all = await call('GET', '/v1/plan-filings', bdb);
      expect(all.body.items.map((f: Json) => f.documentRef)).toEqual(
        expect.arrayContaining(['sha256:zz-plan', 'sha256:h-plan']),
      );
      const own = await call('GET', '/v1/plan-filings', zezhouHealth);
      expect(own.body.items.map((f: Json) => f.documentRef)).toEqual(['sha256:zz-plan']);
      expect((await call('GET', '/v1/plan-filings?year=2034', bdb)).body.items).toHaveLength(1);
      // On the trail of the year it names.
      expect((await call('GET', '/v1/annual-plans/2034/history', bdb)).body.items).toMatchObject([
        {
          action: 'filing',
          actor: { department: 'health-zz', jurisdiction: 'zezhou' },
          detail: { documentRef: 'sha256:zz-plan' },
        },
      ]);
      // Who may not: bdb files nothing (403), finance and admin read nothing (403); bad bodies 400.
      expect(
        (await call('POST', '/v1/plan-filings', bdb, { title: 't', documentRef: 'r', filedOn: '2026-02-03' })).status,
      ).toBe(403);
      for (const key of [finance, ADMIN_KEY]) expect((await call('GET', '/v1/plan-filings', key)).status).toBe(403);
      expect((await call('POST', '/v1/plan-filings', health, { title: 't', filedOn: '2026-02-03' })).status).toBe(400);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'PUT: 400 for bad bodies and years (nothing changes), 403 for other roles, 401 without a key',
    async () => {
      const before = await call('GET', '/v1/annual-plans/2026', bdb);
      for (const body of [
        { items: [plan.items[0], plan.items[0]] },
        { items: [{ ...plan.items[0], ceilingFen: 1.5 }] },
        { items: [{ ...plan.items[0], ceilingFen: -1 }] },
        { items: [{ ...plan.items[0], department: 'bad department!' }] },
        { items: [{ ...plan.items[0], extra: true }] },
        { items: plan.items, note: 'unknown' },
        {},
      ]) {
        const res = await call('PUT', '/v1/annual-plans/2026', bdb, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      }
      expect((await call('PUT', '/v1/annual-plans/1999', bdb, plan)).status).toBe(400);
      expect((await call('GET', '/v1/annual-plans/next', bdb)).status).toBe(400);
      expect((await call('GET', '/v1/annual-plans/2026')).status).toBe(401);
      for (const key of [health, finance, ADMIN_KEY]) {
        const res = await call('PUT', '/v1/annual-plans/2026', key, plan);
        expect(res.status).toBe(403);
        expect(res.type).toContain('application/problem+json');
      }
      expect((await call('PUT', '/v1/annual-plans/2026', undefined, plan)).status).toBe(401);
      expect(await call('GET', '/v1/annual-plans/2026', bdb)).toEqual(before);
    },
  );
});
