/**
 * The read endpoints (api/routes/projects.ts list, history.ts)
 * through the real app, on the real Temporal dev server
 * with PGlite and PostgreSQL. Rows are inserted directly (see fixtures.ts for why).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../api/pagination.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { insertAudit, insertProject, timestamp, zeroBalance } from './fixtures.ts';
import { get, keys, system, useReadSystem, type Json } from './reads-system.ts';

describe.each(DRIVERS)('read endpoints with %s', (driver) => {
  useReadSystem(driver);

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
});
