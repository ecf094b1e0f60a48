/**
 * 统计分析 (GET /v1/statistics and its Excel export) through the real app on the real Temporal dev
 * server, with PGlite and PostgreSQL: every number equals what the ledger (each project's movements,
 * GET /v1/projects/:id/ledger; the balances of GET /v1/funds) and the read model (each project's row)
 * hold, counted here independently; the scope per role — a department its own projects, a county's
 * finance its county's, the approval bureau everything but the money.
 */
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projects } from '../../db/schema.ts';
import { shanghaiYear } from '../../domain/calendar/index.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';
import { insertBalance, insertMovement, insertProject } from './fixtures.ts';

type Json = Record<string, any>;

const deadline = (status: string, i: number) => ({
  id: `dl-${i}`,
  kind: 'contract-filing',
  startsAt: '2026-03-01T00:00:00.000Z',
  dueAt: '2026-03-06T16:00:00.000Z',
  status,
});
const violation = (article: string) => ({
  kind: 'late-filing',
  article,
  at: '2026-03-07T00:00:00.000Z',
  detail: 'd',
  basis: 'measures',
});
const rectification = (id: string, reason: string) => ({
  id,
  reason,
  description: 'd',
  issuedByRole: 'bdb',
  issuedBy: 'BDB',
  issuedAt: '2026-03-08T00:00:00.000Z',
  automatic: false,
  dueOn: null,
  status: 'awaiting-response',
  hasFailed: false,
  deadlineId: `dl-${id}`,
  responses: [],
  extensions: [],
});

/** What the statistics must say, counted here from each project's read-model row and ledger. */
async function expectedFrom(system: TestSystem, ids: string[]) {
  const stages = new Map<string, number>();
  const statuses = new Map<string, number>();
  const articles = new Map<string, number>();
  const reasons = new Map<string, number>();
  const byYear = new Map<number, { allocatedFen: number; disbursedFen: number }>();
  const byDepartment = new Map<string, { allocatedFen: number; disbursedFen: number }>();
  const byType = new Map<string, { allocatedFen: number; disbursedFen: number }>();
  const add = <K>(
    m: Map<K, { allocatedFen: number; disbursedFen: number }>,
    k: K,
    field: 'allocatedFen' | 'disbursedFen',
    n: number,
  ) => {
    const row = m.get(k) ?? { allocatedFen: 0, disbursedFen: 0 };
    row[field] += n;
    m.set(k, row);
  };
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const id of ids) {
    const [row] = await system.database.db
      .select({ view: projects.view, stage: projects.stage, department: projects.department })
      .from(projects)
      .where(eq(projects.id, id));
    const view: Json = { ...(row!.view as Json), stage: row!.stage, department: row!.department };
    inc(stages, view.stage);
    for (const d of view.deadlines ?? []) inc(statuses, d.status);
    for (const v of view.violations ?? []) inc(articles, v.article);
    for (const r of view.rectifications ?? []) inc(reasons, r.reason);
    const ledger = (await (
      await system.request('GET', `/v1/projects/${id}/ledger`, { key: ADMIN_FINANCE })
    ).json()) as Json;
    for (const m of ledger.movements) {
      if (m.kind !== 'allocate' && m.kind !== 'disburse') continue;
      const field = m.kind === 'allocate' ? 'allocatedFen' : 'disbursedFen';
      add(byYear, m.year ?? shanghaiYear(m.at), field, m.amountFen);
      add(byDepartment, view.department, field, m.amountFen);
      add(byType, m.fundType, field, m.amountFen);
    }
  }
  const sorted = <K, V>(m: Map<K, V>) => [...m].sort(([a], [b]) => String(a).localeCompare(String(b)));
  return {
    stages,
    statuses,
    articles,
    reasons,
    byYear: sorted(byYear),
    byDepartment: sorted(byDepartment),
    byType: sorted(byType),
  };
}

let ADMIN_FINANCE = '';

describe.each(DRIVERS)('statistics with %s', (driver) => {
  let system: TestSystem;
  let keys: Record<'bdb' | 'approval' | 'finance' | 'countyFinance' | 'alpha' | 'health', string>;
  let workflowProject = '';
  const get = async (path: string, key: string) => {
    const res = await system.request('GET', path, { key });
    expect(res.status, path).toBe(200);
    return (await res.json()) as Json;
  };

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    keys = {
      bdb: await createKey(system, 'bdb'),
      approval: await createKey(system, 'approval'),
      finance: await createKey(system, 'finance'),
      countyFinance: await createKey(system, 'finance', undefined, 'qinshui'),
      alpha: await createKey(system, 'department', 'alpha'),
      health: await createKey(system, 'department', 'health'),
    };
    ADMIN_FINANCE = keys.finance;
    const db = system.database.db;
    await insertProject(db, {
      id: 'STAT-1',
      department: 'alpha',
      stage: 'construction',
      deadlines: [deadline('met', 1), deadline('missed', 2), deadline('open', 3)],
      violations: [violation('Art. 15'), violation('Art. 15')],
      rectifications: [rectification('r1', 'late-filing')],
    });
    await insertProject(db, {
      id: 'STAT-2',
      department: 'beta',
      jurisdiction: 'qinshui',
      stage: 'operating',
      deadlines: [deadline('met', 4), deadline('cancelled', 5)],
      violations: [violation('Art. 22')],
      rectifications: [rectification('r2', 'acceptance-delay'), rectification('r3', 'other')],
    });
    await insertProject(db, {
      id: 'STAT-3',
      department: 'alpha',
      jurisdiction: 'qinshui',
      stage: 'technical_review',
      deadlines: [deadline('open', 6)],
      violations: [violation('Art. 9')],
      rectifications: [rectification('r4', 'unapproved-construction')],
    });
    // The ledger: allocations of two budget years, disbursements (one paid on 1 January in Jincheng, 31 December UTC).
    await insertMovement(db, { projectId: 'STAT-1', kind: 'allocate', amountFen: 1_000_000, year: 2026 });
    await insertMovement(db, { projectId: 'STAT-1', fundType: 'om', kind: 'allocate', amountFen: 200, year: 2027 });
    await insertMovement(db, { projectId: 'STAT-1', kind: 'publish', amountFen: 1_000_000 });
    await insertMovement(db, {
      projectId: 'STAT-1',
      kind: 'disburse',
      amountFen: 300,
      at: new Date('2026-12-31T17:00:00Z'),
    });
    await insertBalance(db, 'STAT-1', 'construction', { availableFen: 999_700, disbursedFen: 300 });
    await insertBalance(db, 'STAT-1', 'om', { heldFen: 200 });
    await insertMovement(db, { projectId: 'STAT-2', kind: 'allocate', amountFen: 500, year: 2026 });
    await insertMovement(db, {
      projectId: 'STAT-2',
      kind: 'disburse',
      amountFen: 100,
      at: new Date('2026-06-01T02:00:00Z'),
    });
    await insertBalance(db, 'STAT-2', 'construction', { availableFen: 400, disbursedFen: 100 });
    await insertMovement(db, { projectId: 'STAT-3', kind: 'allocate', amountFen: 40, year: 2027 });
    await insertBalance(db, 'STAT-3', 'construction', { heldFen: 40 });

    // And one project made by the workflow up to its budget (the read model and ledger written by its activity).
    await addPlanItems(system, [{ department: 'health' }]);
    const created = await system.request('POST', '/v1/projects', { key: keys.health, body: sampleApplication() });
    expect(created.status).toBe(201);
    workflowProject = ((await created.json()) as Json).id;
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const step = async (path: string, key: string, body: unknown) =>
      expect((await system.request('POST', `/v1/projects/${workflowProject}/${path}`, { key, body })).status).toBe(200);
    await step('technical-review', keys.bdb, { decision: 'pass', opinion: '通过', checklist });
    await step('establishment', keys.approval, {
      decision: 'approve',
      approvalNo: '晋审批〔2026〕9号',
      opinion: '同意',
      approvedEstimateFen: sampleApplication().estimate.totalFen,
    }); // Art. 8: 批复概算
    await step('budget', keys.finance, {
      fundType: 'construction',
      year: 2026,
      amountFen: 80_000_00,
      cityShareFen: 80_000_00,
      countyShareFen: 0,
    });
    await eventually(async () =>
      (await get(`/v1/projects/${workflowProject}/ledger`, keys.finance)).movements.length > 0 ? true : undefined,
    );
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
  });

  it.skipIf(!driverAvailable(driver))(
    'every number equals what the ledger and the read model hold (BDB: all projects)',
    async () => {
      const s = await get('/v1/statistics', keys.bdb);
      const ids = ['STAT-1', 'STAT-2', 'STAT-3', workflowProject];
      const want = await expectedFrom(system, ids);
      expect(s.scope).toEqual({ department: null, jurisdiction: null });
      expect(Object.fromEntries(s.projectsByStage.map((r: Json) => [r.stage, r.count]))).toEqual(
        Object.fromEntries(want.stages),
      );
      expect(
        Object.fromEntries(s.deadlines.byStatus.filter((r: Json) => r.count > 0).map((r: Json) => [r.status, r.count])),
      ).toEqual(Object.fromEntries(want.statuses));
      expect(s.deadlines.byDepartment.find((r: Json) => r.department === 'alpha')).toEqual({
        department: 'alpha',
        open: 2,
        met: 1,
        missed: 1,
        cancelled: 0,
      });
      expect(Object.fromEntries(s.violations.map((r: Json) => [r.article, r.count]))).toEqual(
        Object.fromEntries(want.articles),
      );
      expect(s.violations.map((r: Json) => r.article)).toEqual(['Art. 9', 'Art. 15', 'Art. 22']); // the measures' order
      expect(Object.fromEntries(s.rectifications.map((r: Json) => [r.reason, r.count]))).toEqual(
        Object.fromEntries(want.reasons),
      );
      expect(s.rectifications.map((r: Json) => `${r.article} ${r.reason}`)).toEqual([
        'Art. 9 unapproved-construction',
        'Art. 15 late-filing',
        'Art. 22 acceptance-delay',
        'Art. 22 other',
      ]);

      expect(
        s.funds.byYear.map((r: Json) => [r.year, { allocatedFen: r.allocatedFen, disbursedFen: r.disbursedFen }]),
      ).toEqual(want.byYear);
      expect(s.funds.byYear.find((r: Json) => r.year === 2027).disbursedFen).toBe(300); // paid on 1 January 2027 in Jincheng
      expect(
        s.funds.byDepartment.map((r: Json) => [
          r.department,
          { allocatedFen: r.allocatedFen, disbursedFen: r.disbursedFen },
        ]),
      ).toEqual(want.byDepartment);
      expect(
        s.funds.byFundType.map((r: Json) => [
          r.fundType,
          { allocatedFen: r.allocatedFen, disbursedFen: r.disbursedFen },
        ]),
      ).toEqual(want.byType);
      // The totals are the balances' (GET /v1/funds): allocated and disbursed over both fund types.
      const funds = await get('/v1/funds', keys.bdb);
      const both = (field: string) => Number(funds.totals.construction[field]) + Number(funds.totals.om[field]);
      expect(s.funds.total).toEqual({ allocatedFen: both('allocatedFen'), disbursedFen: both('disbursedFen') });
      expect(s.funds.total.allocatedFen).toBe(1_000_000 + 200 + 500 + 40 + 80_000_00);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    "scope: a department its own, a county's finance its county's, approval all but the money",
    async () => {
      const alpha = await get('/v1/statistics', keys.alpha);
      expect(alpha.scope).toEqual({ department: 'alpha', jurisdiction: null });
      const wantAlpha = await expectedFrom(system, ['STAT-1', 'STAT-3']);
      expect(Object.fromEntries(alpha.projectsByStage.map((r: Json) => [r.stage, r.count]))).toEqual(
        Object.fromEntries(wantAlpha.stages),
      );
      expect(alpha.deadlines.byDepartment.map((r: Json) => r.department)).toEqual(['alpha']);
      expect(alpha.funds.total).toEqual({ allocatedFen: 1_000_240, disbursedFen: 300 });
      expect(alpha.funds.byDepartment).toEqual([{ department: 'alpha', allocatedFen: 1_000_240, disbursedFen: 300 }]);

      const county = await get('/v1/statistics', keys.countyFinance);
      expect(county.scope).toEqual({ department: null, jurisdiction: 'qinshui' });
      expect(county.projectsByStage).toEqual([
        { stage: 'technical_review', count: 1 },
        { stage: 'operating', count: 1 },
      ]);
      expect(county.funds.total).toEqual({ allocatedFen: 540, disbursedFen: 100 });
      expect(county.violations).toEqual([
        { article: 'Art. 9', count: 1 },
        { article: 'Art. 22', count: 1 },
      ]);

      const approval = await get('/v1/statistics', keys.approval);
      expect(approval.funds).toBeNull();
      expect(approval.projectsByStage.reduce((n: number, r: Json) => n + r.count, 0)).toBe(4);
      expect((await get('/v1/statistics', ADMIN_KEY)).funds).toBeNull();
      // The city's finance sees every project's money.
      expect((await get('/v1/statistics', keys.finance)).funds.total.allocatedFen).toBe(
        1_000_000 + 200 + 500 + 40 + 80_000_00,
      );
      expect((await system.request('GET', '/v1/statistics')).status).toBe(401);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'Excel: one sheet per table, Chinese headers and labels, amounts in 元; without the money for approval',
    async () => {
      const res = await system.request('GET', '/v1/statistics/export.xlsx', { key: keys.alpha });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('统计分析.xlsx'));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      expect(book.worksheets.map((w) => w.name)).toEqual([
        '资金（按年度）',
        '资金（按部门）',
        '资金（按资金类型）',
        '项目（按阶段）',
        '期限',
        '违规（按条款）',
        '整改（按条款）',
      ]);
      const rows = (name: string) =>
        (book.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(1).map((r) => r.slice(1));
      expect(rows('资金（按年度）')).toEqual([
        ['年度', '已分配（元）', '已拨付（元）'],
        [2026, 10_000, 0],
        [2027, 2.4, 3],
        ['合计', 10_002.4, 3],
      ]);
      expect(rows('资金（按资金类型）').slice(1, 3)).toEqual([
        ['建设资金', 10_000.4, 3],
        ['运维资金', 2, 0],
      ]);
      expect(rows('项目（按阶段）')).toEqual([
        ['阶段', '项目数'],
        ['技术审核', 1],
        ['建设', 1],
      ]);
      expect(rows('违规（按条款）')).toEqual([
        ['条款', '违规记录数'],
        ['第九条', 1],
        ['第十五条', 2],
      ]);
      expect(rows('整改（按条款）')).toEqual([
        ['条款', '整改事由', '整改通知数'],
        ['第九条', '未批先建', 1],
        ['第十五条', '逾期备案', 1],
      ]);
      expect(rows('期限')[0]).toEqual(['部门', '未到期', '按期完成', '逾期', '已取消']);
      expect(book.getWorksheet('资金（按年度）')!.getCell('B2').numFmt).toBe('#,##0.00');

      const approval = await system.request('GET', '/v1/statistics/export.xlsx', { key: keys.approval });
      const approvalBook = new ExcelJS.Workbook();
      await approvalBook.xlsx.load(Buffer.from(await approval.arrayBuffer()) as never);
      expect(approvalBook.worksheets.map((w) => w.name)).toEqual([
        '项目（按阶段）',
        '期限',
        '违规（按条款）',
        '整改（按条款）',
      ]);
    },
  );
});
