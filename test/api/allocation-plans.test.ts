/**
 * Art. 11 allocation plans and Art. 21 existing systems end to end over HTTP: the real API, the real
 * worker and the Temporal dev server, with PGlite. Finance budgets (money held), the BDB publishes the
 * allocation plan (notice periods start), the public sees the plan; an existing system enters
 * operation and is funded the same way.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { planIdFor } from '../../api/routes/allocation-plans.ts';
import { shanghaiYear } from '../../domain/calendar/index.ts';
import { allocationPlanItems, allocationPlans } from '../../db/schema.ts';
import { commandUpdate, projectWorkflowId } from '../../workflows/messages.ts';
import {
  addPlanItems,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
  ceilingRefusingKey,
} from '../support/system.ts';

type Json = Record<string, any>;

let system: TestSystem;
let keys: Record<'dept' | 'other' | 'bdb' | 'approval' | 'finance', string>;
const keyIdOf = (key: string) => key.split('_')[1]!;
// The operating year the dev server's workflows see: Asia/Shanghai's, not the machine's UTC year.
const year = shanghaiYear(new Date().toISOString());

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
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}
async function ok(method: string, path: string, key: string, body?: unknown, expected = 200) {
  const res = await call(method, path, key, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expected);
  return res.body;
}

/** An established project (estimate 1_200_000_00 fen) with one construction allocation held. */
async function budgetedProject(amountFen = 1_000_000_00): Promise<string> {
  const created = await ok('POST', '/v1/projects', keys.dept, sampleApplication(), 201);
  const id = created.id as string;
  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  await ok('POST', `/v1/projects/${id}/technical-review`, keys.bdb, { decision: 'pass', opinion: 'ok', checklist });
  await ok('POST', `/v1/projects/${id}/establishment`, keys.approval, {
    decision: 'approve',
    approvalNo: 'JSP-1',
    opinion: 'ok',
    approvedEstimateFen: 1_200_000_00,
  });
  const v = await ok('POST', `/v1/projects/${id}/budget`, keys.finance, {
    fundType: 'construction',
    year: 2026,
    amountFen,
    cityShareFen: amountFen,
    countyShareFen: 0,
  });
  expect(v.allocations.at(-1)).toMatchObject({ status: 'held', publicityDeadlineId: null });
  return id;
}

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  await addPlanItems(system, [{ department: 'health', ceilingFen: 2_000_000_00 }]);
  keys = {
    dept: await createKey(system, 'department', 'health'),
    other: await createKey(system, 'department', 'transport'),
    bdb: await createKey(system, 'bdb'),
    approval: await createKey(system, 'approval'),
    finance: await createKey(system, 'finance'),
  };
});
afterAll(async () => {
  await system?.stop();
});

describe('money limits over HTTP (Art. 6, 8, 10)', () => {
  it('Art. 6, 8 (policy switch planCeilingRefusal, off by default): above the ceiling is accepted; with the switch on → 422 exceeds_plan_ceiling naming both amounts', async () => {
    // Off (the city's default policy): the text names no ceiling; the application goes ahead.
    await ok(
      'POST',
      '/v1/projects',
      keys.dept,
      sampleApplication({ estimate: { totalFen: 2_000_000_01, cityShareFen: 2_000_000_01, countyShareFen: 0 } }),
      201,
    );
    const refusing = await ceilingRefusingKey(system, 'health');
    const res = await call(
      'POST',
      '/v1/projects',
      refusing,
      sampleApplication({ estimate: { totalFen: 2_000_000_01, cityShareFen: 2_000_000_01, countyShareFen: 0 } }),
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'exceeds_plan_ceiling',
      estimateFen: 2_000_000_01,
      ceilingFen: 2_000_000_00,
      annualPlanItem: '2026-HEALTH-01',
    });
    expect(res.body.detail).toContain('2,000,000.01 元'); // zh-CN by default (issue 14)
    expect(res.body.detail).toContain('2,000,000.00 元');
    // At the ceiling is fine.
    await ok(
      'POST',
      '/v1/projects',
      refusing,
      sampleApplication({ estimate: { totalFen: 2_000_000_00, cityShareFen: 2_000_000_00, countyShareFen: 0 } }),
      201,
    );
  });

  it('Art. 10: a further allocation beyond the approved estimate → 422 exceeds_approved_estimate naming both amounts; within it no change request is needed', async () => {
    const id = await budgetedProject(1_000_000_00);
    const over = await call('POST', `/v1/projects/${id}/budget`, keys.finance, {
      fundType: 'construction',
      year: 2027,
      amountFen: 200_000_01,
      cityShareFen: 200_000_01,
      countyShareFen: 0,
    });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({
      code: 'exceeds_approved_estimate',
      limitFen: 1_200_000_00,
      allocatedFen: 1_000_000_00,
      amountFen: 200_000_01,
      availableFen: 200_000_00,
    });
    const v = await ok('POST', `/v1/projects/${id}/budget`, keys.finance, {
      fundType: 'construction',
      year: 2027,
      amountFen: 200_000_00,
      cityShareFen: 200_000_00,
      countyShareFen: 0,
    });
    expect(v.funds.construction).toMatchObject({ allocatedFen: 1_200_000_00, heldFen: 1_200_000_00 });
  });
});

describe('allocation plans (Art. 11)', () => {
  it('Art. 11: the BDB publishes a plan of held allocations: notice periods start, the plan and the allocations are public', async () => {
    const a = await budgetedProject();
    const b = await budgetedProject(500_000_00);
    // Held money is not public yet.
    const before = await call('GET', '/v1/public/allocations', undefined);
    expect(before.body.items.filter((x: Json) => x.projectId === a || x.projectId === b)).toEqual([]);
    const inbox = await ok('GET', '/v1/inbox', keys.bdb);
    expect(inbox.items).toContainEqual(expect.objectContaining({ projectId: a, action: 'allocation-publication' }));

    const body = {
      year: 2026,
      title: '2026年第一批政务大数据项目资金拟分配计划',
      allocations: [
        { projectId: a, allocationId: 'alloc-1' },
        { projectId: b, allocationId: 'alloc-1' },
      ],
    };
    const headers = { 'idempotency-key': `plan-${a}` };
    const res = await call('POST', '/v1/allocation-plans', keys.bdb, body, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const plan = res.body;
    expect(plan.id).toBe(planIdFor(2026, `${keyIdOf(keys.bdb)}:plan-${a}`));
    expect(res.headers.get('location')).toBe(`/v1/allocation-plans/${plan.id}`);
    expect(plan).toMatchObject({ year: 2026, title: body.title, status: 'published', createdBy: 'bdb' });
    expect(
      plan.allocations.map((x: Json) => [x.projectId, x.allocationId, x.status, x.allocationStatus, x.amountFen]),
    ).toEqual([
      [a, 'alloc-1', 'published', 'publicity', 1_000_000_00],
      [b, 'alloc-1', 'published', 'publicity', 500_000_00],
    ]);
    for (const x of plan.allocations) {
      expect(Date.parse(x.noticeDueAt)).toBeGreaterThan(Date.parse(x.noticeStartsAt));
      expect(x.error).toBeNull();
    }
    // The project shows the notice period, started by the plan.
    const view = await ok('GET', `/v1/projects/${a}`, keys.dept);
    expect(view.allocations[0]).toMatchObject({ status: 'publicity', planId: plan.id });
    expect(view.deadlines).toContainEqual(
      expect.objectContaining({
        kind: 'publicity',
        ref: 'alloc-1',
        status: 'open',
        dueAt: plan.allocations[0].noticeDueAt,
      }),
    );
    expect(view.decisions.at(-1)).toMatchObject({ action: 'allocation-publication', role: 'bdb', decision: plan.id });

    // The same request again replays the answer; nothing is sent twice.
    const again = await call('POST', '/v1/allocation-plans', keys.bdb, body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Another plan cannot publish them again: 422 naming each, nothing stored.
    const twice = await call('POST', '/v1/allocation-plans', keys.bdb, { ...body, title: 'again' });
    expect(twice.status).toBe(422);
    expect(twice.body.code).toBe('allocation_not_publishable');
    expect(twice.body.allocations).toEqual([
      { projectId: a, allocationId: 'alloc-1', reason: 'not_held', status: 'publicity', planId: plan.id },
      { projectId: b, allocationId: 'alloc-1', reason: 'not_held', status: 'publicity', planId: plan.id },
    ]);

    // Reads: any role, one plan, the public list (without internal fields).
    for (const key of [keys.bdb, keys.finance, keys.dept, keys.approval]) {
      const list = await ok('GET', '/v1/allocation-plans?year=2026', key);
      expect(list.items.map((p: Json) => p.id)).toContain(plan.id);
    }
    expect(await ok('GET', `/v1/allocation-plans/${plan.id}`, keys.dept)).toEqual(plan);
    expect((await call('GET', '/v1/allocation-plans/AP2026-0000000000', keys.dept)).status).toBe(404);
    expect((await call('GET', '/v1/allocation-plans/not-a-plan', keys.dept)).status).toBe(400);
    expect((await call('GET', '/v1/allocation-plans', undefined)).status).toBe(401);
    const pub = await call('GET', `/v1/public/allocation-plans/${plan.id}`, undefined);
    expect(pub.status).toBe(200);
    const { createdBy: _createdBy, ...withoutActor } = plan;
    expect(pub.body).toEqual({
      ...withoutActor,
      allocations: plan.allocations.map(({ error: _error, ...x }: Json) => x),
    });
    const publicList = await call('GET', '/v1/public/allocation-plans?year=2026', undefined);
    expect(publicList.body.items.map((p: Json) => p.id)).toContain(plan.id);
    const listed = await call('GET', '/v1/public/allocations', undefined);
    expect(listed.body.items.find((x: Json) => x.projectId === a)).toMatchObject({
      allocationId: 'alloc-1',
      status: 'publicity',
      plan: { id: plan.id, title: body.title, year: 2026 },
      noticeDueAt: plan.allocations[0].noticeDueAt,
    });

    // Objections as before, during the notice.
    const objected = await ok('POST', `/v1/projects/${a}/publicity-objections`, keys.bdb, {
      summary: 'duplicates the health cloud',
    });
    expect(objected.publicityObjections[0]).toMatchObject({ allocationId: 'alloc-1', status: 'open' });
  });

  it('Art. 11: a listed allocation that is not held → 422 naming it and nothing stored; only the BDB publishes', async () => {
    const a = await budgetedProject();
    const body = {
      year: 2026,
      title: 'mixed',
      allocations: [
        { projectId: a, allocationId: 'alloc-1' },
        { projectId: a, allocationId: 'alloc-7' },
        { projectId: 'JC2026-NOSUCH01', allocationId: 'alloc-1' },
      ],
    };
    const before = (await system.database.db.select().from(allocationPlans)).length;
    const res = await call('POST', '/v1/allocation-plans', keys.bdb, body);
    expect(res.status).toBe(422);
    expect(res.body.allocations).toEqual([
      { projectId: a, allocationId: 'alloc-7', reason: 'allocation_not_found', status: null },
      { projectId: 'JC2026-NOSUCH01', allocationId: 'alloc-1', reason: 'project_not_found', status: null },
    ]);
    expect(res.body.detail).toContain(`${a}/alloc-7`);
    expect((await system.database.db.select().from(allocationPlans)).length).toBe(before);
    expect((await ok('GET', `/v1/projects/${a}`, keys.dept)).allocations[0].status).toBe('held');
    // Roles and bodies.
    for (const key of [keys.finance, keys.dept, keys.approval])
      expect((await call('POST', '/v1/allocation-plans', key, body)).status).toBe(403);
    expect((await call('POST', '/v1/allocation-plans', undefined, body)).status).toBe(401);
    expect((await call('POST', '/v1/allocation-plans', keys.bdb, { ...body, allocations: [] })).status).toBe(400);
    expect(
      (
        await call('POST', '/v1/allocation-plans', keys.bdb, {
          ...body,
          allocations: [body.allocations[0], body.allocations[0]],
        })
      ).status,
    ).toBe(400);
    expect((await call('POST', '/v1/allocation-plans', keys.bdb, { ...body, extra: 1 })).status).toBe(400);
  });

  it('Art. 11: a plan interrupted half-way is finished by a retry with the same Idempotency-Key; nothing is published twice', async () => {
    const a = await budgetedProject();
    const b = await budgetedProject(300_000_00);
    const key = `interrupted-${a}`;
    const planId = planIdFor(2026, `${keyIdOf(keys.bdb)}:${key}`);
    // As an earlier attempt left it: the plan stored, a's allocation sent to its project (the
    // answer lost before the row was updated), b's not sent at all.
    await system.database.db.insert(allocationPlans).values({
      id: planId,
      year: 2026,
      title: 'interrupted',
      createdByKeyId: keyIdOf(keys.bdb),
      createdByName: 'bdb',
    });
    await system.database.db.insert(allocationPlanItems).values([
      { planId, position: 0, projectId: a, allocationId: 'alloc-1' },
      { planId, position: 1, projectId: b, allocationId: 'alloc-1' },
    ]);
    await system.client.workflow.getHandle(projectWorkflowId(a)).executeUpdate(commandUpdate('allocationPublication'), {
      args: [
        {
          payload: { planId, allocationId: 'alloc-1' },
          actor: { keyId: keyIdOf(keys.bdb), role: 'bdb', name: 'bdb' },
        },
      ],
    });
    const unfinished = await ok('GET', `/v1/allocation-plans/${planId}`, keys.bdb);
    expect(unfinished.status).toBe('publishing');
    expect(unfinished.allocations.map((x: Json) => x.status)).toEqual(['pending', 'pending']);
    // Not public while nothing of it is marked published.
    expect((await call('GET', `/v1/public/allocation-plans/${planId}`, undefined)).status).toBe(404);

    const retry = await call(
      'POST',
      '/v1/allocation-plans',
      keys.bdb,
      {
        year: 2026,
        title: 'interrupted',
        allocations: [
          { projectId: a, allocationId: 'alloc-1' },
          { projectId: b, allocationId: 'alloc-1' },
        ],
      },
      { 'idempotency-key': key },
    );
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toMatchObject({ id: planId, status: 'published' });
    expect(retry.body.allocations.map((x: Json) => [x.status, x.allocationStatus])).toEqual([
      ['published', 'publicity'],
      ['published', 'publicity'],
    ]);
    // a was published once: one notice period, one decision.
    const view = await ok('GET', `/v1/projects/${a}`, keys.bdb);
    expect(view.deadlines.filter((d: Json) => d.kind === 'publicity')).toHaveLength(1);
    expect(view.decisions.filter((d: Json) => d.action === 'allocation-publication')).toHaveLength(1);
    // The same key with another list is a conflict.
    const other = await call(
      'POST',
      '/v1/allocation-plans',
      keys.bdb,
      { year: 2026, title: 'interrupted', allocations: [{ projectId: a, allocationId: 'alloc-1' }] },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('Art. 11: an allocation its project refuses in between is marked refused; the rest of the plan is published', async () => {
    const a = await budgetedProject();
    const b = await budgetedProject();
    // b is withdrawn after the check would have passed: simulate by a stored plan whose b row is pending.
    const key = `refused-${a}`;
    const planId = planIdFor(2026, `${keyIdOf(keys.bdb)}:${key}`);
    await system.database.db
      .insert(allocationPlans)
      .values({ id: planId, year: 2026, title: 'refused', createdByKeyId: keyIdOf(keys.bdb), createdByName: 'bdb' });
    await system.database.db.insert(allocationPlanItems).values([
      { planId, position: 0, projectId: a, allocationId: 'alloc-1' },
      { planId, position: 1, projectId: b, allocationId: 'alloc-1' },
    ]);
    await ok('POST', `/v1/projects/${b}/withdrawal`, keys.dept, { reason: 'no longer needed' });
    const res = await call(
      'POST',
      '/v1/allocation-plans',
      keys.bdb,
      {
        year: 2026,
        title: 'refused',
        allocations: [
          { projectId: a, allocationId: 'alloc-1' },
          { projectId: b, allocationId: 'alloc-1' },
        ],
      },
      { 'idempotency-key': key },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.allocations.map((x: Json) => [x.projectId, x.status, x.error?.code ?? null])).toEqual([
      [a, 'published', null],
      [b, 'refused', 'invalid_transition'],
    ]);
    const pub = await call('GET', `/v1/public/allocation-plans/${planId}`, undefined);
    expect(pub.body.allocations.map((x: Json) => x.projectId)).toEqual([a]);
  });
});

describe('existing systems (Art. 21)', () => {
  it('Art. 21: a department registers an existing system: operating at once; BDB O&M review → finance budget → allocation plan', async () => {
    const res = await call(
      'POST',
      '/v1/existing-systems',
      keys.dept,
      { name: '社保业务系统 Social security system', summary: 'Running since 2015', goLiveYear: 2015 },
      { 'idempotency-key': 'existing-1' },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const v = res.body;
    expect(v).toMatchObject({
      kind: 'existing',
      stage: 'operating',
      department: 'health',
      jurisdiction: 'city',
      title: '社保业务系统 Social security system',
      annualPlanItem: '',
    });
    expect(res.headers.get('location')).toBe(`/v1/projects/${v.id}`);
    expect(v.pendingActions).toContainEqual({ role: 'bdb', action: 'om-review', ref: String(year), overdue: false });
    expect(v.deadlines).toContainEqual(
      expect.objectContaining({ kind: 'annual-evaluation', ref: String(year), status: 'open' }),
    );
    expect(v.decisions[0]).toMatchObject({ action: 'existing-system', role: 'department' });
    const history = await ok('GET', `/v1/projects/${v.id}/history`, keys.dept);
    expect(history.items[0]).toMatchObject({ action: 'existing-system', detail: { goLiveYear: 2015 } });
    // The same key again is the same project.
    const again = await call(
      'POST',
      '/v1/existing-systems',
      keys.dept,
      { name: '社保业务系统 Social security system', summary: 'Running since 2015', goLiveYear: 2015 },
      { 'idempotency-key': 'existing-1' },
    );
    expect(again.body.id).toBe(v.id);
    // Listed with the operating projects, for the department that owns it only.
    await eventually(async () =>
      (await ok('GET', '/v1/projects?stage=operating', keys.dept)).items.some(
        (p: Json) => p.id === v.id && p.kind === 'existing',
      )
        ? true
        : undefined,
    );
    expect((await call('GET', `/v1/projects/${v.id}`, keys.other)).status).toBe(403);

    await ok('POST', `/v1/projects/${v.id}/om-review`, keys.bdb, { year, approvedFen: 3_000_000, opinion: 'reviewed' });
    const budgeted = await ok('POST', `/v1/projects/${v.id}/budget`, keys.finance, {
      fundType: 'om',
      year,
      amountFen: 3_000_000,
      cityShareFen: 3_000_000,
      countyShareFen: 0,
    });
    expect(budgeted.allocations[0]).toMatchObject({ fundType: 'om', status: 'held' });
    const plan = await ok(
      'POST',
      '/v1/allocation-plans',
      keys.bdb,
      { year, title: `${year}年运维经费拟分配计划`, allocations: [{ projectId: v.id, allocationId: 'alloc-1' }] },
      201,
    );
    expect(plan.allocations[0]).toMatchObject({
      status: 'published',
      fundType: 'om',
      amountFen: 3_000_000,
      allocationStatus: 'publicity',
    });
    // No construction path.
    expect(
      (
        await call('POST', `/v1/projects/${v.id}/technical-review`, keys.bdb, {
          decision: 'pass',
          opinion: '',
          checklist: {
            resourceCatalog: true,
            dataSharing: true,
            intensiveConstruction: true,
            cloudDeployment: true,
            securityControllable: true,
          },
        })
      ).status,
    ).toBe(409);
  });

  it("Art. 21: registration is for department keys; jurisdiction is the key's (Art. 5, 12, 30), another → 422; bad bodies → 400", async () => {
    const body = { name: 'Old registry', goLiveYear: 2012 };
    for (const key of [keys.bdb, keys.finance, keys.approval])
      expect((await call('POST', '/v1/existing-systems', key, body)).status).toBe(403);
    expect((await call('POST', '/v1/existing-systems', undefined, body)).status).toBe(401);
    expect(
      (await call('POST', '/v1/existing-systems', keys.other, { ...body, jurisdiction: 'zezhou' })).body.code,
    ).toBe('jurisdiction_mismatch');
    const zezhouTransport = await createKey(system, 'department', 'transport', 'zezhou');
    const county = await ok('POST', '/v1/existing-systems', zezhouTransport, { ...body, jurisdiction: 'zezhou' }, 201);
    expect(county).toMatchObject({ department: 'transport', jurisdiction: 'zezhou', stage: 'operating', summary: '' });
    for (const bad of [
      { ...body, goLiveYear: year + 1 },
      { ...body, goLiveYear: 1900 },
      { ...body, name: ' ' },
      { ...body, kind: 'existing' },
      { goLiveYear: 2012 },
    ]) {
      const res = await call('POST', '/v1/existing-systems', keys.dept, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    // POST /v1/projects does not take kind existing (Art. 6: applications are new construction).
    expect((await call('POST', '/v1/projects', keys.dept, sampleApplication({ kind: 'existing' }))).status).toBe(400);
  });
});
