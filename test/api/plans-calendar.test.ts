/** Annual plans (Art. 6) and the working-day calendar through the real app, on both drivers. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { annualPlanItems, calendarDays } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(DRIVERS)('annual plans and calendar with %s', (driver) => {
  let system: TestSystem;
  let bdb: string;
  let finance: string;
  let health: string;
  const call = async (method: string, path: string, key?: string, body?: unknown) => {
    const res = await system.request(method, path, { key, body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    bdb = await createKey(system, 'bdb');
    finance = await createKey(system, 'finance');
    health = await createKey(system, 'department', 'health');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const plan = {
    items: [
      { code: '2026-HEALTH-01', title: '智慧医疗 Smart health', department: 'health', ceilingFen: 1_500_000_00 },
      { code: '2026-EDU-01', title: 'Education cloud', department: 'education', ceilingFen: 800_000_00 },
    ],
  };

  it.skipIf(!driverAvailable(driver))('PUT replaces the whole plan of a year in one go; GET returns it to any role', async () => {
    const first = await call('PUT', '/v1/annual-plans/2026', bdb, plan);
    expect(first.status).toBe(200);
    expect(first.body.year).toBe(2026);
    expect(first.body.items.map((i: Json) => i.code)).toEqual(['2026-EDU-01', '2026-HEALTH-01']);
    expect(first.body.items[1]).toEqual({ ...plan.items[0], updatedAt: expect.any(String), updatedBy: expect.stringMatching(/^[0-9a-f]{12}$/) });

    const replaced = await call('PUT', '/v1/annual-plans/2026', bdb, {
      items: [{ code: '2026-HEALTH-01', title: 'Smart health v2', department: 'health', ceilingFen: 2_000_000_00 }],
    });
    expect(replaced.status).toBe(200);
    const rows = await system.database.db.select().from(annualPlanItems).where(eq(annualPlanItems.year, 2026));
    expect(rows.map((r) => [r.code, r.title, r.ceilingFen])).toEqual([['2026-HEALTH-01', 'Smart health v2', 2_000_000_00]]);

    // Other years are untouched.
    await call('PUT', '/v1/annual-plans/2027', bdb, plan);
    for (const key of [health, finance, ADMIN_KEY]) {
      const got = await call('GET', '/v1/annual-plans/2026', key);
      expect(got.status).toBe(200);
      expect(got.body.items.map((i: Json) => i.title)).toEqual(['Smart health v2']);
    }
    expect((await call('GET', '/v1/annual-plans/2027', health)).body.items).toHaveLength(2);
    expect((await call('GET', '/v1/annual-plans/2031', health)).body).toEqual({ year: 2031, items: [] });

    // An empty plan clears the year.
    expect((await call('PUT', '/v1/annual-plans/2027', bdb, { items: [] })).body.items).toEqual([]);
    expect((await call('GET', '/v1/annual-plans/2027', bdb)).body.items).toEqual([]);
  });

  it.skipIf(!driverAvailable(driver))('PUT: 400 for bad bodies and years (nothing changes), 403 for other roles, 401 without a key', async () => {
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
  });

  it.skipIf(!driverAvailable(driver))('calendar: admin upserts days of the year with source admin; any role reads them', async () => {
    // A seeded day, as the seeding step would write it.
    await system.database.db.insert(calendarDays).values({ date: '2030-10-01', workday: false, name: '国庆节', source: 'notice', reference: 'chinese-days' });
    const put = await call('PUT', '/v1/calendar/2030', ADMIN_KEY, {
      days: [
        { date: '2030-10-01', workday: true, name: 'override' },
        { date: '2030-02-03', workday: true, name: '春节调休' },
        { date: '2030-05-02', workday: false },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      year: 2030,
      days: [
        { date: '2030-02-03', workday: true, name: '春节调休', source: 'admin', provisional: false },
        { date: '2030-05-02', workday: false, name: '', source: 'admin', provisional: false },
        { date: '2030-10-01', workday: true, name: 'override', source: 'admin', provisional: false },
      ],
      moved: 0,
      projects: 0,
    });
    const [row] = await system.database.db.select().from(calendarDays).where(eq(calendarDays.date, '2030-10-01'));
    expect(row?.updatedBy).toBe('env-admin');
    await system.database.db.insert(calendarDays).values({ date: '2031-01-01', workday: false, name: '元旦', source: 'notice', reference: 'chinese-days' });
    for (const key of [health, bdb]) {
      const got = await call('GET', '/v1/calendar/2030', key);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({ year: 2030, days: put.body.days });
    }
    expect((await call('GET', '/v1/calendar/2031', health)).body.days).toEqual([
      { date: '2031-01-01', workday: false, name: '元旦', source: 'notice', reference: 'chinese-days', provisional: false },
    ]);
  });

  it.skipIf(!driverAvailable(driver))('calendar: 400 for dates outside the year or invalid, 403 for non-admins, 401 without a key', async () => {
    const outside = await call('PUT', '/v1/calendar/2030', ADMIN_KEY, {
      days: [
        { date: '2030-12-31', workday: false, name: 'ok' },
        { date: '2031-01-01', workday: false, name: 'next year' },
      ],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe('validation_failed');
    expect(outside.body.errors).toEqual([{ path: 'json.days.1.date', message: 'must be a date in 2030' }]);
    // Nothing was written, not even the valid day.
    expect((await call('GET', '/v1/calendar/2030', bdb)).body.days.map((d: Json) => d.date)).not.toContain('2030-12-31');
    for (const body of [
      { days: [{ date: '2030-02-30', workday: true, name: '' }] },
      { days: [{ date: '2030-03-01', workday: 'yes' }] },
      { days: [{ date: '2030-03-01', workday: true }, { date: '2030-03-01', workday: false }] },
      { days: [] },
    ]) {
      expect((await call('PUT', '/v1/calendar/2030', ADMIN_KEY, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('GET', '/v1/calendar/30', bdb)).status).toBe(400);
    for (const key of [bdb, health]) {
      const res = await call('PUT', '/v1/calendar/2030', key, { days: [{ date: '2030-03-01', workday: true, name: '' }] });
      expect(res.status).toBe(403);
    }
    expect((await call('GET', '/v1/calendar/2030')).status).toBe(401);
  });
});
