/**
 * Issue 27, the measures as written — second reading (patch `measures-second-reading`, state flag
 * `secondReading`): what the text of 晋市政办〔2019〕44号 gives and no more. Each test names its article
 * and says whether the rule is the text's (measures) or the jurisdiction's (policy).
 * Here: suspension, lateness, publicity and contracts, the acceptance gate, the fixed periods.
 */
import { describe, expect, it } from 'vitest';
import { problemTitle } from '../../domain/labels/problems.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import {
  actors,
  at,
  construction,
  emergencyPlanBody,
  Harness,
  openTender,
  passTechnical,
  riskAssessmentBody,
  withSwitches,
} from './helpers.ts';
import { bareJointAcceptance, notes, zh } from './second-reading-fixtures.ts';

describe('Art. 22: suspension only for 拒不整改 or 整改后仍不符合', () => {
  it('Art. 22 (measures): a response given in time and not yet reviewed when the deadline passes suspends nothing; the issuer is reminded to review it (policy); a later rejection suspends', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-03-20' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'done', evidenceRef: 'e' }, actors.department);
    const effects = h.advanceTo('2026-03-21');
    expect(h.state.funds.suspended).toBe(false);
    expect(h.project.view().violations).toEqual([]);
    expect(h.project.view().rectifications[0]!.status).toBe('awaiting-review');
    const reminders = h.effectsOf(effects, 'notify').filter((n) => n.kind === 'rectification-review-pending');
    // Reminded before the deadline and when it passes; the department, which answered, is not.
    expect(reminders.map((n) => [n.recipient.role, n.basis])).toEqual([
      ['bdb', 'policy'],
      ['bdb', 'policy'],
    ]);
    expect(h.effectsOf(effects, 'notify').map((n) => n.kind)).not.toContain('rectification-reminder');
    expect(reminders[0]!.detail).toContain('本地政策');
    expect(h.effectsOf(effects, 'notify').map((n) => n.kind)).not.toContain('funds-suspended');
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'bdb', action: 'rectification-review', ref: 'rect-1' }),
    );
    // Not suspended: termination is not open to the BDB (Art. 22: only from suspension).
    expect(h.refuse('termination', { reason: 'too early' }, actors.bdb).code).toBe('invalid_transition');
    // 整改后仍不符合要求: the rejection suspends disbursement.
    h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'still not compliant' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true);
    expect(h.project.view().violations.map((v) => [v.kind, v.article, v.basis])).toEqual([
      ['rectification-failed', 'Art. 22', 'measures'],
    ]);
  });

  it('Art. 22: a run started before the second reading keeps its behaviour (replay): the deadline suspended it', () => {
    const h = new Harness({}, 'as-written', true, false).toContracting();
    expect(h.state.secondReading).toBeUndefined();
    h.run('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-03-20' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'done', evidenceRef: 'e' }, actors.department);
    h.advanceTo('2026-03-21');
    expect(h.state.funds.suspended).toBe(true);
  });
});

describe('Art. 15: lateness is counted from signedOn', () => {
  it('Art. 15 (measures): a contract entered 40 days after signing with its text attached is late → violation late-filing, BDB notified; one entered in time is met', () => {
    const h = new Harness().toConstruction();
    // Signed on a Friday, entered with its text on the Thursday after: within 5 working days.
    h.advanceTo('2026-04-30');
    h.run(
      'contract',
      {
        contractNo: 'HT-INTIME',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn: '2026-04-24',
        documentRef: 'sha256:in',
        procurement: openTender(),
      },
      actors.department,
    );
    h.advanceTo(h.now);
    expect(h.deadline('contract-filing', 'HT-INTIME').status).toBe('met');
    expect(h.project.view().contracts.find((c) => c.contractNo === 'HT-INTIME')?.filedLate).toBe(false);
    expect(h.project.pendingActions().filter((a) => a.action === 'contract-filing')).toEqual([]);
    // Entered 42 days after signing, its text attached: late.
    h.advanceTo('2026-05-04');
    h.run(
      'contract',
      {
        contractNo: 'HT-LATE',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn: '2026-03-23',
        documentRef: 'sha256:late',
        procurement: openTender(),
      },
      actors.department,
    );
    h.advanceTo(h.now); // the filing deadline is dated by the calendar, then judged against the filing instant
    expect(h.deadline('contract-filing', 'HT-LATE').status).toBe('missed');
    expect(h.project.view().contracts.find((c) => c.contractNo === 'HT-LATE')).toMatchObject({
      filedLate: true,
      filedAt: at('2026-05-04'),
    });
    expect(
      h.project
        .view()
        .violations.filter((v) => v.kind === 'late-filing')
        .map((v) => [v.article, v.basis]),
    ).toEqual([['Art. 15', 'measures']]);
    expect(notes(h, 'late-filing').map((n) => n.recipient.role)).toContain('bdb');
    expect(h.project.view().violations.filter((v) => v.kind === 'late-filing')).toHaveLength(1);
  });

  it('Art. 15 (measures): a filing after the due day is late even before the timer fired', () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-2',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn: '2026-03-20',
        procurement: openTender(),
      },
      actors.department,
    );
    h.now = at('2026-04-10'); // due 2026-03-27; no timer has fired yet
    h.run('contractFiling', { contractNo: 'HT-2', documentRef: 'sha256:late' }, actors.department);
    expect(h.deadline('contract-filing', 'HT-2').status).toBe('missed');
    expect(h.project.view().contracts.find((c) => c.contractNo === 'HT-2')?.filedLate).toBe(true);
    expect(h.project.view().violations.map((v) => v.kind)).toContain('late-filing');
  });
});

describe('Art. 11, 15: 公示 begins when the BDB publishes; contracts from establishment on', () => {
  it("Art. 11 (measures): finance's allocation leaves the project in budgeting, money held, the BDB's plan awaited; 公示 begins when the BDB publishes", () => {
    const h = new Harness().toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    expect(h.stage).toBe('budgeting');
    expect(h.project.view().allocations[0]).toMatchObject({ status: 'held', publicityDeadlineId: null });
    expect(h.state.funds.construction).toMatchObject({ heldFen: 80_000_000, availableFen: 0 });
    expect(h.project.pendingActions()).toEqual([
      { role: 'bdb', action: 'allocation-publication', ref: 'alloc-1', overdue: false },
    ]);
    h.publish();
    expect(h.stage).toBe('publicity');
    expect(h.deadline('publicity').status).toBe('open');
  });

  it('Art. 11, 15 (measures): a contract signed after the approval is recorded while the money awaits the plan and during publicity, each with its 5 working days; construction starts when the notice ends', () => {
    const h = new Harness();
    expect(
      h.refuse(
        'contract',
        { contractNo: 'HT-0', contractor: 'Acme', amountFen: 1, signedOn: '2026-03-02', procurement: openTender() },
        actors.department,
      ).code,
    ).toBe('invalid_transition');
    h.toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    h.run(
      'contract',
      {
        contractNo: 'HT-A',
        contractor: 'Acme',
        amountFen: 40_000_000,
        signedOn: '2026-03-02',
        documentRef: 'sha256:a',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.stage).toBe('budgeting');
    h.publish();
    h.advanceTo('2026-03-04');
    h.run(
      'contract',
      {
        contractNo: 'HT-B',
        contractor: 'Beta',
        amountFen: 10_000_000,
        signedOn: '2026-03-03',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.stage).toBe('publicity');
    h.run('contractFiling', { contractNo: 'HT-B', documentRef: 'sha256:b' }, actors.department);
    expect(h.project.view().contracts.map((c) => [c.contractNo, c.filedLate])).toEqual([
      ['HT-A', false],
      ['HT-B', false],
    ]);
    expect(h.project.view().violations).toEqual([]);
    h.advanceTo('2026-03-10');
    expect(h.stage).toBe('construction');
    expect(h.deadline('acceptance-delay').status).toBe('open');
    expect(h.state.funds.construction.availableFen).toBe(80_000_000);
  });
});

describe('Art. 21, 28, 29: no gate before the 竣工验收报告; the risk-assessment order is policy', () => {
  it("Art. 21, 29 (measures): without an emergency plan the 竣工验收报告 is still filed; from completion acceptance on the plan is the department's pending action and the BDB is told", () => {
    const h = bareJointAcceptance();
    h.run('riskAssessment', riskAssessmentBody(), actors.department);
    expect(h.project.pendingActions().map((a) => a.action)).not.toContain('emergency-plan');
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect(h.project.pendingActions()).toContainEqual({ role: 'department', action: 'emergency-plan', overdue: false });
    expect(notes(h, 'emergency-plan-missing').map((n) => [n.recipient.role, n.basis])).toEqual([['bdb', 'measures']]);
    h.run('completionReport', { reportRef: 'sha256:report' }, actors.department);
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.stage).toBe('operating');
    expect(h.project.pendingActions()).toContainEqual({ role: 'department', action: 'emergency-plan', overdue: false });
    h.run('emergencyPlan', emergencyPlanBody('Acme'), actors.department);
    expect(h.project.pendingActions().map((a) => a.action)).not.toContain('emergency-plan');
  });

  it('Art. 29 (policy switch emergencyPlanBeforeCompletionReport, off by default): on, the report waits for the plan (422 emergency_plan_missing, labelled 本地政策)', () => {
    expect(DEFAULT_POLICY_SWITCHES.emergencyPlanBeforeCompletionReport).toBe(false);
    const h = bareJointAcceptance(new Harness(withSwitches({ emergencyPlanBeforeCompletionReport: true })));
    h.run('riskAssessment', riskAssessmentBody(), actors.department);
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    const r = h.refuse('completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect([r.status, r.code]).toEqual([422, 'emergency_plan_missing']);
    expect(r.message).toContain('policy');
    expect(zh(r)).toContain('本地政策');
    expect(problemTitle('zh-CN', r.code, 422, '')).toContain('本地政策');
  });

  it('Art. 28 (policy switch riskAssessmentBeforeTechnicalAcceptance, on by default): the refusal and the pending action are labelled policy; off, technical acceptance proceeds', () => {
    expect(DEFAULT_POLICY_SWITCHES.riskAssessmentBeforeTechnicalAcceptance).toBe(true);
    const h = bareJointAcceptance();
    expect(h.project.view().policy.switches.riskAssessmentBeforeTechnicalAcceptance).toBe(true);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'department',
      action: 'risk-assessment',
      overdue: false,
      basis: 'policy',
    });
    const r = h.refuse('technicalAcceptance', passTechnical(), actors.bdb);
    expect(r.code).toBe('risk_assessment_missing');
    expect(r.message).toContain('policy');
    expect(zh(r)).toContain('本地政策');
    expect(problemTitle('zh-CN', r.code, 422, '')).toContain('本地政策');
    const off = bareJointAcceptance(new Harness(withSwitches({ riskAssessmentBeforeTechnicalAcceptance: false })));
    off.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(off.state.acceptance.technical?.decision).toBe('pass');
  });
});

describe('Art. 15, 21, 30: the periods the text fixes', () => {
  it("Art. 15, 30: a county's own filing period shows as the county's (basis policy, its own number in the text, never 5 个工作日)", () => {
    const policy = {
      jurisdiction: 'zezhou',
      version: 1,
      deadlines: {
        ...structuredClone(DEFAULT_CITY_POLICY.deadlines),
        contractFiling: { duration: { unit: 'workingDays' as const, amount: 3 }, reminder: null },
      },
    };
    const h = new Harness({ jurisdiction: 'zezhou', policy }).toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-2',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn: '2026-03-20',
        procurement: openTender(),
      },
      actors.department,
    );
    const d = h.project.view().deadlines.find((x) => x.kind === 'contract-filing' && x.ref === 'HT-2')!;
    expect(d.basis).toBe('policy');
    h.advanceTo('2026-03-30');
    const v = h.project.view().violations.find((x) => x.kind === 'late-filing')!;
    expect(v.basis).toBe('policy');
    expect(v.detail).toContain('3 working days');
    expect(v.detail).not.toContain('5 working days');
    const bdb = notes(h, 'late-filing').find((n) => n.recipient.role === 'bdb')!;
    expect(bdb.basis).toBe('policy');
    expect(bdb.detail).toContain('3 个工作日');
    expect(bdb.detail).toContain('第三十条');
    expect(bdb.detail).toContain('本地政策');
    expect(bdb.detail).not.toContain('5 个工作日');
  });

  it("Art. 15, 21 (measures): with the text's periods the deadline and violation are the measures', naming 5 and 7 working days", () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-2',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn: '2026-03-20',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.project.view().deadlines.find((x) => x.ref === 'HT-2')?.basis).toBe('measures');
    h.advanceTo('2026-03-30');
    expect(h.project.view().violations.find((x) => x.kind === 'late-filing')).toMatchObject({
      basis: 'measures',
      detail: expect.stringContaining('5 working days'),
    });
    expect(notes(h, 'late-filing').find((n) => n.recipient.role === 'bdb')!.detail).toContain('5 个工作日');
  });
});
