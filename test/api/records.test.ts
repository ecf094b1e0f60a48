/**
 * Issue 15 (part B) over HTTP: the 项目负责人 of an application and its audited changes (Art. 14), the
 * procurement method of a contract (Art. 13) and the related units' opinions before the BDB decides a
 * change request (Art. 17), each with its role checks, problem texts in both languages and its
 * OpenAPI description. The API and the worker run on the Java time-skipping server.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKey, eventually, sampleApplication, startSystem, type TestSystem } from '../support/system.ts';
import { registerSearchAttributes } from '../workflow/support.ts';
import { createTimeSkipping } from '../support/time-skipping.ts';

type Json = Record<string, any>;
let env: TestWorkflowEnvironment;
let system: TestSystem;
let keys: Record<'dept' | 'otherDept' | 'bdb' | 'approval' | 'finance', string>;
beforeAll(async () => {
  env = await createTimeSkipping(inject('testServerExecutable'));
  await registerSearchAttributes(env);
  system = await startSystem('pglite', env.address);
  keys = {
    dept: await createKey(system, 'department', 'health'),
    otherDept: await createKey(system, 'department', 'transport'),
    bdb: await createKey(system, 'bdb'),
    approval: await createKey(system, 'approval'),
    finance: await createKey(system, 'finance'),
  };
  await call('PUT', '/v1/annual-plans/2026', keys.bdb, {
    items: [{ code: '2026-HEALTH-01', title: 'Smart health', department: 'health', ceilingFen: 2_000_000_00 }],
  });
  await call('POST', '/v1/annual-plans/2026/approval', keys.bdb, {
    approvedOn: '2026-01-10',
    documentNo: '晋市政函〔2026〕1号',
  }); // Art. 6
});
afterAll(async () => {
  await system?.stop();
  await env?.teardown();
});

async function call(
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
  expected = 200,
  headers: Record<string, string> = {},
): Promise<Json> {
  const res = await system.request(method, path, {
    ...(key ? { key } : {}),
    ...(body === undefined ? {} : { body }),
    headers,
  });
  const json = (await res.json()) as Json;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(expected);
  return json;
}

/** A project through HTTP to construction (the first contract, procured by open tender). */
async function toConstruction(): Promise<string> {
  const { id } = await call('POST', '/v1/projects', keys.dept, sampleApplication(), 201);
  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  await call('POST', `/v1/projects/${id}/technical-review`, keys.bdb, {
    decision: 'pass',
    opinion: 'complete',
    checklist,
  });
  await call('POST', `/v1/projects/${id}/establishment`, keys.approval, {
    decision: 'approve',
    approvalNo: 'JSP-2026-015',
    opinion: 'approved',
    approvedEstimateFen: 1_200_000_00,
  });
  await call('POST', `/v1/projects/${id}/budget`, keys.finance, {
    fundType: 'construction',
    year: 2026,
    amountFen: 1_000_000_00,
    cityShareFen: 1_000_000_00,
    countyShareFen: 0,
  });
  await call(
    'POST',
    '/v1/allocation-plans',
    keys.bdb,
    { year: 2026, title: '拟分配计划', allocations: [{ projectId: id, allocationId: 'alloc-1' }] },
    201,
  );
  const publicity = ((await call('GET', `/v1/projects/${id}`, keys.dept)).deadlines as Json[]).find(
    (d) => d.kind === 'publicity' && d.status === 'open',
  )!;
  await env.sleep(Date.parse(publicity.dueAt) - (await env.currentTimeMs()) + 3_600_000);
  await eventually(async () =>
    (await call('GET', `/v1/projects/${id}`, keys.dept)).stage === 'contracting' ? true : undefined,
  );
  const signedOn = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
  const v = await call('POST', `/v1/projects/${id}/contracts`, keys.dept, {
    contractNo: 'HT-2026-01',
    contractor: '晋城软件有限公司',
    amountFen: 80_000_00,
    signedOn,
    documentRef: 'sha256:contract',
    procurement: { method: 'open-tender' },
  });
  expect(v.stage).toBe('construction');
  return id;
}

describe('Art. 14 (measures): 项目负责人 over HTTP', () => {
  it('Art. 14: an application without its leader is refused (400, zh-CN and English); with it the ProjectView shows the leader', async () => {
    const { leader: _leader, ...withoutLeader } = sampleApplication();
    const zh = await call('POST', '/v1/projects', keys.dept, withoutLeader, 400);
    expect(zh.code).toBe('validation_failed');
    expect(zh.title).toBe('请求不合法');
    expect(zh.errors).toContainEqual(expect.objectContaining({ path: 'json.leader' }));
    const en = await call(
      'POST',
      '/v1/projects',
      keys.dept,
      { ...sampleApplication(), leader: { name: '张伟', post: '', contact: 'x' } },
      400,
      { 'accept-language': 'en' },
    );
    expect(en.title).toBe('Validation failed');
    expect(en.errors).toContainEqual(expect.objectContaining({ path: 'json.leader.post' }));

    const created = await call('POST', '/v1/projects', keys.dept, sampleApplication(), 201);
    expect(created.leader).toEqual({ name: '张伟', post: '信息科科长', contact: '0356-2020001' });
    expect(created.leaderChanges).toEqual([]);
  });

  it('Art. 14: POST /v1/projects/:id/leader — the owning department only (403 for other roles and departments); before/after on the history', async () => {
    const { id } = await call('POST', '/v1/projects', keys.dept, sampleApplication(), 201);
    const next = { name: '李娜', post: '副局长', contact: 'lina@jincheng.gov.cn' };
    for (const key of [keys.bdb, keys.approval, keys.finance, keys.otherDept]) {
      expect((await call('POST', `/v1/projects/${id}/leader`, key, next, 403)).code).toBe('forbidden');
    }
    expect((await call('POST', `/v1/projects/${id}/leader`, keys.dept, { name: '李娜' }, 400)).code).toBe(
      'validation_failed',
    );
    const v = await call('POST', `/v1/projects/${id}/leader`, keys.dept, next);
    expect(v.leader).toEqual(next);
    expect(v.leaderChanges).toEqual([
      expect.objectContaining({ before: { name: '张伟', post: '信息科科长', contact: '0356-2020001' }, after: next }),
    ]);
    const history = await call('GET', `/v1/projects/${id}/history`, keys.bdb);
    const entry = (history.items as Json[]).find((e) => e.action === 'leader-change')!;
    expect(entry.actor.role).toBe('department');
    expect(entry.detail).toMatchObject({ before: { name: '张伟' }, after: next });
  });
});

describe('Art. 13 and 17 (measures) over HTTP', () => {
  it('Art. 13, 17: procurement required on contracts (single-source with its reason); change requests wait for the related units (409 listing who must answer)', async () => {
    const id = await toConstruction();
    const signedOn = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const base = { contractNo: 'HT-2026-02', contractor: '原厂', amountFen: 10_000_00, signedOn };

    // Art. 13: the procurement method is required; 单一来源 needs its reason.
    const missing = await call('POST', `/v1/projects/${id}/contracts`, keys.dept, base, 400);
    expect(missing.errors).toContainEqual(expect.objectContaining({ path: 'json.procurement' }));
    const noReason = await call(
      'POST',
      `/v1/projects/${id}/contracts`,
      keys.dept,
      { ...base, procurement: { method: 'single-source' } },
      400,
    );
    expect(noReason.errors).toContainEqual(expect.objectContaining({ path: 'json.procurement.reason' }));
    const v1 = await call('POST', `/v1/projects/${id}/contracts`, keys.dept, {
      ...base,
      procurement: { method: 'single-source', reason: '专有系统只能由原厂升级' },
    });
    expect(v1.contracts.map((c: Json) => [c.contractor, c.procurement])).toEqual([
      ['晋城软件有限公司', { method: 'open-tender', reason: '' }],
      ['原厂', { method: 'single-source', reason: '专有系统只能由原厂升级' }],
    ]);

    // Art. 17: a budget change asks the approval bureau and finance.
    const cr = await call('POST', `/v1/projects/${id}/change-requests`, keys.dept, {
      kind: 'budget',
      description: '追加服务器',
      budgetDeltaFen: 5_000_000,
    });
    expect(cr.changeRequests[0]).toMatchObject({
      id: 'cr-1',
      consulted: ['approval', 'finance'],
      awaitingOpinions: ['approval', 'finance'],
      opinions: [],
    });
    const early = await call(
      'POST',
      `/v1/projects/${id}/change-requests/cr-1/decision`,
      keys.bdb,
      { decision: 'approve', opinion: '同意' },
      409,
    );
    expect(early).toMatchObject({
      code: 'opinions_missing',
      title: '相关单位意见尚未齐备',
      missing: ['approval', 'finance'],
    });
    expect(early.detail).toBe('第十七条：变更申请 cr-1 尚待审批部门、财政部门提出意见，意见齐备后方可决定。');

    // Who may give an opinion: approval and finance only.
    for (const key of [keys.bdb, keys.dept, keys.otherDept]) {
      expect(
        (await call('POST', `/v1/projects/${id}/change-requests/cr-1/opinions`, key, { opinion: 'x' }, 403)).code,
      ).toBe('forbidden');
    }
    await call('POST', `/v1/projects/${id}/change-requests/cr-1/opinions`, keys.approval, {
      opinion: '符合批复',
      agrees: true,
    });
    const en = await call(
      'POST',
      `/v1/projects/${id}/change-requests/cr-1/decision`,
      keys.bdb,
      { decision: 'approve', opinion: 'ok' },
      409,
      { 'accept-language': 'en' },
    );
    expect(en).toMatchObject({ code: 'opinions_missing', title: 'Opinions still missing', missing: ['finance'] });
    expect(en.detail).toContain('finance');
    expect(
      (await call('POST', `/v1/projects/${id}/change-requests/cr-1/opinions`, keys.approval, { opinion: 'again' }, 409))
        .code,
    ).toBe('already_exists');
    const answered = await call('POST', `/v1/projects/${id}/change-requests/cr-1/opinions`, keys.finance, {
      opinion: '资金可安排',
      agrees: true,
    });
    expect(answered.changeRequests[0].awaitingOpinions).toEqual([]);
    expect(answered.pendingActions).toContainEqual(
      expect.objectContaining({ role: 'bdb', action: 'change-request-decision' }),
    );
    const decided = await call('POST', `/v1/projects/${id}/change-requests/cr-1/decision`, keys.bdb, {
      decision: 'approve',
      opinion: '同意',
    });
    expect(decided.changeRequests[0].status).toBe('approved');

    // Art. 17: a scope change does not ask finance (422).
    await call('POST', `/v1/projects/${id}/change-requests`, keys.dept, { kind: 'scope', description: '增加移动端' });
    const notAsked = await call(
      'POST',
      `/v1/projects/${id}/change-requests/cr-2/opinions`,
      keys.finance,
      { opinion: 'x' },
      422,
    );
    expect(notAsked.code).toBe('opinion_not_requested');

    // Each opinion is on the audit trail.
    const history = await call('GET', `/v1/projects/${id}/history`, keys.bdb);
    expect(
      (history.items as Json[])
        .filter((e) => e.action === 'change-request-opinion')
        .map((e) => [e.actor.role, e.detail.payload.opinion]),
    ).toEqual([
      ['approval', '符合批复'],
      ['finance', '资金可安排'],
    ]);
  });

  it('OpenAPI: the application requires leader, the contract requires procurement (its methods listed), the two new routes with their roles', async () => {
    const doc = (await (await system.request('GET', '/openapi.json')).json()) as Json;
    expect(doc.components.schemas.CreateProject.required).toContain('leader');
    const contract = doc.paths['/v1/projects/{id}/contracts'].post.requestBody.content['application/json'].schema;
    expect(contract.required).toContain('procurement');
    expect(JSON.stringify(contract.properties.procurement)).toContain('state-enterprise-self-build');
    // 单一来源 needs its reason: stated in the schema (oneOf of two closed shapes), not in prose.
    const branches = contract.properties.procurement.oneOf as Json[];
    expect(branches.map((b) => [b.properties.method.enum, [...b.required].sort()])).toEqual([
      [['single-source'], ['method', 'reason']],
      [
        [
          'open-tender',
          'invited-tender',
          'competitive-negotiation',
          'competitive-consultation',
          'price-inquiry',
          'state-enterprise-self-build',
        ],
        ['method'],
      ],
    ]);
    expect(doc.paths['/v1/projects/{id}/leader'].post.description).toContain('Roles: department');
    const opinions = doc.paths['/v1/projects/{id}/change-requests/{cid}/opinions'].post;
    expect(opinions.description).toContain('Roles: approval, finance');
    expect(opinions.requestBody.content['application/json'].schema.required).toEqual(['opinion']);
  });
});

describe('issue 27: the records of Art. 8, 9, 14, 19 over HTTP', () => {
  it('Art. 8, 9, 14, 19 (measures): 批复概算, 变相包装, 工程监理 and 落盘 in the request schemas; bad input is a 400 in Chinese and changes nothing', async () => {
    const { id } = await call('POST', '/v1/projects', keys.dept, sampleApplication(), 201);
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    // Art. 9: a ground is cited with revise or reject; an unknown one is a 400.
    const badGround = await call(
      'POST',
      `/v1/projects/${id}/technical-review`,
      keys.bdb,
      { decision: 'revise', opinion: 'x', checklist, grounds: ['bogus'] },
      400,
    );
    expect(badGround).toMatchObject({ code: 'validation_failed', title: '请求不合法' });
    expect(badGround.detail).toMatch(/^请求体有 \d+ 处不符合要求，逐项说明如下。$/);
    const revised = await call('POST', `/v1/projects/${id}/technical-review`, keys.bdb, {
      decision: 'revise',
      opinion: '疑似拆分包装',
      checklist,
      grounds: ['disguised-packaging'],
    });
    expect(revised.technicalReviews[0].grounds).toEqual(['disguised-packaging']);
    await call('POST', `/v1/projects/${id}/resubmission`, keys.dept, {
      documents: { proposal: 'a', feasibilityStudy: 'b', preliminaryDesign: 'c', investmentEstimate: 'd' },
      note: '已整合',
    });
    await call('POST', `/v1/projects/${id}/technical-review`, keys.bdb, { decision: 'pass', opinion: 'ok', checklist });
    // Art. 8: the approval states the approved estimate (批复概算): without it, or not in fen, 400 and nothing changes.
    const approve = { decision: 'approve', approvalNo: 'JSP-2026-027', opinion: '核减后批复' };
    const missing = await call('POST', `/v1/projects/${id}/establishment`, keys.approval, approve, 400);
    expect(missing).toMatchObject({ code: 'validation_failed', title: '请求不合法' });
    expect(missing.errors).toContainEqual(expect.objectContaining({ path: 'approvedEstimateFen' }));
    expect(
      (
        await call(
          'POST',
          `/v1/projects/${id}/establishment`,
          keys.approval,
          { ...approve, approvedEstimateFen: 1.5 },
          400,
        )
      ).errors,
    ).toContainEqual(expect.objectContaining({ path: 'json.approvedEstimateFen' }));
    expect((await call('GET', `/v1/projects/${id}`, keys.dept)).stage).toBe('establishment_review');
    const approved = await call('POST', `/v1/projects/${id}/establishment`, keys.approval, {
      ...approve,
      approvedEstimateFen: 900_000_00,
    });
    expect(approved).toMatchObject({
      stage: 'budgeting',
      estimate: { totalFen: 1_200_000_00 },
      approvedEstimateFen: 900_000_00,
    });
    const over = await call(
      'POST',
      `/v1/projects/${id}/budget`,
      keys.finance,
      { fundType: 'construction', year: 2026, amountFen: 1_000_000_00, cityShareFen: 1_000_000_00, countyShareFen: 0 },
      422,
    );
    expect(over).toMatchObject({ code: 'exceeds_approved_estimate', limitFen: 900_000_00 });
    expect(over.detail).toContain('批复概算 900,000.00 元');

    // Art. 14: the supervising firm on a contract (signed after the approval, recorded while the money awaits the plan).
    const signedOn = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
    const contract = {
      contractNo: 'HT-2026-27',
      contractor: '晋城软件有限公司',
      amountFen: 80_000_00,
      signedOn,
      documentRef: 'sha256:c',
      procurement: { method: 'open-tender' },
    };
    expect(
      (await call('POST', `/v1/projects/${id}/contracts`, keys.dept, { ...contract, supervisor: '' }, 400)).errors,
    ).toContainEqual(expect.objectContaining({ path: 'json.supervisor' }));
    const v = await call('POST', `/v1/projects/${id}/contracts`, keys.dept, {
      ...contract,
      supervisor: '山西工程监理有限公司',
    });
    expect(v.contracts.map((c: Json) => c.supervisor)).toEqual(['山西工程监理有限公司']);

    // Art. 19: an evaluation states 落盘 beside sharing (400 without it, before anything reaches the project).
    const evaluation = {
      year: 2026,
      fundUseScore: 80,
      outputScore: 80,
      effectScore: 80,
      satisfactionScore: 80,
      sharingCompliant: true,
      summary: 's',
    };
    const noStored = await call('POST', `/v1/projects/${id}/evaluations`, keys.bdb, evaluation, 400);
    expect(noStored.errors).toContainEqual(expect.objectContaining({ path: 'json.dataStoredOnPlatform' }));
    // Art. 9: 变相包装 is a reason the BDB cites when it orders rectification.
    const ordered = await call('POST', `/v1/projects/${id}/rectification-orders`, keys.bdb, {
      reason: 'disguised-packaging',
      description: '本项目纳入其他项目建设',
    });
    expect(ordered.rectifications[0].reason).toBe('disguised-packaging');

    const doc = (await (await system.request('GET', '/openapi.json')).json()) as Json;
    const body = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;
    expect(body('/v1/projects/{id}/evaluations').required).toContain('dataStoredOnPlatform');
    expect(body('/v1/projects/{id}/establishment').properties.approvedEstimateFen.description).toContain('批复概算');
    expect(JSON.stringify(body('/v1/projects/{id}/technical-review').properties.grounds)).toContain(
      'disguised-packaging',
    );
  });
});
