/**
 * Art. 5, 12, 30 (measures) over HTTP: the jurisdictions registry (admin), keys belonging to a
 * jurisdiction, an application's jurisdiction and policy taken from its key; Art. 6: applications
 * reference the approved version in force; Art. 12: the county share of an allocation confirmed by
 * the county's finance, never by the city's.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
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
let approval: string;
let cityFinance: string;
let zezhouFinance: string;
let gaopingFinance: string;
let cityHealth: string;
let zezhouHealth: string;

async function call(
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const res = await system.request(method, path, {
    ...(key ? { key } : {}),
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}
async function ok(method: string, path: string, key: string, body?: unknown, expected = 200) {
  const res = await call(method, path, key, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  bdb = await createKey(system, 'bdb');
  approval = await createKey(system, 'approval');
  cityFinance = await createKey(system, 'finance');
  zezhouFinance = await createKey(system, 'finance', undefined, 'zezhou');
  gaopingFinance = await createKey(system, 'finance', undefined, 'gaoping');
  cityHealth = await createKey(system, 'department', 'health');
  zezhouHealth = await createKey(system, 'department', 'health', 'zezhou');
  await ok('PUT', '/v1/annual-plans/2026', bdb, {
    items: [{ code: '2026-HEALTH-01', title: 'Smart health', department: 'health', ceilingFen: 5_000_000_00 }],
  });
});
afterAll(async () => {
  await system?.stop();
});

describe('Art. 5, 12, 30 (measures): the jurisdictions registry', () => {
  it('Art. 5, 12, 30: seeded with the city and its six county-level divisions; admin adds and renames; bdb may not', async () => {
    const list = await ok('GET', '/v1/admin/jurisdictions', ADMIN_KEY);
    expect(list.items.map((j: Json) => [j.code, j.name, j.parent])).toEqual([
      ['city', '晋城市', null],
      ['chengqu', '城区', 'city'],
      ['gaoping', '高平市', 'city'],
      ['lingchuan', '陵川县', 'city'],
      ['qinshui', '沁水县', 'city'],
      ['yangcheng', '阳城县', 'city'],
      ['zezhou', '泽州县', 'city'],
    ]);
    const added = await ok('POST', '/v1/admin/jurisdictions', ADMIN_KEY, { code: 'kaifaqu', name: '开发区' }, 201);
    expect(added).toMatchObject({ code: 'kaifaqu', name: '开发区', parent: 'city' });
    expect(
      (await call('POST', '/v1/admin/jurisdictions', ADMIN_KEY, { code: 'kaifaqu', name: 'again' })).body.code,
    ).toBe('already_exists');
    expect((await ok('PATCH', '/v1/admin/jurisdictions/kaifaqu', ADMIN_KEY, { name: '晋城经济技术开发区' })).name).toBe(
      '晋城经济技术开发区',
    );
    expect((await call('PATCH', '/v1/admin/jurisdictions/nowhere', ADMIN_KEY, { name: 'x' })).status).toBe(404);
    for (const [method, path, body] of [
      ['GET', '/v1/admin/jurisdictions', undefined],
      ['POST', '/v1/admin/jurisdictions', { code: 'bdb-county', name: 'x' }],
      ['PATCH', '/v1/admin/jurisdictions/zezhou', { name: 'x' }],
      ['DELETE', '/v1/admin/jurisdictions/kaifaqu', undefined],
    ] as const) {
      expect((await call(method, path, bdb, body)).status, `${method} ${path}`).toBe(403);
    }
    expect((await call('POST', '/v1/admin/jurisdictions', ADMIN_KEY, { code: 'Not A Code', name: 'x' })).status).toBe(
      400,
    );
  });

  it('Art. 5, 12, 30: deleting a jurisdiction in use is refused (409 jurisdiction_in_use); an unused one goes', async () => {
    const inUse = await call('DELETE', '/v1/admin/jurisdictions/zezhou', ADMIN_KEY);
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({ code: 'jurisdiction_in_use', jurisdiction: 'zezhou', keys: expect.any(Number) });
    expect(inUse.body.keys).toBeGreaterThan(0);
    expect((await call('DELETE', '/v1/admin/jurisdictions/city', ADMIN_KEY)).body.code).toBe('jurisdiction_in_use');
    await ok('POST', '/v1/admin/jurisdictions', ADMIN_KEY, { code: 'temporary', name: '临时' }, 201);
    expect((await call('DELETE', '/v1/admin/jurisdictions/temporary', ADMIN_KEY)).status).toBe(204);
    expect((await call('DELETE', '/v1/admin/jurisdictions/temporary', ADMIN_KEY)).status).toBe(404);
  });

  it('Art. 5, 12, 30: a key belongs to one jurisdiction (default city); an unknown one → 422 unknown_jurisdiction, no key made', async () => {
    const keys = await ok('GET', '/v1/admin/api-keys', ADMIN_KEY);
    expect(keys.items.find((k: Json) => k.name === 'finance  zezhou' || k.name === 'finance zezhou')).toMatchObject({
      jurisdiction: 'zezhou',
    });
    expect(keys.items.find((k: Json) => k.name === 'bdb')).toMatchObject({ jurisdiction: 'city' });
    const unknown = await call('POST', '/v1/admin/api-keys', ADMIN_KEY, {
      role: 'finance',
      name: 'Atlantis',
      jurisdiction: 'atlantis',
    });
    expect([unknown.status, unknown.body.code, unknown.body.title]).toEqual([
      422,
      'unknown_jurisdiction',
      '辖区不存在',
    ]);
    expect((await ok('GET', '/v1/admin/api-keys', ADMIN_KEY)).items.map((k: Json) => k.name)).not.toContain('Atlantis');
  });
});

describe('Art. 6, 30 (measures): applications', () => {
  it('Art. 6: an item only in the draft → 422 not_in_annual_plan (inDraft); once the city government approved it → 201', async () => {
    const refused = await call('POST', '/v1/projects', cityHealth, sampleApplication());
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'not_in_annual_plan', approvedVersion: null, inDraft: true });
    expect(refused.body.detail).toContain('尚无经市人民政府批准的版本');
    await ok('POST', '/v1/annual-plans/2026/approval', bdb, {
      approvedOn: '2026-01-10',
      documentNo: '晋市政函〔2026〕1号',
    });
    const created = await ok('POST', '/v1/projects', cityHealth, sampleApplication({ jurisdiction: undefined }), 201);
    expect(created).toMatchObject({ jurisdiction: 'city', policy: { jurisdiction: 'city' } });
    // An item not in the version in force (another department's code).
    const other = await call('POST', '/v1/projects', cityHealth, sampleApplication({ annualPlanItem: '2026-NOPE-01' }));
    expect(other.body).toMatchObject({ code: 'not_in_annual_plan', approvedVersion: 1, inDraft: false });
  });

  it("Art. 5, 12, 30: the project's jurisdiction is its key's: another in the body → 422 jurisdiction_mismatch (no picking a more lenient policy)", async () => {
    const county = await ok('POST', '/v1/projects', zezhouHealth, sampleApplication({ jurisdiction: undefined }), 201);
    // Zezhou issued no policy of its own here: the city's is pinned (Art. 30).
    expect(county).toMatchObject({ jurisdiction: 'zezhou', policy: { jurisdiction: 'city' } });
    const picked = await call('POST', '/v1/projects', cityHealth, sampleApplication({ jurisdiction: 'zezhou' }));
    expect([picked.status, picked.body.code]).toEqual([422, 'jurisdiction_mismatch']);
    expect(picked.body).toMatchObject({ jurisdiction: 'zezhou', keyJurisdiction: 'city' });
    const en = await call('POST', '/v1/projects', zezhouHealth, sampleApplication({ jurisdiction: 'city' }), {
      'accept-language': 'en',
    });
    expect(en.body.title).toBe("Not the key's jurisdiction");
    // Art. 21: existing systems likewise.
    const existing = await ok(
      'POST',
      '/v1/existing-systems',
      zezhouHealth,
      { name: 'Old registry', summary: 's', goLiveYear: 2015 },
      201,
    );
    expect(existing.jurisdiction).toBe('zezhou');
    expect(
      (
        await call('POST', '/v1/existing-systems', zezhouHealth, {
          name: 'x',
          summary: 's',
          goLiveYear: 2015,
          jurisdiction: 'gaoping',
        })
      ).body.code,
    ).toBe('jurisdiction_mismatch');
  });
});

describe("Art. 12 (measures): the county share is confirmed by the county's finance", () => {
  it("Art. 11, 12: city finance books; the county share waits (nothing held, not published); city or another county's finance → 403; the county's finance confirms", async () => {
    // Art. 6: the plan is approved (409 no_draft_plan when an earlier test approved it already).
    await call('POST', '/v1/annual-plans/2026/approval', bdb, {
      approvedOn: '2026-01-10',
      documentNo: '晋市政函〔2026〕1号',
    });
    const project = await ok(
      'POST',
      '/v1/projects',
      zezhouHealth,
      sampleApplication({ estimate: { totalFen: 1_000_000_00, cityShareFen: 600_000_00, countyShareFen: 400_000_00 } }),
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
    await ok('POST', `/v1/projects/${id}/technical-review`, bdb, { decision: 'pass', opinion: 'ok', checklist });
    await ok('POST', `/v1/projects/${id}/establishment`, approval, {
      decision: 'approve',
      approvalNo: 'JSP-ZZ-1',
      opinion: 'ok',
      approvedEstimateFen: 1_000_000_00,
    });

    // A county's finance does not book the city's allocation.
    const countyBooks = await call('POST', `/v1/projects/${id}/budget`, zezhouFinance, {
      fundType: 'construction',
      year: 2026,
      amountFen: 500_000_00,
      cityShareFen: 300_000_00,
      countyShareFen: 200_000_00,
    });
    expect([countyBooks.status, countyBooks.body.code]).toEqual([403, 'city_finance_only']);

    const booked = await ok('POST', `/v1/projects/${id}/budget`, cityFinance, {
      fundType: 'construction',
      year: 2026,
      amountFen: 500_000_00,
      cityShareFen: 300_000_00,
      countyShareFen: 200_000_00,
    });
    const allocation = booked.allocations.at(-1);
    expect(allocation).toMatchObject({
      status: 'awaiting-county',
      countyShare: { jurisdiction: 'zezhou', confirmedAt: null },
    });
    expect(booked.funds.construction).toMatchObject({ allocatedFen: 0, heldFen: 0 });
    expect(booked.pendingActions).toContainEqual(
      expect.objectContaining({ role: 'finance', action: 'county-share-confirmation', ref: allocation.id }),
    );

    // Art. 11: the BDB's allocation plan cannot publish it yet.
    const plan = await call('POST', '/v1/allocation-plans', bdb, {
      year: 2026,
      title: '2026 第一批',
      allocations: [{ projectId: id, allocationId: allocation.id }],
    });
    expect([plan.status, plan.body.code]).toEqual([422, 'allocation_not_publishable']);
    expect(plan.body.allocations).toEqual([
      expect.objectContaining({ allocationId: allocation.id, status: 'awaiting-county' }),
    ]);
    expect(
      (await call('GET', '/v1/public/allocations', undefined)).body.items.filter((a: Json) => a.projectId === id),
    ).toEqual([]);

    // Who may not confirm: the city's finance, another county's finance (403 county_finance_only), the BDB (403 by role).
    for (const key of [cityFinance, gaopingFinance]) {
      const r = await call('POST', `/v1/projects/${id}/county-share-confirmations`, key, {
        allocationId: allocation.id,
      });
      expect([r.status, r.body.code]).toEqual([403, 'county_finance_only']);
    }
    expect(
      (await call('POST', `/v1/projects/${id}/county-share-confirmations`, bdb, { allocationId: allocation.id }))
        .status,
    ).toBe(403);

    // The county's finance confirms (列入同级财政预算): now held, on the ledger with both shares.
    const confirmed = await ok('POST', `/v1/projects/${id}/county-share-confirmations`, zezhouFinance, {
      allocationId: allocation.id,
      budgetRef: '泽财预〔2026〕3号',
    });
    expect(confirmed.allocations.at(-1)).toMatchObject({
      status: 'held',
      countyShare: { jurisdiction: 'zezhou', budgetRef: '泽财预〔2026〕3号', confirmedAt: expect.any(String) },
    });
    expect(confirmed.funds.construction).toMatchObject({ allocatedFen: 500_000_00, heldFen: 500_000_00 });
    const ledger = await eventually(async () => {
      const l = await call('GET', `/v1/projects/${id}/ledger`, cityFinance);
      return l.body.movements?.length ? l.body : undefined;
    });
    expect(ledger.movements[0]).toMatchObject({
      kind: 'allocate',
      amountFen: 500_000_00,
      cityShareFen: 300_000_00,
      countyShareFen: 200_000_00,
    });
    const again = await call('POST', `/v1/projects/${id}/county-share-confirmations`, zezhouFinance, {
      allocationId: allocation.id,
    });
    expect(again.body.code).toBe('invalid_transition');
  });
});
