/**
 * Deadline consequences through `fire(...)` (docs/MEASURES.md "Deadlines"): what happens when a
 * reminder or due instant is reached, in the order the workflow's timers would fire them.
 * Here: publicity, contract filing and progress reports (Art. 11, 15, 16).
 */
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/effects.ts';
import { actors, at, construction, expectFundIdentity, Harness, openTender, withSwitches } from './helpers.ts';

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
