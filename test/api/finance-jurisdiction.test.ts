/**
 * Art. 12 (measures) over HTTP (issue 28 HIGH 2): a county's finance acts on and reads its own
 * county's projects only — disbursements and change-request opinions are refused at the API before
 * the workflow is asked (so runs recorded before the patch `finance-jurisdiction` are covered too),
 * and GET /v1/funds, its Excel export and project ledgers are scoped to its jurisdiction. The city
 * finance keeps acting on and reading everything. Real Temporal, PGlite and PostgreSQL.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { createKey, eventually, sampleApplication, startSystem, type TestSystem } from '../support/system.ts';
import { projectWorkflowId } from '../../workflows/messages.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('Art. 12: finance within its jurisdiction over HTTP (issue 28 HIGH 2) with %s', (driver) => {
  let system: TestSystem;
  const keys: Record<string, string> = {};
  let cityProject: string;
  let zezhouProject: string;
  const run = it.skipIf(!driverAvailable(driver));

  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await system.request(method, path, { key, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Json,
      res,
    };
  };
  const ok = async (method: string, path: string, key: string, body?: unknown, expected = 200) => {
    const r = await call(method, path, key, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(expected);
    return r.body;
  };
  /** A project budgeted by the city finance (held money, so it is in the funds overview). */
  const budgeted = async (department: string) => {
    const created = await ok('POST', '/v1/projects', department, sampleApplication(), 201);
    const id = created.id as string;
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    await ok('POST', `/v1/projects/${id}/technical-review`, keys.bdb!, { decision: 'pass', opinion: 'ok', checklist });
    await ok('POST', `/v1/projects/${id}/establishment`, keys.approval!, {
      decision: 'approve',
      approvalNo: `JSP-${id}`,
      opinion: 'ok',
      approvedEstimateFen: 1_200_000_00,
    }); // Art. 8: 批复概算
    await ok('POST', `/v1/projects/${id}/budget`, keys.cityFinance!, {
      fundType: 'construction',
      year: 2026,
      amountFen: 300_000_00,
      cityShareFen: 300_000_00,
      countyShareFen: 0,
    });
    return id;
  };

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    keys.bdb = await createKey(system, 'bdb');
    keys.approval = await createKey(system, 'approval');
    keys.cityFinance = await createKey(system, 'finance');
    keys.zezhouFinance = await createKey(system, 'finance', undefined, 'zezhou');
    keys.gaopingFinance = await createKey(system, 'finance', undefined, 'gaoping');
    keys.cityHealth = await createKey(system, 'department', 'health');
    keys.zezhouHealth = await createKey(system, 'department', 'health', 'zezhou');
    await ok('PUT', '/v1/annual-plans/2026', keys.bdb, {
      items: [{ code: '2026-HEALTH-01', title: 'Smart health', department: 'health', ceilingFen: 5_000_000_00 }],
    });
    await ok('POST', '/v1/annual-plans/2026/approval', keys.bdb, {
      approvedOn: '2026-01-10',
      documentNo: '晋市政函〔2026〕1号',
    });
    cityProject = await budgeted(keys.cityHealth);
    zezhouProject = await budgeted(keys.zezhouHealth);
    // The funds overview is written by the workflow's activities.
    await eventually(async () =>
      (await call('GET', '/v1/funds', keys.cityFinance!)).body.items?.length === 2 ? true : undefined,
    );
  });
  afterAll(async () => {
    await system?.stop();
  });

  run(
    "Art. 12: 泽州县's finance may not disburse or give the finance opinion on a city project (403 in Chinese); nothing changes",
    async () => {
      const before = await ok('GET', `/v1/projects/${cityProject}`, keys.cityFinance!);
      const disbursed = await call('POST', `/v1/projects/${cityProject}/disbursements`, keys.zezhouFinance!, {
        fundType: 'construction',
        amountFen: 100,
        note: '',
      });
      expect([disbursed.status, disbursed.body.code]).toEqual([403, 'other_jurisdiction_finance']);
      expect(disbursed.type).toContain('application/problem+json');
      expect(disbursed.body.detail).toBe(
        '第十二条：zezhou 财政部门只办理和查看本县（市、区）项目的县级份额，不能办理或查看 city 的项目。',
      );
      const opinion = await call(
        'POST',
        `/v1/projects/${cityProject}/change-requests/cr-1/opinions`,
        keys.zezhouFinance!,
        { opinion: '同意', agrees: true },
      );
      expect([opinion.status, opinion.body.code]).toEqual([403, 'other_jurisdiction_finance']);
      // Another county's finance on 泽州县's project likewise.
      expect(
        (
          await call('POST', `/v1/projects/${zezhouProject}/disbursements`, keys.gaopingFinance!, {
            fundType: 'construction',
            amountFen: 100,
            note: '',
          })
        ).body.code,
      ).toBe('other_jurisdiction_finance');
      const after = await ok('GET', `/v1/projects/${cityProject}`, keys.cityFinance!);
      expect(after.funds).toEqual(before.funds);
      expect(after.decisions).toEqual(before.decisions);
    },
  );

  run(
    'Art. 12: the refusal is the API’s, before the workflow is asked (runs recorded before the patch are covered)',
    async () => {
      const extra = await budgeted(keys.cityHealth!);
      await system.client.workflow.getHandle(projectWorkflowId(extra)).terminate('test: the workflow cannot answer');
      const refused = await call('POST', `/v1/projects/${extra}/disbursements`, keys.zezhouFinance!, {
        fundType: 'construction',
        amountFen: 100,
        note: '',
      });
      expect([refused.status, refused.body.code]).toEqual([403, 'other_jurisdiction_finance']);
    },
  );

  run(
    "Art. 12: GET /v1/funds for 泽州县's finance lists 泽州县's projects only; another jurisdiction's filter → 403; the city finance sees all",
    async () => {
      const county = await ok('GET', '/v1/funds', keys.zezhouFinance!);
      expect(county.items.map((i: Json) => i.projectId)).toEqual([zezhouProject]);
      expect(county.totals.construction.allocatedFen).toBe(300_000_00);
      expect((await ok('GET', '/v1/funds?jurisdiction=zezhou', keys.zezhouFinance!)).items).toHaveLength(1);
      const other = await call('GET', '/v1/funds?jurisdiction=city', keys.zezhouFinance!);
      expect([other.status, other.body.code]).toEqual([403, 'other_jurisdiction_finance']);
      const city = await ok('GET', '/v1/funds', keys.cityFinance!);
      expect(city.items.map((i: Json) => i.projectId)).toEqual(expect.arrayContaining([cityProject, zezhouProject]));
    },
  );

  run(
    "Art. 12: the funds export for 泽州县's finance has 泽州县's rows only; another jurisdiction's filter → 403",
    async () => {
      const res = await system.request('GET', '/v1/funds/export.xlsx', { key: keys.zezhouFinance! });
      expect(res.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      const ids: unknown[] = [];
      workbook.getWorksheet('资金')!.eachRow((row, n) => {
        if (n > 1) ids.push(row.getCell(1).value);
      });
      expect(ids).toEqual([zezhouProject, '合计']);
      expect((await call('GET', '/v1/funds/export.xlsx?jurisdiction=gaoping', keys.zezhouFinance!)).status).toBe(403);
    },
  );

  run(
    "Art. 12: a project's ledger: 泽州县's finance reads its own county's, not the city's or another county's",
    async () => {
      expect((await call('GET', `/v1/projects/${zezhouProject}/ledger`, keys.zezhouFinance!)).status).toBe(200);
      const city = await call('GET', `/v1/projects/${cityProject}/ledger`, keys.zezhouFinance!);
      expect([city.status, city.body.code]).toEqual([403, 'other_jurisdiction_finance']);
      expect((await call('GET', `/v1/projects/${zezhouProject}/ledger`, keys.gaopingFinance!)).status).toBe(403);
      expect((await call('GET', `/v1/projects/${zezhouProject}/ledger`, keys.cityFinance!)).status).toBe(200);
    },
  );
});
