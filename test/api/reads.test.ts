/**
 * The read endpoints (api/routes/projects.ts list, history.ts, ledger.ts, inbox.ts, funds.ts, public.ts) through the real app, on the real Temporal dev server
 * with PGlite and PostgreSQL. Rows are inserted directly (see fixtures.ts for why).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeCursor } from '../../api/pagination.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import {
  ADMIN_KEY,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';
import {
  allocationFixture,
  insertAudit,
  insertBalance,
  insertMovement,
  insertNotification,
  insertProject,
  noticeFixture,
  timestamp,
  zeroBalance,
} from './fixtures.ts';
import { allocationPlans } from '../../db/schema.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(DRIVERS)('read endpoints with %s', (driver) => {
  let system: TestSystem;
  let keys: Record<'bdb' | 'approval' | 'finance' | 'admin' | 'alpha' | 'beta', string>;
  const get = async (path: string, key?: string) => {
    const res = await system.request('GET', path, { key });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    keys = {
      bdb: await createKey(system, 'bdb'),
      approval: await createKey(system, 'approval'),
      finance: await createKey(system, 'finance'),
      admin: ADMIN_KEY,
      alpha: await createKey(system, 'department', 'alpha'),
      beta: await createKey(system, 'department', 'beta'),
    };
  });
  afterAll(async () => {
    await system?.stop();
  });

  describe('GET /v1/projects', () => {
    // 23 alpha projects (5 of them in the same microsecond, 3 with sub-millisecond timestamps) and 4 beta ones.
    const alphaIds: string[] = [];
    beforeAll(async () => {
      if (!driverAvailable(driver)) return;
      const db = system.database.db;
      for (let i = 0; i < 15; i++) {
        const id = `LIST-A${String(i).padStart(2, '0')}`;
        alphaIds.push(id);
        await insertProject(db, { id, department: 'alpha', createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) });
      }
      for (let i = 0; i < 5; i++) {
        const id = `LIST-T${i}`;
        alphaIds.push(id);
        await insertProject(db, { id, department: 'alpha', createdAt: timestamp('2026-02-01 00:00:00.000001+00') });
      }
      for (let i = 0; i < 3; i++) {
        const id = `LIST-U${i}`;
        alphaIds.push(id);
        await insertProject(db, { id, department: 'alpha', createdAt: timestamp(`2026-02-02 00:00:00.00012${i}+00`) });
      }
      await insertProject(db, {
        id: 'LIST-B1',
        department: 'beta',
        title: 'Coverage 100% of clinics',
        stage: 'construction',
        jurisdiction: 'zezhou',
        awaitingRoles: ['finance'],
        pendingActions: [{ role: 'finance', action: 'budget', overdue: false }],
      });
      await insertProject(db, {
        id: 'LIST-B2',
        department: 'beta',
        title: 'Coverage 1000 clinics',
        stage: 'construction',
        overdue: true,
      });
      await insertProject(db, {
        id: 'LIST-B3',
        department: 'beta',
        title: 'snake_case portal',
        fundsSuspended: true,
        jurisdiction: 'zezhou',
      });
      await insertProject(db, { id: 'LIST-B4', department: 'beta', title: 'snakeXcase portal' });
    });

    it.skipIf(!driverAvailable(driver))(
      'pages through more rows than the limit, newest first, without duplicates or gaps',
      async () => {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: Awaited<ReturnType<typeof get>> = await get(
            `/v1/projects?department=alpha&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
            keys.bdb,
          );
          expect(res.status).toBe(200);
          expect(res.body.items.length).toBeLessThanOrEqual(4);
          seen.push(...res.body.items.map((p: Json) => p.id));
          cursor = res.body.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        expect(pages).toBe(6); // 23 rows / 4 per page
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual([...alphaIds].sort());
        // Newest first; the same instant ordered by id, descending.
        expect(seen.slice(0, 8)).toEqual([
          'LIST-U2',
          'LIST-U1',
          'LIST-U0',
          'LIST-T4',
          'LIST-T3',
          'LIST-T2',
          'LIST-T1',
          'LIST-T0',
        ]);
        expect(seen.at(-1)).toBe('LIST-A00');
      },
    );

    it.skipIf(!driverAvailable(driver))('returns summaries with the funds of the stored view', async () => {
      const res = await get('/v1/projects', keys.finance);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(27);
      expect(res.body.nextCursor).toBeNull();
      const b1 = res.body.items.find((p: Json) => p.id === 'LIST-B1');
      expect(b1).toEqual({
        id: 'LIST-B1',
        title: 'Coverage 100% of clinics',
        department: 'beta',
        jurisdiction: 'zezhou',
        kind: 'new',
        year: 2026,
        stage: 'construction',
        pendingActions: [{ role: 'finance', action: 'budget', overdue: false }],
        nextDeadline: null,
        overdue: false,
        fundsSuspended: false,
        funds: { suspended: false, construction: zeroBalance, om: zeroBalance },
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
    });

    it.skipIf(!driverAvailable(driver))(
      'filters by stage, jurisdiction, awaiting, overdue and fundsSuspended',
      async () => {
        const ids = async (query: string) =>
          (await get(`/v1/projects?${query}`, keys.bdb)).body.items.map((p: Json) => p.id).sort();
        expect(await ids('stage=construction')).toEqual(['LIST-B1', 'LIST-B2']);
        expect(await ids('jurisdiction=zezhou')).toEqual(['LIST-B1', 'LIST-B3']);
        expect(await ids('awaiting=finance')).toEqual(['LIST-B1']);
        expect(await ids('overdue=true')).toEqual(['LIST-B2']);
        expect(await ids('fundsSuspended=true')).toEqual(['LIST-B3']);
        expect(await ids('stage=construction&overdue=false')).toEqual(['LIST-B1']);
      },
    );

    it.skipIf(!driverAvailable(driver))(
      '`q` is a case-insensitive literal substring: % and _ are not wildcards',
      async () => {
        const ids = async (q: string) =>
          (await get(`/v1/projects?q=${encodeURIComponent(q)}`, keys.bdb)).body.items.map((p: Json) => p.id).sort();
        expect(await ids('100%')).toEqual(['LIST-B1']);
        expect(await ids('COVERAGE')).toEqual(['LIST-B1', 'LIST-B2']);
        expect(await ids('snake_case')).toEqual(['LIST-B3']);
        expect(await ids('%')).toEqual(['LIST-B1']);
        expect(await ids('\\')).toEqual([]);
      },
    );

    it.skipIf(!driverAvailable(driver))(
      'department keys see their own department only; another department filter is an empty list',
      async () => {
        const own = await get('/v1/projects?limit=200', keys.beta);
        expect(own.status).toBe(200);
        expect(own.body.items.map((p: Json) => p.id).sort()).toEqual(['LIST-B1', 'LIST-B2', 'LIST-B3', 'LIST-B4']);
        const other = await get('/v1/projects?department=alpha', keys.beta);
        expect(other.status).toBe(200);
        expect(other.body).toEqual({ items: [], nextCursor: null });
        const filtered = await get('/v1/projects?department=beta&stage=construction', keys.beta);
        expect(filtered.body.items.map((p: Json) => p.id).sort()).toEqual(['LIST-B1', 'LIST-B2']);
        // A cursor taken from another department's page still only walks the caller's rows.
        const alphaPage = await get('/v1/projects?department=alpha&limit=1', keys.bdb);
        const walked = await get(`/v1/projects?cursor=${alphaPage.body.nextCursor}`, keys.beta);
        expect(walked.body.items.every((p: Json) => p.department === 'beta')).toBe(true);
      },
    );

    it.skipIf(!driverAvailable(driver))(
      'refuses bad filters, limits and cursors with 400 and a missing key with 401',
      async () => {
        for (const query of [
          'limit=0',
          'limit=201',
          'limit=ten',
          'cursor=not-a-cursor!',
          `cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
          `cursor=${Buffer.from('["12.5","X"]').toString('base64url')}`,
          'stage=dreaming',
          'awaiting=mayor',
          'overdue=yes',
          'stagee=construction',
          'q=',
        ]) {
          const res = await get(`/v1/projects?${query}`, keys.bdb);
          expect(res.status, query).toBe(400);
          expect(res.type).toContain('application/problem+json');
          expect(res.body.code).toBe('validation_failed');
          expect(res.body.errors.length).toBeGreaterThan(0);
        }
        const valid = encodeCursor({ atMicros: '1767225600000000', id: 'LIST-A05' });
        expect((await get(`/v1/projects?cursor=${valid}`, keys.bdb)).status).toBe(200);
        const anonymous = await get('/v1/projects');
        expect(anonymous.status).toBe(401);
        expect(anonymous.body.code).toBe('unauthenticated');
        expect((await get('/v1/projects', 'bdp_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(
          401,
        );
      },
    );
  });

  describe('GET /v1/projects/{id}/history', () => {
    beforeAll(async () => {
      if (!driverAvailable(driver)) return;
      await insertProject(system.database.db, { id: 'HIST-1', department: 'alpha' });
      await insertAudit(system.database.db, 'HIST-1', ['submitted', 'technical-review', 'establishment']);
    });

    it.skipIf(!driverAvailable(driver))('lists the audit trail oldest first with its hash chain', async () => {
      const res = await get('/v1/projects/HIST-1/history', keys.alpha);
      expect(res.status).toBe(200);
      expect(res.body.projectId).toBe('HIST-1');
      expect(res.body.items.map((e: Json) => e.seq)).toEqual([1, 2, 3]);
      expect(res.body.items.map((e: Json) => e.action)).toEqual(['submitted', 'technical-review', 'establishment']);
      expect(res.body.items[0]).toEqual({
        seq: 1,
        at: '2026-01-01T00:00:00.000Z',
        action: 'submitted',
        actor: {
          keyId: 'abcdefabcdef',
          role: 'department',
          department: 'health',
          name: 'Health bureau',
          accountId: null,
          organization: null,
        },
        detail: { step: 1 },
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: '0'.repeat(64),
      });
      expect(res.body.items[1].actor.department).toBeNull();
      for (let i = 1; i < 3; i++) expect(res.body.items[i].prevHash).toBe(res.body.items[i - 1].hash);
      // Any role may read it.
      for (const key of [keys.bdb, keys.approval, keys.finance, keys.admin]) {
        expect((await get('/v1/projects/HIST-1/history', key)).status).toBe(200);
      }
    });

    it.skipIf(!driverAvailable(driver))(
      '403 for another department, 404 without a read-model row, 400 for a malformed id, 401 without a key',
      async () => {
        const other = await get('/v1/projects/HIST-1/history', keys.beta);
        expect(other.status).toBe(403);
        expect(other.body.code).toBe('forbidden');
        const missing = await get('/v1/projects/HIST-404/history', keys.bdb);
        expect(missing.status).toBe(404);
        expect(missing.body.code).toBe('not_found');
        expect((await get('/v1/projects/hist_1/history', keys.bdb)).status).toBe(400);
        expect((await get('/v1/projects/HIST-1/history')).status).toBe(401);
      },
    );
  });

  describe('GET /v1/projects/{id}/ledger', () => {
    beforeAll(async () => {
      if (!driverAvailable(driver)) return;
      const db = system.database.db;
      await insertProject(db, { id: 'LEDG-1', department: 'alpha' });
      await insertProject(db, { id: 'LEDG-2', department: 'alpha' });
      await insertMovement(db, {
        projectId: 'LEDG-1',
        kind: 'allocate',
        amountFen: 500_000_00,
        cityShareFen: 300_000_00,
        countyShareFen: 200_000_00,
        at: new Date('2026-03-01T00:00:00Z'),
      });
      await insertMovement(db, {
        projectId: 'LEDG-1',
        kind: 'publish',
        amountFen: 500_000_00,
        at: new Date('2026-03-09T00:00:00Z'),
      });
      await insertMovement(db, {
        projectId: 'LEDG-1',
        kind: 'disburse',
        amountFen: 120_000_00,
        at: new Date('2026-04-01T00:00:00Z'),
      });
      await insertBalance(db, 'LEDG-1', 'construction', { availableFen: 380_000_00, disbursedFen: 120_000_00 });
    });

    it.skipIf(!driverAvailable(driver))(
      'lists movements oldest first with every column, and the balances (zeros where none)',
      async () => {
        const res = await get('/v1/projects/LEDG-1/ledger', keys.finance);
        expect(res.status).toBe(200);
        expect(res.body.movements.map((m: Json) => m.kind)).toEqual(['allocate', 'publish', 'disburse']);
        expect(res.body.movements[0]).toEqual({
          id: expect.any(Number),
          idempotencyKey: expect.stringMatching(/^fixture-LEDG-1-/),
          projectId: 'LEDG-1',
          fundType: 'construction',
          kind: 'allocate',
          amountFen: 50_000_000,
          fromBucket: null,
          toBucket: 'held',
          cityShareFen: 30_000_000,
          countyShareFen: 20_000_000,
          year: 2026,
          reason: 'allocate fixture',
          article: 'Art. 10',
          actorKeyId: 'fedcbafedcba',
          actorRole: 'finance',
          actorDepartment: null,
          actorName: 'Finance bureau',
          actorAccountId: null,
          actorOrganization: null,
          at: '2026-03-01T00:00:00.000Z',
          recordedAt: expect.any(String),
        });
        expect(res.body.balances).toEqual({
          construction: {
            ...zeroBalance,
            allocatedFen: 50_000_000,
            availableFen: 38_000_000,
            disbursedFen: 12_000_000,
          },
          om: zeroBalance,
        });
        expect((await get('/v1/projects/LEDG-1/ledger', keys.bdb)).status).toBe(200);
        expect((await get('/v1/projects/LEDG-1/ledger', keys.alpha)).status).toBe(200);
        const empty = await get('/v1/projects/LEDG-2/ledger', keys.alpha);
        expect(empty.body).toEqual({
          projectId: 'LEDG-2',
          movements: [],
          balances: { construction: zeroBalance, om: zeroBalance },
        });
      },
    );

    it.skipIf(!driverAvailable(driver))('403 for approval, admin and other departments; 404; 400; 401', async () => {
      for (const key of [keys.approval, keys.admin, keys.beta]) {
        const res = await get('/v1/projects/LEDG-1/ledger', key);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      expect((await get('/v1/projects/LEDG-404/ledger', keys.finance)).status).toBe(404);
      expect((await get('/v1/projects/ledg%201/ledger', keys.finance)).status).toBe(400);
      expect((await get('/v1/projects/LEDG-1/ledger')).status).toBe(401);
    });
  });

  describe('GET /v1/inbox', () => {
    beforeAll(async () => {
      if (!driverAvailable(driver)) return;
      const db = system.database.db;
      await insertProject(db, {
        id: 'INBX-1',
        title: 'Inbox one',
        department: 'gamma',
        pendingActions: [
          { role: 'bdb', action: 'technical-review', dueAt: '2026-05-10T00:00:00.000Z', overdue: false },
          { role: 'department', action: 'contract-filing', dueAt: '2026-05-01T00:00:00.000Z', overdue: true },
        ],
      });
      await insertProject(db, {
        id: 'INBX-2',
        title: 'Inbox two',
        department: 'delta',
        pendingActions: [
          { role: 'bdb', action: 'change-request', overdue: false },
          { role: 'bdb', action: 'rectification-decision', dueAt: '2026-04-01T00:00:00.000Z', overdue: true },
        ],
      });
      await insertProject(db, {
        id: 'INBX-3',
        department: 'gamma',
        pendingActions: [
          { role: 'department', action: 'progress-report', dueAt: '2026-06-30T00:00:00.000Z', overdue: false },
        ],
      });
      await insertProject(db, {
        id: 'INBX-4',
        department: 'delta',
        pendingActions: [{ role: 'department', action: 'resubmission', overdue: false }],
      });
      await insertNotification(db, {
        eventId: 'n-bdb-1',
        projectId: 'INBX-1',
        role: 'bdb',
        createdAt: new Date('2026-05-01T00:00:00Z'),
      });
      await insertNotification(db, { eventId: 'n-bdb-read', projectId: 'INBX-1', role: 'bdb', read: true });
      await insertNotification(db, {
        eventId: 'n-gamma',
        projectId: 'INBX-1',
        role: 'department',
        department: 'gamma',
        dueAt: new Date('2026-05-01T00:00:00Z'),
        createdAt: new Date('2026-04-28T00:00:00Z'),
      });
      await insertNotification(db, {
        eventId: 'n-delta',
        projectId: 'INBX-4',
        role: 'department',
        department: 'delta',
      });
    });

    it.skipIf(!driverAvailable(driver))(
      "lists the role's pending actions earliest due first, undated last, and its unread notifications",
      async () => {
        const res = await get('/v1/inbox', keys.bdb);
        expect(res.status).toBe(200);
        // Without each item's traffic light: it depends on today's date (test/api/inbox.test.ts fixes the clock).
        const mine = res.body.items
          .filter((i: Json) => i.projectId.startsWith('INBX-'))
          .map(({ light: _light, ...i }: Json) => i);
        expect(mine).toEqual([
          {
            projectId: 'INBX-2',
            title: 'Inbox two',
            department: 'delta',
            role: 'bdb',
            action: 'rectification-decision',
            dueAt: '2026-04-01T00:00:00.000Z',
            overdue: true,
          },
          {
            projectId: 'INBX-1',
            title: 'Inbox one',
            department: 'gamma',
            role: 'bdb',
            action: 'technical-review',
            dueAt: '2026-05-10T00:00:00.000Z',
            overdue: false,
          },
          {
            projectId: 'INBX-2',
            title: 'Inbox two',
            department: 'delta',
            role: 'bdb',
            action: 'change-request',
            dueAt: null,
            overdue: false,
          },
        ]);
        expect(res.body.items.every((i: Json) => i.role === 'bdb')).toBe(true);
        expect(res.body.notifications.map((n: Json) => n.detail)).toEqual(['notification n-bdb-1']);
        expect(res.body.notifications[0]).toEqual({
          id: expect.any(Number),
          projectId: 'INBX-1',
          kind: 'reminder',
          detail: 'notification n-bdb-1',
          dueAt: null,
          basis: 'measures',
          createdAt: '2026-05-01T00:00:00.000Z',
          light: null,
          readAt: null,
        });
      },
    );

    it.skipIf(!driverAvailable(driver))(
      "a department sees its own department's actions and notifications only",
      async () => {
        const gamma = await createKey(system, 'department', 'gamma');
        const res = await get('/v1/inbox', gamma);
        expect(res.status).toBe(200);
        expect(res.body.items.map((i: Json) => `${i.projectId}:${i.action}`)).toEqual([
          'INBX-1:contract-filing',
          'INBX-3:progress-report',
        ]);
        expect(res.body.notifications.map((n: Json) => n.detail)).toEqual(['notification n-gamma']);
        expect(res.body.notifications[0].dueAt).toBe('2026-05-01T00:00:00.000Z');
        const finance = await get('/v1/inbox', keys.finance);
        expect(finance.body.items.filter((i: Json) => i.projectId.startsWith('INBX-'))).toEqual([]);
        expect((await get('/v1/inbox')).status).toBe(401);
      },
    );
  });

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
            for (const v of Object.values(t) as Array<number | string>) {
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
