/**
 * The read endpoints (api/routes/ledger.ts, inbox.ts)
 * through the real app, on the real Temporal dev server
 * with PGlite and PostgreSQL. Rows are inserted directly (see fixtures.ts for why).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { createKey } from '../support/system.ts';
import { insertBalance, insertMovement, insertNotification, insertProject, zeroBalance } from './fixtures.ts';
import { get, keys, system, useReadSystem, type Json } from './reads-system.ts';

describe.each(DRIVERS)('read endpoints with %s', (driver) => {
  useReadSystem(driver);

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
});
