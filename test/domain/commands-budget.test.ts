/**
 * Unit tests of the lifecycle core's commands: budget, publicity and disbursement (Art. 10-12, 22).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { actors, construction, expectFundIdentity, Harness, om } from './helpers.ts';

describe('budget (Art. 10-12, 17, 21)', () => {
  it('Art. 10-11 (legacy reading): the first construction allocation is held under publicity at once', () => {
    const h = new Harness({}, 'legacy').toBudgeting();
    const effects = h.run('budget', construction(80_000_000), actors.finance);
    expect(h.stage).toBe('publicity');
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      heldFen: 80_000_000,
      availableFen: 0,
    });
    const [move] = h.effectsOf(effects, 'fundMovement');
    expect(move!.movement).toMatchObject({
      key: 'JC2026-TEST0001:1:allocate:construction',
      kind: 'allocate',
      from: null,
      to: 'held',
      amountFen: 80_000_000,
      allocationId: 'alloc-1',
    });
    const [start] = h.effectsOf(effects, 'startDeadline');
    expect(start!.deadline).toEqual({
      id: 'dl-1',
      kind: 'publicity',
      ref: 'alloc-1',
      startsOn: '2026-03-02',
      rule: { unit: 'workingDays', amount: 5 },
      reminder: null,
    });
    expect(h.project.view().allocations[0]).toMatchObject({ id: 'alloc-1', status: 'publicity' });
  });

  it('Art. 12: city and county shares must add up to the amount (422 share_mismatch)', () => {
    const h = new Harness().toBudgeting();
    const r = h.refuse(
      'budget',
      { fundType: 'construction', year: 2026, amountFen: 100, cityShareFen: 60, countyShareFen: 30 },
      actors.finance,
    );
    expect([r.status, r.code]).toEqual([422, 'share_mismatch']);
  });

  it('Art. 10: money is integer fen (400 for fractions or zero)', () => {
    const h = new Harness().toBudgeting();
    expect(h.refuse('budget', { ...construction(100), amountFen: 10.5 }, actors.finance).code).toBe(
      'validation_failed',
    );
    expect(h.refuse('budget', construction(0), actors.finance).code).toBe('validation_failed');
  });

  it('Art. 10: no budget before establishment (409)', () => {
    const h = new Harness();
    expect(h.refuse('budget', construction(100), actors.finance).code).toBe('invalid_transition');
  });

  it('Art. 21: O&M money only in operation (409 before, 422 completion_report_missing while unfiled)', () => {
    const h = new Harness().toBudgeting();
    expect(h.refuse('budget', om(100, 2026), actors.finance).code).toBe('invalid_transition');
    const f = new Harness().toCompletionFiling();
    const r = f.refuse('budget', om(100, 2026), actors.finance);
    expect([r.status, r.code]).toEqual([422, 'completion_report_missing']);
  });

  it('Art. 17 (legacy reading): in construction a further allocation needs an approved budget increase, up to its amount', () => {
    const h = new Harness({}, 'legacy').toConstruction();
    expect(h.refuse('budget', construction(1_000), actors.finance).code).toBe('no_approved_budget_change');
    h.run('changeRequest', { kind: 'budget', description: 'more servers', budgetDeltaFen: 5_000 }, actors.department);
    expect(h.refuse('budget', construction(1_000), actors.finance).code).toBe('no_approved_budget_change');
    h.consult('cr-1');
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: 'justified' }, actors.bdb);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'finance',
      action: 'budget',
      ref: 'budget-increase',
      overdue: false,
    });
    const r = h.refuse('budget', construction(6_000), actors.finance);
    expect([r.code, r.details]).toEqual(['exceeds_approved_change', { availableFen: 5_000 }]);
    h.run('budget', construction(3_000), actors.finance);
    h.run('budget', construction(2_000), actors.finance);
    expect(h.state.changeRequests[0]!.fundedFen).toBe(5_000);
    expect(h.refuse('budget', construction(1), actors.finance).code).toBe('no_approved_budget_change');
    expect(h.stage).toBe('construction');
    expect(h.state.funds.construction.heldFen).toBe(5_000);
  });

  it('Art. 21: an O&M allocation needs the BDB review of that year and stays within it', () => {
    const h = new Harness().toOperating();
    expect(h.refuse('budget', om(1_000, 2026), actors.finance).code).toBe('om_review_missing');
    h.run('omReview', { year: 2026, approvedFen: 0, opinion: 'not needed' }, actors.bdb);
    expect(h.refuse('budget', om(1_000, 2026), actors.finance).code).toBe('om_review_missing');
    h.run('omReview', { year: 2027, approvedFen: 4_000, opinion: 'ok' }, actors.bdb);
    h.run('budget', om(3_000, 2027), actors.finance);
    const r = h.refuse('budget', om(2_000, 2027), actors.finance);
    expect([r.code, r.details]).toEqual(['exceeds_om_review', { availableFen: 1_000 }]);
    h.run('budget', om(1_000, 2027), actors.finance);
    expect(h.state.funds.om).toMatchObject({ allocatedFen: 4_000, heldFen: 4_000 });
  });

  it('Art. 9: no O&M allocation when the latest evaluation found no data sharing (422 sharing_noncompliant)', () => {
    const h = new Harness().toOperating();
    h.advanceTo('2027-01-15');
    h.run(
      'evaluation',
      {
        year: 2026,
        fundUseScore: 80,
        outputScore: 80,
        effectScore: 80,
        satisfactionScore: 80,
        sharingCompliant: false,
        dataStoredOnPlatform: true,
        summary: 'no sharing',
      },
      actors.bdb,
    );
    h.run('omReview', { year: 2027, approvedFen: 4_000, opinion: 'ok' }, actors.bdb);
    expect(h.refuse('budget', om(1_000, 2027), actors.finance).code).toBe('sharing_noncompliant');
  });
});

describe('publicity objections (Art. 11)', () => {
  it('Art. 11: an objection is recorded against the allocation under publicity', () => {
    const h = new Harness().toPublicity();
    h.run('publicityObjection', { summary: 'too expensive' }, actors.bdb);
    expect(h.project.view().publicityObjections[0]).toMatchObject({
      id: 'obj-1',
      allocationId: 'alloc-1',
      status: 'open',
    });
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'publicity-objection-resolution',
      ref: 'obj-1',
      overdue: false,
    });
  });

  it('Art. 11: no objection without an allocation under publicity (409), unknown allocation (404)', () => {
    const h = new Harness().toBudgeting();
    expect(h.refuse('publicityObjection', { summary: 'x' }, actors.bdb).code).toBe('invalid_transition');
    const p = new Harness().toPublicity();
    expect(p.refuse('publicityObjection', { summary: 'x', allocationId: 'alloc-9' }, actors.bdb).status).toBe(404);
  });

  it('Art. 11: a dismissed objection leaves the publicity running; an upheld one cancels the held money', () => {
    const h = new Harness().toPublicity();
    h.run('publicityObjection', { summary: 'a' }, actors.bdb);
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: false, note: 'unfounded' }, actors.bdb);
    expect(h.stage).toBe('publicity');
    h.run('publicityObjection', { summary: 'b' }, actors.bdb);
    const effects = h.run('publicityObjectionResolution', { oid: 'obj-2', upheld: true, note: 'founded' }, actors.bdb);
    expect(h.stage).toBe('budgeting');
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      heldFen: 0,
      cancelledFen: 80_000_000,
    });
    expect(h.effectsOf(effects, 'fundMovement').map((m) => m.movement.kind)).toEqual(['cancel']);
    expect(h.deadline('publicity').status).toBe('cancelled');
    expect(h.project.view().decisions.at(-1)).toMatchObject({
      action: 'publicity-objection-resolution',
      decision: 'upheld',
    });
  });

  it('Art. 11: unknown objection (404), already resolved (409)', () => {
    const h = new Harness().toPublicity();
    expect(h.refuse('publicityObjectionResolution', { oid: 'obj-7', upheld: true, note: '' }, actors.bdb).status).toBe(
      404,
    );
    h.run('publicityObjection', { summary: 'a' }, actors.bdb);
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: false, note: '' }, actors.bdb);
    expect(h.refuse('publicityObjectionResolution', { oid: 'obj-1', upheld: true, note: '' }, actors.bdb).code).toBe(
      'invalid_transition',
    );
  });
});

describe('disbursement (Art. 10, 22)', () => {
  it('Art. 10: finance disburses available money only', () => {
    const h = new Harness().toContracting();
    const effects = h.run(
      'disbursement',
      { fundType: 'construction', amountFen: 30_000_000, note: 'first payment' },
      actors.finance,
    );
    expect(h.state.funds.construction).toMatchObject({ availableFen: 50_000_000, disbursedFen: 30_000_000 });
    expect(h.effectsOf(effects, 'fundMovement')[0]!.movement).toMatchObject({
      kind: 'disburse',
      from: 'available',
      to: 'disbursed',
    });
    const r = h.refuse('disbursement', { fundType: 'construction', amountFen: 50_000_001, note: '' }, actors.finance);
    expect([r.status, r.code, r.details]).toEqual([422, 'insufficient_funds', { availableFen: 50_000_000 }]);
    expectFundIdentity(h.project);
  });

  it('Art. 11: held money under publicity cannot be disbursed (422)', () => {
    const h = new Harness().toPublicity();
    expect(h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance).code).toBe(
      'insufficient_funds',
    );
  });

  it('Art. 22: no disbursement while funds are suspended (409 funds_suspended)', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'fix it' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'done', evidenceRef: 'e' }, actors.department);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'not done' }, actors.bdb);
    const r = h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance);
    expect([r.status, r.code]).toEqual([409, 'funds_suspended']);
  });
});
