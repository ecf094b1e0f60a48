/**
 * The Excel exports (issue 14: GET /v1/projects/export.xlsx, GET /v1/funds/export.xlsx) through the
 * real app with PGlite and PostgreSQL: each file is opened with exceljs and read back, and its rows
 * compared with the JSON list's items for the same filters (all pages). More rows than one export
 * batch (1,000), with ties on created_at across the batch boundaries, so the keyset is exercised.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';

// Each test exports thousands of rows several times: seconds on a quiet machine, a minute or more
// beside other test files on two cores.
vi.setConfig({ testTimeout: 240_000 });
import { projects } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';
import { insertBalance, insertProject, zeroBalance } from './fixtures.ts';

type Json = Record<string, any>;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PROJECT_HEADERS = [
  '项目编号',
  '项目名称',
  '部门',
  '辖区',
  '类型',
  '年度',
  '阶段',
  '待办角色',
  '下一期限',
  '逾期',
  '资金暂停',
  '建设资金已分配(元)',
  '建设资金已拨付(元)',
  '运维资金已分配(元)',
  '运维资金已拨付(元)',
  '创建时间',
  '更新时间',
];
const BALANCES = ['已分配(元)', '公示中(元)', '可拨付(元)', '冻结中(元)', '已拨付(元)', '已取消(元)'];
const FUNDS_HEADERS = [
  '项目编号',
  '项目名称',
  '部门',
  '辖区',
  '资金暂停',
  ...BALANCES.map((b) => `建设${b}`),
  ...BALANCES.map((b) => `运维${b}`),
];
const FIELDS = ['allocatedFen', 'heldFen', 'availableFen', 'frozenFen', 'disbursedFen', 'cancelledFen'];

/** Asia/Shanghai wall time to the minute, computed independently of domain/labels/language.ts. */
const shanghai = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));

async function readWorkbook(res: Response) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await res.arrayBuffer());
  const sheet = workbook.worksheets[0]!;
  const rows: Array<{ values: unknown[]; formats: Array<string | undefined> }> = [];
  sheet.eachRow((row) => {
    const values: unknown[] = [];
    const formats: Array<string | undefined> = [];
    for (let i = 1; i <= sheet.columnCount; i++) {
      values.push(row.getCell(i).value ?? null);
      formats.push(row.getCell(i).numFmt);
    }
    rows.push({ values, formats });
  });
  return { name: sheet.name, header: rows[0]!.values, rows: rows.slice(1) };
}

describe.each(DRIVERS)('Excel exports with %s', (driver) => {
  let system: TestSystem;
  let keys: Record<'bdb' | 'finance' | 'approval' | 'xlsa' | 'xlsb', string>;
  let names: { department: (code: string) => string; jurisdiction: (code: string) => string };
  const getJson = async (path: string, key: string) =>
    (await (await system.request('GET', path, { key })).json()) as Json;
  /** Every item of a JSON list, page after page. */
  const allItems = async (path: string, key: string) => {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const body: Json = await getJson(
        `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        key,
      );
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    keys = {
      bdb: await createKey(system, 'bdb'),
      finance: await createKey(system, 'finance'),
      approval: await createKey(system, 'approval'),
      xlsa: await createKey(system, 'department', 'xlsa'),
      xlsb: await createKey(system, 'department', 'xlsb'),
    };
    // People read names (the departments and jurisdictions registries): xlsa is named, xlsb not yet (its code).
    await system.request('PATCH', '/v1/admin/departments/xlsa', { key: ADMIN_KEY, body: { name: '甲部门' } });
    const registry = (await getJson('/v1/jurisdictions', keys.bdb)).items as Json[];
    names = {
      department: (c) => (c === 'xlsa' ? '甲部门' : c),
      jurisdiction: (c) => registry.find((j) => j.code === c)?.name ?? c,
    };
    const db = system.database.db;
    // 2,100 bulk rows of xlsa, three to each second (ties across the batch boundaries at 1,000 and 2,000).
    const base = Date.parse('2026-06-01T00:00:00Z');
    const bulk = Array.from({ length: 2_100 }, (_, i) => ({
      id: `XA-${String(i).padStart(5, '0')}`,
      title: `批量项目 ${i}`,
      department: 'xlsa',
      jurisdiction: i % 2 ? 'city' : 'qinshui',
      kind: 'new',
      year: 2026,
      stage: i % 3 ? 'construction' : 'operating',
      awaitingRoles: [],
      pendingActions: [],
      overdue: i % 5 === 0,
      fundsSuspended: false,
      view: {},
      version: 1,
      createdAt: new Date(base - Math.floor(i / 3) * 1000),
    }));
    for (let i = 0; i < bulk.length; i += 500) await db.insert(projects).values(bulk.slice(i, i + 500));
    // Detailed rows: funds in the view, a deadline, pending actions, another department.
    await insertProject(db, {
      id: 'XA-DETAIL',
      department: 'xlsa',
      title: '智慧医疗 100%',
      stage: 'technical_review',
      overdue: true,
      nextDeadline: new Date('2026-11-25T06:30:00Z'),
      pendingActions: [
        { role: 'bdb', action: 'technical-review', overdue: true },
        { role: 'finance', action: 'budget', overdue: false },
      ],
      construction: { ...zeroBalance, allocatedFen: 123_456_789_012, heldFen: 123_456_789_012 },
      createdAt: new Date('2026-07-01T06:30:00Z'),
    });
    await insertProject(db, {
      id: 'XB-1',
      department: 'xlsb',
      title: '乙部门项目',
      createdAt: new Date('2026-07-02T00:00:00Z'),
    });
    await insertProject(db, {
      id: 'XB-2',
      department: 'xlsb',
      title: '乙部门项目二',
      fundsSuspended: true,
      createdAt: new Date('2026-07-03T00:00:00Z'),
    });
    // Funds: 1,005 projects with money (more than one batch), two with both fund types.
    for (let i = 0; i < 1_005; i++)
      await insertBalance(db, bulk[i]!.id, 'construction', { availableFen: 100 + i, disbursedFen: i % 2 ? 1 : 0 });
    await insertBalance(db, 'XA-DETAIL', 'om', { heldFen: 999_999_999_999, frozenFen: 1 });
    await insertBalance(db, 'XB-2', 'om', { cancelledFen: 5 });
  }, 240_000);
  afterAll(async () => {
    await system?.stop();
  });

  it.skipIf(!driverAvailable(driver))(
    'projects: Chinese headers, the rows of the JSON list for the same filters, amounts in 元, Shanghai times',
    async () => {
      for (const filter of [
        'department=xlsa',
        'stage=operating&jurisdiction=qinshui',
        'overdue=true&q=100%25',
        'awaiting=finance',
      ]) {
        const res = await system.request('GET', `/v1/projects/export.xlsx?${filter}`, { key: keys.bdb });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(XLSX);
        expect(res.headers.get('content-disposition')).toBe(
          `attachment; filename*=UTF-8''${encodeURIComponent('项目库.xlsx')}`,
        );
        const book = await readWorkbook(res);
        expect(book.name).toBe('项目库');
        expect(book.header).toEqual(PROJECT_HEADERS);
        const items = await allItems(`/v1/projects?${filter}`, keys.bdb);
        expect(items.length).toBeGreaterThan(0);
        expect(book.rows.map((r) => r.values[0])).toEqual(items.map((p) => p.id));
        for (const [i, p] of items.entries()) {
          const v = book.rows[i]!.values;
          expect(v.slice(0, 4)).toEqual([
            p.id,
            p.title,
            names.department(p.department),
            names.jurisdiction(p.jurisdiction),
          ]);
          expect(v[5]).toBe(p.year);
          expect(v[9]).toBe(p.overdue ? '是' : '否');
          expect(v[10]).toBe(p.fundsSuspended ? '是' : '否');
          expect(v.slice(11, 15)).toEqual([
            p.funds.construction.allocatedFen / 100,
            p.funds.construction.disbursedFen / 100,
            p.funds.om.allocatedFen / 100,
            p.funds.om.disbursedFen / 100,
          ]);
          expect(book.rows[i]!.formats.slice(11, 15)).toEqual(Array(4).fill('#,##0.00'));
          expect(v[8]).toEqual(p.nextDeadline ? expect.any(String) : null);
          expect(v[15]).toBe(shanghai(p.createdAt));
          expect(v[16]).toBe(shanghai(p.updatedAt));
        }
      }
      const all = await readWorkbook(await system.request('GET', '/v1/projects/export.xlsx', { key: keys.bdb }));
      expect(all.rows).toHaveLength(2_103);
      const detail = all.rows.find((r) => r.values[0] === 'XA-DETAIL')!.values;
      expect(detail.slice(4, 15)).toEqual([
        '新建',
        2026,
        '技术审核',
        '市大数据应用局、财政部门',
        '2026年11月25日',
        '是',
        '否',
        1_234_567_890.12,
        0,
        0,
        0,
      ]);
      expect(detail[15]).toBe('2026-07-01 14:30');
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'a department sees only its own rows; another department filter gives the header only',
    async () => {
      const own = await readWorkbook(await system.request('GET', '/v1/projects/export.xlsx', { key: keys.xlsb }));
      expect(own.rows.map((r) => r.values[0])).toEqual(['XB-2', 'XB-1']);
      const other = await readWorkbook(
        await system.request('GET', '/v1/projects/export.xlsx?department=xlsa', { key: keys.xlsb }),
      );
      expect(other.header).toEqual(PROJECT_HEADERS);
      expect(other.rows).toEqual([]);
      const a = await readWorkbook(
        await system.request('GET', '/v1/projects/export.xlsx?stage=operating', { key: keys.xlsa }),
      );
      expect(a.rows.map((r) => r.values[0])).toEqual(
        (await allItems('/v1/projects?stage=operating', keys.xlsa)).map((p) => p.id),
      );
      expect(a.rows.every((r) => r.values[2] === '甲部门')).toBe(true);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'funds: the items and totals of GET /v1/funds in 元, the totals row 合计',
    async () => {
      for (const filter of ['', '?jurisdiction=qinshui', '?suspended=true']) {
        const res = await system.request('GET', `/v1/funds/export.xlsx${filter}`, { key: keys.finance });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe(XLSX);
        expect(res.headers.get('content-disposition')).toBe(
          `attachment; filename*=UTF-8''${encodeURIComponent('资金.xlsx')}`,
        );
        const book = await readWorkbook(res);
        expect(book.name).toBe('资金');
        expect(book.header).toEqual(FUNDS_HEADERS);
        const { items, totals } = await getJson(`/v1/funds${filter}`, keys.finance);
        expect(book.rows).toHaveLength(items.length + 1);
        for (const [i, f] of (items as Json[]).entries()) {
          expect(book.rows[i]!.values).toEqual([
            f.projectId,
            f.title,
            names.department(f.department),
            names.jurisdiction(f.jurisdiction),
            f.fundsSuspended ? '是' : '否',
            ...FIELDS.map((k) => f.construction[k] / 100),
            ...FIELDS.map((k) => f.om[k] / 100),
          ]);
          expect(book.rows[i]!.formats.slice(5)).toEqual(Array(12).fill('#,##0.00'));
        }
        const last = book.rows.at(-1)!.values;
        expect(last.slice(0, 5)).toEqual(['合计', null, null, null, null]);
        expect(last.slice(5)).toEqual([
          ...FIELDS.map((k) => totals.construction[k] / 100),
          ...FIELDS.map((k) => totals.om[k] / 100),
        ]);
      }
      const all = await readWorkbook(await system.request('GET', '/v1/funds/export.xlsx', { key: keys.bdb }));
      expect(all.rows).toHaveLength(1_007 + 1);
      expect(all.rows.find((r) => r.values[0] === 'XA-DETAIL')!.values.slice(11, 17)).toEqual([
        10_000_000_000, 9_999_999_999.99, 0, 0.01, 0, 0,
      ]);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'streams over real HTTP (chunked, no Content-Length) a file equal to the in-process one',
    async () => {
      const server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: system.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      try {
        const res = await fetch(
          `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/projects/export.xlsx?department=xlsa`,
          { headers: { authorization: `Bearer ${keys.bdb}` } },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-length')).toBeNull();
        const overHttp = await readWorkbook(res);
        const inProcess = await readWorkbook(
          await system.request('GET', '/v1/projects/export.xlsx?department=xlsa', { key: keys.bdb }),
        );
        expect(overHttp.rows).toHaveLength(2_101);
        expect(overHttp.rows).toEqual(inProcess.rows);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'a client that goes away mid-file stops the export without an error; the next export is whole',
    async () => {
      const res = await system.request('GET', '/v1/projects/export.xlsx', { key: keys.bdb });
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await readWorkbook(await system.request('GET', '/v1/projects/export.xlsx', { key: keys.bdb }));
      expect(again.rows).toHaveLength(2_103);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    '401 without a key, 403 for the funds export to other roles, 400 for bad filters, and export.xlsx is no project id',
    async () => {
      expect((await system.request('GET', '/v1/projects/export.xlsx')).status).toBe(401);
      expect((await system.request('GET', '/v1/funds/export.xlsx')).status).toBe(401);
      for (const key of [keys.xlsa, keys.approval])
        expect((await system.request('GET', '/v1/funds/export.xlsx', { key })).status).toBe(403);
      expect((await system.request('GET', '/v1/projects/export.xlsx?stage=nope', { key: keys.bdb })).status).toBe(400);
      expect((await system.request('GET', '/v1/projects/export.xlsx?limit=5', { key: keys.bdb })).status).toBe(400);
      expect((await system.request('GET', '/v1/funds/export.xlsx?suspended=maybe', { key: keys.finance })).status).toBe(
        400,
      );
      const doc = (await (await system.request('GET', '/openapi.json')).json()) as Json;
      expect(Object.keys(doc.paths['/v1/projects/export.xlsx'].get.responses[200].content)).toEqual([XLSX]);
      expect(doc.paths['/v1/funds/export.xlsx'].get.responses[403]).toBeDefined();
    },
  );
});
