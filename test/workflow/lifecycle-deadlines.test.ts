/**
 * The project workflow end to end on the time-skipping server: real timers, real activities, real
 * ledger and audit tables. Each test names the article it proves.
 * Here: deadlines with their consequences, signals, the records of Art. 13-14.
 */
import { describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import { actors, fullChecklist, om, openTender, passTechnical } from '../domain/helpers.ts';
import { eventually } from '../support/system.ts';
import { recordRiskAndEmergency, runsOf, saveGoldenHistory } from './support.ts';
import { lc, openDeadline, skipPast, today, toConstruction, useLifecycle, viewWhen } from './lifecycle-fixtures.ts';

useLifecycle();

describe('deadlines with their consequences', () => {
  it('Art. 15: a contract not filed within 5 working days → reminder (policy), violation + BDB notified (measures), no automatic order by default; filing late still counts', async () => {
    const id = await toConstruction();
    const signedOn = await today();
    let v = await lc.send(
      id,
      'contract',
      { contractNo: 'HT-002', contractor: 'Supervisor Co', amountFen: 1_000_000, signedOn, procurement: openTender() },
      actors.department,
    );
    const filing = v.deadlines.find((d) => d.kind === 'contract-filing' && d.ref === 'HT-002' && d.status === 'open');
    expect(filing).toBeDefined();

    await skipPast(filing!.dueAt);
    v = await viewWhen(id, (x) =>
      x.deadlines.some((d) => d.kind === 'contract-filing' && d.ref === 'HT-002' && d.status === 'missed'),
    );
    expect(v.violations.filter((x) => x.article === 'Art. 15').map((x) => x.basis)).toEqual(['measures']);
    expect(v.rectifications).toEqual([]);
    const notes = await eventually(async () => {
      const n = await lc.notifications(id);
      return n.some((x) => x.kind === 'late-filing' && x.recipientRole === 'bdb') ? n : undefined;
    });
    expect(notes.filter((n) => n.kind === 'contract-filing-reminder').map((n) => [n.recipientRole, n.basis])).toEqual([
      ['department', 'policy'],
    ]);
    expect(notes.find((n) => n.kind === 'late-filing' && n.recipientRole === 'bdb')?.basis).toBe('measures');

    v = await lc.send(id, 'contractFiling', { contractNo: 'HT-002', documentRef: 'sha256:late' }, actors.department);
    const contract = (
      v.contracts as Array<{ contractNo: string; filedOn?: string | null; filedAt?: string | null }>
    ).find((c) => c.contractNo === 'HT-002');
    expect(contract?.filedAt ?? contract?.filedOn).toBeTruthy();
    // The violation stays on the record.
    expect(v.violations.some((x) => x.article === 'Art. 15')).toBe(true);
  });

  it('Art. 22: order → response rejected → disbursement suspended (409 funds_suspended, nothing frozen) → extension → accepted → lifted', async () => {
    const id = await toConstruction();
    let v = await lc.send(
      id,
      'rectificationOrder',
      { reason: 'unauthorized-change', description: 'Scope changed without a request' },
      actors.bdb,
    );
    const order = (v.rectifications as Array<{ id: string; status: string }>).at(-1)!;
    await lc.send(
      id,
      'rectificationResponse',
      { rid: order.id, description: 'Reverted', evidenceRef: 'sha256:r1' },
      actors.department,
    );
    v = await lc.send(
      id,
      'rectificationReview',
      { rid: order.id, decision: 'reject', opinion: 'Not reverted' },
      actors.bdb,
    );
    expect(v.funds.suspended).toBe(true);
    // 暂停拨付: the allocations stay, disbursement is refused.
    expect(v.funds.construction).toMatchObject({ availableFen: 80_000_000, frozenFen: 0 });
    await expect(
      lc.send(id, 'disbursement', { fundType: 'construction', amountFen: 1, note: 'x' }, actors.finance),
    ).rejects.toMatchObject({ cause: { type: 'funds_suspended' } });

    const dueOn = shanghaiDate(new Date((await lc.env.currentTimeMs()) + 30 * 86_400_000).toISOString());
    await lc.send(id, 'rectificationExtension', { rid: order.id, dueOn, reason: 'One more month' }, actors.bdb);
    await lc.send(
      id,
      'rectificationResponse',
      { rid: order.id, description: 'Reverted for real', evidenceRef: 'sha256:r2' },
      actors.department,
    );
    v = await lc.send(id, 'rectificationReview', { rid: order.id, decision: 'accept', opinion: 'Done' }, actors.bdb);
    expect(v.funds.suspended).toBe(false);
    expect(v.funds.construction).toMatchObject({ availableFen: 80_000_000, frozenFen: 0 });
    const kinds = (await lc.movements(id)).map((m) => m.kind);
    expect(kinds).toEqual(['allocate', 'publish']);
    await lc.send(
      id,
      'disbursement',
      { fundType: 'construction', amountFen: 1, note: 'after the suspension' },
      actors.finance,
    );
    saveGoldenHistory('rectification-ladder', (await runsOf(lc, id))[0]!.history);
  });

  it('Art. 22: the ladder — order → deadline passes (拒不整改) → disbursement suspended → disbursement 409 → termination allowed, cancelling all unspent money', async () => {
    const id = await toConstruction();
    await lc.send(
      id,
      'disbursement',
      { fundType: 'construction', amountFen: 5_000_000, note: 'advance' },
      actors.finance,
    );
    // Not before the ladder: termination from construction is refused, naming Art. 22.
    await expect(lc.send(id, 'termination', { reason: 'too early' }, actors.bdb)).rejects.toMatchObject({
      cause: { type: 'invalid_transition', message: expect.stringContaining('Art. 22') },
    });
    let v = await lc.send(
      id,
      'rectificationOrder',
      { reason: 'other', description: 'Missing security plan' },
      actors.approval,
    );
    const deadline = openDeadline(v, 'rectification');
    await expect(lc.send(id, 'termination', { reason: 'order open' }, actors.bdb)).rejects.toMatchObject({
      cause: { type: 'invalid_transition' },
    });
    await skipPast(deadline.dueAt);
    v = await viewWhen(id, (x) => x.funds.suspended);
    expect(v.deadlines.find((d) => d.kind === 'rectification')?.status).toBe('missed');
    expect(v.funds.construction).toMatchObject({ availableFen: 75_000_000, frozenFen: 0 });
    expect(v.pendingActions).toContainEqual(expect.objectContaining({ role: 'bdb', action: 'rectification-decision' }));
    await expect(
      lc.send(id, 'disbursement', { fundType: 'construction', amountFen: 1, note: 'x' }, actors.finance),
    ).rejects.toMatchObject({ cause: { type: 'funds_suspended' } });
    v = await lc.send(id, 'termination', { reason: 'Rectification failed' }, actors.bdb);
    expect(v.stage).toBe('terminated');
    expect(v.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      disbursedFen: 5_000_000,
      cancelledFen: 75_000_000,
      frozenFen: 0,
      availableFen: 0,
      heldFen: 0,
    });
    const [balance] = (await lc.balances(id)).filter((b) => b.fundType === 'construction');
    expect(balance).toMatchObject(v.funds.construction);
    // The workflow completes with the final view.
    const result = await lc.env.client.workflow.getHandle(`project-${id}`).result();
    expect(result.stage).toBe('terminated');
  });

  it('Art. 21: the 7 working days run from the completion acceptance, not the later technical one; overdue → new allocations refused (422 completion_report_missing), nothing frozen; late report → operating, violation kept', async () => {
    const id = await toConstruction();
    await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'HLT-9', name: 'Visits', sharingType: 'unconditional', updateCycle: 'weekly' }] },
      actors.department,
    );
    await recordRiskAndEmergency(lc, id, await today()); // Art. 28-29 (issue 15)
    await lc.send(
      id,
      'preliminaryAcceptance',
      { reportRef: 'sha256:pre', completedOn: await today() },
      actors.department,
    );
    const completedOn = await today();
    let v = await lc.send(id, 'completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    const report = openDeadline(v, 'completion-report');
    expect(report.startsAt).toBe(new Date(Date.parse(`${completedOn}T00:00:00+08:00`)).toISOString());
    // The BDB's technical acceptance two days later does not restart the clock.
    await lc.sleep(2 * 86_400_000);
    v = await lc.send(id, 'technicalAcceptance', passTechnical(), actors.bdb);
    expect(v.stage).toBe('completion_filing');
    expect(v.deadlines.filter((d) => d.kind === 'completion-report').map((d) => [d.startsAt, d.dueAt])).toEqual([
      [report.startsAt, report.dueAt],
    ]);
    await skipPast(report.dueAt);
    v = await viewWhen(id, (x) => x.deadlines.some((d) => d.kind === 'completion-report' && d.status === 'missed'));
    expect(v.funds.construction).toMatchObject({ availableFen: 80_000_000, frozenFen: 0 });
    expect(v.violations.filter((x) => x.article === 'Art. 21').map((x) => [x.kind, x.basis])).toEqual([
      ['late-completion-report', 'measures'],
    ]);
    await expect(lc.send(id, 'budget', om(1_000_000, 2026), actors.finance)).rejects.toMatchObject({
      cause: { type: 'completion_report_missing' },
    });

    v = await lc.send(id, 'completionReport', { reportRef: 'sha256:late-report' }, actors.department);
    expect(v.stage).toBe('operating');
    expect(v.violations.some((x) => x.article === 'Art. 21')).toBe(true);
    expect((await lc.movements(id)).map((m) => m.kind)).toEqual(['allocate', 'publish']);
  });
});

describe('signals', () => {
  it('Art. 24-25: an invalid signal is recorded as rejected on the audit trail and the workflow keeps running', async () => {
    const id = await lc.start();
    await lc.signal(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'X', opinion: 'too early', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    await lc.signal(id, 'technicalReview', { decision: 'pass', opinion: 'no actor' }, undefined);
    const audit = await eventually(async () => {
      const rows = await lc.audit(id);
      return rows.filter((r) => r.action.endsWith('-rejected')).length >= 2 ? rows : undefined;
    });
    expect(audit.filter((r) => r.action.endsWith('-rejected')).map((r) => r.action)).toEqual(
      expect.arrayContaining(['establishment-rejected', 'technical-review-rejected']),
    );
    // A valid signal still works afterwards.
    await lc.signal(id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
    const v = await viewWhen(id, (x) => x.stage === 'establishment_review');
    expect(v.stage).toBe('establishment_review');
    const description = await lc.env.client.workflow.getHandle(`project-${id}`).describe();
    expect(description.status.name).toBe('RUNNING');
  });
});

describe('the records of Art. 13-14 (measures) on a real server', () => {
  it('Art. 13, 14: a run started after the patch measures-records refuses a contract without its procurement method (Update 400; a signal is recorded as rejected); the leader change is audited before/after', async () => {
    const id = await toConstruction();
    const signedOn = await today();
    const bare = { contractNo: 'HT-NOPROC', contractor: 'Acme', amountFen: 1_000, signedOn };
    await expect(lc.send(id, 'contract', bare, actors.department)).rejects.toMatchObject({
      cause: { type: 'validation_failed', message: expect.stringContaining('procurement is required') },
    });
    await lc.signal(id, 'contract', bare, actors.department);
    const rejected = await eventually(async () => (await lc.audit(id)).find((e) => e.action === 'contract-rejected'));
    expect(JSON.stringify(rejected.detail)).toContain('procurement is required');
    expect((await lc.view(id)).contracts.map((c) => c.contractNo)).toEqual(['HT-001']);

    const v = await lc.send(
      id,
      'leaderChange',
      { name: '李娜', post: '副主任', contact: '0356-2020002' },
      actors.department,
    );
    expect(v.leaderChanges.map((c) => [c.before?.name, c.after.name])).toEqual([['张伟', '李娜']]);
    const audited = (await lc.audit(id)).find((e) => e.action === 'leader-change')!;
    expect(audited.detail).toMatchObject({ before: { name: '张伟' }, after: { name: '李娜' } });
  });
});
