/**
 * The departments registry over HTTP (Art. 4; Art. 5, 12, 30: a department belongs to one
 * jurisdiction): every role reads it, the admin adds, renames and moves departments; a code a key
 * was created with is registered and keeps working; and people read names, not codes, where a
 * department or a jurisdiction appears — the Excel export, the public notice of allocations
 * (Art. 11), the county finance's notices (Art. 12).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;

let system: TestSystem;
let bdb: string;

async function call(method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await system.request(method, path, { ...(key ? { key } : {}), ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: (text ? JSON.parse(text) : null) as Json };
}
async function ok(method: string, path: string, key: string | undefined, body?: unknown, expected = 200) {
  const res = await call(method, path, key, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}
const registry = async () => (await ok('GET', '/v1/departments', bdb)).items as Json[];

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  bdb = await createKey(system, 'bdb');
});
afterAll(async () => {
  await system?.stop();
});

describe('the departments registry (Art. 4; Art. 5, 12, 30)', () => {
  it('the admin registers a department with its Chinese name and jurisdiction; every role reads the list; bad input changes nothing, in Chinese', async () => {
    const added = await ok('POST', '/v1/admin/departments', ADMIN_KEY, { code: 'wjw', name: '市卫生健康委员会' }, 201);
    expect(added).toMatchObject({
      code: 'wjw',
      name: '市卫生健康委员会',
      jurisdiction: 'city',
      jurisdictionName: '晋城市',
    });
    const county = await ok(
      'POST',
      '/v1/admin/departments',
      ADMIN_KEY,
      { code: 'zz-mzj', name: '泽州县民政局', jurisdiction: 'zezhou' },
      201,
    );
    expect(county).toMatchObject({ jurisdiction: 'zezhou', jurisdictionName: '泽州县' });

    const department = await createKey(system, 'department', 'wjw');
    for (const key of [bdb, department])
      expect((await ok('GET', '/v1/departments', key)).items.map((d: Json) => [d.code, d.name])).toEqual(
        expect.arrayContaining([
          ['wjw', '市卫生健康委员会'],
          ['zz-mzj', '泽州县民政局'],
        ]),
      );
    expect((await ok('GET', '/v1/jurisdictions', department)).items).toContainEqual({
      code: 'zezhou',
      name: '泽州县',
      parent: 'city',
    });

    const before = await registry();
    const refusals = [
      // The code again: 409 naming the department it is.
      [
        await call('POST', '/v1/admin/departments', ADMIN_KEY, { code: 'wjw', name: '别的名字' }),
        409,
        'already_exists',
        /部门编码 wjw 已登记为“市卫生健康委员会”/,
      ],
      // A Chinese name typed as the code: 400 with the field.
      [
        await call('POST', '/v1/admin/departments', ADMIN_KEY, { code: '市卫健委', name: '市卫生健康委员会' }),
        400,
        'validation_failed',
        /不合法/,
      ],
      [
        await call('POST', '/v1/admin/departments', ADMIN_KEY, {
          code: 'jtj',
          name: '市交通运输局',
          jurisdiction: 'atlantis',
        }),
        422,
        'unknown_jurisdiction',
        /atlantis 不在辖区登记表中/,
      ],
      [
        await call('POST', '/v1/admin/departments', bdb, { code: 'jtj', name: '市交通运输局' }),
        403,
        'forbidden',
        /无权/,
      ],
      [await call('PATCH', '/v1/admin/departments/nope', ADMIN_KEY, { name: '无' }), 404, 'not_found', /未找到/],
      [await call('PATCH', '/v1/admin/departments/wjw', ADMIN_KEY, {}), 400, 'validation_failed', /不合法/],
    ] as const;
    for (const [res, status, code, detail] of refusals) {
      expect([res.status, res.body.code], JSON.stringify(res.body)).toEqual([status, code]);
      expect(res.type).toContain('application/problem+json');
      expect(`${res.body.title}${res.body.detail}`).toMatch(detail);
    }
    expect(await registry()).toEqual(before);
    expect(
      (await call('POST', '/v1/admin/departments', ADMIN_KEY, { code: 'wjw', name: 'x' })).body.errors,
    ).toBeUndefined();
  });

  it('a key or account created with a code the registry lacks registers it, named by its code until the admin names it; renaming and moving keep the code', async () => {
    await createKey(system, 'department', 'jyj', 'gaoping');
    expect((await registry()).find((d) => d.code === 'jyj')).toMatchObject({ name: 'jyj', jurisdiction: 'gaoping' });
    const account = await ok(
      'POST',
      '/v1/admin/accounts',
      ADMIN_KEY,
      { loginName: `li.na.${process.pid}`, displayName: '李娜', role: 'department', department: 'sjj' },
      201,
    );
    expect(account.department).toBe('sjj');
    expect((await registry()).find((d) => d.code === 'sjj')).toMatchObject({ name: 'sjj', jurisdiction: 'city' });

    const renamed = await ok('PATCH', '/v1/admin/departments/jyj', ADMIN_KEY, { name: '高平市教育局' });
    expect(renamed).toMatchObject({
      code: 'jyj',
      name: '高平市教育局',
      jurisdiction: 'gaoping',
      jurisdictionName: '高平市',
    });
    const moved = await ok('PATCH', '/v1/admin/departments/sjj', ADMIN_KEY, { name: '市审计局', jurisdiction: 'city' });
    expect(moved).toMatchObject({ code: 'sjj', name: '市审计局' });
    // A key made before it was named still works.
    expect((await call('GET', '/v1/projects', await createKey(system, 'department', 'sjj'))).status).toBe(200);
  });

  it('Art. 5, 12, 30: a jurisdiction a department belongs to cannot be removed (409 jurisdiction_in_use naming the departments)', async () => {
    await ok('POST', '/v1/admin/jurisdictions', ADMIN_KEY, { code: 'kaifaqu', name: '经济技术开发区' }, 201);
    await ok(
      'POST',
      '/v1/admin/departments',
      ADMIN_KEY,
      { code: 'kfq-jxj', name: '开发区经信局', jurisdiction: 'kaifaqu' },
      201,
    );
    const refused = await call('DELETE', '/v1/admin/jurisdictions/kaifaqu', ADMIN_KEY);
    expect([refused.status, refused.body.code, refused.body.departments]).toEqual([409, 'jurisdiction_in_use', 1]);
    expect(refused.body.detail).toContain('1 个部门');
  });
});

describe('names, not codes, where people read a department or a jurisdiction', () => {
  it("the project export names the department and jurisdiction; Art. 11, 12: the public notice and the county finance's notice name them too", async () => {
    const approval = await createKey(system, 'approval');
    const cityFinance = await createKey(system, 'finance');
    const zezhouFinance = await createKey(system, 'finance', undefined, 'zezhou');
    const wjw = await createKey(system, 'department', 'wjw');
    const zz = await createKey(system, 'department', 'zz-mzj', 'zezhou');
    await addPlanItems(system, [
      { department: 'wjw', code: '2026-WJW-01' },
      { department: 'zz-mzj', code: '2026-ZZ-01' },
    ]);

    await ok(
      'POST',
      '/v1/projects',
      wjw,
      sampleApplication({ title: '全民健康信息平台', annualPlanItem: '2026-WJW-01' }),
      201,
    );
    const exported = await system.request('GET', '/v1/projects/export.xlsx', { key: bdb });
    expect(exported.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await exported.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect([row[header.indexOf('部门')], row[header.indexOf('辖区')]]).toEqual(['市卫生健康委员会', '晋城市']);

    // Art. 12: a county share is confirmed by the county's finance; its notice names the county.
    const project = await ok(
      'POST',
      '/v1/projects',
      zz,
      sampleApplication({
        title: '社会救助信息系统',
        annualPlanItem: '2026-ZZ-01',
        estimate: { totalFen: 1_000_000_00, cityShareFen: 600_000_00, countyShareFen: 400_000_00 },
      }),
      201,
    );
    const id = project.id as string;
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    await ok('POST', `/v1/projects/${id}/technical-review`, bdb, {
      decision: 'pass',
      opinion: '符合要求。',
      checklist,
    });
    await ok('POST', `/v1/projects/${id}/establishment`, approval, {
      decision: 'approve',
      approvalNo: '晋审批〔2026〕3号',
      opinion: '同意。',
      approvedEstimateFen: 1_000_000_00,
    }); // Art. 8: 批复概算
    const booked = await ok('POST', `/v1/projects/${id}/budget`, cityFinance, {
      fundType: 'construction',
      year: 2026,
      amountFen: 500_000_00,
      cityShareFen: 300_000_00,
      countyShareFen: 200_000_00,
    });
    const allocationId = booked.allocations.at(-1).id as string;
    const notice = await eventually(async () =>
      ((await ok('GET', '/v1/inbox', zezhouFinance)).notifications as Json[]).find(
        (n) => n.projectId === id && n.kind === 'county-share-confirmation',
      ),
    );
    expect(notice.detail).toContain('泽州县 县级承担');
    expect(notice.detail).not.toContain('zezhou');

    await ok('POST', `/v1/projects/${id}/county-share-confirmations`, zezhouFinance, {
      allocationId,
      budgetRef: '泽财预〔2026〕1号',
    });
    await ok(
      'POST',
      '/v1/allocation-plans',
      bdb,
      { year: 2026, title: '2026年第一批资金拟分配计划', allocations: [{ projectId: id, allocationId }] },
      201,
    );
    const listed = await eventually(async () =>
      ((await ok('GET', '/v1/public/allocations', undefined)).items as Json[]).find((a) => a.projectId === id),
    );
    expect(listed).toMatchObject({
      department: 'zz-mzj',
      departmentName: '泽州县民政局',
      jurisdiction: 'zezhou',
      jurisdictionName: '泽州县',
    });
  });
});
