/**
 * Deadline consequences through `fire(...)` (docs/MEASURES.md "Deadlines"): what happens when a
 * reminder or due instant is reached, in the order the workflow's timers would fire them.
 */
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/effects.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import type { PolicySwitches } from '../../domain/policy.ts';
import { actors, at, construction, expectFundIdentity, Harness, om, openTender } from './helpers.ts';

/** The city policy with some switches on. */
const withSwitches = (on: Partial<PolicySwitches>) => ({
  policy: { ...DEFAULT_CITY_POLICY, switches: { ...DEFAULT_POLICY_SWITCHES, ...on } },
});

describe('publicity (Art. 11)', () => {
  it('Art. 11: the publicity period ends → held money published, stage contracting', () => {
    const h = new Harness().toPublicity();
    const d = h.deadline('publicity');
    // An early timer changes nothing.
    expect(h.project.fire(d.id, 'due', at('2026-03-05'))).toEqual([]);
    const effects = h.project.fire(d.id, 'due', d.dueAt!);
    expect(h.stage).toBe('contracting');
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, availableFen: 80_000_000 });
    expect(h.effectsOf(effects, 'fundMovement')[0]!.movement).toMatchObject({
      kind: 'publish',
      from: 'held',
      to: 'available',
      allocationId: 'alloc-1',
    });
    expect(effects).toContainEqual(
      expect.objectContaining({ type: 'audit', action: 'publicity-ended', actor: SYSTEM_ACTOR }),
    );
    expect(h.deadline('publicity').status).toBe('met');
    // Firing again is idempotent.
    expect(h.project.fire(d.id, 'due', d.dueAt!)).toEqual([]);
  });

  it('Art. 11: an objection upheld during publicity cancels the held money and returns to budgeting', () => {
    const h = new Harness().toPublicity();
    h.run('publicityObjection', { summary: 'overpriced servers' }, actors.bdb);
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: true, note: 'founded' }, actors.bdb);
    expect(h.stage).toBe('budgeting');
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      heldFen: 0,
      cancelledFen: 80_000_000,
    });
    // The cancelled period's timer no longer does anything.
    expect(h.advanceTo('2026-04-01')).toEqual([]);
    // Finance budgets again (held, Art. 11: the stage waits for the BDB's plan); a new publicity period starts.
    h.run('budget', construction(70_000_000), actors.finance);
    expect(h.stage).toBe('budgeting');
    h.publish();
    expect(h.stage).toBe('publicity');
    h.advanceTo('2026-04-10');
    expect(h.stage).toBe('contracting');
    expect(h.state.funds.construction).toMatchObject({
      allocatedFen: 150_000_000,
      availableFen: 70_000_000,
      cancelledFen: 80_000_000,
    });
    expectFundIdentity(h.project);
  });

  it('Art. 11: an objection open at expiry holds publication until it is resolved', () => {
    const h = new Harness().toPublicity();
    h.run('publicityObjection', { summary: 'check the vendor' }, actors.bdb);
    const effects = h.advanceTo('2026-03-12');
    expect(h.stage).toBe('publicity');
    expect(h.state.funds.construction.heldFen).toBe(80_000_000);
    expect(h.project.view().allocations[0]!.status).toBe('awaiting-objection');
    expect(h.effectsOf(effects, 'notify')).toContainEqual(
      expect.objectContaining({ recipient: { role: 'bdb' }, kind: 'publicity-objection-resolution' }),
    );
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: false, note: 'vendor fine' }, actors.bdb);
    expect(h.stage).toBe('contracting');
    expect(h.state.funds.construction.availableFen).toBe(80_000_000);
  });

  it('Art. 11: an objection upheld after the period ended still cancels the held money', () => {
    const h = new Harness().toPublicity();
    h.run('publicityObjection', { summary: 'x' }, actors.bdb);
    h.advanceTo('2026-03-12');
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: true, note: 'founded' }, actors.bdb);
    expect(h.stage).toBe('budgeting');
    expect(h.state.funds.construction.cancelledFen).toBe(80_000_000);
  });

  it('Art. 17, 11 (legacy reading): an upheld objection against a budget-increase allocation makes the increase fundable again', () => {
    const h = new Harness({}, 'legacy').toConstruction();
    h.run('changeRequest', { kind: 'budget', description: 'more', budgetDeltaFen: 5_000 }, actors.department);
    h.consult('cr-1');
    h.run('changeRequestDecision', { cid: 'cr-1', decision: 'approve', opinion: '' }, actors.bdb);
    h.run('budget', construction(5_000), actors.finance);
    h.run('publicityObjection', { summary: 'x' }, actors.bdb);
    h.run('publicityObjectionResolution', { oid: 'obj-1', upheld: true, note: '' }, actors.bdb);
    expect(h.stage).toBe('construction');
    expect(h.state.changeRequests[0]!.fundedFen).toBe(0);
    h.run('budget', construction(5_000), actors.finance);
    expectFundIdentity(h.project);
  });
});

describe('contract filing (Art. 15)', () => {
  it('Art. 15: a reminder 2 working days before (policy), then violation + BDB notified; no automatic order by default', () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-002',
        contractor: 'Hardware Co',
        amountFen: 1,
        signedOn: '2026-03-20',
        procurement: openTender(),
      },
      actors.department,
    );
    const d = h.deadline('contract-filing', 'HT-002');
    const reminder = h.project.fire(d.id, 'remind', d.remindAt!);
    expect(h.effectsOf(reminder, 'notify')).toEqual([
      expect.objectContaining({ kind: 'contract-filing-reminder', basis: 'policy' }),
    ]);
    const effects = h.project.fire(d.id, 'due', d.dueAt!);
    expect(h.deadline('contract-filing', 'HT-002').status).toBe('missed');
    const v = h.project.view();
    expect(v.violations).toEqual([
      {
        kind: 'late-filing',
        article: 'Art. 15',
        at: d.dueAt,
        detail: expect.stringContaining('HT-002'),
        basis: 'measures',
      },
    ]);
    expect(v.rectifications).toEqual([]);
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind, n.basis])).toEqual([
      ['bdb', 'late-filing', 'measures'],
      ['department', 'late-filing', 'measures'],
    ]);
    expect(h.effectsOf(effects, 'startDeadline')).toEqual([]);
  });

  it('Art. 15: with policy switch lateFilingRectification: violation + automatic late-filing rectification (basis policy)', () => {
    const h = new Harness(withSwitches({ lateFilingRectification: true })).toConstruction();
    h.run(
      'contract',
      {
        contractNo: 'HT-002',
        contractor: 'Hardware Co',
        amountFen: 1,
        signedOn: '2026-03-20',
        procurement: openTender(),
      },
      actors.department,
    );
    const d = h.deadline('contract-filing', 'HT-002');
    expect([d.startsOn, d.dueAt, d.remindAt]).toEqual([
      '2026-03-20',
      '2026-03-27T15:59:59.999Z',
      '2026-03-25T01:00:00.000Z',
    ]);
    expect(h.project.deadlineEvents()[0]).toMatchObject({ deadlineId: d.id, event: 'remind' });

    const reminder = h.project.fire(d.id, 'remind', d.remindAt!);
    expect(h.effectsOf(reminder, 'notify')).toEqual([
      {
        type: 'notify',
        eventId: expect.any(String),
        projectId: h.project.state.input.id,
        at: expect.any(String),
        recipient: { role: 'department', department: 'health' },
        kind: 'contract-filing-reminder',
        params: { contractNo: expect.any(String) },
        detail: expect.any(String),
        dueAt: d.dueAt,
        basis: 'policy',
      },
    ]);
    expect(reminder).toContainEqual(
      expect.objectContaining({ type: 'audit', action: 'deadline-reminder', actor: SYSTEM_ACTOR }),
    );
    expect(h.project.fire(d.id, 'remind', d.remindAt!)).toEqual([]);
    expect(h.project.deadlineEvents().find((e) => e.deadlineId === d.id)).toMatchObject({ event: 'due', at: d.dueAt });

    const effects = h.project.fire(d.id, 'due', d.dueAt!);
    expect(h.deadline('contract-filing', 'HT-002').status).toBe('missed');
    const v = h.project.view();
    expect(v.violations).toEqual([
      {
        kind: 'late-filing',
        article: 'Art. 15',
        at: d.dueAt,
        detail: expect.stringContaining('HT-002'),
        basis: 'measures',
      },
    ]);
    expect(v.rectifications[0]).toMatchObject({
      reason: 'late-filing',
      automatic: true,
      issuedByRole: 'bdb',
      issuedBy: 'system (deadline)',
      status: 'awaiting-response',
    });
    expect(
      h
        .effectsOf(effects, 'notify')
        .filter((n) => n.kind === 'rectification-order')
        .map((n) => n.basis),
    ).toEqual(['policy', 'policy']);
    const recipients = h.effectsOf(effects, 'notify').map((n) => n.recipient.role);
    expect(recipients).toEqual(expect.arrayContaining(['bdb', 'department']));
    expect(h.effectsOf(effects, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'rectification',
      ref: 'rect-1',
      rule: { unit: 'workingDays', amount: 20 },
    });
    expect(h.effectsOf(effects, 'audit').every((a) => a.actor === SYSTEM_ACTOR)).toBe(true);

    // Filing late is still recorded; the violation stays.
    h.now = at('2026-03-30');
    h.run('contractFiling', { contractNo: 'HT-002', documentRef: 'sha256:ht2' }, actors.department);
    expect(h.project.view().contracts[1]).toMatchObject({ filedLate: true });
    expect(h.project.view().violations).toHaveLength(1);
    // The automatic order is reviewed by the BDB (the issuing role).
    h.run(
      'rectificationResponse',
      { rid: 'rect-1', description: 'filed', evidenceRef: 'sha256:ht2' },
      actors.department,
    );
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'ok' }, actors.bdb);
    expect(h.project.view().rectifications[0]!.status).toBe('accepted');
  });
});

describe('progress reports (Art. 16)', () => {
  it('Art. 16: a missing quarterly report (period policy): reminder, then violation (basis policy) + BDB notified; no order by default', () => {
    const h = new Harness().toConstruction();
    h.advanceTo('2026-04-13');
    const effects = h.advanceTo('2026-04-15');
    expect(h.deadline('progress-report', '2026Q1').status).toBe('missed');
    expect(h.project.view().violations).toEqual([
      expect.objectContaining({ kind: 'missing-report', article: 'Art. 16', basis: 'policy' }),
    ]);
    expect(h.project.view().rectifications).toEqual([]);
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind, n.basis])).toEqual([
      ['bdb', 'missing-report', 'policy'],
      ['department', 'missing-report', 'policy'],
    ]);
    expect(h.deadline('progress-report', '2026Q2').status).toBe('open');
  });

  it('Art. 16: with policy switch missingReportRectification: reminder, then automatic missing-report rectification', () => {
    const h = new Harness(withSwitches({ missingReportRectification: true })).toConstruction();
    const d = h.deadline('progress-report', '2026Q1');
    expect(d).toMatchObject({
      startsOn: '2026-03-31',
      dueAt: '2026-04-14T15:59:59.999Z',
      remindAt: '2026-04-10T01:00:00.000Z',
    });
    const reminder = h.advanceTo('2026-04-13');
    expect(h.effectsOf(reminder, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['department', 'progress-report-reminder'],
    ]);
    const effects = h.advanceTo('2026-04-15');
    expect(h.deadline('progress-report', '2026Q1').status).toBe('missed');
    expect(h.project.view().violations).toContainEqual(
      expect.objectContaining({ kind: 'missing-report', article: 'Art. 16' }),
    );
    expect(h.project.view().rectifications[0]).toMatchObject({ reason: 'missing-report', automatic: true });
    // The next quarter's deadline starts at its end.
    expect(
      h.effectsOf(effects, 'startDeadline').map((s) => [s.deadline.kind, s.deadline.ref, s.deadline.startsOn]),
    ).toContainEqual(['progress-report', '2026Q2', '2026-06-30']);
    // A late report for the missed period is accepted and marked late.
    h.run('progressReport', { period: '2026Q1', spentFen: 0, progressPercent: 3, summary: 'late' }, actors.department);
    expect(h.project.view().progressReports[0]).toMatchObject({ period: '2026Q1', late: true });
    expect(h.deadline('progress-report', '2026Q2').status).toBe('open');
  });
});

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

describe('rectification ladder (Art. 22)', () => {
  function suspended(measures: 'as-written' | 'legacy' = 'as-written'): Harness {
    const h = new Harness({}, measures).toContracting();
    h.run('disbursement', { fundType: 'construction', amountFen: 30_000_000, note: '' }, actors.finance);
    h.run('rectificationOrder', { reason: 'unapproved-construction', description: 'works started early' }, actors.bdb);
    h.run(
      'rectificationResponse',
      { rid: 'rect-1', description: 'stopped', evidenceRef: 'sha256:photo' },
      actors.department,
    );
    h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'still building' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true);
    // As written: disbursement suspended, the allocations stay (暂停拨付); legacy froze the money.
    expect(h.state.funds.construction).toMatchObject(
      measures === 'legacy'
        ? { availableFen: 0, frozenFen: 50_000_000, disbursedFen: 30_000_000 }
        : { availableFen: 50_000_000, frozenFen: 0, disbursedFen: 30_000_000 },
    );
    return h;
  }

  it('Art. 22: order → response rejected → disbursement suspended (409 funds_suspended, money stays) → extension → accepted → lifted', () => {
    const h = suspended();
    const r = h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance);
    expect([r.status, r.code]).toEqual([409, 'funds_suspended']);
    expect(h.project.view().violations).toContainEqual(
      expect.objectContaining({ kind: 'rectification-failed', article: 'Art. 22', basis: 'measures' }),
    );
    h.run('rectificationExtension', { rid: 'rect-1', dueOn: '2026-04-30', reason: 'one more chance' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true);
    h.run(
      'rectificationResponse',
      { rid: 'rect-1', description: 'stopped for real', evidenceRef: 'sha256:photo2' },
      actors.department,
    );
    const effects = h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'ok' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(false);
    expect(h.effectsOf(effects, 'fundMovement')).toEqual([]);
    expect(h.effectsOf(effects, 'notify').map((n) => n.kind)).toContain('funds-unsuspended');
    h.run('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance);
    expectFundIdentity(h.project);
  });

  it('Art. 22: from suspension the department may still rectify late; the BDB accepts it and lifts the suspension (no extension needed)', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-03-20' }, actors.bdb);
    h.advanceTo('2026-03-23'); // 拒不整改: no response by the deadline
    expect(h.state.funds.suspended).toBe(true);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'done at last', evidenceRef: 'e' }, actors.department);
    expect(h.project.view().rectifications[0]!.status).toBe('failed');
    expect(
      h.refuse('rectificationResponse', { rid: 'rect-1', description: 'again', evidenceRef: 'e' }, actors.department)
        .code,
    ).toBe('invalid_transition');
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'rectification-review',
      ref: 'rect-1',
      overdue: false,
    });
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'fine now' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(false);
    expect(h.refuse('termination', { reason: 'x' }, actors.bdb).code).toBe('invalid_transition');
  });

  it('Art. 22: termination only from suspension: from any other state 409 invalid_transition naming the Art. 22 ladder; only the BDB terminates', () => {
    for (const h of [
      new Harness(),
      new Harness().toContracting(),
      new Harness().toConstruction(),
      new Harness().toOperating(),
    ]) {
      const r = h.refuse('termination', { reason: 'no longer needed' }, actors.bdb);
      expect([r.status, r.code]).toEqual([409, 'invalid_transition']);
      expect(r.message).toMatch(/Art\. 22.*rectification order.*suspended.*termination/);
    }
    // An open order alone is not enough.
    const o = new Harness().toConstruction();
    o.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.approval);
    expect(o.refuse('termination', { reason: 'x' }, actors.bdb).code).toBe('invalid_transition');
    o.run('rectificationResponse', { rid: 'rect-1', description: 'y', evidenceRef: 'e' }, actors.department);
    o.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'no' }, actors.approval);
    expect(o.refuse('termination', { reason: 'x' }, actors.approval).code).toBe('forbidden');
    expect(o.refuse('termination', { reason: 'x' }, actors.department).code).toBe('forbidden');
    o.run('termination', { reason: 'refuses to rectify' }, actors.bdb);
    expect(o.stage).toBe('terminated');
  });

  it('Art. 22 (legacy reading): order → response rejected → suspended → extension → accepted → unfrozen; termination from any stage', () => {
    const h = suspended('legacy');
    expect(h.project.view().violations).toContainEqual(
      expect.objectContaining({ kind: 'rectification-failed', article: 'Art. 22' }),
    );
    h.run('rectificationExtension', { rid: 'rect-1', dueOn: '2026-04-30', reason: 'one more chance' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true); // still suspended until accepted
    expect(h.project.view().rectifications[0]!.status).toBe('awaiting-response');
    h.run(
      'rectificationResponse',
      { rid: 'rect-1', description: 'stopped for real', evidenceRef: 'sha256:photo2' },
      actors.department,
    );
    const effects = h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'ok' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(false);
    expect(h.state.funds.construction).toMatchObject({ availableFen: 50_000_000, frozenFen: 0 });
    expect(h.effectsOf(effects, 'fundMovement').map((m) => [m.movement.kind, m.movement.reason])).toEqual([
      ['unfreeze', 'suspension'],
    ]);
    h.run('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance);
    expectFundIdentity(h.project);
    const t = new Harness({}, 'legacy').toConstruction();
    t.run('termination', { reason: 'legacy' }, actors.bdb);
    expect(t.stage).toBe('terminated');
    const w = new Harness({}, 'legacy').toPublicity();
    w.run('withdrawal', { reason: 'legacy' }, actors.department);
    expect(w.stage).toBe('terminated');
  });

  it('Art. 22: suspension lasts while any failed rectification is not accepted', () => {
    const h = suspended();
    h.run('rectificationOrder', { reason: 'other', description: 'second', dueOn: '2026-03-20' }, actors.approval);
    h.advanceTo('2026-03-21'); // rect-2 deadline passes without a response
    expect(h.project.view().rectifications[1]!.status).toBe('failed');
    h.run('rectificationExtension', { rid: 'rect-1', dueOn: '2026-04-30', reason: 'more time' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'ok', evidenceRef: 'e' }, actors.department);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true);
    h.run('rectificationExtension', { rid: 'rect-2', dueOn: '2026-04-30', reason: 'more time' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-2', description: 'ok', evidenceRef: 'e' }, actors.department);
    // Only the issuing role (approval) reviews rect-2.
    expect(h.refuse('rectificationReview', { rid: 'rect-2', decision: 'accept', opinion: '' }, actors.bdb).code).toBe(
      'forbidden',
    );
    h.run('rectificationReview', { rid: 'rect-2', decision: 'accept', opinion: '' }, actors.approval);
    expect(h.state.funds.suspended).toBe(false);
    expect(h.state.funds.construction.availableFen).toBe(50_000_000);
  });

  it('Art. 22: deadline passed without a response → suspended; reminder 3 working days before', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    const d = h.deadline('rectification', 'rect-1');
    expect(d).toMatchObject({
      startsOn: '2026-03-09',
      dueAt: '2026-04-06T15:59:59.999Z',
      remindAt: '2026-04-01T01:00:00.000Z',
    });
    h.now = at('2026-03-10');
    const reminder = h.advanceTo('2026-04-02');
    expect(h.effectsOf(reminder, 'notify').map((n) => [n.recipient.role, n.kind])).toEqual([
      ['department', 'rectification-reminder'],
    ]);
    const effects = h.advanceTo('2026-04-07');
    expect(h.state.funds.suspended).toBe(true);
    expect(h.deadline('rectification', 'rect-1').status).toBe('missed');
    expect(h.effectsOf(effects, 'notify').map((n) => n.recipient.role)).toEqual(
      expect.arrayContaining(['bdb', 'department', 'finance']),
    );
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'rectification-decision',
      ref: 'rect-1',
      overdue: false,
    });
  });

  it('Art. 22 (measures): a response given in time and not reviewed by the deadline: nothing suspended (neither 拒不整改 nor 整改后仍不符合); the issuer is reminded (policy) and may still accept it', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-03-20' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'done', evidenceRef: 'e' }, actors.department);
    // The reminder (policy) goes to the issuer, who must act, not to the department that answered.
    const reminder = h.advanceTo('2026-03-19');
    expect(h.effectsOf(reminder, 'notify').map((n) => [n.recipient.role, n.kind, n.basis])).toEqual([
      ['bdb', 'rectification-review-pending', 'policy'],
    ]);
    const effects = h.advanceTo('2026-03-21');
    expect(h.state.funds.suspended).toBe(false);
    expect(h.project.view().violations).toEqual([]);
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind, n.basis])).toEqual([
      ['bdb', 'rectification-review-pending', 'policy'],
    ]);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'rectification-review',
      ref: 'rect-1',
      overdue: false,
    });
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'late but fine' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(false);
    expect(h.project.view().rectifications[0]!.status).toBe('accepted');
  });

  it('Art. 22: money published while suspended becomes available but is not disbursed', () => {
    const h = new Harness().toPublicity();
    h.suspend();
    const effects = h.advanceTo('2026-03-12');
    expect(h.stage).toBe('contracting');
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, availableFen: 80_000_000, frozenFen: 0 });
    expect(h.effectsOf(effects, 'fundMovement').map((m) => m.movement.kind)).toEqual(['publish']);
    expect(h.refuse('disbursement', { fundType: 'construction', amountFen: 1, note: '' }, actors.finance).code).toBe(
      'funds_suspended',
    );
  });

  it('Art. 22 (legacy reading): money published while suspended goes straight on to frozen', () => {
    const h = new Harness({}, 'legacy').toPublicity();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'y', evidenceRef: 'e' }, actors.department);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'no' }, actors.bdb);
    expect(h.state.funds.construction.heldFen).toBe(80_000_000);
    const effects = h.advanceTo('2026-03-12');
    expect(h.stage).toBe('contracting');
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, availableFen: 0, frozenFen: 80_000_000 });
    expect(h.effectsOf(effects, 'fundMovement').map((m) => m.movement.kind)).toEqual(['publish', 'freeze']);
  });

  it('Art. 22: suspended → termination → all unspent money cancelled', () => {
    const h = suspended();
    const effects = h.run('termination', { reason: 'refuses to rectify' }, actors.bdb);
    expect(h.stage).toBe('terminated');
    expect(h.state.funds).toMatchObject({
      suspended: false,
      construction: {
        allocatedFen: 80_000_000,
        heldFen: 0,
        availableFen: 0,
        frozenFen: 0,
        disbursedFen: 30_000_000,
        cancelledFen: 50_000_000,
      },
    });
    expect(
      h.effectsOf(effects, 'fundMovement').map((m) => [m.movement.kind, m.movement.from, m.movement.amountFen]),
    ).toEqual([['cancel', 'available', 50_000_000]]);
    expect(h.project.view().rectifications[0]!.status).toBe('closed');
    expect(h.state.deadlines.every((d) => d.status !== 'open')).toBe(true);
    expect(h.project.deadlineEvents()).toEqual([]);
    expectFundIdentity(h.project);
  });

  it('fund movements carry unique deterministic idempotency keys', () => {
    const h = suspended();
    h.run('termination', { reason: 'x' }, actors.bdb);
    const keys = h.log
      .filter((e) => e.type === 'fundMovement')
      .map((e) => (e.type === 'fundMovement' ? e.movement.key : ''));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([
      'JC2026-TEST0001:1:allocate:construction',
      'JC2026-TEST0001:2:publish:construction',
      'JC2026-TEST0001:3:disburse:construction',
      'JC2026-TEST0001:4:cancel:construction',
    ]);
  });
});

describe('annual evaluation (Art. 23)', () => {
  it('Art. 23: reminder 10 days before 31 March goes to the BDB only; expiry marks it missed and starts the next year', () => {
    const h = new Harness().toOperating();
    const d = h.deadline('annual-evaluation', '2026');
    expect(d).toMatchObject({ dueAt: '2027-03-31T15:59:59.999Z', remindAt: '2027-03-21T01:00:00.000Z' });
    const reminder = h.advanceTo('2027-03-22');
    // (Art. 29 drill reminders of the same months are another deadline's: tested in risk-and-emergency.test.ts.)
    expect(h.effectsOf(reminder, 'notify').filter((n) => !n.kind.startsWith('security-drill'))).toEqual([
      {
        type: 'notify',
        eventId: expect.any(String),
        projectId: h.project.state.input.id,
        at: expect.any(String),
        recipient: { role: 'bdb' },
        kind: 'annual-evaluation-reminder',
        params: { year: expect.any(String) },
        detail: expect.any(String),
        dueAt: d.dueAt,
        basis: 'policy',
      },
    ]);
    const expiry = h.advanceTo('2027-04-01');
    expect(h.deadline('annual-evaluation', '2026').status).toBe('missed');
    expect(
      h
        .effectsOf(expiry, 'notify')
        .filter((n) => !n.kind.startsWith('security-drill'))
        .map((n) => n.recipient.role),
    ).toEqual(['bdb']);
    expect(h.project.view().violations).toEqual([]);
    expect(h.deadline('annual-evaluation', '2027')).toMatchObject({
      status: 'open',
      startsOn: '2027-01-01',
      rule: { until: '2028-03-31' },
    });
    // A late evaluation of 2026 is still recorded.
    h.run(
      'evaluation',
      {
        year: 2026,
        fundUseScore: 70,
        outputScore: 70,
        effectScore: 70,
        satisfactionScore: 70,
        sharingCompliant: true,
        dataStoredOnPlatform: true,
        summary: 'late',
      },
      actors.bdb,
    );
    expect(h.project.view().evaluations).toHaveLength(1);
  });
});

describe('fire() robustness', () => {
  it('unknown, unscheduled or closed deadlines and early fires change nothing', () => {
    const h = new Harness().toPublicity();
    const before = JSON.stringify(h.state);
    expect(h.project.fire('dl-404', 'due', at('2030-01-01'))).toEqual([]);
    expect(h.project.fire('dl-1', 'remind', at('2030-01-01'))).toEqual([]); // publicity has no reminder
    expect(h.project.fire('dl-1', 'due', at('2026-03-03'))).toEqual([]);
    expect(JSON.stringify(h.state)).toBe(before);
    const p = new Harness();
    p.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    p.project.state.deadlines[0]!.dueAt = null; // (as if the calendar activity had not answered)
    expect(p.project.fire('dl-1', 'due', at('2030-01-01'))).toEqual([]);
  });

  it('fireDue() fires everything up to now in order', () => {
    const h = new Harness().toConstruction();
    h.run(
      'contract',
      { contractNo: 'HT-2', contractor: 'x', amountFen: 1, signedOn: '2026-03-20', procurement: openTender() },
      actors.department,
    );
    const effects = h.project.fireDue(at('2026-04-20'));
    for (const e of effects)
      if (e.type === 'startDeadline') h.project.setDeadlineDates(e.deadline.id, { dueAt: at('2099-01-01') });
    const kinds = effects.filter((e) => e.type === 'audit').map((e) => (e.type === 'audit' ? e.action : ''));
    expect(kinds).toEqual(['deadline-reminder', 'deadline-missed', 'deadline-reminder', 'deadline-missed']);
    expect(h.project.view().violations.map((v) => v.kind)).toEqual(['late-filing', 'missing-report']);
  });
});
