/**
 * docs/MEASURES.md "Working days": when a year's calendar changes, open deadlines not yet due are
 * recomputed, each on the audit trail; a passed deadline is never reopened automatically.
 * The core side: the internal command `deadlineRescheduling` (domain/rescheduling.ts).
 */
import { describe, expect, it } from 'vitest';
import { actors, at, Harness, openTender } from './helpers.ts';

const cause = { year: 2026, source: 'notice' as const, reference: '国办发明电〔2026〕7号' };

describe('deadlineRescheduling (docs/MEASURES.md "Working days")', () => {
  it('Art. 22: an open rectification deadline moves; the audit entry carries the old and new dates and the cause', () => {
    const h = new Harness();
    h.run('rectificationOrder', { reason: 'other', description: 'fix it' }, actors.bdb);
    const d = h.deadline('rectification', 'rect-1');
    const oldDueAt = d.dueAt!;
    const newDueAt = '2026-04-01T16:00:00.000Z';
    const newRemindAt = '2026-03-27T01:00:00.000Z';
    const effects = h.run(
      'deadlineRescheduling',
      { cause, changes: [{ deadlineId: d.id, dueAt: newDueAt, remindAt: newRemindAt }] },
      actors.admin,
    );

    const audits = h.effectsOf(effects, 'audit');
    expect(audits.map((a) => a.action)).toEqual(['deadline-rescheduling', 'deadline-rescheduled']);
    expect(audits[1]!.detail).toEqual({
      deadlineId: d.id,
      kind: 'rectification',
      ref: 'rect-1',
      oldDueAt,
      newDueAt,
      oldRemindAt: expect.any(String),
      newRemindAt,
      cause,
    });
    expect(audits[1]!.actor).toEqual(actors.admin);
    const moved = h.deadline('rectification', 'rect-1');
    expect([moved.dueAt, moved.remindAt, moved.status]).toEqual([newDueAt, newRemindAt, 'open']);
    // The workflow's timer follows: the next wake is the new reminder.
    expect(h.project.nextWakeAt()).toBe(newRemindAt);
  });

  it('Art. 22: a passed deadline is left alone and never reopened; a closed one too', () => {
    const h = new Harness();
    h.run('rectificationOrder', { reason: 'other', description: 'first' }, actors.bdb);
    h.run('rectificationOrder', { reason: 'other', description: 'second' }, actors.bdb);
    const first = h.deadline('rectification', 'rect-1');
    // The department answers the first and the BDB accepts: its deadline is closed.
    h.run('rectificationResponse', { rid: 'rect-1', description: 'done', evidenceRef: 'sha256:e' }, actors.department);
    h.run('rectificationReview', { rid: 'rect-1', decision: 'accept', opinion: 'ok' }, actors.bdb);
    const second = h.deadline('rectification', 'rect-2');
    expect(first.status).toBe('open'); // the record as it was before the response
    const closed = h.state.deadlines.find((x) => x.id === first.id)!;
    expect(closed.status).not.toBe('open');

    // Now the second's due instant passes: as the workflow would see it, just after due, before firing.
    const late = new Date(Date.parse(second.dueAt!) + 1000).toISOString();
    h.now = late;
    const effects = h.run(
      'deadlineRescheduling',
      {
        cause,
        changes: [
          { deadlineId: first.id, dueAt: '2026-05-01T16:00:00.000Z', remindAt: null },
          { deadlineId: second.id, dueAt: '2026-05-01T16:00:00.000Z', remindAt: null },
        ],
      },
      actors.admin,
    );
    expect(h.effectsOf(effects, 'audit').map((a) => a.action)).toEqual(['deadline-rescheduling']);
    const after = h.state.deadlines;
    expect(after.find((x) => x.id === first.id)).toMatchObject({ status: closed.status, dueAt: first.dueAt });
    expect(after.find((x) => x.id === second.id)).toMatchObject({ status: 'open', dueAt: second.dueAt });
  });

  it('Art. 15: a reminder moved after now is sent again at its new instant', () => {
    const h = new Harness().toContracting();
    h.run(
      'contract',
      {
        contractNo: 'C-1',
        contractor: 'Acme',
        amountFen: 10_000_000,
        signedOn: h.now.slice(0, 10),
        procurement: openTender(),
      },
      actors.department,
    );
    const d = h.deadline('contract-filing', 'C-1');
    h.advanceTo(d.remindAt!);
    expect(h.state.deadlines.find((x) => x.id === d.id)!.reminded).toBe(true);
    const dueAt = new Date(Date.parse(d.dueAt!) + 86_400_000).toISOString();
    const remindAt = new Date(Date.parse(d.remindAt!) + 86_400_000).toISOString();
    h.run('deadlineRescheduling', { cause, changes: [{ deadlineId: d.id, dueAt, remindAt }] }, actors.admin);
    expect(h.state.deadlines.find((x) => x.id === d.id)).toMatchObject({ dueAt, remindAt, reminded: false });
  });

  it('Art. 24-25: only the system administrator and the start-up key send it (三员分立; 403 for every business role and the security and audit administrators); an unknown deadline is 404', () => {
    const h = new Harness();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    const change = { deadlineId: 'dl-1', dueAt: at('2026-05-01'), remindAt: null };
    for (const actor of [
      actors.bdb,
      actors.approval,
      actors.finance,
      actors.department,
      actors.secadmin,
      actors.auditadmin,
    ]) {
      expect(h.refuse('deadlineRescheduling', { cause, changes: [change] }, actor).status).toBe(403);
    }
    expect(
      h.refuse('deadlineRescheduling', { cause, changes: [{ ...change, deadlineId: 'dl-99' }] }, actors.sysadmin)
        .status,
    ).toBe(404);
    expect(
      h.refuse('deadlineRescheduling', { cause, changes: [{ ...change, deadlineId: 'dl-99' }] }, actors.admin).status,
    ).toBe(404);
    expect(
      h.refuse('deadlineRescheduling', { cause, changes: [{ ...change, dueAt: 'tomorrow' }] }, actors.admin).status,
    ).toBe(400);
    expect(
      h.refuse('deadlineRescheduling', { cause: { ...cause, source: 'guess' as never }, changes: [] }, actors.admin)
        .status,
    ).toBe(400);
  });

  it('Art. 24-25: equal dates move nothing (a repeated rescheduling writes only the command entry)', () => {
    const h = new Harness();
    h.run('rectificationOrder', { reason: 'other', description: 'x' }, actors.bdb);
    const d = h.deadline('rectification', 'rect-1');
    const effects = h.run(
      'deadlineRescheduling',
      { cause, changes: [{ deadlineId: d.id, dueAt: d.dueAt!, remindAt: d.remindAt }] },
      actors.admin,
    );
    expect(h.effectsOf(effects, 'audit').map((a) => a.action)).toEqual(['deadline-rescheduling']);
  });
});
