/**
 * Unit tests of the lifecycle core's commands: the read side (audit entries, restore, read model).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { Rejection } from '../../domain/errors.ts';
import { Project } from '../../domain/project.ts';
import { deadlineBasis } from '../../domain/policy-defaults.ts';
import { DEFAULT_CITY_POLICY } from '../../domain/policy-defaults.ts';
import { actors, at, fullChecklist, Harness, makeInput } from './helpers.ts';

describe('read side', () => {
  it('Art. 24-25: every accepted command emits exactly one audit entry first and bumps the version', () => {
    const h = new Harness();
    const v0 = h.project.readModel().version;
    const effects = h.run('technicalReview', { decision: 'pass', opinion: '', checklist: fullChecklist() }, actors.bdb);
    expect(effects.filter((e) => e.type === 'audit')).toHaveLength(1);
    expect(effects[0]).toMatchObject({
      type: 'audit',
      action: 'technical-review',
      at: h.now,
      detail: { payload: { decision: 'pass' } },
    });
    expect(h.project.readModel().version).toBe(v0 + 1);
  });

  it('continue-as-new: restore(JSON of the state) behaves exactly like the original', () => {
    const h = new Harness().toConstruction();
    const copy = Project.restore(JSON.parse(JSON.stringify(h.project.state)));
    expect(copy.view()).toEqual(h.project.view());
    const cmd = { name: 'changeRequest', payload: { kind: 'scope', description: 'x' } } as const;
    expect(copy.apply(cmd, actors.department, h.now)).toEqual(h.project.apply(cmd, actors.department, h.now));
    expect(JSON.stringify(copy.state)).toBe(JSON.stringify(h.project.state));
    expect(() => Project.restore({ schema: 99 } as never)).toThrow();
  });

  it("Art. 15, 21 vs policy: each deadline says whether its period is the text's or the policy's", () => {
    const d = DEFAULT_CITY_POLICY.deadlines;
    expect(deadlineBasis('contract-filing', d.contractFiling.duration)).toBe('measures'); // Art. 15: 5 working days
    expect(deadlineBasis('completion-report', d.completionReport.duration)).toBe('measures'); // Art. 21: 7 working days
    // Art. 30: another period (a county's own measures) is not the text's.
    expect(deadlineBasis('contract-filing', { unit: 'workingDays', amount: 3 })).toBe('policy');
    for (const kind of [
      'publicity',
      'progress-report',
      'acceptance-delay',
      'rectification',
      'annual-evaluation',
    ] as const) {
      expect(deadlineBasis(kind, { unit: 'workingDays', amount: 5 }), kind).toBe('policy');
    }
  });

  it('the view shows only scheduled deadlines; unscheduledDeadlines() lists the others for the workflow', () => {
    const p = Project.create(makeInput());
    const now = at('2026-03-03');
    p.apply({ name: 'rectificationOrder', payload: { reason: 'other', description: 'x' } }, actors.bdb, now);
    expect(p.view().deadlines).toEqual([]);
    expect(p.unscheduledDeadlines()).toEqual([
      {
        id: 'dl-1',
        kind: 'rectification',
        ref: 'rect-1',
        startsOn: '2026-03-03',
        rule: { unit: 'workingDays', amount: 20 },
        reminder: { unit: 'workingDays', amount: 3 },
      },
    ]);
    expect(p.deadlineEvents()).toEqual([]);
    p.setDeadlineDates('dl-1', { dueAt: '2026-03-31T15:59:59.999Z', remindAt: '2026-03-26T01:00:00.000Z' });
    expect(p.unscheduledDeadlines()).toEqual([]);
    expect(p.view().deadlines).toEqual([
      {
        id: 'dl-1',
        kind: 'rectification',
        ref: 'rect-1',
        startsAt: '2026-03-02T16:00:00.000Z',
        dueAt: '2026-03-31T15:59:59.999Z',
        dueOn: '2026-03-31',
        remindAt: '2026-03-26T01:00:00.000Z',
        status: 'open',
        rule: { unit: 'workingDays', amount: 20 },
        reminder: { unit: 'workingDays', amount: 3 },
        basis: 'policy',
      },
    ]);
    expect(p.deadlineEvents()).toEqual([
      { deadlineId: 'dl-1', kind: 'rectification', ref: 'rect-1', event: 'remind', at: '2026-03-26T01:00:00.000Z' },
    ]);
    expect(p.nextWakeAt()).toBe('2026-03-26T01:00:00.000Z');
    expect(p.readModel().nextDeadline).toBe('2026-03-31T15:59:59.999Z');
    expect(() => p.setDeadlineDates('dl-9', { dueAt: '2026-03-31T15:59:59.999Z' })).toThrow(Rejection);
    expect(() => p.setDeadlineDates('dl-1', { dueAt: 'soon' })).toThrow(Rejection);
  });

  it('Art. 22: overdue pending actions are judged against the last event time', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: 'x', dueOn: '2026-03-25' }, actors.bdb);
    expect(h.project.readModel().overdue).toBe(false);
    h.advanceTo('2026-03-26');
    const pending = h.project.pendingActions();
    expect(pending).toContainEqual({ role: 'bdb', action: 'rectification-decision', ref: 'rect-1', overdue: false });
    expect(h.project.readModel().awaitingRoles).toContain('bdb');
    // The rectification deadline was missed and closed; the BDB now decides.
    expect(h.deadline('rectification', 'rect-1').status).toBe('missed');
  });

  it('Art. 21: an overdue completion report shows as an overdue pending action', () => {
    const h = new Harness().toCompletionFiling();
    const due = h.deadline('completion-report').dueAt!;
    // A command after the due instant but before the timer fired: the pending action is overdue.
    h.now = new Date(Date.parse(due) + 1_000).toISOString();
    h.run('securityDrill', { heldOn: '2026-03-20', scenario: 's', summary: '' }, actors.department);
    expect(h.project.pendingActions()).toContainEqual({
      role: 'department',
      action: 'completion-report',
      dueAt: due,
      overdue: true,
    });
    expect(h.project.readModel().overdue).toBe(true);
  });

  it('yearEnded() reports each new Shanghai year once', () => {
    const p = Project.create(makeInput());
    expect(p.yearEnded('2026-12-31T15:59:59Z')).toBe(false);
    expect(p.yearEnded('2026-12-31T16:00:00Z')).toBe(true);
    expect(p.yearEnded('2027-06-01T00:00:00Z')).toBe(false);
  });

  it('Art. 24-25: audit and notification event ids are numbered in the state and go on after a restore', () => {
    const p = Project.create(makeInput());
    const ids = p.start(at('2026-03-02')).map((e) => ('eventId' in e ? e.eventId : null));
    expect(ids).toEqual([`${p.state.input.id}:audit:1`, `${p.state.input.id}:notify:2`]);
    const restored = Project.restore(JSON.parse(JSON.stringify(p.state)));
    const next = restored.apply(
      { name: 'technicalReview', payload: { decision: 'reject', opinion: 'no', checklist: fullChecklist() } },
      actors.bdb,
      at('2026-03-03'),
    );
    expect(next[0]).toMatchObject({
      type: 'audit',
      eventId: `${p.state.input.id}:audit:3`,
      action: 'technical-review',
    });
  });

  it('durable before visible: a prepared change leaves the state as it was until it is committed', () => {
    const p = Project.create(makeInput());
    p.start(at('2026-03-02'));
    const before = JSON.stringify(p.state);
    const change = p.prepare(
      { name: 'technicalReview', payload: { decision: 'pass', opinion: 'ok', checklist: fullChecklist() } },
      actors.bdb,
      at('2026-03-03'),
    );
    expect(change.state.stage).toBe('establishment_review');
    expect(JSON.stringify(p.state)).toBe(before);
    p.commit(change);
    expect(p.state.stage).toBe('establishment_review');
  });
});
