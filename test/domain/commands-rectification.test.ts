/**
 * Unit tests of the lifecycle core's commands: rectification, termination and withdrawal (Art. 22).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { actors, Harness } from './helpers.ts';

describe('rectification (Art. 22)', () => {
  it('Art. 22: bdb or approval orders a rectification with a 20-working-day deadline or its own date', () => {
    const h = new Harness().toConstruction();
    const e1 = h.run(
      'rectificationOrder',
      { reason: 'unauthorized-change', description: 'scope changed without request' },
      actors.bdb,
    );
    expect(h.effectsOf(e1, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'rectification',
      ref: 'rect-1',
      rule: { unit: 'workingDays', amount: 20 },
      reminder: { unit: 'workingDays', amount: 3 },
    });
    const e2 = h.run(
      'rectificationOrder',
      { reason: 'unapproved-construction', description: 'x', dueOn: '2026-05-01' },
      actors.approval,
    );
    expect(h.effectsOf(e2, 'startDeadline')[0]!.deadline).toMatchObject({
      ref: 'rect-2',
      rule: { until: '2026-05-01' },
    });
    expect(h.project.view().rectifications[1]).toMatchObject({
      issuedByRole: 'approval',
      status: 'awaiting-response',
      automatic: false,
    });
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'department', action: 'rectification-response', ref: 'rect-2' }),
    );
  });

  it('Art. 22: an order during review stages is fine; a past date is refused (422 due_date_past)', () => {
    const h = new Harness();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    expect(
      h.refuse('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-01-01' }, actors.bdb).code,
    ).toBe('due_date_past');
    expect(h.refuse('rectificationOrder', { reason: 'bribery', description: 'x' } as never, actors.bdb).code).toBe(
      'validation_failed',
    );
  });

  it('Art. 22: response → issuer accepts; only the issuing role reviews (403); unknown order 404; wrong state 409', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.approval);
    expect(
      h.refuse('rectificationResponse', { rid: 'rect-9', description: 'd', evidenceRef: 'e' }, actors.department)
        .status,
    ).toBe(404);
    expect(
      h.refuse('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.approval).code,
    ).toBe('invalid_transition');
    h.run('rectificationResponse', { rid: 'rect-1', description: 'fixed', evidenceRef: 'sha256:e' }, actors.department);
    expect(
      h.refuse('rectificationResponse', { rid: 'rect-1', description: 'again', evidenceRef: 'e' }, actors.department)
        .code,
    ).toBe('invalid_transition');
    expect(h.refuse('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.bdb).code).toBe(
      'forbidden',
    );
    expect(
      h.refuse('rectificationReview', { rid: 'rect-9', decision: 'accept', opinion: '' }, actors.approval).status,
    ).toBe(404);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'fine' }, actors.approval);
    expect(h.project.view().rectifications[0]!.status).toBe('accepted');
    expect(h.deadline('rectification', 'rect-1').status).toBe('met');
    expect(h.state.funds.suspended).toBe(false);
  });

  it('Art. 22: a rejected response suspends the funds and asks the BDB to decide', () => {
    const h = new Harness().toContracting();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    h.run('rectificationResponse', { rid: 'rect-1', description: 'fixed', evidenceRef: 'e' }, actors.department);
    const effects = h.run('rectificationReview', { rid: 'rect-1', decision: 'reject', opinion: 'no' }, actors.bdb);
    expect(h.state.funds.suspended).toBe(true);
    // As written: disbursement suspended (暂停拨付), the money stays where it is — no freeze.
    expect(h.state.funds.construction).toMatchObject({ availableFen: 80_000_000, frozenFen: 0 });
    expect(h.effectsOf(effects, 'fundMovement')).toEqual([]);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'bdb',
      action: 'rectification-decision',
      ref: 'rect-1',
      overdue: false,
    });
    expect(h.project.readModel().view.funds.suspended).toBe(true);
  });

  it('Art. 22: extension reopens the deadline; unknown 404; accepted 409; past date 422', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    expect(
      h.refuse('rectificationExtension', { rid: 'rect-5', dueOn: '2026-06-01', reason: 'more time' }, actors.bdb)
        .status,
    ).toBe(404);
    expect(
      h.refuse('rectificationExtension', { rid: 'rect-1', dueOn: '2026-01-01', reason: 'more time' }, actors.bdb).code,
    ).toBe('due_date_past');
    const first = h.deadline('rectification', 'rect-1');
    const effects = h.run(
      'rectificationExtension',
      { rid: 'rect-1', dueOn: '2026-06-30', reason: 'complex' },
      actors.bdb,
    );
    expect(h.state.deadlines.find((d) => d.id === first.id)!.status).toBe('cancelled');
    expect(h.effectsOf(effects, 'startDeadline')[0]!.deadline).toMatchObject({
      kind: 'rectification',
      ref: 'rect-1',
      rule: { until: '2026-06-30' },
    });
    h.run('rectificationResponse', { rid: 'rect-1', description: 'fixed', evidenceRef: 'e' }, actors.department);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: '' }, actors.bdb);
    expect(
      h.refuse('rectificationExtension', { rid: 'rect-1', dueOn: '2026-07-30', reason: 'more time' }, actors.bdb).code,
    ).toBe('invalid_transition');
  });
});

describe('termination and withdrawal (Art. 22)', () => {
  it('Art. 22: termination cancels all unspent money and open deadlines', () => {
    const h = new Harness().toConstruction();
    h.run('disbursement', { fundType: 'construction', amountFen: 10_000_000, note: '' }, actors.finance);
    h.suspend();
    const effects = h.run('termination', { reason: 'failed rectification' }, actors.bdb);
    expect(h.stage).toBe('terminated');
    expect(h.state.funds.construction).toMatchObject({
      availableFen: 0,
      disbursedFen: 10_000_000,
      cancelledFen: 70_000_000,
    });
    expect(h.state.deadlines.filter((d) => d.status === 'open')).toEqual([]);
    expect(h.effectsOf(effects, 'fundMovement').map((m) => [m.movement.kind, m.movement.from])).toEqual([
      ['cancel', 'available'],
    ]);
    expect(h.project.readModel()).toMatchObject({ awaitingRoles: [], nextDeadline: null });
  });

  it('Art. 22: withdrawal by the department before construction; not after (409)', () => {
    const h = new Harness().toPublicity();
    h.run('withdrawal', { reason: 'merged' }, actors.department);
    // As written the withdrawal has its own end; `terminated` is Art. 22's sanction only.
    expect(h.stage).toBe('withdrawn');
    expect(h.project.isTerminal()).toBe(true);
    expect(h.state.funds.construction).toMatchObject({ heldFen: 0, cancelledFen: 80_000_000 });
    expect(h.project.view().allocations[0]!.status).toBe('cancelled');
    const c = new Harness().toConstruction();
    expect(c.refuse('withdrawal', { reason: 'x' }, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 22: a termination needs a reason (400)', () => {
    const h = new Harness();
    expect(h.refuse('termination', { reason: '' }, actors.bdb).code).toBe('validation_failed');
  });
});
