/** The working-day calendar through the real app, on both drivers. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { calendarStatus, warnCalendarCoverage, seedCalendar } from '../../db/calendar.ts';
import { calendarDays } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey } from '../support/system.ts';
import { bdb, call, finance, health, system, usePlansCalendarSystem, type Json } from './plans-calendar-system.ts';

describe.each(DRIVERS)('annual plans and calendar with %s', (driver) => {
  usePlansCalendarSystem(driver);

  const law2027 = [
    '2027-01-01',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-04-05',
    '2027-05-01',
    '2027-05-02',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ];

  it.skipIf(!driverAvailable(driver))(
    'Working days: GET /v1/calendar/2027 lists the statutory days as non-working, provisional, source law',
    async () => {
      const got = await call('GET', '/v1/calendar/2027', health);
      expect(got.status).toBe(200);
      expect(got.body.days.map((d: Json) => d.date)).toEqual(law2027);
      for (const d of got.body.days) expect(d).toMatchObject({ workday: false, source: 'law', provisional: true });
      expect(got.body.days[1]).toEqual({
        date: '2027-02-05',
        workday: false,
        name: '春节',
        source: 'law',
        provisional: true,
      });
      // 2026 comes from the package's notice.
      const y2026 = await call('GET', '/v1/calendar/2026', health);
      expect(y2026.body.days.find((d: Json) => d.date === '2026-10-10')).toEqual({
        date: '2026-10-10',
        workday: true,
        name: '调休 国庆节',
        source: 'notice',
        reference: 'chinese-days',
        provisional: false,
      });
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Working days: the seed is idempotent and never overwrites notice or admin days',
    async () => {
      const db = system.database.db;
      await db
        .update(calendarDays)
        .set({ workday: true, source: 'admin', provisional: false, name: 'admin says' })
        .where(eq(calendarDays.date, '2028-01-01'));
      const before = await db.select().from(calendarDays);
      await seedCalendar(db);
      await seedCalendar(db);
      const after = await db.select().from(calendarDays);
      expect(after.length).toBe(before.length);
      const [row] = await db.select().from(calendarDays).where(eq(calendarDays.date, '2028-01-01'));
      expect(row).toMatchObject({ workday: true, source: 'admin', name: 'admin says' });
      // Law days from 2027 to next year + 1; the package's years have no law days.
      const lawYears = new Set(after.filter((r) => r.source === 'law').map((r) => r.date.slice(0, 4)));
      const thisYear = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
      expect([...lawYears].every((y) => Number(y) >= 2027)).toBe(true);
      expect(lawYears.has('2027') && lawYears.has(String(thisYear + 2))).toBe(true);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Working days: GET /v1/calendar/status — this year and next, and the warning from 1 November',
    async () => {
      const got = await call('GET', '/v1/calendar/status', finance);
      expect(got.status).toBe(200);
      const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
      expect(got.body.years.map((y: Json) => y.year)).toEqual([year, year + 1]);
      expect(got.body).toEqual(JSON.parse(JSON.stringify(await calendarStatus(system.database.db))));
      // Fixed instants: 2026 comes from the package; 2027 is law only.
      const october = await calendarStatus(system.database.db, new Date('2026-10-31T15:59:59Z')); // 23:59:59 in Shanghai
      expect(october).toEqual({
        years: [
          { year: 2026, notice: true, provisional: false, reference: 'chinese-days' },
          { year: 2027, notice: false, provisional: true, reference: null },
        ],
        nextYearReady: false,
        warning: null,
      });
      const november = await calendarStatus(system.database.db, new Date('2026-10-31T16:00:00Z')); // 1 November, Shanghai
      expect(november.warning).toContain('2027年');
      expect(november.warning).toContain('PUT /v1/calendar/2027');
      const metrics = await system.request('GET', '/metrics');
      expect(await metrics.text()).toMatch(/^bdp_calendar_next_year_notice_missing [01]$/m);
      expect((await call('GET', '/v1/calendar/status')).status).toBe(401);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    "Working days: from 1 November without next year's notice the system administrator's inbox has an item, once; not before",
    async () => {
      const log = {
        warnings: [] as string[],
        warn(_obj: object, msg: string) {
          this.warnings.push(msg);
        },
      };
      await warnCalendarCoverage(system.database.db, log, new Date('2026-10-31T15:59:59Z'));
      expect(log.warnings).toEqual([]);
      for (let i = 0; i < 2; i++) await warnCalendarCoverage(system.database.db, log, new Date('2026-11-02T02:00:00Z'));
      expect(log.warnings).toHaveLength(2);
      // 三员分立: the calendar is the system administrator's (domain/admin-roles.ts).
      const inbox = await call('GET', '/v1/inbox', await createKey(system, 'sysadmin'));
      const items = inbox.body.notifications.filter((n: Json) => n.kind === 'calendar-notice-missing');
      expect(items).toHaveLength(1);
      expect(items[0].detail).toContain('2027年');
      // Other roles do not see it.
      for (const key of [finance, await createKey(system, 'secadmin'), await createKey(system, 'auditadmin')]) {
        expect(
          (await call('GET', '/v1/inbox', key)).body.notifications.filter(
            (n: Json) => n.kind === 'calendar-notice-missing',
          ),
        ).toEqual([]);
      }
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Working days: a notice is validated — outside the year and duplicates 400, a statutory day made a workday 422',
    async () => {
      const notice = '国办发明电〔2026〕99号';
      const outside = await call('PUT', '/v1/calendar/2027', ADMIN_KEY, {
        notice,
        days: [{ date: '2028-01-01', workday: false, name: '元旦' }],
      });
      expect(outside.status).toBe(400);
      expect(outside.body.errors).toEqual([{ path: 'json.days.0.date', message: '须为 2027 年内的日期' }]);
      const twice = await call('PUT', '/v1/calendar/2027', ADMIN_KEY, {
        notice,
        days: [
          { date: '2027-02-09', workday: false, name: '春节' },
          { date: '2027-02-09', workday: true, name: '春节' },
        ],
      });
      expect(twice.status).toBe(400);
      expect(twice.body.code).toBe('validation_failed');
      const statutory = await call('PUT', '/v1/calendar/2027', ADMIN_KEY, {
        notice,
        days: [{ date: '2027-06-09', workday: true, name: '端午调休' }],
      });
      expect(statutory.status).toBe(422);
      expect(statutory.body.code).toBe('statutory_holiday_workday');
      expect(statutory.body.detail).toContain('2027-06-09 (端午节)');
      expect(statutory.body.days).toEqual([{ date: '2027-06-09', name: '端午节' }]);
      const empty = await call('PUT', '/v1/calendar/2027', ADMIN_KEY, {
        notice: ' ',
        days: [{ date: '2027-02-09', workday: false, name: '' }],
      });
      expect(empty.status).toBe(400);
      expect(
        (
          await call('PUT', '/v1/calendar/2027', bdb, {
            notice,
            days: [{ date: '2027-02-09', workday: false, name: '' }],
          })
        ).status,
      ).toBe(403);
      // Nothing changed: still the law's days.
      expect((await call('GET', '/v1/calendar/2027', bdb)).body.days.every((d: Json) => d.source === 'law')).toBe(true);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'calendar: admin upserts days of the year with source admin; any role reads them',
    async () => {
      // A seeded day, as the seeding step would write it.
      await system.database.db
        .insert(calendarDays)
        .values({ date: '2030-10-01', workday: false, name: '国庆节', source: 'notice', reference: 'chinese-days' });
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
      await system.database.db
        .insert(calendarDays)
        .values({ date: '2031-01-01', workday: false, name: '元旦', source: 'notice', reference: 'chinese-days' });
      for (const key of [health, bdb]) {
        const got = await call('GET', '/v1/calendar/2030', key);
        expect(got.status).toBe(200);
        expect(got.body).toEqual({ year: 2030, days: put.body.days });
      }
      expect((await call('GET', '/v1/calendar/2031', health)).body.days).toEqual([
        {
          date: '2031-01-01',
          workday: false,
          name: '元旦',
          source: 'notice',
          reference: 'chinese-days',
          provisional: false,
        },
      ]);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'calendar: 400 for dates outside the year or invalid, 403 for non-admins, 401 without a key',
    async () => {
      const outside = await call('PUT', '/v1/calendar/2030', ADMIN_KEY, {
        days: [
          { date: '2030-12-31', workday: false, name: 'ok' },
          { date: '2031-01-01', workday: false, name: 'next year' },
        ],
      });
      expect(outside.status).toBe(400);
      expect(outside.body.code).toBe('validation_failed');
      expect(outside.body.errors).toEqual([{ path: 'json.days.1.date', message: '须为 2030 年内的日期' }]);
      // Nothing was written, not even the valid day.
      expect((await call('GET', '/v1/calendar/2030', bdb)).body.days.map((d: Json) => d.date)).not.toContain(
        '2030-12-31',
      );
      for (const body of [
        { days: [{ date: '2030-02-30', workday: true, name: '' }] },
        { days: [{ date: '2030-03-01', workday: 'yes' }] },
        {
          days: [
            { date: '2030-03-01', workday: true },
            { date: '2030-03-01', workday: false },
          ],
        },
        { days: [] },
      ]) {
        expect((await call('PUT', '/v1/calendar/2030', ADMIN_KEY, body)).status, JSON.stringify(body)).toBe(400);
      }
      expect((await call('GET', '/v1/calendar/30', bdb)).status).toBe(400);
      for (const key of [bdb, health]) {
        const res = await call('PUT', '/v1/calendar/2030', key, {
          days: [{ date: '2030-03-01', workday: true, name: '' }],
        });
        expect(res.status).toBe(403);
      }
      expect((await call('GET', '/v1/calendar/2030')).status).toBe(401);
    },
  );
});
