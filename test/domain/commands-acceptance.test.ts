/**
 * Unit tests of the lifecycle core's commands: catalogue and acceptance (Art. 18-20, 28).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import { actors, Harness, passTechnical } from './helpers.ts';

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
