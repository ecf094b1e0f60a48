/**
 * One project from application to operation through HTTP alone (docs/API.md), with the API and the
 * worker on the Java time-skipping server so the 5-working-day publicity (Art. 11) passes in a
 * second. Every step is a bureau's request; the test reads nothing but HTTP answers.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createKey, eventually, sampleApplication, startSystem, type TestSystem } from '../support/system.ts';
import { registerSearchAttributes } from '../workflow/support.ts';
import { createTimeSkipping } from '../support/time-skipping.ts';

type Json = Record<string, any>;
let env: TestWorkflowEnvironment;
let system: TestSystem;
beforeAll(async () => {
  env = await createTimeSkipping(inject('testServerExecutable'));
  await registerSearchAttributes(env);
  system = await startSystem('pglite', env.address);
});
afterAll(async () => {
  await system?.stop();
  await env?.teardown();
});

it('Art. 6-29: a project lives from application to operation through the HTTP API alone (Art. 23 prior evaluations, Art. 28-29 risk and emergency)', async () => {
  const call = async (
    method: string,
    path: string,
    key: string | undefined,
    body?: unknown,
    expected = 200,
  ): Promise<Json> => {
    const res = await system.request(method, path, {
      ...(key ? { key } : {}),
      ...(body === undefined ? {} : { body }),
    });
    const json = (await res.json()) as Json;
    expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(expected);
    return json;
  };
  const dept = await createKey(system, 'department', 'health');
  const bdb = await createKey(system, 'bdb');
  const approval = await createKey(system, 'approval');
  const finance = await createKey(system, 'finance');

  await call('PUT', '/v1/annual-plans/2026', bdb, {
    items: [{ code: '2026-HEALTH-01', title: 'Smart health', department: 'health', ceilingFen: 2_000_000_00 }],
  });
  await call('POST', '/v1/annual-plans/2026/approval', bdb, {
    approvedOn: '2026-01-10',
    documentNo: '晋市政函〔2026〕1号',
  }); // Art. 6
  const created = await call('POST', '/v1/projects', dept, sampleApplication(), 201);
  const id = created.id as string;
  expect(created.stage).toBe('technical_review');
  // Art. 14 (measures): the department names a new 项目负责人; the change is kept with before and after.
  const led = await call('POST', `/v1/projects/${id}/leader`, dept, {
    name: '李娜',
    post: '副主任',
    contact: '0356-2020002',
  });
  expect([led.leader.name, led.leaderChanges.length]).toEqual(['李娜', 1]);
  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  expect(
    (
      await call('POST', `/v1/projects/${id}/technical-review`, bdb, {
        decision: 'pass',
        opinion: 'complete',
        checklist,
      })
    ).stage,
  ).toBe('establishment_review');
  expect(
    (
      await call('POST', `/v1/projects/${id}/establishment`, approval, {
        decision: 'approve',
        approvalNo: 'JSP-2026-009',
        opinion: 'approved',
        approvedEstimateFen: 1_200_000_00,
      })
    ).stage,
  ).toBe('budgeting');
  const budgeted = await call('POST', `/v1/projects/${id}/budget`, finance, {
    fundType: 'construction',
    year: 2026,
    amountFen: 1_000_000_00,
    cityShareFen: 1_000_000_00,
    countyShareFen: 0,
  });
  // Art. 11: finance determined the budget; the money is held until the BDB's allocation plan (公示 begins with it).
  expect(budgeted.stage).toBe('budgeting');
  expect(budgeted.allocations[0]).toMatchObject({ id: 'alloc-1', status: 'held' });
  expect(JSON.stringify(await call('GET', '/v1/public/allocations', undefined))).not.toContain(id);
  const plan = await call(
    'POST',
    '/v1/allocation-plans',
    bdb,
    { year: 2026, title: '2026年第一批资金拟分配计划', allocations: [{ projectId: id, allocationId: 'alloc-1' }] },
    201,
  );
  expect(plan.allocations[0]).toMatchObject({ projectId: id, status: 'published', allocationStatus: 'publicity' });
  const published = await call('GET', `/v1/projects/${id}`, dept);
  const publicity = (published.deadlines as Json[]).find((d) => d.kind === 'publicity' && d.status === 'open')!;
  expect(publicity.dueAt).toBe(plan.allocations[0].noticeDueAt);
  // Art. 11: the allocation is listed publicly, with its plan, while under publicity.
  const listed = await call('GET', '/v1/public/allocations', undefined);
  expect((listed.items as Json[]).find((a) => a.projectId === id)).toMatchObject({
    status: 'publicity',
    plan: { id: plan.id },
  });

  await env.sleep(Date.parse(publicity.dueAt) - (await env.currentTimeMs()) + 3_600_000);
  const contracting = await eventually(async () => {
    const v = await call('GET', `/v1/projects/${id}`, dept);
    return v.stage === 'contracting' ? v : undefined;
  });
  expect(contracting.funds.construction.availableFen).toBe(1_000_000_00);

  const signedOn = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
  expect(
    (
      await call('POST', `/v1/projects/${id}/contracts`, dept, {
        contractNo: 'HT-2026-01',
        contractor: 'Jincheng Soft',
        amountFen: 80_000_00,
        signedOn,
        documentRef: 'sha256:contract',
        procurement: { method: 'open-tender' },
      })
    ).stage,
  ).toBe('construction');
  await call('POST', `/v1/projects/${id}/disbursements`, finance, {
    fundType: 'construction',
    amountFen: 40_000_000,
    note: 'first instalment',
  });
  // Art. 17 (measures): the BDB decides a budget change after the approval bureau's and finance's opinions.
  expect(
    (
      await call('POST', `/v1/projects/${id}/change-requests`, dept, {
        kind: 'budget',
        description: '追加存储设备',
        budgetDeltaFen: 5_000_000,
      })
    ).changeRequests[0].awaitingOpinions,
  ).toEqual(['approval', 'finance']);
  expect(
    (await call('POST', `/v1/projects/${id}/change-requests/cr-1/decision`, bdb, { decision: 'approve' }, 409)).missing,
  ).toEqual(['approval', 'finance']);
  await call('POST', `/v1/projects/${id}/change-requests/cr-1/opinions`, approval, {
    opinion: '符合立项批复',
    agrees: true,
  });
  await call('POST', `/v1/projects/${id}/change-requests/cr-1/opinions`, finance, {
    opinion: '资金可以安排',
    agrees: true,
  });
  expect(
    (
      await call('POST', `/v1/projects/${id}/change-requests/cr-1/decision`, bdb, {
        decision: 'approve',
        opinion: '同意',
      })
    ).changeRequests[0].status,
  ).toBe('approved');
  await call('POST', `/v1/projects/${id}/catalog-entries`, dept, {
    entries: [{ code: 'HLT-001', name: 'Outpatient records', sharingType: 'conditional', updateCycle: 'daily' }],
  });
  expect(
    (
      await call('POST', `/v1/projects/${id}/preliminary-acceptance`, dept, {
        reportRef: 'sha256:pre',
        completedOn: signedOn,
      })
    ).stage,
  ).toBe('joint_acceptance');
  const technical = {
    decision: 'pass',
    opinion: 'secure',
    securityControllable: true,
    mlpsLevel: 3,
    cryptoAssessmentPassed: true,
  };
  // Art. 28 (the order is policy, on by default): no technical acceptance before the joint risk assessment (422, nothing changed).
  const noRisk = await call('POST', `/v1/projects/${id}/technical-acceptance`, bdb, technical, 422);
  expect(noRisk.code).toBe('risk_assessment_missing');
  expect(noRisk.detail).toContain('第二十八条');
  expect(noRisk.detail).toContain('本地政策');
  const risk = {
    assessedOn: signedOn,
    result: '风险可控',
    documentRef: 'sha256:risk',
    bdbParticipant: '市大数据应用局安全科',
  };
  expect((await call('POST', `/v1/projects/${id}/risk-assessments`, bdb, risk, 403)).code).toBe('forbidden');
  expect((await call('POST', `/v1/projects/${id}/risk-assessments`, dept, risk)).riskAssessments).toMatchObject([
    { id: 'risk-1', ...risk },
  ]);
  await call('POST', `/v1/projects/${id}/technical-acceptance`, bdb, technical);
  expect(
    (
      await call('POST', `/v1/projects/${id}/completion-acceptance`, approval, {
        decision: 'pass',
        opinion: 'accepted',
      })
    ).stage,
  ).toBe('completion_filing');
  // Art. 29 (measures): the emergency plan made with the contractor is pending from completion acceptance on
  // (no gate on the Art. 21 report unless the policy switch says so).
  expect((await call('GET', `/v1/projects/${id}`, dept)).pendingActions).toContainEqual({
    role: 'department',
    action: 'emergency-plan',
    overdue: false,
  });
  expect(
    (
      await call(
        'POST',
        `/v1/projects/${id}/emergency-plans`,
        dept,
        { adoptedOn: signedOn, documentRef: 'sha256:plan', contractor: 'Someone' },
        422,
      )
    ).code,
  ).toBe('contractor_unknown');
  const emergencyPlan = { adoptedOn: signedOn, documentRef: 'sha256:plan', contractor: 'Jincheng Soft' };
  expect((await call('POST', `/v1/projects/${id}/emergency-plans`, dept, emergencyPlan)).emergencyPlans).toMatchObject([
    { id: 'plan-1', ...emergencyPlan },
  ]);
  const operating = await call('POST', `/v1/projects/${id}/completion-report`, dept, { reportRef: 'sha256:report' });
  expect(operating.stage).toBe('operating');
  // Art. 29 (policy): the drill period runs from the plan (default yearly).
  expect((operating.deadlines as Json[]).find((d) => d.kind === 'security-drill')).toMatchObject({
    status: 'open',
    basis: 'policy',
    rule: { unit: 'calendarDays', amount: 365 },
  });
  // Art. 29 (measures): an incident names to whom and when it was reported.
  const occurredAt = new Date((await env.currentTimeMs()) - 3_600_000).toISOString();
  const incident = { occurredAt, severity: 'medium', description: '异常登录', handling: '已封禁' };
  expect((await call('POST', `/v1/projects/${id}/security-incidents`, dept, incident, 400)).errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: 'reportedTo' }),
      expect.objectContaining({ path: 'reportedAt' }),
    ]),
  );
  const reported = await call('POST', `/v1/projects/${id}/security-incidents`, dept, {
    ...incident,
    reportedTo: '市委网信办',
    reportedAt: occurredAt,
  });
  expect(reported.incidents[0]).toMatchObject({ reportedTo: '市委网信办', reportedAt: occurredAt });

  // Art. 23 (measures): the BDB evaluates the operating project; the department's next application shows it.
  const year = Number(signedOn.slice(0, 4));
  await call('POST', `/v1/projects/${id}/evaluations`, bdb, {
    year,
    fundUseScore: 90,
    outputScore: 85,
    effectScore: 80,
    satisfactionScore: 95,
    sharingCompliant: true,
    dataStoredOnPlatform: true,
    summary: '良好',
  });
  // (The evaluation's answer came once the read model held it: durable before visible.)
  const next = await call('POST', '/v1/projects', dept, sampleApplication(), 201);
  expect(next.priorEvaluations).toEqual([
    {
      projectId: id,
      title: created.title,
      year,
      result: {
        fundUseScore: 90,
        outputScore: 85,
        effectScore: 80,
        satisfactionScore: 95,
        sharingCompliant: true,
        summary: '良好',
      },
      date: expect.any(String),
    },
  ]);
  expect((await call('GET', `/v1/projects/${next.id}`, bdb)).priorEvaluations).toEqual(next.priorEvaluations);
  // The technical-review action shows them too: its answer is the ProjectView.
  const reviewed = await call('POST', `/v1/projects/${next.id}/technical-review`, bdb, {
    decision: 'revise',
    opinion: 'see the evaluation of the earlier project',
    checklist,
  });
  expect(reviewed.priorEvaluations).toEqual(next.priorEvaluations);
  // The project itself is not its own prior evaluation.
  expect((await call('GET', `/v1/projects/${id}`, dept)).priorEvaluations).toEqual([]);

  // Finance reads the same money from the ledger, the funds overview and the view.
  const ledger = await call('GET', `/v1/projects/${id}/ledger`, finance);
  expect((ledger.movements as Json[]).map((m) => m.kind)).toEqual(['allocate', 'publish', 'disburse']);
  expect(ledger.balances.construction).toEqual(operating.funds.construction);
  const history = await call('GET', `/v1/projects/${id}/history`, dept);
  const entries = (history.items ?? history.entries ?? history) as Json[];
  expect(entries.length).toBeGreaterThanOrEqual(10);
  for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
  const list = await eventually(async () => {
    const l = await call('GET', '/v1/projects?stage=operating', bdb);
    return (l.items as Json[]).some((p) => p.id === id) ? l : undefined;
  });
  expect(list.items.length).toBeGreaterThan(0);
}, 120_000);
