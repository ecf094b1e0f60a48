/**
 * Issue 13 (part A): the measures as written — Art. 9 sharing and 未批先建, Art. 18-19 and 21 around
 * 竣工验收, the Art. 22 accountability referral, the policy switches and the measures/policy basis.
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { Project } from '../../domain/project.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES, policySwitches } from '../../domain/policy-defaults.ts';
import type { Policy } from '../../domain/policy.ts';
import {
  actors,
  at,
  construction,
  Harness,
  makeInput,
  om,
  passTechnical,
  openTender,
  withSwitches,
} from './helpers.ts';

/** Operating with published O&M money of the next year (2027). */
function operatingWithOm(): Harness {
  const h = new Harness().toOperating();
  h.advanceTo('2027-01-10');
  h.run('omReview', { year: 2027, approvedFen: 2_000_000, opinion: 'ok' }, actors.bdb);
  h.run('budget', om(1_000_000, 2027), actors.finance);
  h.publish(); // Art. 11: the BDB's allocation plan starts the notice period
  h.advanceTo('2027-01-25');
  expect(h.state.funds.om.availableFen).toBe(1_000_000);
  return h;
}

describe('Art. 9: no O&M money for a project that does not share data', () => {
  it('Art. 9: an evaluation with sharingCompliant false refuses the O&M disbursement too (422 sharing_noncompliant naming Art. 9); construction money unaffected', () => {
    const h = operatingWithOm();
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
    const r = h.refuse('disbursement', { fundType: 'om', amountFen: 1, note: '' }, actors.finance);
    expect([r.status, r.code]).toEqual([422, 'sharing_noncompliant']);
    expect(r.message).toContain('Art. 9');
    expect(h.refuse('budget', om(1_000, 2027), actors.finance).code).toBe('sharing_noncompliant');
    h.run('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance);
  });

  it('Art. 9: an open sharing-noncompliance rectification refuses O&M disbursement and allocation until it is accepted', () => {
    const h = operatingWithOm();
    h.run(
      'rectificationOrder',
      { reason: 'sharing-noncompliance', description: 'Put the data on the platform (落盘).' },
      actors.bdb,
    );
    expect(h.refuse('disbursement', { fundType: 'om', amountFen: 1, note: '' }, actors.finance).code).toBe(
      'sharing_noncompliant',
    );
    expect(h.refuse('budget', om(1_000, 2027), actors.finance).code).toBe('sharing_noncompliant');
    expect(h.project.pendingActions().some((a) => a.role === 'finance' && a.action === 'budget')).toBe(false);
    h.run(
      'rectificationResponse',
      { rid: 'rect-1', description: 'shared', evidenceRef: 'sha256:s' },
      actors.department,
    );
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'ok' }, actors.bdb);
    h.run('disbursement', { fundType: 'om', amountFen: 1, note: '' }, actors.finance);
  });

  it('Art. 9 (legacy reading): only the allocation was refused', () => {
    const h = new Harness({}, 'legacy').toOperating();
    h.run('rectificationOrder', { reason: 'sharing-noncompliance', description: 'x' }, actors.bdb);
    h.advanceTo('2027-01-10');
    h.run('omReview', { year: 2027, approvedFen: 2_000_000, opinion: 'ok' }, actors.bdb);
    h.run('budget', om(1_000_000, 2027), actors.finance);
  });
});

describe('Art. 9: 不得未批先建', () => {
  it('Art. 9: the approval date is recorded; a contract signed before it → violation unapproved-construction, BDB and approval bureau notified, contract recorded, no order by default', () => {
    const h = new Harness().toContracting();
    expect(h.state.approvedOn).toBe('2026-03-02');
    h.advanceTo('2026-03-20');
    const effects = h.run(
      'contract',
      {
        contractNo: 'HT-EARLY',
        contractor: 'Acme',
        amountFen: 1_000,
        signedOn: '2026-02-27',
        documentRef: 'sha256:e',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.stage).toBe('construction');
    expect(h.project.view().contracts.map((c) => c.contractNo)).toEqual(['HT-EARLY']);
    expect(h.project.view().violations).toEqual([
      {
        kind: 'unapproved-construction',
        article: 'Art. 9',
        at: h.now,
        detail: expect.stringContaining('2026-03-02'),
        basis: 'measures',
      },
    ]);
    expect(
      h
        .effectsOf(effects, 'notify')
        .filter((n) => n.kind === 'unapproved-construction')
        .map((n) => n.recipient.role),
    ).toEqual(['bdb', 'approval']);
    expect(h.project.view().rectifications).toEqual([]);
    // Signed on or after the approval date: no violation.
    h.run(
      'contract',
      {
        contractNo: 'HT-OK',
        contractor: 'Acme',
        amountFen: 1_000,
        signedOn: '2026-03-02',
        documentRef: 'sha256:f',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.project.view().violations).toHaveLength(1);
  });

  it('Art. 9: with policy switch unapprovedConstructionRectification the order is automatic (reviewed by the BDB)', () => {
    const h = new Harness(withSwitches({ unapprovedConstructionRectification: true })).toContracting();
    h.advanceTo('2026-03-20');
    h.run(
      'contract',
      {
        contractNo: 'HT-EARLY',
        contractor: 'Acme',
        amountFen: 1_000,
        signedOn: '2026-02-27',
        documentRef: 'sha256:e',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(h.project.view().rectifications[0]).toMatchObject({
      reason: 'unapproved-construction',
      automatic: true,
      issuedByRole: 'bdb',
    });
  });
});

describe("Art. 18-19, 21: 竣工验收 is the approval bureau's completion acceptance", () => {
  it('Art. 21: the 7 working days run from the completion acceptance, not from the later technical acceptance', () => {
    const h = new Harness().toJointAcceptance();
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    const d = h.deadline('completion-report');
    expect(d).toMatchObject({ startsOn: '2026-03-20', rule: { unit: 'workingDays', amount: 7 }, status: 'open' });
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'department', action: 'completion-report', dueAt: d.dueAt }),
    );
    h.advanceTo('2026-03-25');
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.stage).toBe('completion_filing');
    expect(h.state.deadlines.filter((x) => x.kind === 'completion-report').map((x) => x.startsOn)).toEqual([
      '2026-03-20',
    ]);
  });

  it('Art. 21: the report may be filed while the technical acceptance is pending; operating once that passes', () => {
    const h = new Harness().toJointAcceptance();
    expect(h.refuse('completionReport', { reportRef: 'r' }, actors.department).code).toBe('invalid_transition');
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    h.run('completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect(h.stage).toBe('joint_acceptance');
    expect(h.deadline('completion-report').status).toBe('met');
    expect(h.refuse('completionReport', { reportRef: 'again' }, actors.department).code).toBe('already_exists');
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.stage).toBe('operating');
    expect(h.deadline('annual-evaluation', '2026').status).toBe('open');
  });

  it('Art. 21: a completion acceptance wiped by a failure (switch on) cancels its report deadline', () => {
    const h = new Harness(withSwitches({ failedAcceptanceClearsOtherPass: true })).toJointAcceptance();
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    h.run('technicalAcceptance', { ...passTechnical(), decision: 'fail', opinion: 'redo' }, actors.bdb);
    expect(h.deadline('completion-report').status).toBe('cancelled');
  });
});

describe('Art. 22: accountability referral (追究责任)', () => {
  it('Art. 22: the BDB records a referral with its reference; kept in the view; only the BDB may (403)', () => {
    const h = new Harness().toConstruction();
    h.run(
      'accountabilityReferral',
      { reference: '晋纪〔2026〕3号', description: 'Serious loss of construction funds.' },
      actors.bdb,
    );
    expect(h.project.view().accountabilityReferrals).toEqual([
      {
        id: 'acc-1',
        reference: '晋纪〔2026〕3号',
        description: 'Serious loss of construction funds.',
        recordedAt: h.now,
        recordedBy: 'BDB reviewer',
      },
    ]);
    expect(h.project.view().decisions.at(-1)).toMatchObject({
      action: 'accountability-referral',
      decision: '晋纪〔2026〕3号',
    });
    for (const actor of [actors.approval, actors.finance, actors.department, actors.admin]) {
      expect(h.refuse('accountabilityReferral', { reference: 'x', description: 'y' }, actor).code).toBe('forbidden');
    }
    expect(h.refuse('accountabilityReferral', { reference: '', description: 'y' }, actors.bdb).code).toBe(
      'validation_failed',
    );
  });
});

describe('policy switches and the basis of each rule (docs/MEASURES.md "Two kinds of rule")', () => {
  it("Art. 30: every consequence the text does not name is off by default (the city's default orders of Art. 7, 10, 28 on); a policy stored without switches reads as the defaults", () => {
    const on = [
      'technicalReviewEveryItem',
      'riskAssessmentBeforeTechnicalAcceptance',
      'budgetIncreaseNeedsApprovalAgreement',
    ];
    expect(
      Object.entries(DEFAULT_POLICY_SWITCHES)
        .filter(([, v]) => v)
        .map(([k]) => k),
    ).toEqual(on);
    const old: Policy = { jurisdiction: 'city', version: 1, deadlines: DEFAULT_CITY_POLICY.deadlines };
    expect(policySwitches(old)).toEqual(DEFAULT_POLICY_SWITCHES);
    const p = Project.create(makeInput({ policy: old }));
    expect(p.view().policy).toEqual({ jurisdiction: 'city', version: 1, switches: DEFAULT_POLICY_SWITCHES });
    expect(policySwitches({ switches: { completionReportFreeze: true } })).toEqual({
      ...DEFAULT_POLICY_SWITCHES,
      completionReportFreeze: true,
    });
  });

  it('Art. 24-25: violations recorded before the basis existed show as measures; a state carried over gains the new records', () => {
    const h = new Harness().toConstruction();
    const state = JSON.parse(JSON.stringify(h.state));
    state.violations.push({ kind: 'late-filing', article: 'Art. 15', at: at('2026-03-20'), detail: 'old' });
    delete state.acceptanceDelayReasons;
    delete state.accountabilityReferrals;
    const restored = Project.restore(state);
    expect(restored.view().violations).toEqual([
      { kind: 'late-filing', article: 'Art. 15', at: at('2026-03-20'), detail: 'old', basis: 'measures' },
    ]);
    expect(restored.view()).toMatchObject({ acceptanceDelayReasons: [], accountabilityReferrals: [] });
  });

  it('Art. 3: a withdrawn project is terminal: nothing more is accepted, no pending actions', () => {
    const h = new Harness().toBudgeting();
    h.run('withdrawal', { reason: 'merged' }, actors.department);
    expect(h.stage).toBe('withdrawn');
    expect(h.project.pendingActions()).toEqual([]);
    expect(h.refuse('budget', construction(1), actors.finance).code).toBe('invalid_transition');
  });
});
