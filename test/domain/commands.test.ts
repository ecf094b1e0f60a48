/**
 * Unit tests of every command of the lifecycle core: the happy path and each refusal (role,
 * department, stage, unknown id, business rule). Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { isAdministrator } from '../../domain/admin-roles.ts';
import { COMMAND_NAMES, COMMAND_ROLES, INTERNAL_COMMANDS, type Command } from '../../domain/commands.ts';

/** The commands of docs/API.md "Commands": every command but the internal ones the system sends itself. */
const API_COMMANDS = COMMAND_NAMES.filter((n) => !(INTERNAL_COMMANDS as readonly string[]).includes(n));
import { Rejection } from '../../domain/errors.ts';
import { Project } from '../../domain/project.ts';
import { deadlineBasis } from '../../domain/policy-defaults.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import {
  actors,
  at,
  construction,
  expectFundIdentity,
  fullChecklist,
  Harness,
  makeInput,
  om,
  passTechnical,
  openTender,
} from './helpers.ts';

const actorOf = (role: (typeof ROLES)[number]) =>
  role === 'department' ? actors.department : actors[role as Exclude<typeof role, 'department'>];

function expectRejected(fn: () => unknown, status: number, code: string): Rejection {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(Rejection);
    const r = err as Rejection;
    expect({ status: r.status, code: r.code, message: r.message }).toMatchObject({ status, code });
    return r;
  }
  throw new Error(`expected a ${status} ${code} rejection`);
}

describe('access (docs/MEASURES.md "Actors")', () => {
  const wrongRoles = COMMAND_NAMES.flatMap((name) =>
    ROLES.filter((role) => !(COMMAND_ROLES[name] as readonly string[]).includes(role)).map(
      (role) => [name, role] as const,
    ),
  );

  it.each(wrongRoles)('Art. 4: %s is refused to role %s (403 forbidden)', (name, role) => {
    const h = new Harness();
    const r = h.refuse(name, {} as never, actorOf(role));
    expect([r.status, r.code]).toEqual([403, 'forbidden']);
  });

  it.each(COMMAND_NAMES.filter((n) => (COMMAND_ROLES[n] as readonly string[]).includes('department')))(
    "Art. 4: a department may not %s on another department's project (403)",
    (name) => {
      const h = new Harness();
      const r = h.refuse(name, {} as never, actors.otherDepartment);
      expect([r.status, r.code]).toEqual([403, 'forbidden']);
    },
  );

  it('Art. 4: a department key without a department is refused (403)', () => {
    const h = new Harness().toBudgeting();
    const r = h.refuse('withdrawal', { reason: 'x' }, { keyId: 'k', role: 'department', name: 'nobody' });
    expect(r.code).toBe('forbidden');
  });

  it('Art. 24-25: admin makes no business decisions: every command is refused', () => {
    const h = new Harness();
    for (const name of API_COMMANDS) expect(h.refuse(name, {} as never, actors.admin).status).toBe(403);
  });

  it.each(COMMAND_NAMES)('Art. 22: %s is refused once the project is terminated (409 invalid_transition)', (name) => {
    const h = new Harness();
    h.suspend();
    h.run('termination', { reason: 'duplicate of another project' }, actors.bdb);
    const role = COMMAND_ROLES[name][0];
    const r = h.refuse(name, {} as never, actorOf(role));
    expect([r.status, r.code]).toEqual([409, 'invalid_transition']);
    expect(r.details).toMatchObject({ stage: 'terminated', pendingActions: [] });
  });

  it('an unknown command name is a 400 validation_failed', () => {
    const h = new Harness();
    expectRejected(
      () => h.project.apply({ name: 'launchRocket', payload: {} } as unknown as Command, actors.bdb, h.now),
      400,
      'validation_failed',
    );
  });

  it('Art. 7: a payload that is not an object is a 400 validation_failed', () => {
    const h = new Harness();
    const r = h.refuse('technicalReview', null as never, actors.bdb);
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
  });

  it('COMMAND_ROLES gives every command of docs/API.md "Commands" at least one role and never an administrator', () => {
    expect(API_COMMANDS).toHaveLength(36); // 31 + leaderChange (Art. 14), changeRequestOpinion (Art. 17), riskAssessment (Art. 28), emergencyPlan (Art. 29), countyShareConfirmation (Art. 12)
    // docs/MEASURES.md "Working days": the one internal command, sent by the API for an admin's calendar change.
    // Art. 11: allocationPublication is sent by POST /v1/allocation-plans only.
    expect(INTERNAL_COMMANDS).toEqual(['deadlineRescheduling', 'allocationPublication']);
    // 三员分立 (policy): the calendar is the system administrator's (and the start-up key's).
    expect(COMMAND_ROLES.deadlineRescheduling).toEqual(['sysadmin', 'admin']);
    expect(COMMAND_ROLES.allocationPublication).toEqual(['bdb']);
    for (const name of API_COMMANDS) {
      expect(COMMAND_ROLES[name].length).toBeGreaterThan(0);
      expect(COMMAND_ROLES[name].filter(isAdministrator)).toEqual([]);
    }
  });
});

describe('creation', () => {
  it('Art. 7: a new project waits for the BDB technical review', () => {
    const p = Project.create(makeInput());
    expect(p.state.stage).toBe('technical_review');
    expect(p.view().pendingActions).toEqual([{ role: 'bdb', action: 'technical-review', overdue: false }]);
    expect(p.view().decisions[0]).toMatchObject({ action: 'application', role: 'department', by: 'Health department' });
    expect(p.view().policy).toEqual({ jurisdiction: 'city', version: 1, switches: DEFAULT_POLICY_SWITCHES });
    expect(p.readModel()).toMatchObject({ version: 1, awaitingRoles: ['bdb'], nextDeadline: null, overdue: false });
  });

  it('Art. 30: the policy is pinned; the city defaults match the deadline table', () => {
    expect(DEFAULT_CITY_POLICY.deadlines).toMatchObject({
      publicity: { duration: { unit: 'workingDays', amount: 5 }, reminder: null },
      contractFiling: { duration: { unit: 'workingDays', amount: 5 }, reminder: { unit: 'workingDays', amount: 2 } },
      progressReport: {
        period: 'quarterly',
        duration: { unit: 'workingDays', amount: 10 },
        reminder: { unit: 'workingDays', amount: 2 },
      },
      acceptanceDelay: {
        duration: { unit: 'calendarDays', amount: 90 },
        reminder: { unit: 'calendarDays', amount: 10 },
      },
      completionReport: { duration: { unit: 'workingDays', amount: 7 }, reminder: { unit: 'workingDays', amount: 2 } },
      rectification: { duration: { unit: 'workingDays', amount: 20 }, reminder: { unit: 'workingDays', amount: 3 } },
      annualEvaluation: { dueMonthDay: '03-31', reminder: { unit: 'calendarDays', amount: 10 } },
    });
    const county = {
      ...DEFAULT_CITY_POLICY,
      jurisdiction: 'zezhou',
      version: 3,
      deadlines: {
        ...DEFAULT_CITY_POLICY.deadlines,
        publicity: { duration: { unit: 'workingDays' as const, amount: 7 }, reminder: null },
      },
    };
    const h = new Harness({ policy: county, jurisdiction: 'zezhou' }).toPublicity();
    expect(h.deadline('publicity').rule).toEqual({ unit: 'workingDays', amount: 7 });
    expect(h.project.view().policy).toMatchObject({ jurisdiction: 'zezhou', version: 3 });
  });

  it('Art. 24-25: start() returns the application audit and notifies the BDB once', () => {
    const p = Project.create(makeInput());
    const effects = p.start(at('2026-03-02'));
    expect(effects.map((e) => e.type)).toEqual(['audit', 'notify']);
    expect(effects[0]).toMatchObject({ action: 'application', actor: actors.department });
    expect(p.start(at('2026-03-02'))).toEqual([]);
  });
});

describe('technicalReview (Art. 7)', () => {
  it('Art. 7: pass with every checklist item → establishment_review, decision recorded', () => {
    const h = new Harness();
    const effects = h.run(
      'technicalReview',
      { decision: 'pass', opinion: 'sound design', checklist: fullChecklist() },
      actors.bdb,
    );
    expect(h.stage).toBe('establishment_review');
    expect(effects[0]).toMatchObject({ type: 'audit', action: 'technical-review', actor: actors.bdb });
    expect(h.project.view().decisions.at(-1)).toMatchObject({
      action: 'technical-review',
      role: 'bdb',
      by: 'BDB reviewer',
      decision: 'pass',
      opinion: 'sound design',
    });
    expect(h.effectsOf(effects, 'notify')).toContainEqual(expect.objectContaining({ recipient: { role: 'approval' } }));
    expect(h.project.pendingActions()).toEqual([{ role: 'approval', action: 'establishment', overdue: false }]);
  });

  it('Art. 7: pass needs every checklist item (422 checklist_incomplete)', () => {
    const h = new Harness();
    const r = h.refuse(
      'technicalReview',
      {
        decision: 'pass',
        opinion: '',
        checklist: { ...fullChecklist(), cloudDeployment: false, securityControllable: false },
      },
      actors.bdb,
    );
    expect([r.status, r.code]).toEqual([422, 'checklist_incomplete']);
    expect(r.details).toEqual({ missing: ['cloudDeployment', 'securityControllable'] });
  });

  it('Art. 7: revise sends the application back to the department, resubmission returns it', () => {
    const h = new Harness();
    h.run(
      'technicalReview',
      { decision: 'revise', opinion: 'add cloud plan', checklist: { ...fullChecklist(), cloudDeployment: false } },
      actors.bdb,
    );
    expect(h.stage).toBe('submitted');
    expect(h.project.pendingActions()).toEqual([{ role: 'department', action: 'resubmission', overdue: false }]);
    const docs = { proposal: 'p2', feasibilityStudy: 'f2', preliminaryDesign: 'd2', investmentEstimate: 'e2' };
    h.run('resubmission', { documents: docs, note: 'cloud plan added' }, actors.department);
    expect(h.stage).toBe('technical_review');
    expect(h.project.view().documents).toEqual(docs);
  });

  it('Art. 9: reject ends the project as rejected', () => {
    const h = new Harness();
    h.run(
      'technicalReview',
      { decision: 'reject', opinion: 'duplicates the city platform', checklist: fullChecklist() },
      actors.bdb,
    );
    expect(h.stage).toBe('rejected');
    expect(h.project.isTerminal()).toBe(true);
    expect(h.project.pendingActions()).toEqual([]);
  });

  it('Art. 7: a second review after pass is a 409 invalid_transition with stage and pendingActions', () => {
    const h = new Harness().toEstablishment();
    const r = h.refuse('technicalReview', { decision: 'pass', opinion: '', checklist: fullChecklist() }, actors.bdb);
    expect([r.status, r.code]).toEqual([409, 'invalid_transition']);
    expect(r.details).toEqual({
      stage: 'establishment_review',
      pendingActions: [{ role: 'approval', action: 'establishment', overdue: false }],
    });
  });

  it('Art. 7: a malformed checklist is a 400 validation_failed', () => {
    const h = new Harness();
    const r = h.refuse(
      'technicalReview',
      { decision: 'pass', opinion: '', checklist: { resourceCatalog: true } } as never,
      actors.bdb,
    );
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    const r2 = h.refuse(
      'technicalReview',
      { decision: 'maybe', opinion: '', checklist: fullChecklist() } as never,
      actors.bdb,
    );
    expect(r2.code).toBe('validation_failed');
  });
});

describe('resubmission (Art. 7)', () => {
  it('Art. 7: resubmission is possible only after revise (409)', () => {
    const h = new Harness();
    const docs = { proposal: 'p2', feasibilityStudy: 'f2', preliminaryDesign: 'd2', investmentEstimate: 'e2' };
    expect(h.refuse('resubmission', { documents: docs, note: '' }, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 8: resubmitted documents must all be referenced (400)', () => {
    const h = new Harness();
    h.run('technicalReview', { decision: 'revise', opinion: '', checklist: fullChecklist() }, actors.bdb);
    const r = h.refuse('resubmission', { documents: { proposal: 'p2' }, note: '' } as never, actors.department);
    expect(r.code).toBe('validation_failed');
  });
});

describe('establishment (Art. 8-9)', () => {
  it('Art. 8: approve → budgeting with the approval number; finance notified', () => {
    const h = new Harness().toEstablishment();
    const effects = h.run(
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-1', opinion: 'ok', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    expect(h.stage).toBe('budgeting');
    expect(h.state.approvalNo).toBe('JSP-1');
    expect(h.effectsOf(effects, 'notify')).toContainEqual(expect.objectContaining({ recipient: { role: 'finance' } }));
  });

  it('Art. 9: reject → rejected', () => {
    const h = new Harness().toEstablishment();
    h.run('establishment', { decision: 'reject', approvalNo: '', opinion: 'cannot interconnect' }, actors.approval);
    expect(h.stage).toBe('rejected');
  });

  it('Art. 8: approval needs a passed technical review first (409)', () => {
    const h = new Harness();
    expect(
      h.refuse('establishment', { decision: 'approve', approvalNo: 'JSP-1', opinion: '' }, actors.approval).code,
    ).toBe('invalid_transition');
  });

  it('Art. 8: an approval without approvalNo is a 400', () => {
    const h = new Harness().toEstablishment();
    expect(h.refuse('establishment', { decision: 'approve', approvalNo: ' ', opinion: '' }, actors.approval).code).toBe(
      'validation_failed',
    );
  });
});

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

describe('contracts (Art. 13-15)', () => {
  it('Art. 13-15: the first contract starts construction and a 5-working-day filing deadline from signedOn', () => {
    const h = new Harness().toContracting();
    h.advanceTo('2026-03-20');
    const effects = h.run(
      'contract',
      { contractNo: 'HT-1', contractor: 'Acme', amountFen: 1_000, signedOn: '2026-03-18', procurement: openTender() },
      actors.department,
    );
    expect(h.stage).toBe('construction');
    const starts = h.effectsOf(effects, 'startDeadline').map((e) => e.deadline);
    expect(starts[0]).toEqual({
      id: expect.any(String),
      kind: 'contract-filing',
      ref: 'HT-1',
      startsOn: '2026-03-18',
      rule: { unit: 'workingDays', amount: 5 },
      reminder: { unit: 'workingDays', amount: 2 },
    });
    // Art. 22: the acceptance-delay deadline runs from the planned completion date.
    expect(starts).toContainEqual(
      expect.objectContaining({
        kind: 'acceptance-delay',
        startsOn: '2027-06-30',
        rule: { unit: 'calendarDays', amount: 90 },
        reminder: { unit: 'calendarDays', amount: 10 },
      }),
    );
    // Art. 16: the first progress report period is the current quarter, starting at its end.
    expect(starts).toContainEqual(
      expect.objectContaining({ kind: 'progress-report', ref: '2026Q1', startsOn: '2026-03-31' }),
    );
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'department', action: 'contract-filing', ref: 'HT-1' }),
    );
  });

  it('Art. 15: a contract recorded with its document is filed at once (deadline met)', () => {
    const h = new Harness().toConstruction();
    expect(h.deadline('contract-filing', 'HT-001').status).toBe('met');
    expect(h.project.view().contracts[0]).toMatchObject({
      contractNo: 'HT-001',
      documentRef: 'sha256:ht1',
      filedLate: false,
    });
  });

  it('Art. 13: a second contract in construction keeps the stage; duplicate numbers are refused (409)', () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-002',
        contractor: 'Supervisor Ltd',
        amountFen: 300,
        signedOn: '2026-03-20',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.stage).toBe('construction');
    const r = h.refuse(
      'contract',
      { contractNo: 'HT-002', contractor: 'x', amountFen: 1, signedOn: '2026-03-20', procurement: openTender() },
      actors.department,
    );
    expect([r.status, r.code]).toEqual([409, 'already_exists']);
  });

  it('Art. 13, 15: no contract before the establishment approval (409), none signed in the future (422); from the approval on it is recorded (issue 27), before the second reading only once the budget was published', () => {
    const h = new Harness().toEstablishment();
    expect(
      h.refuse(
        'contract',
        { contractNo: 'HT-1', contractor: 'x', amountFen: 1, signedOn: '2026-03-02', procurement: openTender() },
        actors.department,
      ).code,
    ).toBe('invalid_transition');
    const old = new Harness({}, 'as-written', true, false).toPublicity();
    expect(
      old.refuse(
        'contract',
        { contractNo: 'HT-1', contractor: 'x', amountFen: 1, signedOn: '2026-03-02', procurement: openTender() },
        actors.department,
      ).code,
    ).toBe('invalid_transition');
    const c = new Harness().toContracting();
    expect(
      c.refuse(
        'contract',
        { contractNo: 'HT-1', contractor: 'x', amountFen: 1, signedOn: '2027-01-01', procurement: openTender() },
        actors.department,
      ).code,
    ).toBe('signed_in_future');
    expect(
      c.refuse(
        'contract',
        { contractNo: 'HT-1', contractor: 'x', amountFen: 1, signedOn: '2026-02-30', procurement: openTender() },
        actors.department,
      ).code,
    ).toBe('validation_failed');
  });

  it('Art. 15: contractFiling meets the deadline; unknown contract 404; filed twice 409', () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      { contractNo: 'HT-002', contractor: 'x', amountFen: 1, signedOn: '2026-03-20', procurement: openTender() },
      actors.department,
    );
    expect(h.refuse('contractFiling', { contractNo: 'HT-404', documentRef: 'd' }, actors.department).status).toBe(404);
    h.run('contractFiling', { contractNo: 'HT-002', documentRef: 'sha256:ht2' }, actors.department);
    expect(h.deadline('contract-filing', 'HT-002').status).toBe('met');
    expect(h.refuse('contractFiling', { contractNo: 'HT-002', documentRef: 'd' }, actors.department).code).toBe(
      'invalid_transition',
    );
  });
});

describe('progress reports (Art. 16)', () => {
  it('Art. 16: the report of a period meets its deadline and the next period starts', () => {
    const h = new Harness().toConstruction();
    h.advanceTo('2026-04-03');
    h.run(
      'progressReport',
      { period: '2026Q1', spentFen: 1_000, progressPercent: 12.5, summary: 'design done' },
      actors.department,
    );
    expect(h.deadline('progress-report', '2026Q1').status).toBe('met');
    expect(h.deadline('progress-report', '2026Q2')).toMatchObject({ status: 'open', startsOn: '2026-06-30' });
    expect(h.project.view().progressReports[0]).toMatchObject({ period: '2026Q1', late: false });
  });

  it('Art. 16: duplicate (409), future period (422), malformed period (400), outside construction (409)', () => {
    const h = new Harness().toConstruction();
    h.run('progressReport', { period: '2026Q1', spentFen: 0, progressPercent: 0, summary: '' }, actors.department);
    expect(
      h.refuse('progressReport', { period: '2026Q1', spentFen: 0, progressPercent: 0, summary: '' }, actors.department)
        .code,
    ).toBe('already_exists');
    expect(
      h.refuse('progressReport', { period: '2026Q3', spentFen: 0, progressPercent: 0, summary: '' }, actors.department)
        .code,
    ).toBe('period_not_started');
    expect(
      h.refuse('progressReport', { period: '2026-Q1', spentFen: 0, progressPercent: 0, summary: '' }, actors.department)
        .code,
    ).toBe('validation_failed');
    expect(
      h.refuse(
        'progressReport',
        { period: '2026Q2', spentFen: 0, progressPercent: 101, summary: '' },
        actors.department,
      ).code,
    ).toBe('validation_failed');
    const c = new Harness().toContracting();
    expect(
      c.refuse('progressReport', { period: '2026Q1', spentFen: 0, progressPercent: 0, summary: '' }, actors.department)
        .code,
    ).toBe('invalid_transition');
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

describe('change requests (Art. 17)', () => {
  it('Art. 17: a change request is assessed by the BDB', () => {
    const h = new Harness().toConstruction();
    h.run('changeRequest', { kind: 'contractor', description: 'replace vendor' }, actors.department);
    // Art. 17 (measures): the approval bureau's opinion first, then the BDB's decision.
    expect(h.project.pendingActions()).toContainEqual({
      role: 'approval',
      action: 'change-request-opinion',
      ref: 'cr-1',
      overdue: false,
    });
    h.consult('cr-1');
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'change-request-decision',
      ref: 'cr-1',
      overdue: false,
    });
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'reject', opinion: 'no reason given' }, actors.bdb);
    expect(h.project.view().changeRequests[0]).toMatchObject({
      id: 'cr-1',
      status: 'rejected',
      opinion: 'no reason given',
    });
  });

  it('Art. 17 (legacy reading): budget needs budgetDeltaFen > 0, schedule needs newPlannedCompletionDate (422)', () => {
    const h = new Harness({}, 'legacy').toConstruction();
    expect(h.refuse('changeRequest', { kind: 'budget', description: 'more' }, actors.department).code).toBe(
      'budget_delta_required',
    );
    expect(
      h.refuse('changeRequest', { kind: 'budget', description: 'more', budgetDeltaFen: -5 }, actors.department).code,
    ).toBe('budget_delta_required');
    expect(h.refuse('changeRequest', { kind: 'schedule', description: 'later' }, actors.department).code).toBe(
      'planned_completion_date_required',
    );
  });

  it('Art. 17: no change request before contracting (409)', () => {
    const h = new Harness().toBudgeting();
    expect(h.refuse('changeRequest', { kind: 'scope', description: 'x' }, actors.department).code).toBe(
      'invalid_transition',
    );
  });

  it('Art. 17, 22: an approved schedule change moves the planned completion date and the acceptance-delay deadline', () => {
    const h = new Harness().toConstruction();
    const old = h.deadline('acceptance-delay');
    h.run(
      'changeRequest',
      { kind: 'schedule', description: 'vendor delay', newPlannedCompletionDate: '2027-12-31' },
      actors.department,
    );
    h.consult('cr-1');
    const effects = h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: 'ok' }, actors.bdb);
    expect(h.project.view().plannedCompletionDate).toBe('2027-12-31');
    expect(h.state.deadlines.find((d) => d.id === old.id)!.status).toBe('cancelled');
    expect(h.effectsOf(effects, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'acceptance-delay',
      startsOn: '2027-12-31',
    });
  });

  it('Art. 17: unknown change request (404), decided twice (409)', () => {
    const h = new Harness().toConstruction();
    expect(
      h.refuse('changeRequestDecision', { cid: 'cr-9', decision: 'approve', opinion: '' }, actors.bdb).status,
    ).toBe(404);
    h.run('changeRequest', { kind: 'scope', description: 'x' }, actors.department);
    h.consult('cr-1');
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: '' }, actors.bdb);
    expect(h.refuse('changeRequestDecision', { cid: 'cr-1', decision: 'reject', opinion: '' }, actors.bdb).code).toBe(
      'invalid_transition',
    );
  });
});

describe('rectification (Art. 22)', () => {
  it('Art. 22: bdb or approval orders a rectification with a 20-working-day deadline or its own date', () => {
    const h = new Harness().toConstruction();
    const e1 = h.run(
      'rectificationOrder',
      { reason: 'unauthorized-change', description: 'scope changed without request' },
      actors.bdb,
    );
    expect(h.effectsOf(e1, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'rectification',
      ref: 'rect-1',
      rule: { unit: 'workingDays', amount: 20 },
      reminder: { unit: 'workingDays', amount: 3 },
    });
    const e2 = h.run(
      'rectificationOrder',
      { reason: 'unapproved-construction', description: 'x', dueOn: '2026-05-01' },
      actors.approval,
    );
    expect(h.effectsOf(e2, 'startDeadline')[0]!.deadline).toMatchObject({
      ref: 'rect-2',
      rule: { until: '2026-05-01' },
    });
    expect(h.project.view().rectifications[1]).toMatchObject({
      issuedByRole: 'approval',
      status: 'awaiting-response',
      automatic: false,
    });
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'department', action: 'rectification-response', ref: 'rect-2' }),
    );
  });

  it('Art. 22: an order during review stages is fine; a past date is refused (422 due_date_past)', () => {
    const h = new Harness();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    expect(
      h.refuse('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-01-01' }, actors.bdb).code,
    ).toBe('due_date_past');
    expect(h.refuse('rectificationOrder', { reason: 'bribery', description: 'x' } as never, actors.bdb).code).toBe(
      'validation_failed',
    );
  });

  it('Art. 22: response → issuer accepts; only the issuing role reviews (403); unknown order 404; wrong state 409', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.approval);
    expect(
      h.refuse('rectificationResponse', { rid: 'rect-9', description: 'd', evidenceRef: 'e' }, actors.department)
        .status,
    ).toBe(404);
    expect(
      h.refuse('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.approval).code,
    ).toBe('invalid_transition');
    h.run('rectificationResponse', { rid: 'rect-1', description: 'fixed', evidenceRef: 'sha256:e' }, actors.department);
    expect(
      h.refuse('rectificationResponse', { rid: 'rect-1', description: 'again', evidenceRef: 'e' }, actors.department)
        .code,
    ).toBe('invalid_transition');
    expect(h.refuse('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.bdb).code).toBe(
      'forbidden',
    );
    expect(
      h.refuse('rectificationReview', { rid: 'rect-9', decision: 'accept', opinion: '' }, actors.approval).status,
    ).toBe(404);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'fine' }, actors.approval);
    expect(h.project.view().rectifications[0]!.status).toBe('accepted');
    expect(h.deadline('rectification', 'rect-1').status).toBe('met');
    expect(h.state.funds.suspended).toBe(false);
  });

  it('Art. 22: a rejected response suspends the funds and asks the BDB to decide', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'fixed', evidenceRef: 'e' }, actors.department);
    const effects = h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'no' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true);
    // As written: disbursement suspended (暂停拨付), the money stays where it is — no freeze.
    expect(h.state.funds.construction).toMatchObject({ availableFen: 80_000_000, frozenFen: 0 });
    expect(h.effectsOf(effects, 'fundMovement')).toEqual([]);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'rectification-decision',
      ref: 'rect-1',
      overdue: false,
    });
    expect(h.project.readModel().view.funds.suspended).toBe(true);
  });

  it('Art. 22: extension reopens the deadline; unknown 404; accepted 409; past date 422', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    expect(
      h.refuse('rectificationExtension', { rid: 'rect-5', dueOn: '2026-06-01', reason: 'more time' }, actors.bdb)
        .status,
    ).toBe(404);
    expect(
      h.refuse('rectificationExtension', { rid: 'rect-1', dueOn: '2026-01-01', reason: 'more time' }, actors.bdb).code,
    ).toBe('due_date_past');
    const first = h.deadline('rectification', 'rect-1');
    const effects = h.run(
      'rectificationExtension',
      { rid: 'rect-1', dueOn: '2026-06-30', reason: 'complex' },
      actors.bdb,
    );
    expect(h.state.deadlines.find((d) => d.id === first.id)!.status).toBe('cancelled');
    expect(h.effectsOf(effects, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'rectification',
      ref: 'rect-1',
      rule: { until: '2026-06-30' },
    });
    h.run('rectificationResponse', { rid: 'rect-1', description: 'fixed', evidenceRef: 'e' }, actors.department);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.bdb);
    expect(
      h.refuse('rectificationExtension', { rid: 'rect-1', dueOn: '2026-07-30', reason: 'more time' }, actors.bdb).code,
    ).toBe('invalid_transition');
  });
});

describe('termination and withdrawal (Art. 22)', () => {
  it('Art. 22: termination cancels all unspent money and open deadlines', () => {
    const h = new Harness().toConstruction();
    h.run('disbursement', { fundType: 'construction', amountFen: 10_000_000, note: '' }, actors.finance);
    h.suspend();
    const effects = h.run('termination', { reason: 'failed rectification' }, actors.bdb);
    expect(h.stage).toBe('terminated');
    expect(h.state.funds.construction).toMatchObject({
      availableFen: 0,
      disbursedFen: 10_000_000,
      cancelledFen: 70_000_000,
    });
    expect(h.state.deadlines.filter((d) => d.status === 'open')).toEqual([]);
    expect(h.effectsOf(effects, 'fundMovement').map((m) => [m.movement.kind, m.movement.from])).toEqual([
      ['cancel', 'available'],
    ]);
    expect(h.project.readModel()).toMatchObject({ awaitingRoles: [], nextDeadline: null });
  });

  it('Art. 22: withdrawal by the department before construction; not after (409)', () => {
    const h = new Harness().toPublicity();
    h.run('withdrawal', { reason: 'merged' }, actors.department);
    // As written the withdrawal has its own end; `terminated` is Art. 22's sanction only.
    expect(h.stage).toBe('withdrawn');
    expect(h.project.isTerminal()).toBe(true);
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, cancelledFen: 80_000_000 });
    expect(h.project.view().allocations[0]!.status).toBe('cancelled');
    const c = new Harness().toConstruction();
    expect(c.refuse('withdrawal', { reason: 'x' }, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 22: a termination needs a reason (400)', () => {
    const h = new Harness();
    expect(h.refuse('termination', { reason: '' }, actors.bdb).code).toBe('validation_failed');
  });
});

describe('catalogue and acceptance (Art. 18-20, 28)', () => {
  it('Art. 19: catalogue entries are registered from construction on, upserted by code', () => {
    const c = new Harness().toContracting();
    const entry = { code: 'A', name: 'a', sharingType: 'unconditional' as const, updateCycle: 'daily' };
    expect(c.refuse('catalogEntries', { entries: [entry] }, actors.department).code).toBe('invalid_transition');
    const h = new Harness().toConstruction();
    h.run('catalogEntries', { entries: [entry, { ...entry, code: 'B' }] }, actors.department);
    h.run('catalogEntries', { entries: [{ ...entry, name: 'renamed' }] }, actors.department);
    expect(h.project.view().catalogEntries.map((e) => [e.code, e.name])).toEqual([
      ['A', 'renamed'],
      ['B', 'a'],
    ]);
    expect(h.refuse('catalogEntries', { entries: [entry, entry] }, actors.department).code).toBe('validation_failed');
    expect(h.refuse('catalogEntries', { entries: [] }, actors.department).code).toBe('validation_failed');
    expect(
      h.refuse('catalogEntries', { entries: [{ ...entry, sharingType: 'open' }] } as never, actors.department).code,
    ).toBe('validation_failed');
  });

  it('Art. 18: preliminary acceptance moves construction to joint acceptance and meets the acceptance-delay deadline', () => {
    const h = new Harness().toJointAcceptance();
    expect(h.deadline('acceptance-delay').status).toBe('met');
    expect(h.state.deadlines.filter((d) => d.kind === 'progress-report' && d.status === 'open')).toEqual([]);
    expect(h.project.pendingActions()).toEqual([
      { role: 'bdb', action: 'technical-acceptance', overdue: false },
      { role: 'approval', action: 'completion-acceptance', overdue: false },
    ]);
  });

  it('Art. 18: preliminary acceptance only in construction (409), not completed in the future (422)', () => {
    const c = new Harness().toContracting();
    expect(
      c.refuse('preliminaryAcceptance', { reportRef: 'r', completedOn: '2026-03-10' }, actors.department).code,
    ).toBe('invalid_transition');
    const h = new Harness().toConstruction();
    expect(
      h.refuse('preliminaryAcceptance', { reportRef: 'r', completedOn: '2026-12-01' }, actors.department).code,
    ).toBe('completed_in_future');
  });

  it('Art. 19: the resource catalogue is part of completion acceptance: its pass is refused without entries (422 catalog_missing); the technical acceptance passes', () => {
    const h = new Harness().toConstruction().recordRiskAndEmergency();
    h.run('preliminaryAcceptance', { reportRef: 'r', completedOn: '2026-03-20' }, actors.department);
    const r = h.refuse('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect([r.status, r.code]).toEqual([422, 'catalog_missing']);
    expect(r.message).toContain('Art. 19');
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.state.acceptance.technical?.decision).toBe('pass');
    // A fail needs no catalogue.
    h.run('completionAcceptance', { decision: 'fail', opinion: 'register the catalogue' }, actors.approval);
    expect(h.stage).toBe('construction');
  });

  it('Art. 19 (legacy reading): the catalogue was checked at the technical acceptance', () => {
    const h = new Harness({}, 'legacy').toConstruction();
    h.run('preliminaryAcceptance', { reportRef: 'r', completedOn: '2026-03-20' }, actors.department);
    expect(h.refuse('technicalAcceptance', passTechnical(), actors.bdb).code).toBe('catalog_missing');
  });

  it('Art. 20, 28: technical acceptance cannot pass without security, cryptography and MLPS level (422)', () => {
    const h = new Harness().toJointAcceptance();
    for (const bad of [{ securityControllable: false }, { cryptoAssessmentPassed: false }]) {
      const r = h.refuse('technicalAcceptance', { ...passTechnical(), ...bad }, actors.bdb);
      expect([r.status, r.code]).toEqual([422, 'security_verification_failed']);
    }
    // The MLPS level is part of the command's schema (docs/API.md "Commands": mlpsLevel 1-5).
    for (const mlpsLevel of [6, null]) {
      expect(h.refuse('technicalAcceptance', { ...passTechnical(), mlpsLevel } as never, actors.bdb).code).toBe(
        'validation_failed',
      );
    }
  });

  it("Art. 18: a failed acceptance returns the project to construction with the opinion; the other side's pass stands (policy switch off)", () => {
    const h = new Harness().toJointAcceptance();
    h.run('completionAcceptance', { decision: 'pass', opinion: 'fine' }, actors.approval);
    h.run('technicalAcceptance', { ...passTechnical(), decision: 'fail', opinion: 'load test failed' }, actors.bdb);
    expect(h.stage).toBe('construction');
    const v = h.project.view();
    expect(v.acceptance.returns).toEqual([{ by: 'technical', opinion: 'load test failed', at: h.now }]);
    expect(v.acceptance.completion).toMatchObject({ decision: 'pass', opinion: 'fine' });
    expect(v.acceptance.technical).toBeNull();
    // Art. 21: the report's clock runs from the standing completion acceptance.
    expect(
      h.state.deadlines
        .filter((d) => d.status === 'open')
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['acceptance-delay', 'completion-report', 'progress-report', 'security-drill']);
    // After the rework only the technical acceptance is repeated.
    h.run('preliminaryAcceptance', { reportRef: 'sha256:pre2', completedOn: '2026-03-20' }, actors.department);
    expect(h.state.acceptance.completion?.decision).toBe('pass');
    expect(h.project.pendingActions().map((a) => a.action)).not.toContain('completion-acceptance');
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.stage).toBe('completion_filing');
  });

  it("Art. 18: with policy switch failedAcceptanceClearsOtherPass a failure wipes the other side's pass; legacy did so too", () => {
    const policy = {
      ...DEFAULT_CITY_POLICY,
      switches: { ...DEFAULT_POLICY_SWITCHES, failedAcceptanceClearsOtherPass: true },
    };
    for (const h of [new Harness({ policy }).toJointAcceptance(), new Harness({}, 'legacy').toJointAcceptance()]) {
      h.run('completionAcceptance', { decision: 'pass', opinion: 'fine' }, actors.approval);
      h.run('technicalAcceptance', { ...passTechnical(), decision: 'fail', opinion: 'load test failed' }, actors.bdb);
      expect(h.stage).toBe('construction');
      expect(h.state.acceptance.completion).toBeNull();
      // Art. 29 (policy, issue 15): the drill period runs once the emergency plan is recorded (not in legacy runs).
      const drill = h.state.riskAndEmergency ? ['security-drill'] : [];
      expect(
        h.state.deadlines
          .filter((d) => d.status === 'open')
          .map((d) => d.kind)
          .sort(),
      ).toEqual(['acceptance-delay', 'progress-report', ...drill]);
    }
  });

  it('Art. 18, 21: both acceptances in any order → completion_filing with a 7-working-day report deadline', () => {
    const h = new Harness().toJointAcceptance();
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.refuse('technicalAcceptance', passTechnical(), actors.bdb).code).toBe('invalid_transition');
    expect(h.stage).toBe('joint_acceptance');
    const effects = h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect(h.stage).toBe('completion_filing');
    expect(h.effectsOf(effects, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'completion-report',
      startsOn: '2026-03-20',
      rule: { unit: 'workingDays', amount: 7 },
      reminder: { unit: 'workingDays', amount: 2 },
    });
  });

  it('Art. 18: completion acceptance fail returns to construction; passing twice is a 409', () => {
    const h = new Harness().toJointAcceptance();
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect(h.refuse('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval).code).toBe(
      'invalid_transition',
    );
    const f = new Harness().toJointAcceptance();
    f.run('completionAcceptance', { decision: 'fail', opinion: 'missing invoices' }, actors.approval);
    expect(f.stage).toBe('construction');
    expect(f.project.view().acceptance.returns[0]).toMatchObject({ by: 'completion', opinion: 'missing invoices' });
  });

  it('Art. 18: no acceptance decision outside joint acceptance (409)', () => {
    const h = new Harness().toConstruction();
    expect(h.refuse('technicalAcceptance', passTechnical(), actors.bdb).code).toBe('invalid_transition');
    expect(h.refuse('completionAcceptance', { decision: 'pass', opinion: '' }, actors.approval).code).toBe(
      'invalid_transition',
    );
  });
});

describe('completion report and operation (Art. 21, 23)', () => {
  it('Art. 21: the completion report in time → operating, annual evaluation deadline starts', () => {
    const h = new Harness().toCompletionFiling();
    const effects = h.run('completionReport', { reportRef: 'sha256:r' }, actors.department);
    expect(h.stage).toBe('operating');
    expect(h.deadline('completion-report').status).toBe('met');
    expect(h.project.view().completionReport).toMatchObject({ reportRef: 'sha256:r', late: false });
    expect(h.effectsOf(effects, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'annual-evaluation',
      ref: '2026',
      rule: { until: '2027-03-31' },
      reminder: { unit: 'calendarDays', amount: 10 },
    });
  });

  it('Art. 21: no completion report before joint acceptance passed (409)', () => {
    const h = new Harness().toJointAcceptance();
    expect(h.refuse('completionReport', { reportRef: 'r' }, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 21: the BDB reviews O&M costs once per year, in operation only', () => {
    const h = new Harness().toOperating();
    const e = h.run('omReview', { year: 2027, approvedFen: 500, opinion: 'ok' }, actors.bdb);
    expect(h.effectsOf(e, 'notify')).toContainEqual(expect.objectContaining({ recipient: { role: 'finance' } }));
    expect(h.refuse('omReview', { year: 2027, approvedFen: 600, opinion: '' }, actors.bdb).code).toBe('already_exists');
    expect(h.project.pendingActions()).toContainEqual({
      role: 'finance',
      action: 'budget',
      ref: 'om-2027',
      overdue: false,
    });
    const c = new Harness().toConstruction();
    expect(c.refuse('omReview', { year: 2027, approvedFen: 1, opinion: '' }, actors.bdb).code).toBe(
      'invalid_transition',
    );
  });

  it('Art. 23: the annual evaluation meets its deadline and the next year is due 31 March after it', () => {
    const h = new Harness().toOperating();
    h.advanceTo('2027-02-01');
    const e = h.run(
      'evaluation',
      {
        year: 2026,
        fundUseScore: 90,
        outputScore: 85,
        effectScore: 80,
        satisfactionScore: 95,
        sharingCompliant: true,
        dataStoredOnPlatform: true,
        summary: 'good',
      },
      actors.bdb,
    );
    expect(h.deadline('annual-evaluation', '2026').status).toBe('met');
    expect(h.effectsOf(e, 'startDeadline')[0]!.deadline).toMatchObject({
      ref: '2027',
      startsOn: '2027-01-01',
      rule: { until: '2028-03-31' },
    });
    expect(
      h.refuse(
        'evaluation',
        {
          year: 2026,
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
    ).toBe('already_exists');
    expect(
      h.refuse(
        'evaluation',
        {
          year: 2028,
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
    ).toBe('year_not_started');
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
    expect(
      h.refuse(
        'evaluation',
        {
          year: 2027,
          fundUseScore: 101,
          outputScore: 1,
          effectScore: 1,
          satisfactionScore: 1,
          sharingCompliant: true,
          dataStoredOnPlatform: true,
          summary: '',
        },
        actors.bdb,
      ).code,
    ).toBe('validation_failed');
  });

  it('Art. 23: evaluations only in operation (409)', () => {
    const h = new Harness().toCompletionFiling();
    expect(
      h.refuse(
        'evaluation',
        {
          year: 2026,
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
    ).toBe('invalid_transition');
  });

  it('Art. 4: decommissioning cancels unspent money; only from operation (409)', () => {
    const h = new Harness().toOperating();
    h.run('omReview', { year: 2026, approvedFen: 1_000, opinion: '' }, actors.bdb);
    h.run('budget', om(1_000, 2026), actors.finance);
    h.run('decommission', { reason: 'replaced by the city platform' }, actors.bdb);
    expect(h.stage).toBe('decommissioned');
    expect(h.state.funds.om).toMatchObject({ heldFen: 0, cancelledFen: 1_000 });
    expect(h.state.funds.construction.availableFen).toBe(0);
    expectFundIdentity(h.project);
    const c = new Harness().toConstruction();
    expect(c.refuse('decommission', { reason: 'x' }, actors.bdb).code).toBe('invalid_transition');
  });
});

describe('security (Art. 29)', () => {
  it('Art. 29: incidents are recorded and the BDB notified; drills recorded', () => {
    const h = new Harness().toConstruction();
    const e = h.run(
      'securityIncident',
      {
        occurredAt: '2026-03-19T08:00:00Z',
        severity: 'high',
        description: 'data leak attempt',
        handling: 'blocked, logs kept',
        reportedTo: '市委网信办',
        reportedAt: '2026-03-19T09:00:00Z',
      },
      actors.department,
    );
    expect(h.effectsOf(e, 'notify')).toContainEqual(
      expect.objectContaining({ recipient: { role: 'bdb' }, kind: 'security-incident' }),
    );
    h.run(
      'securityDrill',
      { heldOn: '2026-03-18', scenario: 'ransomware', summary: 'restored in 2h' },
      actors.department,
    );
    const v = h.project.view();
    expect(v.incidents[0]).toMatchObject({ id: 'inc-1', severity: 'high' });
    expect(v.drills[0]).toMatchObject({ id: 'drill-1', scenario: 'ransomware' });
  });

  it('Art. 29: incidents and drills from contracting on only (409); severity validated (400)', () => {
    const h = new Harness().toBudgeting();
    expect(
      h.refuse('securityDrill', { heldOn: '2026-03-02', scenario: 's', summary: '' }, actors.department).code,
    ).toBe('invalid_transition');
    const c = new Harness().toContracting();
    c.run('securityDrill', { heldOn: '2026-03-02', scenario: 's', summary: '' }, actors.department);
    expect(
      c.refuse(
        'securityIncident',
        { occurredAt: 'yesterday', severity: 'high', description: 'd', handling: 'h' },
        actors.department,
      ).code,
    ).toBe('validation_failed');
    expect(
      c.refuse(
        'securityIncident',
        { occurredAt: '2026-03-01T00:00:00Z', severity: 'apocalyptic', description: 'd', handling: 'h' } as never,
        actors.department,
      ).code,
    ).toBe('validation_failed');
  });
});

describe('read side', () => {
  it('Art. 24-25: every accepted command emits exactly one audit entry first and bumps the version', () => {
    const h = new Harness();
    const v0 = h.project.readModel().version;
    const effects = h.run('technicalReview', { decision: 'pass', opinion: '', checklist: fullChecklist() }, actors.bdb);
    expect(effects.filter((e) => e.type === 'audit')).toHaveLength(1);
    expect(effects[0]).toMatchObject({
      type: 'audit',
      action: 'technical-review',
      at: h.now,
      detail: { payload: { decision: 'pass' } },
    });
    expect(h.project.readModel().version).toBe(v0 + 1);
  });

  it('continue-as-new: restore(JSON of the state) behaves exactly like the original', () => {
    const h = new Harness().toConstruction();
    const copy = Project.restore(JSON.parse(JSON.stringify(h.project.state)));
    expect(copy.view()).toEqual(h.project.view());
    const cmd = { name: 'changeRequest', payload: { kind: 'scope', description: 'x' } } as const;
    expect(copy.apply(cmd, actors.department, h.now)).toEqual(h.project.apply(cmd, actors.department, h.now));
    expect(JSON.stringify(copy.state)).toBe(JSON.stringify(h.project.state));
    expect(() => Project.restore({ schema: 99 } as never)).toThrow();
  });

  it("Art. 15, 21 vs policy: each deadline says whether its period is the text's or the policy's", () => {
    const d = DEFAULT_CITY_POLICY.deadlines;
    expect(deadlineBasis('contract-filing', d.contractFiling.duration)).toBe('measures'); // Art. 15: 5 working days
    expect(deadlineBasis('completion-report', d.completionReport.duration)).toBe('measures'); // Art. 21: 7 working days
    // Art. 30: another period (a county's own measures) is not the text's.
    expect(deadlineBasis('contract-filing', { unit: 'workingDays', amount: 3 })).toBe('policy');
    for (const kind of [
      'publicity',
      'progress-report',
      'acceptance-delay',
      'rectification',
      'annual-evaluation',
    ] as const) {
      expect(deadlineBasis(kind, { unit: 'workingDays', amount: 5 }), kind).toBe('policy');
    }
  });

  it('the view shows only scheduled deadlines; unscheduledDeadlines() lists the others for the workflow', () => {
    const p = Project.create(makeInput());
    const now = at('2026-03-03');
    p.apply({ name: 'rectificationOrder', payload: { reason: 'other', description: 'x' } }, actors.bdb, now);
    expect(p.view().deadlines).toEqual([]);
    expect(p.unscheduledDeadlines()).toEqual([
      {
        id: 'dl-1',
        kind: 'rectification',
        ref: 'rect-1',
        startsOn: '2026-03-03',
        rule: { unit: 'workingDays', amount: 20 },
        reminder: { unit: 'workingDays', amount: 3 },
      },
    ]);
    expect(p.deadlineEvents()).toEqual([]);
    p.setDeadlineDates('dl-1', { dueAt: '2026-03-31T15:59:59.999Z', remindAt: '2026-03-26T01:00:00.000Z' });
    expect(p.unscheduledDeadlines()).toEqual([]);
    expect(p.view().deadlines).toEqual([
      {
        id: 'dl-1',
        kind: 'rectification',
        ref: 'rect-1',
        startsAt: '2026-03-02T16:00:00.000Z',
        dueAt: '2026-03-31T15:59:59.999Z',
        dueOn: '2026-03-31',
        remindAt: '2026-03-26T01:00:00.000Z',
        status: 'open',
        rule: { unit: 'workingDays', amount: 20 },
        reminder: { unit: 'workingDays', amount: 3 },
        basis: 'policy',
      },
    ]);
    expect(p.deadlineEvents()).toEqual([
      { deadlineId: 'dl-1', kind: 'rectification', ref: 'rect-1', event: 'remind', at: '2026-03-26T01:00:00.000Z' },
    ]);
    expect(p.nextWakeAt()).toBe('2026-03-26T01:00:00.000Z');
    expect(p.readModel().nextDeadline).toBe('2026-03-31T15:59:59.999Z');
    expect(() => p.setDeadlineDates('dl-9', { dueAt: '2026-03-31T15:59:59.999Z' })).toThrow(Rejection);
    expect(() => p.setDeadlineDates('dl-1', { dueAt: 'soon' })).toThrow(Rejection);
  });

  it('Art. 22: overdue pending actions are judged against the last event time', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-03-25' }, actors.bdb);
    expect(h.project.readModel().overdue).toBe(false);
    h.advanceTo('2026-03-26');
    const pending = h.project.pendingActions();
    expect(pending).toContainEqual({ role: 'bdb', action: 'rectification-decision', ref: 'rect-1', overdue: false });
    expect(h.project.readModel().awaitingRoles).toContain('bdb');
    // The rectification deadline was missed and closed; the BDB now decides.
    expect(h.deadline('rectification', 'rect-1').status).toBe('missed');
  });

  it('Art. 21: an overdue completion report shows as an overdue pending action', () => {
    const h = new Harness().toCompletionFiling();
    const due = h.deadline('completion-report').dueAt!;
    // A command after the due instant but before the timer fired: the pending action is overdue.
    h.now = new Date(Date.parse(due) + 1_000).toISOString();
    h.run('securityDrill', { heldOn: '2026-03-20', scenario: 's', summary: '' }, actors.department);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'department',
      action: 'completion-report',
      dueAt: due,
      overdue: true,
    });
    expect(h.project.readModel().overdue).toBe(true);
  });

  it('yearEnded() reports each new Shanghai year once', () => {
    const p = Project.create(makeInput());
    expect(p.yearEnded('2026-12-31T15:59:59Z')).toBe(false);
    expect(p.yearEnded('2026-12-31T16:00:00Z')).toBe(true);
    expect(p.yearEnded('2027-06-01T00:00:00Z')).toBe(false);
  });

  it('Art. 24-25: audit and notification event ids are numbered in the state and go on after a restore', () => {
    const p = Project.create(makeInput());
    const ids = p.start(at('2026-03-02')).map((e) => ('eventId' in e ? e.eventId : null));
    expect(ids).toEqual([`${p.state.input.id}:audit:1`, `${p.state.input.id}:notify:2`]);
    const restored = Project.restore(JSON.parse(JSON.stringify(p.state)));
    const next = restored.apply(
      { name: 'technicalReview', payload: { decision: 'reject', opinion: 'no', checklist: fullChecklist() } },
      actors.bdb,
      at('2026-03-03'),
    );
    expect(next[0]).toMatchObject({
      type: 'audit',
      eventId: `${p.state.input.id}:audit:3`,
      action: 'technical-review',
    });
  });

  it('durable before visible: a prepared change leaves the state as it was until it is committed', () => {
    const p = Project.create(makeInput());
    p.start(at('2026-03-02'));
    const before = JSON.stringify(p.state);
    const change = p.prepare(
      { name: 'technicalReview', payload: { decision: 'pass', opinion: 'ok', checklist: fullChecklist() } },
      actors.bdb,
      at('2026-03-03'),
    );
    expect(change.state.stage).toBe('establishment_review');
    expect(JSON.stringify(p.state)).toBe(before);
    p.commit(change);
    expect(p.state.stage).toBe('establishment_review');
  });
});
