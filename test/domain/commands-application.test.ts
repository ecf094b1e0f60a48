/**
 * Unit tests of the lifecycle core's commands: application (Art. 7-9).
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { actors, fullChecklist, Harness } from './helpers.ts';

describe('technicalReview (Art. 7)', () => {
  it('Art. 7: pass with every checklist item → establishment_review, decision recorded', () => {
    const h = new Harness();
    const effects = h.run(
      'technicalReview',
      { decision: 'pass', opinion: 'sound design', checklist: fullChecklist() },
      actors.bdb,
    );
    expect(h.stage).toBe('establishment_review');
    expect(effects[0]).toMatchObject({ type: 'audit', action: 'technical-review', actor: actors.bdb });
    expect(h.project.view().decisions.at(-1)).toMatchObject({
      action: 'technical-review',
      role: 'bdb',
      by: 'BDB reviewer',
      decision: 'pass',
      opinion: 'sound design',
    });
    expect(h.effectsOf(effects, 'notify')).toContainEqual(expect.objectContaining({ recipient: { role: 'approval' } }));
    expect(h.project.pendingActions()).toEqual([{ role: 'approval', action: 'establishment', overdue: false }]);
  });

  it('Art. 7: pass needs every checklist item (422 checklist_incomplete)', () => {
    const h = new Harness();
    const r = h.refuse(
      'technicalReview',
      {
        decision: 'pass',
        opinion: '',
        checklist: { ...fullChecklist(), cloudDeployment: false, securityControllable: false },
      },
      actors.bdb,
    );
    expect([r.status, r.code]).toEqual([422, 'checklist_incomplete']);
    expect(r.details).toEqual({ missing: ['cloudDeployment', 'securityControllable'] });
  });

  it('Art. 7: revise sends the application back to the department, resubmission returns it', () => {
    const h = new Harness();
    h.run(
      'technicalReview',
      { decision: 'revise', opinion: 'add cloud plan', checklist: { ...fullChecklist(), cloudDeployment: false } },
      actors.bdb,
    );
    expect(h.stage).toBe('submitted');
    expect(h.project.pendingActions()).toEqual([{ role: 'department', action: 'resubmission', overdue: false }]);
    const docs = { proposal: 'p2', feasibilityStudy: 'f2', preliminaryDesign: 'd2', investmentEstimate: 'e2' };
    h.run('resubmission', { documents: docs, note: 'cloud plan added' }, actors.department);
    expect(h.stage).toBe('technical_review');
    expect(h.project.view().documents).toEqual(docs);
  });

  it('Art. 9: reject ends the project as rejected', () => {
    const h = new Harness();
    h.run(
      'technicalReview',
      { decision: 'reject', opinion: 'duplicates the city platform', checklist: fullChecklist() },
      actors.bdb,
    );
    expect(h.stage).toBe('rejected');
    expect(h.project.isTerminal()).toBe(true);
    expect(h.project.pendingActions()).toEqual([]);
  });

  it('Art. 7: a second review after pass is a 409 invalid_transition with stage and pendingActions', () => {
    const h = new Harness().toEstablishment();
    const r = h.refuse('technicalReview', { decision: 'pass', opinion: '', checklist: fullChecklist() }, actors.bdb);
    expect([r.status, r.code]).toEqual([409, 'invalid_transition']);
    expect(r.details).toEqual({
      stage: 'establishment_review',
      pendingActions: [{ role: 'approval', action: 'establishment', overdue: false }],
    });
  });

  it('Art. 7: a malformed checklist is a 400 validation_failed', () => {
    const h = new Harness();
    const r = h.refuse(
      'technicalReview',
      { decision: 'pass', opinion: '', checklist: { resourceCatalog: true } } as never,
      actors.bdb,
    );
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
    const r2 = h.refuse(
      'technicalReview',
      { decision: 'maybe', opinion: '', checklist: fullChecklist() } as never,
      actors.bdb,
    );
    expect(r2.code).toBe('validation_failed');
  });
});

describe('resubmission (Art. 7)', () => {
  it('Art. 7: resubmission is possible only after revise (409)', () => {
    const h = new Harness();
    const docs = { proposal: 'p2', feasibilityStudy: 'f2', preliminaryDesign: 'd2', investmentEstimate: 'e2' };
    expect(h.refuse('resubmission', { documents: docs, note: '' }, actors.department).code).toBe('invalid_transition');
  });

  it('Art. 8: resubmitted documents must all be referenced (400)', () => {
    const h = new Harness();
    h.run('technicalReview', { decision: 'revise', opinion: '', checklist: fullChecklist() }, actors.bdb);
    const r = h.refuse('resubmission', { documents: { proposal: 'p2' }, note: '' } as never, actors.department);
    expect(r.code).toBe('validation_failed');
  });
});

describe('establishment (Art. 8-9)', () => {
  it('Art. 8: approve → budgeting with the approval number; finance notified', () => {
    const h = new Harness().toEstablishment();
    const effects = h.run(
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-1', opinion: 'ok', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    expect(h.stage).toBe('budgeting');
    expect(h.state.approvalNo).toBe('JSP-1');
    expect(h.effectsOf(effects, 'notify')).toContainEqual(expect.objectContaining({ recipient: { role: 'finance' } }));
  });

  it('Art. 9: reject → rejected', () => {
    const h = new Harness().toEstablishment();
    h.run('establishment', { decision: 'reject', approvalNo: '', opinion: 'cannot interconnect' }, actors.approval);
    expect(h.stage).toBe('rejected');
  });

  it('Art. 8: approval needs a passed technical review first (409)', () => {
    const h = new Harness();
    expect(
      h.refuse('establishment', { decision: 'approve', approvalNo: 'JSP-1', opinion: '' }, actors.approval).code,
    ).toBe('invalid_transition');
  });

  it('Art. 8: an approval without approvalNo is a 400', () => {
    const h = new Harness().toEstablishment();
    expect(h.refuse('establishment', { decision: 'approve', approvalNo: ' ', opinion: '' }, actors.approval).code).toBe(
      'validation_failed',
    );
  });
});
