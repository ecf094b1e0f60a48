/**
 * 待办工作台 (api/routes/inbox.ts) through the real app on the real Temporal dev server, with PGlite
 * and PostgreSQL: the pending actions a page at a time (keyset: every action once, in order), the
 * counts per traffic light from the database whatever the page, the lights decided on the working-day
 * calendar against the app's clock (fixed here: the test never depends on today's date), and the
 * notices marked read per person — by opening one or 全部已读 — leaving a colleague's and another
 * department's untouched.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projects } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { signedIn, type Session } from '../support/accounts.ts';
import { createKey, startSystem, type TestSystem } from '../support/system.ts';
import { insertNotification, insertProject } from './fixtures.ts';

type Json = Record<string, any>;

/** Wednesday 10 June 2026, 10:00 in Jincheng. Three working days later: Monday 15 June (端午 is the 19th). */
const NOW = new Date('2026-06-10T02:00:00.000Z');
const DUE_SOON_UNTIL = '2026-06-15T16:00:00.000Z';
const end = (date: string) => `${date}T16:00:00.000Z`; // 24:00 Asia/Shanghai: how deadlines are due

describe.each(DRIVERS)('the inbox with %s', (driver) => {
  let system: TestSystem;
  let keys: Record<'bdb' | 'colleague' | 'gamma' | 'delta' | 'finance', string>;
  const get = async (path: string, key: string) => {
    const res = await system.request('GET', path, { key });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = async (path: string, key: string) => {
    const res = await system.request('POST', path, { key, body: {} });
    return { status: res.status, body: (await res.json()) as Json };
  };

  // The BDB's pending actions in the order the inbox must give them.
  const expected = [
    'INB-1:technical-review', // due 1 June: passed → red
    'INB-3:technical-acceptance', // due 12 June → yellow (tie on the due date: project id decides)
    'INB-6:technical-review', // due 12 June → yellow
    'INB-4:om-review', // due at the end of 15 June, the last "due soon" instant → yellow
    'INB-5:evaluation', // due 16 June → green
    'INB-2:rectification-review', // due 20 June but flagged overdue → red
    ...Array.from({ length: 55 }, (_, i) => `INB-BULK-${String(i).padStart(2, '0')}:technical-review`), // July → green
    'INB-2:change-request-decision', // no due date: last, no light
    'INB-7:allocation-publication',
  ];

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'), { clock: () => NOW });
    keys = {
      bdb: await createKey(system, 'bdb'),
      colleague: await createKey(system, 'bdb'),
      gamma: await createKey(system, 'department', 'gamma'),
      delta: await createKey(system, 'department', 'delta'),
      finance: await createKey(system, 'finance'),
    };
    const db = system.database.db;
    await insertProject(db, {
      id: 'INB-1',
      department: 'gamma',
      pendingActions: [
        { role: 'bdb', action: 'technical-review', dueAt: end('2026-06-01'), overdue: false },
        { role: 'department', action: 'contract-filing', dueAt: end('2026-06-11'), overdue: false },
      ],
    });
    await insertProject(db, {
      id: 'INB-2',
      department: 'delta',
      pendingActions: [
        { role: 'bdb', action: 'change-request-decision', ref: 'CR-1', overdue: false },
        { role: 'bdb', action: 'rectification-review', ref: 'R-1', dueAt: end('2026-06-20'), overdue: true },
      ],
    });
    await insertProject(db, {
      id: 'INB-3',
      department: 'gamma',
      pendingActions: [{ role: 'bdb', action: 'technical-acceptance', dueAt: end('2026-06-12'), overdue: false }],
    });
    await insertProject(db, {
      id: 'INB-4',
      department: 'gamma',
      pendingActions: [{ role: 'bdb', action: 'om-review', ref: '2026', dueAt: end('2026-06-15'), overdue: false }],
    });
    await insertProject(db, {
      id: 'INB-5',
      department: 'delta',
      pendingActions: [{ role: 'bdb', action: 'evaluation', dueAt: end('2026-06-16'), overdue: false }],
    });
    await insertProject(db, {
      id: 'INB-6',
      department: 'delta',
      pendingActions: [{ role: 'bdb', action: 'technical-review', dueAt: end('2026-06-12'), overdue: false }],
    });
    await insertProject(db, {
      id: 'INB-7',
      department: 'gamma',
      pendingActions: [{ role: 'bdb', action: 'allocation-publication', ref: 'A-1', overdue: false }],
    });
    for (let i = 0; i < 55; i++) {
      await insertProject(db, {
        id: `INB-BULK-${String(i).padStart(2, '0')}`,
        department: 'delta',
        pendingActions: [
          {
            role: 'bdb',
            action: 'technical-review',
            dueAt: end(`2026-07-${String(1 + (i % 28)).padStart(2, '0')}`),
            overdue: false,
          },
        ],
      });
    }
    // The bulk's due dates repeat every 28 projects: the expected order is by date, then project id.
    expected.splice(
      6,
      55,
      ...Array.from({ length: 55 }, (_, i) => ({ id: `INB-BULK-${String(i).padStart(2, '0')}`, day: 1 + (i % 28) }))
        .sort((a, b) => a.day - b.day || a.id.localeCompare(b.id))
        .map((b) => `${b.id}:technical-review`),
    );
    await insertProject(db, {
      id: 'INB-8',
      department: 'delta',
      pendingActions: [{ role: 'department', action: 'progress-report', dueAt: end('2026-06-30'), overdue: false }],
    });

    await insertNotification(db, {
      eventId: 'n-bdb-1',
      projectId: 'INB-1',
      role: 'bdb',
      createdAt: new Date('2026-06-01T01:00:00Z'),
    });
    await insertNotification(db, {
      eventId: 'n-bdb-2',
      projectId: 'INB-3',
      role: 'bdb',
      createdAt: new Date('2026-06-02T01:00:00Z'),
      dueAt: new Date(end('2026-06-11')),
    });
    await insertNotification(db, {
      eventId: 'n-bdb-3',
      projectId: 'INB-5',
      role: 'bdb',
      createdAt: new Date('2026-06-03T01:00:00Z'),
    });
    await insertNotification(db, {
      eventId: 'n-bdb-closed',
      projectId: 'INB-5',
      role: 'bdb',
      read: true,
      createdAt: new Date('2026-06-04T01:00:00Z'),
    });
    await insertNotification(db, {
      eventId: 'n-gamma',
      projectId: 'INB-1',
      role: 'department',
      department: 'gamma',
      createdAt: new Date('2026-06-05T01:00:00Z'),
    });
    await insertNotification(db, {
      eventId: 'n-delta',
      projectId: 'INB-8',
      role: 'department',
      department: 'delta',
      createdAt: new Date('2026-06-06T01:00:00Z'),
    });
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
  });

  it.skipIf(!driverAvailable(driver))(
    'pages the pending actions earliest due first, each once, with lights and counts from the database',
    async () => {
      const first = await get('/v1/inbox', keys.bdb);
      expect(first.status).toBe(200);
      // The default page: 50 actions, and the counts of all of them.
      expect(first.body.items).toHaveLength(50);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect(first.body.counts).toEqual({ total: expected.length, red: 2, yellow: 3, green: 56, none: 2 });
      expect(first.body.thresholds).toEqual({ now: NOW.toISOString(), dueSoonUntil: DUE_SOON_UNTIL });
      expect(first.body.items.slice(0, 6)).toEqual([
        {
          projectId: 'INB-1',
          title: 'Project INB-1',
          department: 'gamma',
          role: 'bdb',
          action: 'technical-review',
          dueAt: end('2026-06-01'),
          overdue: false,
          light: 'red',
        },
        {
          projectId: 'INB-3',
          title: 'Project INB-3',
          department: 'gamma',
          role: 'bdb',
          action: 'technical-acceptance',
          dueAt: end('2026-06-12'),
          overdue: false,
          light: 'yellow',
        },
        {
          projectId: 'INB-6',
          title: 'Project INB-6',
          department: 'delta',
          role: 'bdb',
          action: 'technical-review',
          dueAt: end('2026-06-12'),
          overdue: false,
          light: 'yellow',
        },
        {
          projectId: 'INB-4',
          title: 'Project INB-4',
          department: 'gamma',
          role: 'bdb',
          action: 'om-review',
          ref: '2026',
          dueAt: end('2026-06-15'),
          overdue: false,
          light: 'yellow',
        },
        {
          projectId: 'INB-5',
          title: 'Project INB-5',
          department: 'delta',
          role: 'bdb',
          action: 'evaluation',
          dueAt: end('2026-06-16'),
          overdue: false,
          light: 'green',
        },
        {
          projectId: 'INB-2',
          title: 'Project INB-2',
          department: 'delta',
          role: 'bdb',
          action: 'rectification-review',
          ref: 'R-1',
          dueAt: end('2026-06-20'),
          overdue: true,
          light: 'red',
        },
      ]);

      // Small pages: every action exactly once, in order; the counts the same on every page.
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const res = await get(`/v1/inbox?limit=7${cursor ? `&cursor=${cursor}` : ''}`, keys.bdb);
        expect(res.status).toBe(200);
        expect(res.body.counts.total).toBe(expected.length);
        seen.push(...res.body.items.map((i: Json) => `${i.projectId}:${i.action}`));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(expected);
      const undated = (await get('/v1/inbox?light=none', keys.bdb)).body.items;
      expect(undated.map((i: Json) => [i.projectId, i.dueAt, i.light])).toEqual([
        ['INB-2', null, null],
        ['INB-7', null, null],
      ]);
      const yellow = await get('/v1/inbox?light=yellow&limit=2', keys.bdb);
      expect(yellow.body.items.map((i: Json) => i.projectId)).toEqual(['INB-3', 'INB-6']);
      const rest = await get(`/v1/inbox?light=yellow&limit=2&cursor=${yellow.body.nextCursor}`, keys.bdb);
      expect(rest.body.items.map((i: Json) => i.projectId)).toEqual(['INB-4']);
      expect(rest.body.nextCursor).toBeNull();
      expect((await get('/v1/inbox?light=red', keys.bdb)).body.items.map((i: Json) => i.projectId)).toEqual([
        'INB-1',
        'INB-2',
      ]);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    "the inbox follows the read model as the activity writes it (inbox_items' trigger)",
    async () => {
      const db = system.database.db;
      const row = (await db.select().from(projects).where(eq(projects.id, 'INB-9')))[0];
      expect(row).toBeUndefined();
      // The activity's upsert (activities/index.ts): a new project, then a change of its pending actions.
      await insertProject(db, {
        id: 'INB-9',
        department: 'gamma',
        pendingActions: [{ role: 'department', action: 'contract', overdue: false }],
      });
      expect((await get('/v1/inbox', keys.gamma)).body.counts.total).toBe(2);
      await db
        .update(projects)
        .set({
          pendingActions: [{ role: 'bdb', action: 'technical-review', dueAt: end('2026-06-11'), overdue: false }],
          awaitingRoles: ['bdb'],
          version: 2,
        })
        .where(eq(projects.id, 'INB-9'));
      expect((await get('/v1/inbox', keys.gamma)).body.counts.total).toBe(1);
      const bdb = await get('/v1/inbox?light=yellow', keys.bdb);
      expect(bdb.body.items.map((i: Json) => i.projectId)).toEqual(['INB-9', 'INB-3', 'INB-6', 'INB-4']);
      // Ended: no pending action left, nothing in anyone's inbox.
      await db
        .update(projects)
        .set({ pendingActions: [], awaitingRoles: [], version: 3 })
        .where(eq(projects.id, 'INB-9'));
      expect((await get('/v1/inbox?light=yellow', keys.bdb)).body.items.map((i: Json) => i.projectId)).toEqual([
        'INB-3',
        'INB-6',
        'INB-4',
      ]);
      expect((await get('/v1/inbox', keys.bdb)).body.counts.total).toBe(expected.length);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    "a department's inbox holds its own projects' actions; bad paging input is a Chinese problem",
    async () => {
      const gamma = await get('/v1/inbox', keys.gamma);
      expect(gamma.body.items.map((i: Json) => `${i.projectId}:${i.action}:${i.light}`)).toEqual([
        'INB-1:contract-filing:yellow',
      ]);
      expect(gamma.body.counts).toEqual({ total: 1, red: 0, yellow: 1, green: 0, none: 0 });
      const delta = await get('/v1/inbox', keys.delta);
      expect(delta.body.items.map((i: Json) => `${i.projectId}:${i.action}:${i.light}`)).toEqual([
        'INB-8:progress-report:green',
      ]);
      expect((await get('/v1/inbox', keys.finance)).body.counts.total).toBe(0);

      for (const query of [
        'limit=0',
        'limit=201',
        'cursor=bm90LWEtY3Vyc29y',
        'light=blue',
        'notificationLimit=201',
        'page=2',
      ]) {
        const res = await system.request('GET', `/v1/inbox?${query}`, { key: keys.bdb });
        expect(res.status, query).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        const body = (await res.json()) as Json;
        expect(body.code).toBe('validation_failed');
        expect(body.detail).toMatch(/[\u4e00-\u9fff]/);
      }
    },
  );

  it.skipIf(!driverAvailable(driver))(
    "notices: opened → read for that person only; 全部已读 marks the caller's; a colleague's and another department's stay unread",
    async () => {
      const inbox = await get('/v1/inbox', keys.bdb);
      expect(inbox.body.unreadCount).toBe(3);
      // Newest first; the notice closed for everyone (read_at) is not among them; a due notice has its light.
      expect(inbox.body.notifications.map((n: Json) => [n.detail, n.light, n.readAt])).toEqual([
        ['notification n-bdb-3', null, null],
        ['notification n-bdb-2', 'yellow', null],
        ['notification n-bdb-1', null, null],
      ]);
      const [n3, n2, n1] = inbox.body.notifications as Json[];

      // Paged: two, then one.
      const page1 = await get('/v1/notifications?limit=2', keys.bdb);
      expect(page1.body.items.map((n: Json) => n.id)).toEqual([n3!.id, n2!.id]);
      const page2 = await get(`/v1/notifications?limit=2&cursor=${page1.body.nextCursor}`, keys.bdb);
      expect(page2.body.items.map((n: Json) => n.id)).toEqual([n1!.id]);
      expect(page2.body.nextCursor).toBeNull();

      // Opening one marks it read for this person; again changes nothing.
      const opened = await post(`/v1/notifications/${n2!.id}/read`, keys.bdb);
      expect(opened).toEqual({ status: 200, body: { id: n2!.id, unreadCount: 2 } });
      const listed = await get('/v1/notifications', keys.bdb);
      const readAt = listed.body.items.find((n: Json) => n.id === n2!.id).readAt;
      expect(readAt).toBe(NOW.toISOString());
      expect((await post(`/v1/notifications/${n2!.id}/read`, keys.bdb)).body.unreadCount).toBe(2);
      expect((await get('/v1/notifications?unread=true', keys.bdb)).body.items.map((n: Json) => n.id)).toEqual([
        n3!.id,
        n1!.id,
      ]);
      expect((await get('/v1/inbox', keys.bdb)).body.notifications.map((n: Json) => n.id)).toEqual([n3!.id, n1!.id]);
      // The colleague of the same role still has all three.
      expect((await get('/v1/inbox', keys.colleague)).body.unreadCount).toBe(3);

      // A notice addressed to someone else is not found, and stays unread for them.
      const gammaNotice = (await get('/v1/inbox', keys.gamma)).body.notifications[0];
      expect(gammaNotice.detail).toBe('notification n-gamma');
      const foreign = await system.request('POST', `/v1/notifications/${gammaNotice.id}/read`, {
        key: keys.delta,
        body: {},
      });
      expect(foreign.status).toBe(404);
      expect(((await foreign.json()) as Json).detail).toMatch(/[\u4e00-\u9fff]/);
      expect((await post(`/v1/notifications/${gammaNotice.id}/read`, keys.bdb)).status).toBe(404);

      // 全部已读: the caller's remaining two; the colleague's and the departments' untouched.
      expect(await post('/v1/notifications/read-all', keys.bdb)).toEqual({
        status: 200,
        body: { marked: 2, unreadCount: 0 },
      });
      expect((await get('/v1/inbox', keys.bdb)).body.notifications).toEqual([]);
      expect((await get('/v1/notifications', keys.bdb)).body.items.every((n: Json) => n.readAt !== null)).toBe(true);
      expect((await get('/v1/inbox', keys.colleague)).body.unreadCount).toBe(3);
      expect(await post('/v1/notifications/read-all', keys.gamma)).toEqual({
        status: 200,
        body: { marked: 1, unreadCount: 0 },
      });
      expect((await get('/v1/inbox', keys.delta)).body.unreadCount).toBe(1);
      expect((await get('/v1/inbox', keys.gamma)).body.unreadCount).toBe(0);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'personal accounts: each person marks their own (the session, not the role)',
    async () => {
      const first: Session = await signedIn(system, { role: 'bdb' }, NOW);
      const second: Session = await signedIn(system, { role: 'bdb' }, NOW);
      const unread = async (s: Session) =>
        ((await (await s.request('GET', '/v1/inbox?notificationLimit=0')).json()) as Json).unreadCount as number;
      expect(await unread(first)).toBe(3);
      const marked = await first.request('POST', '/v1/notifications/read-all', { body: {} });
      expect(marked.status).toBe(200);
      expect(await unread(first)).toBe(0);
      expect(await unread(second)).toBe(3);
      // Without the session's CSRF token the write is refused, and nothing is marked.
      expect((await second.request('POST', '/v1/notifications/read-all', { body: {}, csrf: null })).status).toBe(403);
      expect(await unread(second)).toBe(3);
    },
  );
});
