/**
 * Deadline consequences through `fire(...)` (docs/MEASURES.md "Deadlines"): what happens when a
 * reminder or due instant is reached, in the order the workflow's timers would fire them.
 * Here: acceptance delay and completion report (Art. 21, 22).
 */
import { describe, expect, it } from 'vitest';
import { actors, at, construction, expectFundIdentity, Harness, om, withSwitches } from './helpers.ts';

describe('acceptance delay (Art. 22)', () => {
  /** Construction with a planned completion 2026-04-30, quarterly reports on time up to July. */
  function delayed(overrides = {}): Harness {
    const h = new Harness({ plannedCompletionDate: '2026-04-30', ...overrides }).toConstruction();
    h.advanceTo('2026-04-02');
    h.run('progressReport', { period: '2026Q1', spentFen: 0, progressPercent: 50, summary: '' }, actors.department);
    h.advanceTo('2026-07-02');
    h.run('progressReport', { period: '2026Q2', spentFen: 0, progressPercent: 90, summary: '' }, actors.department);
    return h;
  }

  it('Art. 22: no preliminary acceptance within 90 days (policy) of the planned completion → violation (policy) + BDB notified; no automatic order, the BDB decides', () => {
    const h = delayed();
    const effects = h.advanceTo('2026-07-30');
    expect(h.deadline('acceptance-delay').status).toBe('missed');
    expect(h.project.view().violations).toEqual([
      expect.objectContaining({ kind: 'acceptance-delay', article: 'Art. 22', basis: 'policy' }),
    ]);
    expect(h.project.view().rectifications).toEqual([]);
    expect(
      h
        .effectsOf(effects, 'notify')
        .filter((n) => n.kind === 'acceptance-delay')
        .map((n) => [n.recipient.role, n.basis]),
    ).toEqual([
      ['bdb', 'policy'],
      ['department', 'policy'],
    ]);
    // A person decides: the BDB orders rectification for the delay.
    h.run('rectificationOrder', { reason: 'acceptance-delay', description: 'Carry out the acceptance.' }, actors.bdb);
    expect(h.project.view().rectifications[0]).toMatchObject({ reason: 'acceptance-delay', automatic: false });
  });

  it('Art. 22: the department states a reason, the BDB accepts it → the delay is excused (no violation, no order); pending actions show who decides', () => {
    const h = delayed(withSwitches({ acceptanceDelayRectification: true }));
    h.run('acceptanceDelayReason', { reason: 'The hospital network migration moved to August.' }, actors.department);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'acceptance-delay-reason-decision',
      ref: 'adr-1',
      overdue: false,
    });
    // One reason at a time (409); only the BDB decides (403); only the department states (403).
    expect(h.refuse('acceptanceDelayReason', { reason: 'again' }, actors.department).code).toBe('invalid_transition');
    expect(h.refuse('acceptanceDelayReasonDecision', { decision: 'accept', opinion: '' }, actors.approval).code).toBe(
      'forbidden',
    );
    expect(h.refuse('acceptanceDelayReason', { reason: 'x' }, actors.bdb).code).toBe('forbidden');
    h.run('acceptanceDelayReasonDecision', { decision: 'accept', opinion: 'Good reason.' }, actors.bdb);
    expect(h.project.view().acceptanceDelayReasons[0]).toMatchObject({
      id: 'adr-1',
      status: 'accepted',
      opinion: 'Good reason.',
      decidedBy: 'BDB reviewer',
    });
    expect(h.refuse('acceptanceDelayReasonDecision', { decision: 'reject', opinion: '' }, actors.bdb).code).toBe(
      'invalid_transition',
    );
    const effects = h.advanceTo('2026-07-30');
    expect(h.deadline('acceptance-delay').status).toBe('missed');
    expect(h.project.view().violations).toEqual([]);
    expect(h.project.view().rectifications).toEqual([]);
    expect(h.effectsOf(effects, 'notify').map((n) => n.kind)).toContain('acceptance-delay-excused');
  });

  it('Art. 22: a rejected reason leaves the BDB to order rectification; with policy switch acceptanceDelayRectification the order is automatic', () => {
    const h = delayed(withSwitches({ acceptanceDelayRectification: true }));
    h.run('acceptanceDelayReason', { reason: 'Busy.' }, actors.department);
    const decided = h.run(
      'acceptanceDelayReasonDecision',
      { decision: 'reject', opinion: 'Not a reason.' },
      actors.bdb,
    );
    expect(h.effectsOf(decided, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['department', 'acceptance-delay-reason-rejected'],
      ['bdb', 'acceptance-delay-reason-rejected'],
    ]);
    h.advanceTo('2026-07-30');
    expect(h.project.view().violations).toContainEqual(
      expect.objectContaining({ kind: 'acceptance-delay', basis: 'policy' }),
    );
    expect(h.project.view().rectifications[0]).toMatchObject({ reason: 'acceptance-delay', automatic: true });
    // Outside construction no reason is stated (409).
    const o = new Harness().toContracting();
    expect(o.refuse('acceptanceDelayReason', { reason: 'x' }, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 22 (legacy reading): no preliminary acceptance within 90 days of the planned completion date → automatic rectification', () => {
    const h = new Harness({ plannedCompletionDate: '2026-04-30' }, 'legacy').toConstruction();
    const d = h.deadline('acceptance-delay');
    expect(d).toMatchObject({
      startsOn: '2026-04-30',
      dueAt: '2026-07-29T15:59:59.999Z',
      remindAt: '2026-07-19T01:00:00.000Z',
    });
    // Report every quarter so only the acceptance delay fires.
    h.advanceTo('2026-04-02');
    h.run('progressReport', { period: '2026Q1', spentFen: 0, progressPercent: 50, summary: '' }, actors.department);
    h.advanceTo('2026-07-02');
    h.run('progressReport', { period: '2026Q2', spentFen: 0, progressPercent: 90, summary: '' }, actors.department);
    const reminder = h.advanceTo('2026-07-20');
    expect(h.effectsOf(reminder, 'notify').map((n) => n.kind)).toEqual(['acceptance-delay-reminder']);
    h.advanceTo('2026-07-30');
    expect(h.deadline('acceptance-delay').status).toBe('missed');
    expect(h.project.view().violations).toContainEqual(
      expect.objectContaining({ kind: 'acceptance-delay', article: 'Art. 22' }),
    );
    expect(h.project.view().rectifications[0]).toMatchObject({ reason: 'acceptance-delay', automatic: true });
    expect(h.stage).toBe('construction');
  });
});

describe('completion report (Art. 21)', () => {
  it('Art. 21: overdue report → violation, no further construction or O&M allocation (422 completion_report_missing); undisbursed money is not frozen by default', () => {
    const h = new Harness().toCompletionFiling();
    h.run('disbursement', { fundType: 'construction', amountFen: 60_000_000, note: 'paid' }, actors.finance);
    const d = h.deadline('completion-report');
    const effects = h.project.fire(d.id, 'due', d.dueAt!);
    h.now = d.dueAt!;
    expect(h.effectsOf(effects, 'fundMovement')).toEqual([]);
    expect(h.state.funds.construction).toMatchObject({ availableFen: 20_000_000, frozenFen: 0 });
    expect(h.project.view().violations).toEqual([
      expect.objectContaining({ kind: 'late-completion-report', article: 'Art. 21', basis: 'measures' }),
    ]);
    const r = h.refuse('budget', om(1_000, 2026), actors.finance);
    expect([r.status, r.code]).toEqual([422, 'completion_report_missing']);
    expect(r.message).toContain('Art. 21');
    // Money already allocated may still be disbursed.
    h.run('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance);
    h.now = at('2026-04-03');
    const late = h.run('completionReport', { reportRef: 'sha256:late' }, actors.department);
    expect(h.stage).toBe('operating');
    expect(h.effectsOf(late, 'fundMovement')).toEqual([]);
    expect(h.project.view().completionReport).toMatchObject({ late: true });
    expect(h.project.view().violations).toHaveLength(1);
  });

  it('Art. 21: an overdue report in construction (after a failed technical acceptance) refuses a further construction allocation', () => {
    const h = new Harness().toJointAcceptance();
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    h.run(
      'technicalAcceptance',
      { decision: 'fail', opinion: 'redo', securityControllable: true, mlpsLevel: 3, cryptoAssessmentPassed: true },
      actors.bdb,
    );
    h.run(
      'changeRequest',
      { kind: 'budget', description: 'more servers', budgetDeltaFen: 1_000_000 },
      actors.department,
    );
    h.consult('cr-1');
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: 'ok' }, actors.bdb);
    const d = h.deadline('completion-report');
    h.project.fire(d.id, 'due', d.dueAt!);
    h.now = d.dueAt!;
    expect(h.refuse('budget', construction(1_000_000), actors.finance).code).toBe('completion_report_missing');
    // The department files the report while the technical acceptance is repeated: allocations open again.
    h.run('completionReport', { reportRef: 'sha256:r' }, actors.department);
    expect(h.stage).toBe('construction');
    h.run('budget', construction(1_000_000), actors.finance);
  });

  it('Art. 21: with policy switch completionReportFreeze, overdue report freezes remaining construction money; late filing releases exactly that', () => {
    const h = new Harness(withSwitches({ completionReportFreeze: true })).toCompletionFiling();
    h.run('disbursement', { fundType: 'construction', amountFen: 60_000_000, note: 'paid' }, actors.finance);
    const d = h.deadline('completion-report');
    const effects = h.project.fire(d.id, 'due', d.dueAt!);
    h.now = d.dueAt!;
    expect(h.state.funds.construction).toMatchObject({ availableFen: 0, frozenFen: 20_000_000 });
    expect(
      h
        .effectsOf(effects, 'notify')
        .filter((n) => n.kind === 'completion-report-freeze')
        .map((n) => n.basis),
    ).toEqual(['policy']);
    expect(h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance).code).toBe(
      'insufficient_funds',
    );
    h.now = at('2026-04-03');
    const late = h.run('completionReport', { reportRef: 'sha256:late' }, actors.department);
    expect(
      h.effectsOf(late, 'fundMovement').map((m) => [m.movement.kind, m.movement.reason, m.movement.amountFen]),
    ).toEqual([['unfreeze', 'completion-report', 20_000_000]]);
    expectFundIdentity(h.project);
  });

  it('Art. 21 (legacy reading): overdue report freezes remaining construction money and blocks O&M; late filing releases exactly that, violation kept', () => {
    const h = new Harness({}, 'legacy').toCompletionFiling();
    h.run('disbursement', { fundType: 'construction', amountFen: 60_000_000, note: 'paid' }, actors.finance);
    const d = h.deadline('completion-report');
    expect(d).toMatchObject({ startsOn: '2026-03-20', dueAt: '2026-03-31T15:59:59.999Z' });
    const reminder = h.project.fire(d.id, 'remind', d.remindAt!);
    expect(h.effectsOf(reminder, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['department', 'completion-report-reminder'],
    ]);

    const effects = h.project.fire(d.id, 'due', d.dueAt!);
    h.now = d.dueAt!;
    expect(h.state.funds.construction).toMatchObject({
      availableFen: 0,
      frozenFen: 20_000_000,
      disbursedFen: 60_000_000,
    });
    expect(h.effectsOf(effects, 'fundMovement')[0]!.movement).toMatchObject({
      kind: 'freeze',
      reason: 'completion-report',
      amountFen: 20_000_000,
    });
    expect(h.project.view().violations).toEqual([
      expect.objectContaining({ kind: 'late-completion-report', article: 'Art. 21' }),
    ]);
    expect(h.effectsOf(effects, 'notify').map((n) => n.recipient.role)).toEqual(
      expect.arrayContaining(['department', 'bdb', 'finance']),
    );
    // No O&M budget while the report is overdue; no disbursement of frozen money.
    expect(h.refuse('budget', om(1_000, 2026), actors.finance).code).toBe('completion_report_missing');
    expect(h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance).code).toBe(
      'insufficient_funds',
    );

    h.now = at('2026-04-03');
    const late = h.run('completionReport', { reportRef: 'sha256:late' }, actors.department);
    expect(h.stage).toBe('operating');
    expect(h.state.funds.construction).toMatchObject({ availableFen: 20_000_000, frozenFen: 0 });
    expect(
      h.effectsOf(late, 'fundMovement').map((m) => [m.movement.kind, m.movement.reason, m.movement.amountFen]),
    ).toEqual([['unfreeze', 'completion-report', 20_000_000]]);
    expect(h.project.view().violations).toHaveLength(1);
    expect(h.project.view().completionReport).toMatchObject({ late: true });
    expect(h.deadline('completion-report').status).toBe('missed');
    expectFundIdentity(h.project);
  });

  it('Art. 21, 22 (legacy reading): with funds also suspended, filing late moves the money under the suspension freeze', () => {
    const h = new Harness({}, 'legacy').toCompletionFiling();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'y', evidenceRef: 'e' }, actors.department);
    const d = h.deadline('completion-report');
    h.project.fire(d.id, 'due', d.dueAt!);
    h.now = d.dueAt!;
    expect(h.state.frozenBy.construction).toEqual({ suspension: 0, 'completion-report': 80_000_000 });
    h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'no' }, actors.bdb);
    h.run('completionReport', { reportRef: 'r' }, actors.department);
    expect(h.state.frozenBy.construction).toEqual({ suspension: 80_000_000, 'completion-report': 0 });
    expect(h.state.funds.construction.availableFen).toBe(0);
    expectFundIdentity(h.project);
  });
});
