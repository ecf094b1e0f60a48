/**
 * Unit tests of the lifecycle core's commands: contracts, progress and changes (Art. 13-17).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { actors, Harness, openTender } from './helpers.ts';

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
