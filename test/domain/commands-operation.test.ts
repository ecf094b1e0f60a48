/**
 * Unit tests of the lifecycle core's commands: completion report, operation and security (Art. 21, 23, 29).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { actors, expectFundIdentity, Harness, om } from './helpers.ts';

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
