/**
 * Issue 27, the measures as written — second reading (patch `measures-second-reading`, state flag
 * `secondReading`): what the text of 晋市政办〔2019〕44号 gives and no more. Each test names its article
 * and says whether the rule is the text's (measures) or the jurisdiction's (policy).
 * Here: the approved estimate, 工程监理/落盘/变相包装, and runs recorded before the second reading.
 */
import { describe, expect, it } from 'vitest';
import { Project } from '../../domain/project.ts';
import { label } from '../../domain/labels/values.ts';
import { DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import {
  actors,
  construction,
  fullChecklist,
  Harness,
  makeInput,
  om,
  openTender,
  riskAssessmentBody,
  withSwitches,
} from './helpers.ts';
import { bareJointAcceptance, evaluation, notes, zh } from './second-reading-fixtures.ts';

describe('Art. 8, 10, 17: the approved estimate (批复概算) and who may raise it', () => {
  it('Art. 8, 10 (measures): the approval records the approved estimate, lower than the 投资概算; it caps construction money', () => {
    const h = new Harness().toEstablishment();
    h.run(
      'establishment',
      {
        decision: 'approve',
        approvalNo: 'JSP-2026-001',
        opinion: 'approved, reduced',
        approvedEstimateFen: 60_000_000,
      },
      actors.approval,
    );
    expect(h.project.view()).toMatchObject({ estimate: { totalFen: 100_000_000 }, approvedEstimateFen: 60_000_000 });
    const r = h.refuse('budget', construction(70_000_000), actors.finance);
    expect(r.code).toBe('exceeds_approved_estimate');
    expect(r.details).toMatchObject({ estimateFen: 60_000_000, limitFen: 60_000_000 });
    expect(zh(r)).toContain('批复概算 600,000.00 元');
    h.run('budget', construction(60_000_000), actors.finance);
  });

  it("Art. 8 (measures): approving without the approved estimate is refused (400) for runs since the second reading; runs from before keep the applicant's figure", () => {
    const h = new Harness().toEstablishment();
    const r = h.refuse('establishment', { decision: 'approve', approvalNo: 'JSP-1', opinion: '' }, actors.approval);
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    expect(r.details.errors).toEqual([expect.objectContaining({ path: 'approvedEstimateFen' })]);
    h.run('establishment', { decision: 'reject', approvalNo: '', opinion: 'no' }, actors.approval);
    const old = new Harness({}, 'as-written', true, false).toEstablishment();
    old.run('establishment', { decision: 'approve', approvalNo: 'JSP-1', opinion: '' }, actors.approval);
    expect(old.project.view().approvedEstimateFen).toBeNull();
    old.run('budget', construction(100_000_000), actors.finance);
  });

  it("Art. 10, 17 (policy switch budgetIncreaseNeedsApprovalAgreement, on by default): an approved budget increase raises the cap only with the approval bureau's agreement; finance's opinion is an opinion", () => {
    expect(DEFAULT_POLICY_SWITCHES.budgetIncreaseNeedsApprovalAgreement).toBe(true);
    const h = new Harness().toConstruction(); // 80_000_000 of the approved 100_000_000 allocated
    h.run(
      'changeRequest',
      { kind: 'budget', description: 'more servers', budgetDeltaFen: 50_000_000 },
      actors.department,
    );
    h.run(
      'changeRequestOpinion',
      { cid: 'cr-1', opinion: 'the approved estimate stands', agrees: false },
      actors.approval,
    );
    h.run('changeRequestOpinion', { cid: 'cr-1', opinion: 'money is there', agrees: true }, actors.finance);
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: 'justified' }, actors.bdb);
    const r = h.refuse('budget', construction(30_000_000), actors.finance);
    expect(r.details).toMatchObject({
      estimateFen: 100_000_000,
      approvedChangesFen: 0,
      limitFen: 100_000_000,
      unagreedIncreasesFen: 50_000_000,
    });
    expect(zh(r)).toContain('本地政策');
    expect(h.project.pendingActions().some((a) => a.ref === 'budget-increase')).toBe(false);
    expect(notes(h, 'budget-increase').at(-1)!.detail).toContain('建设资金上限不变（本地政策）');
    h.run(
      'changeRequest',
      { kind: 'budget', description: 'more storage', budgetDeltaFen: 40_000_000 },
      actors.department,
    );
    h.run('changeRequestOpinion', { cid: 'cr-2', opinion: 'agreed', agrees: true }, actors.approval);
    h.run('changeRequestOpinion', { cid: 'cr-2', opinion: 'no money this year', agrees: false }, actors.finance);
    h.run('changeRequestDecision', { cid: 'cr-2', decision: 'approve', opinion: 'justified' }, actors.bdb);
    h.run('budget', construction(30_000_000), actors.finance);
    expect(h.state.funds.construction.allocatedFen).toBe(110_000_000);
    // Off: the BDB's approval alone moves the cap (the earlier reading).
    const off = new Harness(withSwitches({ budgetIncreaseNeedsApprovalAgreement: false })).toConstruction();
    off.run('changeRequest', { kind: 'budget', description: 'more', budgetDeltaFen: 50_000_000 }, actors.department);
    off.run('changeRequestOpinion', { cid: 'cr-1', opinion: 'no', agrees: false }, actors.approval);
    off.run('changeRequestOpinion', { cid: 'cr-1', opinion: 'no', agrees: false }, actors.finance);
    off.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: 'ok' }, actors.bdb);
    off.run('budget', construction(30_000_000), actors.finance);
  });
});

describe('Art. 9, 14, 19: 工程监理, 落盘, 变相包装', () => {
  it('Art. 14 (measures): a contract records the supervising firm (工程监理) where there is one', () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-2',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn: '2026-03-20',
        documentRef: 'sha256:2',
        procurement: openTender(),
        supervisor: '晋城工程监理有限公司',
      },
      actors.department,
    );
    expect(h.project.view().contracts.map((c) => [c.contractNo, c.supervisor])).toEqual([
      ['HT-001', null],
      ['HT-2', '晋城工程监理有限公司'],
    ]);
    expect(
      h.refuse(
        'contract',
        {
          contractNo: 'HT-3',
          contractor: 'Acme',
          amountFen: 1,
          signedOn: '2026-03-20',
          procurement: openTender(),
          supervisor: ' ',
        },
        actors.department,
      ).code,
    ).toBe('validation_failed');
  });

  it('Art. 19, 9 (measures): the yearly evaluation records 落盘 beside sharing; data not stored on the platform is a sharing failure: no O&M money', () => {
    const h = new Harness().toOperating();
    h.advanceTo('2027-01-10');
    h.run('evaluation', evaluation(2026, { dataStoredOnPlatform: false }), actors.bdb);
    expect(h.project.view().evaluations[0]).toMatchObject({ sharingCompliant: true, dataStoredOnPlatform: false });
    expect(notes(h, 'sharing-noncompliant').map((n) => n.recipient.role)).toEqual(['department', 'finance']);
    h.run('omReview', { year: 2027, approvedFen: 2_000_000, opinion: 'ok' }, actors.bdb);
    const r = h.refuse('budget', om(1_000_000, 2027), actors.finance);
    expect(r.code).toBe('sharing_noncompliant');
    expect(zh(r)).toContain('落盘');
  });

  it('Art. 19 (measures): an evaluation since the second reading states 落盘 (400 without it); runs from before record it without', () => {
    const h = new Harness().toOperating();
    h.advanceTo('2027-01-10');
    const { dataStoredOnPlatform: _, ...without } = evaluation(2026);
    const r = h.refuse('evaluation', without, actors.bdb);
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    expect(r.details.errors).toEqual([expect.objectContaining({ path: 'dataStoredOnPlatform' })]);
    const old = new Harness({}, 'as-written', true, false).toOperating();
    old.advanceTo('2027-01-10');
    old.run('evaluation', without, actors.bdb);
  });

  it('Art. 9 (measures): 变相包装 is a ground the BDB cites when it rejects in technical review or orders rectification', () => {
    const h = new Harness();
    h.run(
      'technicalReview',
      { decision: 'reject', opinion: '拆分包装的项目', checklist: fullChecklist(), grounds: ['disguised-packaging'] },
      actors.bdb,
    );
    expect(h.stage).toBe('rejected');
    expect(h.project.view().technicalReviews[0]!.grounds).toEqual(['disguised-packaging']);
    expect(notes(h, 'rejected')[0]!.detail).toContain('变相包装');
    expect(label('art9Ground', 'disguised-packaging')).toBe('将政务大数据项目变相包装或纳入其他项目进行建设');
    const p = new Harness();
    expect(
      p.refuse(
        'technicalReview',
        { decision: 'pass', opinion: 'ok', checklist: fullChecklist(), grounds: ['disguised-packaging'] },
        actors.bdb,
      ).code,
    ).toBe('validation_failed');
    const c = new Harness().toConstruction();
    c.run('rectificationOrder', { reason: 'disguised-packaging', description: '本项目被纳入其他项目建设' }, actors.bdb);
    expect(c.project.view().rectifications[0]!.reason).toBe('disguised-packaging');
    expect(label('reason', 'disguised-packaging')).toBe('变相包装');
  });
});

describe('runs recorded before the second reading', () => {
  it('Art. 11, 21, 29: a run without the flag keeps its behaviour: publicity at the first allocation, the plan gate before the report', () => {
    const h = new Harness({}, 'as-written', true, false).toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    expect(h.stage).toBe('publicity');
    const j = new Harness({}, 'as-written', true, false);
    bareJointAcceptance(j);
    j.run('riskAssessment', riskAssessmentBody(), actors.department);
    j.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect(j.refuse('completionReport', { reportRef: 'sha256:r' }, actors.department).code).toBe(
      'emergency_plan_missing',
    );
    // A state carried over keeps no flag (Project.restore).
    expect(Project.restore(JSON.parse(JSON.stringify(j.state))).state.secondReading).toBeUndefined();
    expect(Project.create(makeInput()).state.secondReading).toBe(true);
  });
});
