/** Annual plans (Art. 6) and the working-day calendar through the real app, on both drivers. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { calendarStatus, warnCalendarCoverage, seedCalendar } from '../../db/calendar.ts';
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
