/**
 * The project workflow end to end on the time-skipping server: real timers, real activities, real
 * ledger and audit tables. Each test names the article it proves.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyAuditChain } from '../../db/queries/audit.ts';
import { computeDeadline } from '../../db/calendar.ts';
import { projects } from '../../db/schema.ts';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { actors, construction, fullChecklist, om, openTender, passTechnical } from '../domain/helpers.ts';
import { eventually } from '../support/system.ts';
import { recordRiskAndEmergency, runsOf, saveGoldenHistory, startLifecycle, type Lifecycle } from './support.ts';

let lc: Lifecycle;
beforeAll(async () => {
  lc = await startLifecycle(inject('testServerExecutable'));
});
afterAll(async () => {
  await lc?.stop();
});

const today = async () => shanghaiDate(new Date(await lc.env.currentTimeMs()).toISOString());

/** Skips to just after an instant (a deadline's due or reminder time). */
async function skipPast(instant: string, extraMs = 60 * 60_000) {
  const wait = Date.parse(instant) - (await lc.env.currentTimeMs()) + extraMs;
  if (wait > 0) await lc.sleep(wait);
}

const openDeadline = (view: ProjectView, kind: string) => {
  const d = view.deadlines.find((x) => x.kind === kind && x.status === 'open');
  if (!d) throw new Error(`no open ${kind} deadline in ${JSON.stringify(view.deadlines)}`);
  return d;
};

/** Polls the workflow's view until `check` holds (timers fire asynchronously after a skip). */
const viewWhen = (id: string, check: (v: ProjectView) => boolean) =>
  eventually(async () => {
    const v = await lc.view(id);
    return check(v) ? v : undefined;
  });

/** Art. 11: the BDB's allocation plan lists an allocation (what POST /v1/allocation-plans sends). */
const publish = (id: string, allocationId: string) =>
  lc.send(id, 'allocationPublication', { planId: 'AP2026-WORKFLOW01', allocationId }, actors.bdb);

/** Application → technical review → establishment → budget (held) → the BDB's plan: money under publicity. */
async function toPublicity(amountFen = 80_000_000) {
  const id = await lc.start();
  await lc.send(
    id,
    'technicalReview',
    { decision: 'pass', opinion: 'complete', checklist: fullChecklist() },
    actors.bdb,
  );
  await lc.send(
    id,
    'establishment',
    { decision: 'approve', approvalNo: 'JSP-2026-001', opinion: 'approved', approvedEstimateFen: 100_000_000 },
    actors.approval,
  );
  const budgeted = await lc.send(id, 'budget', construction(amountFen), actors.finance);
  const view = await publish(id, budgeted.allocations.at(-1)!.id);
  return { id, view };
}

async function toConstruction(amountFen = 80_000_000) {
  const { id, view } = await toPublicity(amountFen);
  await skipPast(openDeadline(view, 'publicity').dueAt);
  await viewWhen(id, (v) => v.stage === 'contracting');
  const signedOn = await today();
  await lc.send(
    id,
    'contract',
    {
      contractNo: 'HT-001',
      contractor: 'Acme',
      amountFen: 50_000_000,
      signedOn,
      documentRef: 'sha256:ht1',
      procurement: openTender(),
    },
    actors.department,
  );
  return id;
}

describe('the allocation plan on a real server (Art. 11)', () => {
  it("Art. 11: finance's money stays held until the BDB's plan; 5 working days after publication it is available", async () => {
    const id = await lc.start();
    await lc.send(
      id,
      'technicalReview',
      { decision: 'pass', opinion: 'complete', checklist: fullChecklist() },
      actors.bdb,
    );
    await lc.send(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-2026-002', opinion: 'approved', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    const budgeted = await lc.send(id, 'budget', construction(60_000_000), actors.finance);
    expect(budgeted.allocations[0]).toMatchObject({ id: 'alloc-1', status: 'held', publicityDeadlineId: null });
    expect(budgeted.deadlines.filter((d) => d.kind === 'publicity')).toEqual([]);
    // Two weeks without a plan: nothing is published by time alone.
    await lc.sleep(14 * 86_400_000);
    const waiting = await lc.view(id);
    expect(waiting.stage).toBe('budgeting'); // Art. 11 (issue 27): 公示 begins with the BDB's plan
    expect(waiting.funds.construction).toMatchObject({ heldFen: 60_000_000, availableFen: 0 });
    expect(waiting.pendingActions).toContainEqual({
      role: 'bdb',
      action: 'allocation-publication',
      ref: 'alloc-1',
      overdue: false,
    });

    const published = await publish(id, 'alloc-1');
    expect(published.stage).toBe('publicity');
    const notice = openDeadline(published, 'publicity');
    const publishedOn = await today();
    expect(shanghaiDate(notice.startsAt)).toBe(publishedOn);
    // Policy: 5 working days on the calendar in the database, due at the end of the fifth. The
    // expectation is computed for the day the test got (a Friday, a Sunday or the eve of a holiday
    // give different spans); test/activities/calendar-matrix.test.ts pins the exact dates.
    const expected = await computeDeadline(lc.database.db, {
      startsOn: publishedOn,
      rule: { unit: 'workingDays', amount: 5 },
      reminder: null,
    });
    expect(notice.dueAt).toBe(expected.dueAt);
    expect(shanghaiDate(new Date(Date.parse(notice.dueAt) - 1).toISOString())).toBe(expected.dueOn);
    expect(published.allocations[0]).toMatchObject({
      status: 'publicity',
      planId: 'AP2026-WORKFLOW01',
      publicityDeadlineId: notice.id,
    });

    // An hour before the end of the period the money is still held.
    await skipPast(notice.dueAt, -3_600_000);
    expect((await lc.view(id)).funds.construction).toMatchObject({ heldFen: 60_000_000, availableFen: 0 });
    await skipPast(notice.dueAt);
    const available = await viewWhen(id, (v) => v.stage === 'contracting');
    expect(available.funds.construction).toMatchObject({ heldFen: 0, availableFen: 60_000_000 });
    expect((await lc.movements(id)).map((m) => [m.kind, m.amountFen])).toEqual([
      ['allocate', 60_000_000],
      ['publish', 60_000_000],
    ]);
    expect((await lc.audit(id)).map((a) => a.action)).toContain('allocation-publication');
  });
});

describe('the whole life on a real server', () => {
  it('Art. 7-12, 15, 18-21: application to operation; ledger, balances and audit chain agree with the view', async () => {
    const { id, view: publicity } = await toPublicity();
    // Art. 11: allocated money is held during publicity.
    expect(publicity.stage).toBe('publicity');
    expect(publicity.funds.construction).toMatchObject({
      allocatedFen: 80_000_000,
      heldFen: 80_000_000,
      availableFen: 0,
    });
    const pub = openDeadline(publicity, 'publicity');
    expect(Date.parse(pub.dueAt)).toBeGreaterThan(Date.parse(pub.startsAt));

    await skipPast(pub.dueAt);
    const contracting = await viewWhen(id, (v) => v.stage === 'contracting');
    // Art. 11: no objection upheld → the held money becomes available when publicity ends.
    expect(contracting.funds.construction).toMatchObject({ heldFen: 0, availableFen: 80_000_000 });
    expect(contracting.deadlines.find((d) => d.kind === 'publicity')?.status).toBe('met');

    const signedOn = await today();
    let v = await lc.send(
      id,
      'contract',
      {
        contractNo: 'HT-001',
        contractor: 'Acme',
        amountFen: 50_000_000,
        signedOn,
        documentRef: 'sha256:ht1',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(v.stage).toBe('construction');
    v = await lc.send(
      id,
      'disbursement',
      { fundType: 'construction', amountFen: 30_000_000, note: 'first instalment' },
      actors.finance,
    );
    expect(v.funds.construction).toMatchObject({ availableFen: 50_000_000, disbursedFen: 30_000_000 });
    await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'HLT-001', name: 'Patients', sharingType: 'conditional', updateCycle: 'daily' }] },
      actors.department,
    );
    await recordRiskAndEmergency(lc, id, await today()); // Art. 28-29 (issue 15)
    v = await lc.send(
      id,
      'preliminaryAcceptance',
      { reportRef: 'sha256:pre', completedOn: await today() },
      actors.department,
    );
    expect(v.stage).toBe('joint_acceptance');
    await lc.send(id, 'technicalAcceptance', passTechnical(), actors.bdb);
    v = await lc.send(id, 'completionAcceptance', { decision: 'pass', opinion: 'accepted' }, actors.approval);
    expect(v.stage).toBe('completion_filing');
    expect(v.policy).toMatchObject({
      jurisdiction: 'city',
      version: 1,
      switches: { lateFilingRectification: false, completionReportFreeze: false },
    });
    openDeadline(v, 'completion-report');
    v = await lc.send(id, 'completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect(v.stage).toBe('operating');
    expect(v.deadlines.find((d) => d.kind === 'completion-report')?.status).toBe('met');

    // The ledger has exactly the movements of the story, with who and why.
    const movements = await lc.movements(id);
    expect(movements.map((m) => [m.kind, m.amountFen])).toEqual([
      ['allocate', 80_000_000],
      ['publish', 80_000_000],
      ['disburse', 30_000_000],
    ]);
    expect(movements[0]).toMatchObject({
      cityShareFen: 80_000_000,
      countyShareFen: 0,
      year: 2026,
      article: 'Art. 10, 12',
      actorRole: 'finance',
    });
    expect(movements[1]).toMatchObject({ article: 'Art. 11', actorKeyId: 'system' });
    const [balance] = (await lc.balances(id)).filter((b) => b.fundType === 'construction');
    expect(balance).toMatchObject(v.funds.construction);

    // Art. 24-25: every accepted action on the SM3 chain, unbroken, with its actor.
    const audit = await lc.audit(id);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['application', 'technical-review', 'establishment']),
    );
    expect(await verifyAuditChain(lc.database.db, id)).toEqual([]);
    // The read model row was written by the activity too.
    const row = await eventually(async () => {
      const [r] = await lc.database.db.select().from(projects).where(eq(projects.id, id));
      return r && r.stage === 'operating' ? r : undefined;
    });
    expect(row.fundsSuspended).toBe(false);
  });

  it('Art. 11: an objection open at the end of publicity holds the money; dismissed → published, upheld → cancelled', async () => {
    type Objections = { publicityObjections: Array<{ id: string; status: string }> };
    for (const upheld of [false, true]) {
      const { id, view } = await toPublicity(10_000_000);
      const objected = (await lc.send(
        id,
        'publicityObjection',
        { summary: 'Duplicates an existing system' },
        actors.bdb,
      )) as ProjectView & Objections;
      const objection = objected.publicityObjections.at(-1)!;
      expect(objection.status).toBe('open');
      await skipPast(openDeadline(view, 'publicity').dueAt);
      const after = await viewWhen(id, (v) => v.deadlines.find((d) => d.kind === 'publicity')?.status !== 'open');
      // The period is over but the objection is open: nothing is published yet.
      expect(after.funds.construction).toMatchObject({ heldFen: 10_000_000, availableFen: 0 });
      expect(after.stage).toBe('publicity');
      const resolved = await lc.send(
        id,
        'publicityObjectionResolution',
        { oid: objection.id, upheld, note: upheld ? 'Confirmed duplicate' : 'Not a duplicate' },
        actors.bdb,
      );
      if (upheld) {
        expect(resolved.funds.construction).toMatchObject({ heldFen: 0, availableFen: 0, cancelledFen: 10_000_000 });
        expect((await lc.movements(id)).map((m) => m.kind)).toEqual(['allocate', 'cancel']);
      } else {
        expect(resolved.funds.construction).toMatchObject({ heldFen: 0, availableFen: 10_000_000 });
        expect(resolved.stage).toBe('contracting');
        expect((await lc.movements(id)).map((m) => m.kind)).toEqual(['allocate', 'publish']);
      }
    }
  });
});

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

describe('changes and joint acceptance on a real server', () => {
  it("Art. 17: change requests of each kind are decided by the BDB after the related units' opinions (measures); an approved budget increase allows a further allocation", async () => {
    const id = await toConstruction();
    const later = '2027-12-31';
    await lc.send(id, 'changeRequest', { kind: 'scope', description: 'add a module' }, actors.department);
    await lc.send(
      id,
      'changeRequest',
      { kind: 'budget', description: 'more servers', budgetDeltaFen: 5_000_000 },
      actors.department,
    );
    await lc.send(
      id,
      'changeRequest',
      { kind: 'schedule', description: 'later', newPlannedCompletionDate: later },
      actors.department,
    );
    let v = await lc.send(
      id,
      'changeRequest',
      { kind: 'contractor', description: 'replace vendor' },
      actors.department,
    );
    expect(v.changeRequests.map((c) => [c.kind, c.status])).toEqual([
      ['scope', 'pending'],
      ['budget', 'pending'],
      ['schedule', 'pending'],
      ['contractor', 'pending'],
    ]);
    // Art. 17 (measures): the related units' opinions first — approval always, finance for the budget change.
    expect(v.changeRequests.map((c) => c.consulted)).toEqual([
      ['approval'],
      ['approval', 'finance'],
      ['approval'],
      ['approval'],
    ]);
    await expect(
      lc.send(
        id,
        'changeRequestDecision',
        { cid: v.changeRequests[1]!.id, decision: 'approve', opinion: 'too early' },
        actors.bdb,
      ),
    ).rejects.toMatchObject({
      cause: {
        type: 'opinions_missing',
        details: [expect.objectContaining({ status: 409, missing: ['approval', 'finance'] })],
      },
    });
    for (const c of v.changeRequests) {
      for (const role of c.consulted)
        v = await lc.send(
          id,
          'changeRequestOpinion',
          { cid: c.id, opinion: `${role} agrees`, agrees: true },
          actors[role],
        );
    }
    expect(v.changeRequests.every((c) => c.awaitingOpinions.length === 0)).toBe(true);
    await lc.send(
      id,
      'changeRequestDecision',
      { cid: v.changeRequests[0]!.id, decision: 'approve', opinion: 'ok' },
      actors.bdb,
    );
    await lc.send(
      id,
      'changeRequestDecision',
      { cid: v.changeRequests[1]!.id, decision: 'approve', opinion: 'justified' },
      actors.bdb,
    );
    await lc.send(
      id,
      'changeRequestDecision',
      { cid: v.changeRequests[2]!.id, decision: 'approve', opinion: 'ok' },
      actors.bdb,
    );
    v = await lc.send(
      id,
      'changeRequestDecision',
      { cid: v.changeRequests[3]!.id, decision: 'reject', opinion: 'no reason given' },
      actors.bdb,
    );
    expect(v.changeRequests.map((c) => c.status)).toEqual(['approved', 'approved', 'approved', 'rejected']);
    v = await lc.send(id, 'budget', construction(5_000_000), actors.finance);
    expect(v.funds.construction.allocatedFen).toBe(85_000_000);
    expect(v.stage).toBe('construction');
  });

  it('Art. 18-20: completion acceptance (竣工验收) is refused without a resource catalogue; one side failing returns the project to construction, the other pass stands', async () => {
    const id = await toConstruction();
    await recordRiskAndEmergency(lc, id, await today()); // Art. 28-29 (issue 15)
    let v = await lc.send(
      id,
      'preliminaryAcceptance',
      { reportRef: 'sha256:pre', completedOn: await today() },
      actors.department,
    );
    expect(v.stage).toBe('joint_acceptance');
    await expect(
      lc.send(id, 'completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval),
    ).rejects.toMatchObject({ cause: { type: 'catalog_missing' } });
    expect((await lc.view(id)).stage).toBe('joint_acceptance');
    await lc.send(id, 'technicalAcceptance', passTechnical(), actors.bdb);
    v = await lc.send(
      id,
      'completionAcceptance',
      { decision: 'fail', opinion: 'register the catalogue' },
      actors.approval,
    );
    expect(v.stage).toBe('construction');
    expect(v.acceptance.technical?.decision).toBe('pass');
  });
});

describe('the workflow clock (ONE_WAKE_TIMER, workflows/wake.ts)', () => {
  it('a command that leaves the next wake-up unchanged starts and cancels no timer; the deadline timer still fires (Art. 19 catalogue, Art. 15 filing)', async () => {
    const id = await toConstruction();
    const timerEvents = async () => {
      const events = (await runsOf(lc, id)).flatMap((r) => r.history.events ?? []);
      return {
        started: events.filter((e) => e.timerStartedEventAttributes).length,
        canceled: events.filter((e) => e.timerCanceledEventAttributes).length,
      };
    };
    const before = await timerEvents();
    // A catalogue (Art. 19) changes no deadline: the timer for the next one keeps running.
    await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'WAKE-1', name: 'Data', sharingType: 'unconditional', updateCycle: 'daily' }] },
      actors.department,
    );
    const view = await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'WAKE-2', name: 'More data', sharingType: 'conditional', updateCycle: 'weekly' }] },
      actors.department,
    );
    expect(await timerEvents()).toEqual(before);
    expect(before.started).toBeGreaterThan(0);
    // …and fires at the earliest open deadline's due time.
    const next = view.deadlines
      .filter((d) => d.status === 'open' && d.dueAt)
      .sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0]!;
    await skipPast(next.dueAt!);
    await viewWhen(id, (v) => v.deadlines.find((d) => d.id === next.id)?.status !== 'open');
  });
});

describe('persisting a change (ONE_LOCAL_ACTIVITY, workflows/persistence.ts)', () => {
  it('Art. 15, 24-25: a contract whose filing falls due is stored in one local activity — its deadline dated from the working-day calendar in the same transaction as its writes — and the read model holds the view answered; a change that moves no search attribute upserts none', async () => {
    const id = await toConstruction();
    const counts = async () => {
      const events = (await runsOf(lc, id)).flatMap((r) => r.history.events ?? []);
      return {
        localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
          .length,
        upserts: events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length,
      };
    };
    const before = await counts();
    const signedOn = await today();
    const view = await lc.send(
      id,
      'contract',
      { contractNo: 'HT-002', contractor: 'Beta', amountFen: 10_000_000, signedOn, procurement: openTender() },
      actors.department,
    );
    const afterContract = await counts();
    expect(afterContract.localActivities - before.localActivities).toBe(1);
    // Art. 15 (measures): filed within 5 working days of signing, per the calendar in the database.
    const filing = view.deadlines.find((d) => d.kind === 'contract-filing' && d.ref === 'HT-002');
    const expected = await computeDeadline(lc.database.db, {
      startsOn: signedOn,
      rule: { unit: 'workingDays', amount: 5 },
      reminder: null,
    });
    expect(filing?.dueAt).toBe(expected.dueAt);
    const [row] = await lc.database.db.select({ view: projects.view }).from(projects).where(eq(projects.id, id));
    expect(row?.view).toEqual(view);
    expect(before.upserts).toBeGreaterThan(0);

    // A catalogue (Art. 19) leaves stage, awaiting roles, funds and the next deadline as they were.
    await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'SA-1', name: 'Data', sharingType: 'unconditional', updateCycle: 'daily' }] },
      actors.department,
    );
    const first = await counts();
    const last = await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'SA-2', name: 'More data', sharingType: 'conditional', updateCycle: 'weekly' }] },
      actors.department,
    );
    const second = await counts();
    expect(second.upserts).toBe(first.upserts);
    expect(second.localActivities - first.localActivities).toBe(1);
    const [after] = await lc.database.db.select({ view: projects.view }).from(projects).where(eq(projects.id, id));
    expect(after?.view).toEqual(last);
  });
});
