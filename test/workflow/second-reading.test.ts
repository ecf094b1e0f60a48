/**
 * Issue 27 (the measures as written, second reading) on the time-skipping server with the real
 * worker, activities and database: the rules where days must pass — a rectification deadline with a
 * response not yet reviewed (Art. 22), a contract entered long after its signing (Art. 15), contracts
 * during the notice period (Art. 11, 15), the completion report without an emergency plan (Art. 21, 29).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { actors, construction, fullChecklist, openTender, passTechnical } from '../domain/helpers.ts';
import { eventually } from '../support/system.ts';
import { startLifecycle, type Lifecycle } from './support.ts';

let lc: Lifecycle;
beforeAll(async () => {
  lc = await startLifecycle(inject('testServerExecutable'));
});
afterAll(async () => {
  await lc?.stop();
});

const DAY = 86_400_000;
const today = async () => shanghaiDate(new Date(await lc.env.currentTimeMs()).toISOString());
const daysAgo = async (n: number) => shanghaiDate(new Date((await lc.env.currentTimeMs()) - n * DAY).toISOString());
async function skipPast(instant: string) {
  const wait = Date.parse(instant) - (await lc.env.currentTimeMs()) + 3_600_000;
  if (wait > 0) await lc.sleep(wait);
}
const openDeadline = (view: ProjectView, kind: string) =>
  view.deadlines.find((d) => d.kind === kind && d.status === 'open')!;
const viewWhen = (id: string, check: (v: ProjectView) => boolean) =>
  eventually(async () => {
    const v = await lc.view(id);
    return check(v) ? v : undefined;
  });
const notificationsWhen = (id: string, check: (n: Awaited<ReturnType<Lifecycle['notifications']>>) => boolean) =>
  eventually(async () => {
    const n = await lc.notifications(id);
    return check(n) ? n : undefined;
  });

/** Art. 7-8: reviewed and approved (批复概算 = the application's 投资概算). */
async function toBudgeting(): Promise<string> {
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
    { decision: 'approve', approvalNo: 'JSP-2026-027', opinion: 'approved', approvedEstimateFen: 100_000_000 },
    actors.approval,
  );
  return id;
}

async function toConstruction(): Promise<string> {
  const id = await toBudgeting();
  await lc.send(id, 'budget', construction(80_000_000), actors.finance);
  const v = await lc.send(
    id,
    'allocationPublication',
    { planId: 'AP2026-SECOND01', allocationId: 'alloc-1' },
    actors.bdb,
  );
  await skipPast(openDeadline(v, 'publicity').dueAt);
  await viewWhen(id, (x) => x.stage === 'contracting');
  await lc.send(
    id,
    'contract',
    {
      contractNo: 'HT-001',
      contractor: 'Acme',
      amountFen: 50_000_000,
      signedOn: await today(),
      documentRef: 'sha256:ht1',
      procurement: openTender(),
    },
    actors.department,
  );
  return id;
}

/**
 * The violations other than a missing quarterly progress report (Art. 16, policy): a quarter's report
 * falls due while these projects are in construction whenever the days a test skips cross its due
 * date, which depends on the day the test runs (BDP_TEST_DATE=2026-12-12 crosses 2026Q4's).
 */
const besidesProgressReports = (v: { violations: Array<{ kind: string }> }) =>
  v.violations.filter((x) => x.kind !== 'missing-report');

describe('issue 27 on a real server', () => {
  it('Art. 22 (measures): a response given in time and not reviewed when the deadline passes suspends nothing; the BDB is reminded (policy); a rejection then suspends', async () => {
    const id = await toConstruction();
    let v = await lc.send(
      id,
      'rectificationOrder',
      { reason: 'unauthorized-change', description: 'Scope changed without a request' },
      actors.bdb,
    );
    const deadline = openDeadline(v, 'rectification');
    await lc.send(
      id,
      'rectificationResponse',
      { rid: 'rect-1', description: 'Reverted', evidenceRef: 'sha256:r1' },
      actors.department,
    );
    await skipPast(deadline.dueAt);
    v = await viewWhen(id, (x) => x.deadlines.find((d) => d.id === deadline.id)?.status !== 'open');
    expect(v.funds.suspended).toBe(false);
    expect(besidesProgressReports(v)).toEqual([]);
    expect(v.rectifications[0]!.status).toBe('awaiting-review');
    expect(v.pendingActions).toContainEqual(
      expect.objectContaining({ role: 'bdb', action: 'rectification-review', ref: 'rect-1' }),
    );
    // The BDB is reminded (policy) before the deadline and when it passes; the department, which answered, is not.
    const notes = await notificationsWhen(
      id,
      (n) => n.filter((x) => x.kind === 'rectification-review-pending').length === 2,
    );
    expect(
      notes.filter((n) => n.kind === 'rectification-review-pending').map((n) => [n.recipientRole, n.basis]),
    ).toEqual([
      ['bdb', 'policy'],
      ['bdb', 'policy'],
    ]);
    expect(notes.map((n) => n.kind)).not.toContain('rectification-reminder');
    expect(notes.map((n) => n.kind)).not.toContain('funds-suspended');
    await lc.send(
      id,
      'disbursement',
      { fundType: 'construction', amountFen: 1, note: 'not suspended' },
      actors.finance,
    );
    await expect(lc.send(id, 'termination', { reason: 'too early' }, actors.bdb)).rejects.toMatchObject({
      cause: { type: 'invalid_transition' },
    });
    v = await lc.send(
      id,
      'rectificationReview',
      { rid: 'rect-1', decision: 'reject', opinion: 'Not reverted' },
      actors.bdb,
    );
    expect(v.funds.suspended).toBe(true);
  });

  it('Art. 15 (measures): a contract entered 40 days after its signing, text attached, is late — violation and the BDB notified', async () => {
    const id = await toConstruction();
    await lc.sleep(45 * DAY); // the approval lies before the signing: not 未批先建 (Art. 9)
    const signedOn = await daysAgo(40);
    await lc.send(
      id,
      'contract',
      {
        contractNo: 'HT-LATE',
        contractor: 'Acme',
        amountFen: 1_000_000,
        signedOn,
        documentRef: 'sha256:late',
        procurement: openTender(),
      },
      actors.department,
    );
    const v = await viewWhen(id, (x) => x.violations.some((y) => y.kind === 'late-filing'));
    expect(v.violations.filter((y) => y.kind === 'late-filing').map((y) => [y.article, y.basis])).toEqual([
      ['Art. 15', 'measures'],
    ]);
    expect(v.violations.map((y) => y.kind)).not.toContain('unapproved-construction');
    expect(v.contracts.find((c) => c.contractNo === 'HT-LATE')).toMatchObject({ filedLate: true, signedOn });
    expect(v.deadlines.find((d) => d.kind === 'contract-filing' && d.ref === 'HT-LATE')?.status).toBe('missed');
    const notes = await notificationsWhen(id, (n) =>
      n.some((x) => x.kind === 'late-filing' && x.recipientRole === 'bdb'),
    );
    expect(notes.find((n) => n.kind === 'late-filing' && n.recipientRole === 'bdb')?.detail).toContain('5 个工作日');
  });

  it("Art. 11, 15 (measures): money held awaiting the BDB's plan keeps the project in budgeting; contracts signed after the approval are recorded then and during the notice; construction starts when it ends", async () => {
    const id = await toBudgeting();
    let v = await lc.send(id, 'budget', construction(80_000_000), actors.finance);
    expect(v.stage).toBe('budgeting');
    expect(v.pendingActions).toEqual([
      { role: 'bdb', action: 'allocation-publication', ref: 'alloc-1', overdue: false },
    ]);
    v = await lc.send(
      id,
      'contract',
      {
        contractNo: 'HT-A',
        contractor: 'Acme',
        amountFen: 40_000_000,
        signedOn: await today(),
        documentRef: 'sha256:a',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(v.stage).toBe('budgeting');
    await lc.sleep(DAY);
    v = await lc.send(id, 'allocationPublication', { planId: 'AP2026-SECOND02', allocationId: 'alloc-1' }, actors.bdb);
    expect(v.stage).toBe('publicity');
    const notice = openDeadline(v, 'publicity');
    await lc.sleep(DAY);
    await lc.send(
      id,
      'contract',
      {
        contractNo: 'HT-B',
        contractor: 'Beta',
        amountFen: 10_000_000,
        signedOn: await today(),
        procurement: openTender(),
      },
      actors.department,
    );
    await lc.sleep(DAY);
    await lc.send(id, 'contractFiling', { contractNo: 'HT-B', documentRef: 'sha256:b' }, actors.department);
    await skipPast(notice.dueAt);
    v = await viewWhen(id, (x) => x.stage === 'construction');
    expect(v.funds.construction).toMatchObject({ heldFen: 0, availableFen: 80_000_000 });
    expect(v.deadlines.filter((d) => d.kind === 'contract-filing').map((d) => [d.ref, d.status])).toEqual([
      ['HT-A', 'met'],
      ['HT-B', 'met'],
    ]);
    expect(besidesProgressReports(v)).toEqual([]);
  });

  it("Art. 21, 29 (measures): without an emergency plan the 竣工验收报告 is filed; the plan stays the department's pending action and the BDB is told; no Art. 21 sanction follows", async () => {
    const id = await toConstruction();
    await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'HLT-9', name: 'Visits', sharingType: 'unconditional', updateCycle: 'weekly' }] },
      actors.department,
    );
    await lc.send(
      id,
      'riskAssessment',
      {
        assessedOn: await today(),
        result: 'acceptable',
        documentRef: 'sha256:risk',
        bdbParticipant: 'BDB security office',
      },
      actors.department,
    );
    await lc.send(
      id,
      'preliminaryAcceptance',
      { reportRef: 'sha256:pre', completedOn: await today() },
      actors.department,
    );
    let v = await lc.send(id, 'completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect(v.pendingActions).toContainEqual({ role: 'department', action: 'emergency-plan', overdue: false });
    await lc.send(id, 'technicalAcceptance', passTechnical(), actors.bdb);
    v = await lc.send(id, 'completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect(v.stage).toBe('operating');
    await lc.sleep(12 * DAY); // past the 7 working days of Art. 21
    v = await lc.view(id);
    expect(v.violations).toEqual([]);
    expect(v.deadlines.find((d) => d.kind === 'completion-report')?.status).toBe('met');
    expect(v.pendingActions).toContainEqual({ role: 'department', action: 'emergency-plan', overdue: false });
    const notes = await lc.notifications(id);
    expect(notes.filter((n) => n.kind === 'emergency-plan-missing').map((n) => n.recipientRole)).toEqual(['bdb']);
  });
});
