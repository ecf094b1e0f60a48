/**
 * The read endpoints (api/routes/funds.ts, public.ts, and a project made by the workflow)
 * through the real app, on the real Temporal dev server
 * with PGlite and PostgreSQL. Rows are inserted directly (see fixtures.ts for why).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { createKey, eventually, sampleApplication } from '../support/system.ts';
import { allocationFixture, insertBalance, insertProject, noticeFixture, zeroBalance } from './fixtures.ts';
import { allocationPlans } from '../../db/schema.ts';
import { get, keys, system, useReadSystem, type Json } from './reads-system.ts';

describe.each(DRIVERS)('read endpoints with %s', (driver) => {
  useReadSystem(driver);

  describe('GET /v1/funds', () => {
    beforeAll(async () => {
      if (!driverAvailable(driver)) return;
      const db = system.database.db;
      await insertProject(db, {
        id: 'FUND-1',
        department: 'alpha',
        jurisdiction: 'qinshui',
        createdAt: new Date('2026-03-01T00:00:00Z'),
      });
      await insertProject(db, {
        id: 'FUND-2',
        department: 'beta',
        jurisdiction: 'qinshui',
        fundsSuspended: true,
        createdAt: new Date('2026-03-02T00:00:00Z'),
      });
      await insertBalance(db, 'FUND-1', 'construction', { heldFen: 1000, availableFen: 500 });
      await insertBalance(db, 'FUND-1', 'om', { availableFen: 70 });
      await insertBalance(db, 'FUND-2', 'construction', { frozenFen: 300, disbursedFen: 200 });
    });

    it.skipIf(!driverAvailable(driver))(
      'lists per-project balances and totals, filtered by jurisdiction and suspension',
      async () => {
        const res = await get('/v1/funds?jurisdiction=qinshui', keys.finance);
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([
          {
            projectId: 'FUND-2',
            title: 'Project FUND-2',
            department: 'beta',
            jurisdiction: 'qinshui',
            fundsSuspended: true,
            construction: { ...zeroBalance, allocatedFen: 500, frozenFen: 300, disbursedFen: 200 },
            om: zeroBalance,
          },
          {
            projectId: 'FUND-1',
            title: 'Project FUND-1',
            department: 'alpha',
            jurisdiction: 'qinshui',
            fundsSuspended: false,
            construction: { ...zeroBalance, allocatedFen: 1500, heldFen: 1000, availableFen: 500 },
            om: { ...zeroBalance, allocatedFen: 70, availableFen: 70 },
          },
        ]);
        expect(res.body.totals).toEqual({
          construction: {
            ...zeroBalance,
            allocatedFen: 2000,
            heldFen: 1000,
            availableFen: 500,
            frozenFen: 300,
            disbursedFen: 200,
          },
          om: { ...zeroBalance, allocatedFen: 70, availableFen: 70 },
        });
        const suspended = await get('/v1/funds?jurisdiction=qinshui&suspended=true', keys.bdb);
        expect(suspended.body.items.map((i: Json) => i.projectId)).toEqual(['FUND-2']);
        expect(suspended.body.totals.construction.allocatedFen).toBe(500);
        const normal = await get('/v1/funds?jurisdiction=qinshui&suspended=false', keys.bdb);
        expect(normal.body.items.map((i: Json) => i.projectId)).toEqual(['FUND-1']);
        const none = await get('/v1/funds?jurisdiction=nowhere', keys.bdb);
        expect(none.body).toEqual({ items: [], totals: { construction: zeroBalance, om: zeroBalance } });
      },
    );

    it.skipIf(!driverAvailable(driver))(
      'Money: totals are exact past 2^53 (a string of digits there) and allocated = held + available + frozen + disbursed + cancelled in every total',
      async () => {
        const db = system.database.db;
        // Each balance is a safe integer; their sums are not (2^53 = 9007199254740992).
        const big = 4_000_000_000_000_001;
        for (const id of ['BIG-1', 'BIG-2', 'BIG-3']) {
          await insertProject(db, { id, department: 'alpha', jurisdiction: 'gaoping' });
          await insertBalance(db, id, 'construction', { heldFen: big, availableFen: 1, disbursedFen: 2 });
          await insertBalance(db, id, 'om', { frozenFen: 5, cancelledFen: 7 });
        }
        const res = await get('/v1/funds?jurisdiction=gaoping', keys.finance);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(3);
        expect(res.body.totals.construction).toEqual({
          allocatedFen: '12000000000000012',
          heldFen: '12000000000000003',
          availableFen: 3,
          frozenFen: 0,
          disbursedFen: 6,
          cancelledFen: 0,
        });
        expect(res.body.totals.om).toEqual({
          allocatedFen: 36,
          heldFen: 0,
          availableFen: 0,
          frozenFen: 15,
          disbursedFen: 0,
          cancelledFen: 21,
        });
        // The identity, in exact arithmetic, for every fund type of every listing.
        for (const query of ['', '?jurisdiction=gaoping', '?jurisdiction=qinshui', '?suspended=true']) {
          const { totals } = (await get(`/v1/funds${query}`, keys.bdb)).body;
          for (const t of [totals.construction, totals.om]) {
            const n = (v: number | string) => BigInt(v);
            expect(n(t.allocatedFen), query).toBe(
              n(t.heldFen) + n(t.availableFen) + n(t.frozenFen) + n(t.disbursedFen) + n(t.cancelledFen),
            );
            for (const v of Object.values<number | string>(t)) {
              if (typeof v === 'number') expect(Number.isSafeInteger(v)).toBe(true);
              else expect(BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
            }
          }
        }
      },
    );

    it.skipIf(!driverAvailable(driver))('403 for other roles, 400 for bad filters, 401 without a key', async () => {
      for (const key of [keys.alpha, keys.approval, keys.admin]) expect((await get('/v1/funds', key)).status).toBe(403);
      expect((await get('/v1/funds?suspended=maybe', keys.finance)).status).toBe(400);
      expect((await get('/v1/funds?jurisdiction=NOT%20A%20CODE', keys.finance)).status).toBe(400);
      expect((await get('/v1/funds')).status).toBe(401);
    });
  });

  it.skipIf(!driverAvailable(driver))(
    'a project applied for through the workflow shows up in the list, the inbox and its history',
    async () => {
      // The read model here is written by the workflow's activity, not by a fixture.
      const plan = await system.request('PUT', '/v1/annual-plans/2026', {
        key: keys.bdb,
        body: {
          items: [{ code: '2026-HEALTH-01', title: 'Smart health', department: 'epsilon', ceilingFen: 2_000_000_00 }],
        },
      });
      expect(plan.status).toBe(200);
      // Art. 6: the city government's approval puts the draft in force.
      expect(
        (
          await system.request('POST', '/v1/annual-plans/2026/approval', {
            key: keys.bdb,
            body: { approvedOn: '2026-01-10', documentNo: '晋市政函〔2026〕1号' },
          })
        ).status,
      ).toBe(200);
      const epsilon = await createKey(system, 'department', 'epsilon');
      const created = await system.request('POST', '/v1/projects', {
        key: epsilon,
        body: sampleApplication({ title: 'Workflow-made 50% project' }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as Json;
      const listed = await eventually(async () => {
        const res = await get(`/v1/projects?department=epsilon&q=${encodeURIComponent('made 50%')}`, keys.bdb);
        return res.body.items.length === 1 ? res.body.items[0] : undefined;
      });
      expect(listed).toMatchObject({
        id,
        title: 'Workflow-made 50% project',
        department: 'epsilon',
        kind: 'new',
        year: 2026,
      });
      expect(listed.pendingActions.length).toBeGreaterThan(0);
      const awaiting = listed.pendingActions[0].role;
      const inboxKey = awaiting === 'department' ? epsilon : await createKey(system, awaiting);
      const inboxItems = (await get('/v1/inbox', inboxKey)).body.items;
      expect(inboxItems.some((i: Json) => i.projectId === id)).toBe(true);
      expect((await get(`/v1/projects/${id}/history`, epsilon)).status).toBe(200);
      expect((await get(`/v1/projects/${id}/history`, keys.alpha)).status).toBe(403);
    },
  );

  describe('GET /v1/public/allocations', () => {
    beforeAll(async () => {
      if (!driverAvailable(driver)) return;
      const db = system.database.db;
      // Allocations as the projects' views show them (the read model written by the workflow).
      await insertProject(db, {
        id: 'PUB-1',
        title: 'Published one',
        department: 'alpha',
        jurisdiction: 'yangcheng',
        allocations: [
          allocationFixture({
            id: 'alloc-1',
            amountFen: 1000,
            cityShareFen: 600,
            countyShareFen: 400,
            status: 'published',
            allocatedAt: '2026-03-01T00:00:00.000Z',
            publishedAt: '2026-03-09T00:00:00.000Z',
          }),
        ],
        deadlines: [noticeFixture('alloc-1', '2026-02-28T16:00:00.000Z', '2026-03-06T15:59:59.999Z', 'met')],
      });
      await insertProject(db, {
        id: 'PUB-2',
        title: 'Under publicity',
        department: 'beta',
        jurisdiction: 'yangcheng',
        allocations: [
          allocationFixture({
            id: 'alloc-1',
            amountFen: 2000,
            status: 'publicity',
            allocatedAt: '2026-03-02T00:00:00.000Z',
          }),
          // An O&M allocation of next year, its own notice.
          allocationFixture({
            id: 'alloc-2',
            fundType: 'om',
            year: 2027,
            amountFen: 50,
            status: 'awaiting-objection',
            allocatedAt: '2026-03-04T00:00:00.000Z',
          }),
        ],
      });
      // PUB-3: the first allocation is withdrawn (objection upheld), a second one is published.
      await insertProject(db, {
        id: 'PUB-3',
        title: 'Withdrawn then again',
        department: 'beta',
        jurisdiction: 'yangcheng',
        allocations: [
          allocationFixture({
            id: 'alloc-1',
            amountFen: 3000,
            status: 'cancelled',
            allocatedAt: '2026-03-03T00:00:00.000Z',
          }),
          allocationFixture({
            id: 'alloc-2',
            amountFen: 2500,
            status: 'published',
            allocatedAt: '2026-03-20T00:00:00.000Z',
            publishedAt: '2026-03-28T00:00:00.000Z',
          }),
        ],
      });
      // PUB-4 (as written, Art. 11): budgeted money is public only once the BDB's plan published it.
      await system.database.db.insert(allocationPlans).values({
        id: 'AP2026-PUBLICPLAN',
        year: 2026,
        title: '2026年第一批资金拟分配计划',
        status: 'published',
        createdByKeyId: 'k',
        createdByName: 'BDB',
        createdAt: new Date('2026-03-25T00:00:00Z'),
        publishedAt: new Date('2026-03-25T01:00:00Z'),
      });
      await insertProject(db, {
        id: 'PUB-4',
        title: 'As written',
        department: 'gamma',
        jurisdiction: 'yangcheng',
        allocations: [
          allocationFixture({
            id: 'alloc-1',
            amountFen: 7000,
            status: 'held',
            planId: null,
            allocatedAt: '2026-03-21T00:00:00.000Z',
          }),
          allocationFixture({
            id: 'alloc-2',
            amountFen: 6000,
            status: 'cancelled',
            planId: null,
            publicityDeadlineId: null,
            allocatedAt: '2026-03-22T00:00:00.000Z',
          }),
          allocationFixture({
            id: 'alloc-3',
            amountFen: 4000,
            status: 'publicity',
            planId: 'AP2026-PUBLICPLAN',
            allocatedAt: '2026-03-23T00:00:00.000Z',
          }),
        ],
        deadlines: [noticeFixture('alloc-3', '2026-03-24T16:00:00.000Z', '2026-04-01T15:59:59.999Z')],
      });
    });

    it.skipIf(!driverAvailable(driver))(
      'Art. 11: lists allocations without authentication, newest first, as the BDB published them',
      async () => {
        const res = await get('/v1/public/allocations?jurisdiction=yangcheng');
        expect(res.status).toBe(200);
        expect(
          res.body.items.map((a: Json) => [a.projectId, a.allocationId, a.fundType, a.amountFen, a.status]),
        ).toEqual([
          ['PUB-4', 'alloc-3', 'construction', 4000, 'publicity'],
          ['PUB-3', 'alloc-2', 'construction', 2500, 'published'],
          ['PUB-2', 'alloc-2', 'om', 50, 'publicity'],
          ['PUB-3', 'alloc-1', 'construction', 3000, 'withdrawn'],
          ['PUB-2', 'alloc-1', 'construction', 2000, 'publicity'],
          ['PUB-1', 'alloc-1', 'construction', 1000, 'published'],
        ]);
        expect(res.body.items.at(-1)).toEqual({
          projectId: 'PUB-1',
          allocationId: 'alloc-1',
          title: 'Published one',
          department: 'alpha',
          jurisdiction: 'yangcheng',
          departmentName: 'alpha', // a code the departments registry lacks reads as itself
          jurisdictionName: '阳城县',
          fundType: 'construction',
          year: 2026,
          amountFen: 1000,
          cityShareFen: 600,
          countyShareFen: 400,
          allocatedAt: '2026-03-01T00:00:00.000Z',
          status: 'published',
          plan: null,
          noticeStartsAt: '2026-02-28T16:00:00.000Z',
          noticeDueAt: '2026-03-06T15:59:59.999Z',
          publishedAt: '2026-03-09T00:00:00.000Z',
        });
        expect(res.body.items[0]).toMatchObject({
          plan: {
            id: 'AP2026-PUBLICPLAN',
            title: '2026年第一批资金拟分配计划',
            year: 2026,
            publishedAt: '2026-03-25T01:00:00.000Z',
          },
          noticeStartsAt: '2026-03-24T16:00:00.000Z',
          noticeDueAt: '2026-04-01T15:59:59.999Z',
          publishedAt: null,
        });
        const nextYear = await get('/v1/public/allocations?jurisdiction=yangcheng&year=2027');
        expect(nextYear.body.items.map((a: Json) => a.projectId)).toEqual(['PUB-2']);
        // A key is not needed, and a bad one does not hurt.
        expect((await get('/v1/public/allocations', 'not-a-key')).status).toBe(200);
      },
    );

    it.skipIf(!driverAvailable(driver))('400 for bad filters; other /v1 paths still need a key', async () => {
      const bad = await get('/v1/public/allocations?year=twenty');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
      expect((await get('/v1/public/allocations?page=2')).status).toBe(400);
      expect((await get('/v1/publicx')).status).toBe(401);
    });
  });
});
