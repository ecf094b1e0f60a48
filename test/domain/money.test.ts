/**
 * Money under the measures as written (issue 13, part B): the construction limit of Art. 8, 10 and 17,
 * the BDB's allocation plan of Art. 11 (finance budgets → money held → the plan starts the notice),
 * and existing systems (Art. 21, third sentence) that enter at operation.
 */
import { describe, expect, it } from 'vitest';
import { Rejection } from '../../domain/errors.ts';
import { Project } from '../../domain/project.ts';
import { actors, construction, expectFundIdentity, Harness, makeInput, om, scheduleAll } from './helpers.ts';

const PLAN = 'AP2026-TESTPLAN01';

describe('the allocation plan (Art. 11)', () => {
  it("Art. 10-11: finance's allocation is held awaiting the BDB's allocation plan; no notice period starts yet", () => {
    const h = new Harness().toBudgeting();
    const effects = h.run('budget', construction(80_000_000), actors.finance);
    // Art. 11 (issue 27): 公示 begins when the BDB publishes; until then the project is in budgeting.
    expect(h.stage).toBe('budgeting');
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      heldFen: 80_000_000,
      availableFen: 0,
    });
    expect(h.effectsOf(effects, 'startDeadline')).toEqual([]);
    expect(h.project.view().allocations[0]).toMatchObject({
      id: 'alloc-1',
      status: 'held',
      publicityDeadlineId: null,
      planId: null,
    });
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'allocation-publication',
      ref: 'alloc-1',
      overdue: false,
    });
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['bdb', 'allocation-publication'],
      ['department', 'allocation'],
    ]);
    // Nothing to object to before the BDB published it.
    expect(h.refuse('publicityObjection', { summary: 'x' }, actors.bdb).code).toBe('invalid_transition');
    // Held money is not disbursed.
    expect(h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance).code).toBe(
      'insufficient_funds',
    );
    // Time alone publishes nothing.
    h.advanceTo('2026-06-01');
    expect(h.stage).toBe('budgeting');
    expect(h.state.funds.construction.heldFen).toBe(80_000_000);
  });

  it("Art. 11: the BDB's plan starts the notice period (policy: 5 working days); then the money is available", () => {
    const h = new Harness().toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    h.advanceTo('2026-03-04'); // a Wednesday
    const effects = h.publish('alloc-1', PLAN);
    const [start] = h.effectsOf(effects, 'startDeadline');
    expect(start!.deadline).toEqual({
      id: 'dl-1',
      kind: 'publicity',
      ref: 'alloc-1',
      startsOn: '2026-03-04',
      rule: { unit: 'workingDays', amount: 5 },
      reminder: null,
    });
    expect(h.project.view().allocations[0]).toMatchObject({
      status: 'publicity',
      publicityDeadlineId: 'dl-1',
      planId: PLAN,
    });
    expect(h.project.view().decisions.at(-1)).toMatchObject({
      action: 'allocation-publication',
      role: 'bdb',
      decision: PLAN,
      opinion: 'alloc-1',
    });
    expect(h.project.pendingActions().some((p) => p.action === 'allocation-publication')).toBe(false);
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['department', 'publicity'],
      ['finance', 'publicity'],
    ]);
    h.advanceTo('2026-03-11');
    expect(h.stage).toBe('publicity'); // the fifth working day is 2026-03-11, due at its end
    h.advanceTo('2026-03-12');
    expect(h.stage).toBe('contracting');
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, availableFen: 80_000_000 });
    expect(h.project.view().allocations[0]).toMatchObject({ status: 'published' });
    expectFundIdentity(h.project);
  });

  it('Art. 11: objections during the notice of a published plan are handled as before', () => {
    const h = new Harness().toPublicity();
    h.run('publicityObjection', { summary: 'too expensive' }, actors.bdb);
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: true, note: 'founded' }, actors.bdb);
    expect(h.stage).toBe('budgeting');
    expect(h.project.view().allocations[0]).toMatchObject({ status: 'cancelled', planId: PLAN });
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, cancelledFen: 80_000_000 });
  });

  it('Art. 11: only the BDB publishes an allocation plan (403 for finance, approval, department, admin)', () => {
    const h = new Harness().toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    for (const actor of [actors.finance, actors.approval, actors.department, actors.admin]) {
      const r = h.refuse('allocationPublication', { planId: PLAN, allocationId: 'alloc-1' }, actor);
      expect([actor.role, r.status, r.code]).toEqual([actor.role, 403, 'forbidden']);
    }
    h.publish('alloc-1');
  });

  it('Art. 11: an allocation that is not held cannot be published (422 allocation_not_held naming it; 404 unknown)', () => {
    const h = new Harness().toPublicity();
    const again = h.refuse(
      'allocationPublication',
      { planId: 'AP2026-OTHERPLAN1', allocationId: 'alloc-1' },
      actors.bdb,
    );
    expect([again.status, again.code, again.details]).toEqual([
      422,
      'allocation_not_held',
      { allocationId: 'alloc-1', status: 'publicity', planId: PLAN },
    ]);
    expect(h.refuse('allocationPublication', { planId: PLAN, allocationId: 'alloc-9' }, actors.bdb).status).toBe(404);
    expect(
      h.refuse('allocationPublication', { planId: 'not a plan id', allocationId: 'alloc-1' }, actors.bdb).code,
    ).toBe('validation_failed');
  });

  it('Art. 11 (legacy reading): an allocation is publicised at once, and no plan can publish it', () => {
    const h = new Harness({}, 'legacy').toBudgeting();
    const effects = h.run('budget', construction(80_000_000), actors.finance);
    expect(h.effectsOf(effects, 'startDeadline')).toHaveLength(1);
    expect(h.project.view().allocations[0]).toMatchObject({ status: 'publicity' });
    expect('planId' in h.project.view().allocations[0]!).toBe(false);
    expect(h.refuse('allocationPublication', { planId: PLAN, allocationId: 'alloc-1' }, actors.bdb).code).toBe(
      'allocation_not_held',
    );
  });

  it('Art. 11: a withdrawal cancels held money that no plan published yet', () => {
    const h = new Harness().toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    h.run('withdrawal', { reason: 'no longer needed' }, actors.department);
    // As written a department's withdrawal ends in its own stage (Art. 22 termination is the BDB's, from suspension only).
    expect(h.stage).toBe('withdrawn');
    expect(h.project.view().allocations[0]).toMatchObject({ status: 'cancelled' });
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, cancelledFen: 80_000_000 });
    expectFundIdentity(h.project);
  });
});

describe('the construction limit (Art. 8, 10, 17)', () => {
  // The application's estimate (helpers.ts makeInput) is 100_000_000 fen.

  it('Art. 10: construction allocations in total stay within the approved estimate (422 exceeds_approved_estimate naming both)', () => {
    const h = new Harness().toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    const r = h.refuse('budget', construction(30_000_000, 2027), actors.finance);
    expect([r.status, r.code]).toEqual([422, 'exceeds_approved_estimate']);
    expect(r.details).toEqual({
      estimateFen: 100_000_000,
      approvedChangesFen: 0,
      limitFen: 100_000_000,
      allocatedFen: 80_000_000,
      amountFen: 30_000_000,
      availableFen: 20_000_000,
    });
    expect(r.message).toContain('100000000');
    expect(r.message).toContain('80000000');
    // The rest of the estimate, for the next year, while the first slice waits for the plan.
    h.run('budget', construction(20_000_000, 2027), actors.finance);
    expect(h.refuse('budget', construction(1, 2027), actors.finance).code).toBe('exceeds_approved_estimate');
    expect(h.state.funds.construction).toMatchObject({ allocatedFen: 100_000_000, heldFen: 100_000_000 });
  });

  it('Art. 10: the first allocation may not exceed the estimate either', () => {
    const h = new Harness().toBudgeting();
    expect(h.refuse('budget', construction(100_000_001), actors.finance).code).toBe('exceeds_approved_estimate');
    h.run('budget', construction(100_000_000), actors.finance);
  });

  it('Art. 10: year-by-year funding of a multi-year project needs no change request, in contracting and construction', () => {
    const h = new Harness().toConstruction(); // 80_000_000 of 2026 published
    h.run('budget', construction(15_000_000, 2027), actors.finance);
    expect(h.stage).toBe('construction');
    h.publish();
    h.advanceTo('2026-04-30');
    h.run('budget', construction(5_000_000, 2028), actors.finance);
    expect(h.refuse('budget', construction(1, 2028), actors.finance).code).toBe('exceeds_approved_estimate');
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 100_000_000,
      availableFen: 95_000_000,
      heldFen: 5_000_000,
    });
    expect(h.state.changeRequests).toEqual([]);
    expectFundIdentity(h.project);
  });

  it('Art. 10: a cancelled allocation no longer counts against the estimate', () => {
    const h = new Harness().toPublicity(100_000_000);
    h.run('publicityObjection', { summary: 'x' }, actors.bdb);
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: true, note: 'founded' }, actors.bdb);
    h.run('budget', construction(100_000_000), actors.finance);
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 200_000_000,
      cancelledFen: 100_000_000,
      heldFen: 100_000_000,
    });
  });

  it('Art. 17, 10: an approved budget change raises or lowers the limit; budgetDeltaFen may be negative', () => {
    const h = new Harness().toConstruction(); // 80_000_000 allocated of 100_000_000
    expect(
      h.refuse('changeRequest', { kind: 'budget', description: 'zero', budgetDeltaFen: 0 }, actors.department).code,
    ).toBe('budget_delta_required');
    h.run(
      'changeRequest',
      { kind: 'budget', description: 'more servers', budgetDeltaFen: 30_000_000 },
      actors.department,
    );
    // Pending or rejected changes do not count.
    expect(h.refuse('budget', construction(25_000_000), actors.finance).code).toBe('exceeds_approved_estimate');
    h.consult('cr-1');
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: 'justified' }, actors.bdb);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'finance',
      action: 'budget',
      ref: 'budget-increase',
      overdue: false,
    });
    h.run('budget', construction(45_000_000), actors.finance);
    const over = h.refuse('budget', construction(10_000_000), actors.finance);
    expect(over.details).toMatchObject({
      estimateFen: 100_000_000,
      approvedChangesFen: 30_000_000,
      limitFen: 130_000_000,
      allocatedFen: 125_000_000,
      availableFen: 5_000_000,
    });
    h.run('budget', construction(5_000_000), actors.finance);
    expect(h.project.pendingActions().some((p) => p.ref === 'budget-increase')).toBe(false);
    // A decrease: the budget goes down by 20_000_000.
    h.run(
      'changeRequest',
      { kind: 'budget', description: 'cheaper licences', budgetDeltaFen: -20_000_000 },
      actors.department,
    );
    h.consult('cr-2');
    h.run('changeRequestDecision', { cid: 'cr-2', decision: 'approve', opinion: 'fine' }, actors.bdb);
    expect(h.project.view().changeRequests[1]).toMatchObject({ budgetDeltaFen: -20_000_000, status: 'approved' });
    const lowered = h.refuse('budget', construction(1), actors.finance);
    expect(lowered.details).toMatchObject({
      approvedChangesFen: 10_000_000,
      limitFen: 110_000_000,
      allocatedFen: 130_000_000,
      availableFen: 0,
    });
    // Allocations already made stay; nothing is cancelled automatically.
    expect(h.state.funds.construction.allocatedFen).toBe(130_000_000);
  });

  it('Art. 10: the construction budget belongs to budgeting through construction (409 in joint acceptance and operation)', () => {
    const h = new Harness().toJointAcceptance();
    expect(h.refuse('budget', construction(1), actors.finance).code).toBe('invalid_transition');
    const o = new Harness().toOperating();
    expect(o.refuse('budget', construction(1), actors.finance).code).toBe('invalid_transition');
  });

  it('Art. 10: only finance budgets (403 for bdb, approval, department, admin)', () => {
    const h = new Harness().toBudgeting();
    for (const actor of [actors.bdb, actors.approval, actors.department, actors.admin]) {
      expect(h.refuse('budget', construction(1), actor).status).toBe(403);
    }
  });

  it('Art. 10 (legacy reading): the first allocation is not checked against the estimate', () => {
    const h = new Harness({}, 'legacy').toBudgeting();
    h.run('budget', construction(150_000_000), actors.finance);
    expect(h.state.funds.construction.allocatedFen).toBe(150_000_000);
  });
});

describe('existing systems (Art. 21)', () => {
  const existing = () =>
    makeInput({
      id: 'JC2026-EXIST001',
      kind: 'existing',
      title: 'Legacy registry',
      annualPlanItem: '',
      estimate: { totalFen: 0, cityShareFen: 0, countyShareFen: 0 },
      plannedCompletionDate: '2026-03-02',
      documents: { proposal: '', feasibilityStudy: '', preliminaryDesign: '', investmentEstimate: '' },
      goLiveYear: 2015,
    });

  class ExistingHarness extends Harness {
    constructor() {
      super();
      this.project = Project.create(existing());
      scheduleAll(this.project, this.project.start(this.now));
    }
  }

  it('Art. 21: an existing system enters operation directly: no construction history, yearly evaluation, the BDB reviews its O&M cost', () => {
    const p = Project.create(existing());
    expect(p.state.stage).toBe('operating');
    expect(p.state.operatingSince).toBe('2026-03-02');
    const effects = p.start('2026-03-02T02:00:00.000Z');
    expect(effects.find((e) => e.type === 'audit')).toMatchObject({
      action: 'existing-system',
      detail: { name: 'Legacy registry', goLiveYear: 2015 },
    });
    expect(
      effects.filter((e) => e.type === 'startDeadline').map((e) => e.type === 'startDeadline' && e.deadline),
    ).toEqual([
      {
        id: 'dl-1',
        kind: 'annual-evaluation',
        ref: '2026',
        startsOn: '2026-03-02',
        rule: { until: '2027-03-31' },
        reminder: { unit: 'calendarDays', amount: 10 },
      },
    ]);
    expect(
      effects.filter((e) => e.type === 'notify').map((e) => e.type === 'notify' && [e.recipient.role, e.kind]),
    ).toEqual([['bdb', 'om-review']]);
    expect(p.view().pendingActions).toContainEqual({ role: 'bdb', action: 'om-review', ref: '2026', overdue: false });
    expect(p.view()).toMatchObject({
      kind: 'existing',
      technicalReviews: [],
      contracts: [],
      acceptance: { preliminary: null },
    });
    expect(p.view().decisions[0]).toMatchObject({ action: 'existing-system', role: 'department' });
  });

  it('Art. 21, 10, 11: review → O&M budget (held) → allocation plan → notice → disbursement', () => {
    const h = new ExistingHarness();
    expect(h.refuse('budget', om(1_000_000, 2026), actors.finance).code).toBe('om_review_missing');
    h.run('omReview', { year: 2026, approvedFen: 2_000_000, opinion: 'reviewed' }, actors.bdb);
    expect(h.project.pendingActions().some((p) => p.action === 'om-review')).toBe(false);
    expect(h.refuse('budget', om(2_000_001, 2026), actors.finance).code).toBe('exceeds_om_review');
    h.run('budget', om(2_000_000, 2026), actors.finance);
    expect(h.project.view().allocations[0]).toMatchObject({ fundType: 'om', status: 'held' });
    h.publish();
    h.advanceTo('2026-03-20');
    expect(h.state.funds.om).toMatchObject({ availableFen: 2_000_000 });
    h.run('disbursement', { fundType: 'om', amountFen: 1_500_000, note: 'Q1-Q2' }, actors.finance);
    expect(h.state.funds.om).toMatchObject({ allocatedFen: 2_000_000, availableFen: 500_000, disbursedFen: 1_500_000 });
    expectFundIdentity(h.project);
  });

  it('Art. 9, 21, 23: an existing system found not sharing data gets no O&M budget; decommissioning ends it', () => {
    const h = new ExistingHarness();
    h.advanceTo('2027-01-10');
    h.run(
      'evaluation',
      {
        year: 2026,
        fundUseScore: 70,
        outputScore: 70,
        effectScore: 70,
        satisfactionScore: 70,
        sharingCompliant: false,
        dataStoredOnPlatform: true,
        summary: 'silo',
      },
      actors.bdb,
    );
    h.run('omReview', { year: 2027, approvedFen: 1_000_000, opinion: 'reviewed' }, actors.bdb);
    expect(h.refuse('budget', om(1_000_000, 2027), actors.finance).code).toBe('sharing_noncompliant');
    expect(
      h.refuse(
        'evaluation',
        {
          year: 2025,
          fundUseScore: 1,
          outputScore: 1,
          effectScore: 1,
          satisfactionScore: 1,
          sharingCompliant: true,
          dataStoredOnPlatform: true,
          summary: '',
        },
        actors.bdb,
      ).code,
    ).toBe('year_not_operating');
    h.run('decommission', { reason: 'replaced' }, actors.bdb);
    expect(h.stage).toBe('decommissioned');
  });

  it('Art. 21: an existing system has no construction path (409) and belongs to its department (403)', () => {
    const h = new ExistingHarness();
    expect(
      h.refuse(
        'technicalReview',
        {
          decision: 'pass',
          opinion: '',
          checklist: {
            resourceCatalog: true,
            dataSharing: true,
            intensiveConstruction: true,
            cloudDeployment: true,
            securityControllable: true,
          },
        },
        actors.bdb,
      ).code,
    ).toBe('invalid_transition');
    expect(h.refuse('budget', construction(1), actors.finance).code).toBe('invalid_transition');
    expect(h.refuse('withdrawal', { reason: 'x' }, actors.department).code).toBe('invalid_transition');
    expect(
      h.refuse('securityDrill', { heldOn: '2026-03-02', scenario: 'outage', summary: '' }, actors.otherDepartment)
        .status,
    ).toBe(403);
    expect(h.refuse('omReview', { year: 2026, approvedFen: 1, opinion: '' }, actors.finance).status).toBe(403);
    h.run('securityDrill', { heldOn: '2026-03-02', scenario: 'outage', summary: '' }, actors.department);
  });
});

it('Art. 10: refusals change nothing (check and apply agree)', () => {
  const h = new Harness().toBudgeting();
  h.run('budget', construction(100_000_000), actors.finance);
  let caught: unknown;
  try {
    h.project.apply({ name: 'budget', payload: construction(1) }, actors.finance, h.now);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(Rejection);
});
