/**
 * Art. 28-29 (issue 15) in the core: the joint risk assessment before technical acceptance, the
 * emergency plan made with the contractor before operation, drill reminders per policy (default
 * yearly), incidents recording to whom and when they were reported — and runs recorded before
 * (state flag `riskAndEmergency` absent) keeping their behaviour.
 */
import { describe, expect, it } from 'vitest';
import { Project } from '../../domain/project.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_SECURITY_DRILL } from '../../domain/policy-defaults.ts';
import { actors, emergencyPlanBody, Harness, makeInput, passTechnical, riskAssessmentBody } from './helpers.ts';

const incident = {
  occurredAt: '2026-03-19T08:00:00Z',
  severity: 'high' as const,
  description: 'data leak attempt',
  handling: 'blocked, logs kept',
};

/** Construction → joint acceptance without the Art. 28-29 records. */
function bareJointAcceptance(h = new Harness()): Harness {
  h.toConstruction();
  h.run(
    'progressReport',
    { period: '2026Q1', spentFen: 1_000_000, progressPercent: 5, summary: 'started' },
    actors.department,
  );
  h.run(
    'catalogEntries',
    { entries: [{ code: 'HLT-001', name: 'Patients', sharingType: 'conditional', updateCycle: 'daily' }] },
    actors.department,
  );
  h.run('preliminaryAcceptance', { reportRef: 'sha256:pre', completedOn: '2026-03-20' }, actors.department);
  return h;
}

describe('risk assessment (Art. 28, measures)', () => {
  it('Art. 28 (measures; the order is policy riskAssessmentBeforeTechnicalAcceptance, on by default): technical acceptance is refused (422 risk_assessment_missing) until the joint risk assessment is recorded; the department is shown as pending', () => {
    const h = bareJointAcceptance();
    expect(h.project.pendingActions()).toContainEqual({
      role: 'department',
      action: 'risk-assessment',
      overdue: false,
      basis: 'policy',
    });
    for (const decision of ['pass', 'fail'] as const) {
      const r = h.refuse('technicalAcceptance', { ...passTechnical(), decision }, actors.bdb);
      expect([r.status, r.code]).toEqual([422, 'risk_assessment_missing']);
      expect(r.message).toContain('Art. 28');
    }
    const e = h.run('riskAssessment', riskAssessmentBody(), actors.department);
    expect(h.effectsOf(e, 'audit')[0]).toMatchObject({ action: 'risk-assessment', actor: { role: 'department' } });
    expect(h.effectsOf(e, 'notify')).toContainEqual(
      expect.objectContaining({ recipient: { role: 'bdb' }, kind: 'risk-assessment' }),
    );
    expect(h.project.view().riskAssessments).toEqual([
      { id: 'risk-1', ...riskAssessmentBody(), recordedAt: h.now, recordedBy: 'Health department' },
    ]);
    expect(h.project.pendingActions().map((a) => a.action)).not.toContain('risk-assessment');
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.state.acceptance.technical?.decision).toBe('pass');
  });

  it("Art. 28: only the project's own department records it (403 for the BDB, other roles and other departments); from contracting on (409); no future date (422)", () => {
    const h = new Harness().toConstruction();
    for (const actor of [actors.bdb, actors.approval, actors.finance, actors.admin, actors.otherDepartment]) {
      expect(h.refuse('riskAssessment', riskAssessmentBody(), actor).status).toBe(403);
    }
    expect(h.refuse('riskAssessment', riskAssessmentBody('2099-01-01'), actors.department).code).toBe('date_in_future');
    expect(h.refuse('riskAssessment', { ...riskAssessmentBody(), bdbParticipant: '' }, actors.department).code).toBe(
      'validation_failed',
    );
    const early = new Harness().toBudgeting();
    expect(early.refuse('riskAssessment', riskAssessmentBody(), actors.department).code).toBe('invalid_transition');
  });
});

describe('emergency plan (Art. 29, measures)', () => {
  it('Art. 29: a run from before the second reading keeps its gate: the completion report is refused (422 emergency_plan_missing) until the emergency plan is recorded (since issue 27 a policy switch, off by default)', () => {
    const h = bareJointAcceptance(new Harness({}, 'as-written', true, false));
    h.run('riskAssessment', riskAssessmentBody(), actors.department);
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    expect(h.stage).toBe('completion_filing');
    expect(h.project.pendingActions()).toContainEqual({ role: 'department', action: 'emergency-plan', overdue: false });
    const r = h.refuse('completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect([r.status, r.code]).toEqual([422, 'emergency_plan_missing']);
    expect(r.message).toContain('Art. 29');
    h.run('emergencyPlan', emergencyPlanBody('Acme'), actors.department);
    expect(h.project.view().emergencyPlans).toEqual([
      { id: 'plan-1', ...emergencyPlanBody('Acme'), recordedAt: h.now, recordedBy: 'Health department' },
    ]);
    h.run('completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect(h.stage).toBe('operating');
  });

  it("Art. 29: the plan is made with the project's contractor (422 contractor_unknown otherwise); department only (403)", () => {
    const h = new Harness().toConstruction();
    const r = h.refuse('emergencyPlan', emergencyPlanBody('Someone Else'), actors.department);
    expect([r.status, r.code]).toEqual([422, 'contractor_unknown']);
    expect(r.message).toContain('Acme');
    for (const actor of [actors.bdb, actors.approval, actors.finance, actors.admin, actors.otherDepartment]) {
      expect(h.refuse('emergencyPlan', emergencyPlanBody('Acme'), actor).status).toBe(403);
    }
    h.run('emergencyPlan', emergencyPlanBody('Acme'), actors.department);
  });
});

describe('drills (Art. 29, policy)', () => {
  it('Art. 29 (policy): from the emergency plan on a drill is due yearly (default); reminder to the department, overdue → department and BDB told, next period starts; a drill meets it', () => {
    expect(DEFAULT_CITY_POLICY.deadlines.securityDrill).toEqual(DEFAULT_SECURITY_DRILL);
    expect(DEFAULT_SECURITY_DRILL).toEqual({
      duration: { unit: 'calendarDays', amount: 365 },
      reminder: { unit: 'calendarDays', amount: 30 },
    });
    const h = new Harness().toOperating();
    const first = h.deadline('security-drill');
    expect(first).toMatchObject({
      status: 'open',
      startsOn: '2026-03-20',
      rule: { unit: 'calendarDays', amount: 365 },
    });
    expect(h.project.view().deadlines.find((d) => d.id === first.id)?.basis).toBe('policy');
    const reminded = h.advanceTo('2027-02-20');
    expect(h.effectsOf(reminded, 'notify')).toContainEqual(
      expect.objectContaining({
        recipient: { role: 'department', department: 'health' },
        kind: 'security-drill-reminder',
        basis: 'policy',
      }),
    );
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'department', action: 'security-drill' }),
    );
    const overdue = h.advanceTo('2027-03-25');
    expect(h.deadline('security-drill').id).not.toBe(first.id);
    expect(h.state.deadlines.find((d) => d.id === first.id)?.status).toBe('missed');
    const notes = h.effectsOf(overdue, 'notify').filter((n) => n.kind === 'security-drill-overdue');
    expect(notes.map((n) => [n.recipient.role, n.basis])).toEqual([
      ['department', 'policy'],
      ['bdb', 'policy'],
    ]);
    expect(h.project.view().violations).toEqual([]);
    // Still pending after the missed period, until a drill is held.
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'department', action: 'security-drill' }),
    );
    h.run(
      'securityDrill',
      { heldOn: '2027-03-24', scenario: 'ransomware', summary: 'restored in 2h' },
      actors.department,
    );
    const next = h.deadline('security-drill');
    expect(next).toMatchObject({ status: 'open', startsOn: '2027-03-24' });
    expect(h.state.deadlines.filter((d) => d.kind === 'security-drill').map((d) => d.status)).toEqual([
      'missed',
      'met',
      'open',
    ]);
    expect(h.project.pendingActions().map((a) => a.action)).not.toContain('security-drill');
  });

  it("Art. 29 (policy): a jurisdiction's own drill period is used", () => {
    const policy = {
      ...DEFAULT_CITY_POLICY,
      deadlines: {
        ...DEFAULT_CITY_POLICY.deadlines,
        securityDrill: { duration: { unit: 'calendarDays' as const, amount: 180 }, reminder: null },
      },
    };
    const h = new Harness({ policy }).toOperating();
    expect(h.deadline('security-drill')).toMatchObject({ rule: { unit: 'calendarDays', amount: 180 }, reminder: null });
  });
});

describe('incidents (Art. 29, measures)', () => {
  it('Art. 29 (measures): an incident records to whom and when it was reported; both required (400), not before it occurred or in the future (422)', () => {
    const h = new Harness().toConstruction();
    const missing = h.refuse('securityIncident', incident, actors.department);
    expect([missing.status, missing.code]).toEqual([400, 'validation_failed']);
    expect(missing.details.errors).toEqual([
      { path: 'reportedTo', message: expect.stringContaining('Art. 29') },
      { path: 'reportedAt', message: expect.stringContaining('Art. 29') },
    ]);
    expect(
      h.refuse(
        'securityIncident',
        { ...incident, reportedTo: '市公安局', reportedAt: '2026-03-19T07:00:00Z' },
        actors.department,
      ).code,
    ).toBe('reported_before_occurred');
    expect(
      h.refuse(
        'securityIncident',
        { ...incident, reportedTo: '市公安局', reportedAt: '2099-03-19T07:00:00Z' },
        actors.department,
      ).code,
    ).toBe('date_in_future');
    expect(
      h.refuse(
        'securityIncident',
        { ...incident, reportedTo: '市公安局', reportedAt: '2026-03-19T09:00:00Z' },
        actors.bdb,
      ).status,
    ).toBe(403);
    h.run(
      'securityIncident',
      { ...incident, reportedTo: '市委网信办、市公安局', reportedAt: '2026-03-19T09:00:00Z' },
      actors.department,
    );
    expect(h.project.view().incidents[0]).toEqual({
      id: 'inc-1',
      ...incident,
      reportedTo: '市委网信办、市公安局',
      reportedAt: '2026-03-19T09:00:00Z',
      recordedAt: h.now,
      reportedBy: 'Health department',
    });
  });
});

describe('runs recorded before issue 15 (state flag absent)', () => {
  it('Art. 28-29: a run without the flag keeps its behaviour: no assessment or plan needed, incidents without recipients, no drill deadline', () => {
    const h = new Harness();
    h.project = Project.create(makeInput(), { riskAndEmergency: false });
    h.toOperating();
    expect(h.state.riskAndEmergency).toBeUndefined();
    expect(h.state.deadlines.some((d) => d.kind === 'security-drill')).toBe(false);
    h.run('securityIncident', incident, actors.department);
    expect(h.project.view().incidents[0]).toEqual({
      id: 'inc-1',
      ...incident,
      reportedAt: h.now,
      reportedBy: 'Health department',
    });
    // A state carried over from before (continue-as-new) gets the empty records.
    const old = JSON.parse(JSON.stringify(h.project.state));
    delete old.riskAssessments;
    delete old.emergencyPlans;
    const restored = Project.restore(old);
    expect(restored.view()).toMatchObject({ riskAssessments: [], emergencyPlans: [] });
  });
});
