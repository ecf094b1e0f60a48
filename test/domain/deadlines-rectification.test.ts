/**
 * Deadline consequences through `fire(...)` (docs/MEASURES.md "Deadlines"): what happens when a
 * reminder or due instant is reached, in the order the workflow's timers would fire them.
 * Here: the rectification ladder (Art. 22), annual evaluation (Art. 23) and fire() robustness.
 */
import { describe, expect, it } from 'vitest';
import { actors, at, expectFundIdentity, Harness, openTender } from './helpers.ts';

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
