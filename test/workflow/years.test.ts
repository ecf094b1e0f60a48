/**
 * Long-running rules on the time-skipping server: quarterly progress reports, the acceptance delay,
 * yearly evaluations over ten years of operation with continue-as-new at every year boundary, and
 * county policies (Art. 16, 22, 23, 30). Also writes the golden histories (UPDATE_HISTORIES=1).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import type { Policy } from '../../domain/policy.ts';
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

const nowMs = () => lc.env.currentTimeMs();
const today = async () => shanghaiDate(new Date(await nowMs()).toISOString());
async function skipTo(instantMs: number) {
  const wait = instantMs - (await nowMs());
  if (wait > 0) await lc.sleep(wait);
}
const skipPast = (instant: string) => skipTo(Date.parse(instant) + 3_600_000);
/** 10:00 in Asia/Shanghai on a date. */
const shanghai10 = (date: string) => Date.parse(`${date}T10:00:00+08:00`);
const viewWhen = (id: string, check: (v: ProjectView) => boolean) =>
  eventually(async () => {
    const v = await lc.view(id);
    return check(v) ? v : undefined;
  });
/** The due day of a deadline: dueAt is the end of that day in Asia/Shanghai. */
const dueDate = (dueAt: string) => shanghaiDate(new Date(Date.parse(dueAt) - 1).toISOString());
const open = (v: ProjectView, kind: string) => v.deadlines.find((d) => d.kind === kind && d.status === 'open');

async function toPublicity(id: string, budget = construction(80_000_000)) {
  await lc.send(id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
  await lc.send(
    id,
    'establishment',
    { decision: 'approve', approvalNo: 'JSP-1', opinion: 'ok', approvedEstimateFen: 100_000_000 },
    actors.approval,
  );
  const budgeted = await lc.send(id, 'budget', budget, actors.finance);
  return publish(id, budgeted.allocations.at(-1)!.id);
}
/** Art. 11: the BDB's allocation plan lists the allocation (what POST /v1/allocation-plans sends). */
const publish = (id: string, allocationId: string) =>
  lc.send(id, 'allocationPublication', { planId: 'AP2026-YEARS0001', allocationId }, actors.bdb);
async function toConstruction(id: string) {
  const v = await toPublicity(id);
  await skipPast(open(v, 'publicity')!.dueAt);
  await viewWhen(id, (x) => x.stage === 'contracting');
  return lc.send(
    id,
    'contract',
    {
      contractNo: 'HT-1',
      contractor: 'Acme',
      amountFen: 10_000_000,
      signedOn: await today(),
      documentRef: 'sha256:c',
      procurement: openTender(),
    },
    actors.department,
  );
}
async function toOperating(id: string) {
  await toConstruction(id);
  await lc.send(
    id,
    'catalogEntries',
    { entries: [{ code: 'C-1', name: 'Data', sharingType: 'unconditional', updateCycle: 'daily' }] },
    actors.department,
  );
  await recordRiskAndEmergency(lc, id, await today()); // Art. 28-29 (issue 15)
  await lc.send(id, 'preliminaryAcceptance', { reportRef: 'sha256:p', completedOn: await today() }, actors.department);
  await lc.send(id, 'technicalAcceptance', passTechnical(), actors.bdb);
  await lc.send(id, 'completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
  return lc.send(id, 'completionReport', { reportRef: 'sha256:r' }, actors.department);
}

describe('deadlines measured in months', () => {
  it('Art. 16: a quarterly progress report (policy period) is reminded, then missed → violation (basis policy) + BDB notified; no automatic order by default', async () => {
    const id = await lc.start();
    const v = await toConstruction(id);
    const report = open(v, 'progress-report')!;
    expect(report.ref).toMatch(/^\d{4}Q[1-4]$/);
    await skipPast(report.dueAt);
    const after = await viewWhen(id, (x) =>
      x.deadlines.some((d) => d.kind === 'progress-report' && d.ref === report.ref && d.status === 'missed'),
    );
    expect(after.violations.filter((x) => x.kind === 'missing-report').map((x) => x.basis)).toEqual(['policy']);
    expect(after.rectifications).toEqual([]);
    const notes = await eventually(async () => {
      const n = await lc.notifications(id);
      return n.some((x) => x.kind === 'missing-report' && x.recipientRole === 'bdb') ? n : undefined;
    });
    expect(notes.map((n) => n.kind)).toContain('progress-report-reminder');
    // The next quarter's report is due in turn.
    expect(open(after, 'progress-report')?.ref).not.toBe(report.ref);
  });

  it('Art. 22: no preliminary acceptance within 90 days (policy) after the planned completion date → violation + BDB notified; the BDB decides on the order', async () => {
    const planned = shanghaiDate(new Date((await nowMs()) + 20 * 86_400_000).toISOString());
    const id = await lc.start({ plannedCompletionDate: planned });
    const v = await toConstruction(id);
    const delay = open(v, 'acceptance-delay')!;
    expect(dueDate(delay.dueAt)).toBe(
      shanghaiDate(new Date(Date.parse(`${planned}T00:00:00+08:00`) + 90 * 86_400_000).toISOString()),
    );
    await skipPast(delay.dueAt);
    const after = await viewWhen(id, (x) =>
      x.deadlines.some((d) => d.kind === 'acceptance-delay' && d.status === 'missed'),
    );
    expect(after.violations.filter((x) => x.kind === 'acceptance-delay').map((x) => [x.article, x.basis])).toEqual([
      ['Art. 22', 'policy'],
    ]);
    expect(after.rectifications.filter((r) => r.reason === 'acceptance-delay')).toEqual([]);
    const kinds = await eventually(async () => {
      const k = (await lc.notifications(id)).map((n) => n.kind);
      return k.includes('acceptance-delay') ? k : undefined;
    });
    expect(kinds).toContain('acceptance-delay-reminder');
    // A person decides: the BDB orders rectification of the delay.
    const ordered = await lc.send(
      id,
      'rectificationOrder',
      { reason: 'acceptance-delay', description: 'Carry out the acceptance.' },
      actors.bdb,
    );
    expect(ordered.rectifications.map((r) => [r.reason, r.automatic])).toEqual([['acceptance-delay', false]]);
  });

  it('Art. 30, 5, 12: a county policy with its own publicity period is pinned; county shares reach the ledger', async () => {
    const county: Policy = {
      jurisdiction: 'zezhou',
      version: 3,
      deadlines: {
        ...structuredClone(DEFAULT_CITY_POLICY.deadlines),
        publicity: { duration: { unit: 'calendarDays', amount: 2 }, reminder: null },
      },
    };
    const id = await lc.start({
      jurisdiction: 'zezhou',
      policy: county,
      estimate: { totalFen: 100_000_000, cityShareFen: 60_000_000, countyShareFen: 40_000_000 },
    });
    const start = await today();
    const v = await toPublicity(id, {
      fundType: 'construction',
      year: 2026,
      amountFen: 50_000_000,
      cityShareFen: 30_000_000,
      countyShareFen: 20_000_000,
    });
    expect(v.policy).toEqual({ jurisdiction: 'zezhou', version: 3, switches: DEFAULT_POLICY_SWITCHES });
    const due = open(v, 'publicity')!;
    expect(dueDate(due.dueAt)).toBe(
      shanghaiDate(new Date(Date.parse(`${start}T00:00:00+08:00`) + 2 * 86_400_000).toISOString()),
    );
    const [allocation] = await lc.movements(id);
    expect(allocation).toMatchObject({
      kind: 'allocate',
      amountFen: 50_000_000,
      cityShareFen: 30_000_000,
      countyShareFen: 20_000_000,
    });
  });
});

describe('Art. 12 (measures): county shares on the real worker', () => {
  it("Art. 12: a county's project since the rule: the county share waits (nothing on the ledger); a city finance signal is recorded as rejected; the county's finance confirms; the notice period then runs", async () => {
    const id = await lc.start({
      jurisdiction: 'zezhou',
      countyShareConfirmation: true,
      estimate: { totalFen: 100_000_000, cityShareFen: 60_000_000, countyShareFen: 40_000_000 },
    });
    await lc.send(id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
    await lc.send(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-ZZ', opinion: 'ok', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    const cityFinance = { ...actors.finance, jurisdiction: 'city' };
    const zezhouFinance = {
      keyId: 'k-fin-zz',
      role: 'finance' as const,
      name: 'Zezhou finance',
      jurisdiction: 'zezhou',
    };
    const budgeted = await lc.send(
      id,
      'budget',
      {
        fundType: 'construction',
        year: 2026,
        amountFen: 50_000_000,
        cityShareFen: 30_000_000,
        countyShareFen: 20_000_000,
      },
      cityFinance,
    );
    const allocationId = budgeted.allocations.at(-1)!.id;
    expect(budgeted.allocations.at(-1)).toMatchObject({
      status: 'awaiting-county',
      countyShare: { jurisdiction: 'zezhou' },
    });
    expect(await lc.movements(id)).toEqual([]);
    // Art. 12: the city's finance cannot confirm it, not even by signal (recorded as rejected).
    await lc.signal(id, 'countyShareConfirmation', { allocationId, budgetRef: '' }, cityFinance);
    await eventually(async () =>
      (await lc.audit(id)).some((a) => a.action === 'county-share-confirmation-rejected') ? true : undefined,
    );
    expect((await lc.view(id)).allocations.at(-1)!.status).toBe('awaiting-county');
    const confirmed = await lc.send(
      id,
      'countyShareConfirmation',
      { allocationId, budgetRef: '泽财预〔2026〕1号' },
      zezhouFinance,
    );
    expect(confirmed.allocations.at(-1)).toMatchObject({
      status: 'held',
      countyShare: { confirmedBy: 'Zezhou finance' },
    });
    const [allocate] = await lc.movements(id);
    expect(allocate).toMatchObject({
      kind: 'allocate',
      amountFen: 50_000_000,
      cityShareFen: 30_000_000,
      countyShareFen: 20_000_000,
      actorRole: 'finance',
    });
    const v = await publish(id, allocationId);
    await skipPast(open(v, 'publicity')!.dueAt);
    await viewWhen(id, (x) => x.stage === 'contracting');
    const runs = await runsOf(lc, id);
    saveGoldenHistory('county-share-confirmation', runs[0]!.history);
  });
});

describe('ten years of operation', () => {
  it('Art. 9, 21, 23, 29: yearly review, O&M budget and evaluation for ten years, drill reminders on durable timers, continue-as-new each year, every run under 2,000 events', async () => {
    const id = await lc.start();
    await toOperating(id);
    const startYear = Number((await today()).slice(0, 4)) + 1;
    const NONCOMPLIANT = startYear + 2; // evaluated non-compliant → no O&M money the year after
    const outcomes: Record<number, string> = {};
    for (let year = startYear; year < startYear + 10; year++) {
      await skipTo(shanghai10(`${year}-01-15`));
      const evaluated = year - 1;
      await lc.send(
        id,
        'evaluation',
        {
          year: evaluated,
          fundUseScore: 85,
          outputScore: 80,
          effectScore: 82,
          satisfactionScore: 90,
          sharingCompliant: evaluated !== NONCOMPLIANT,
          dataStoredOnPlatform: true,
          summary: `year ${evaluated}`,
        },
        actors.bdb,
      );
      await lc.send(id, 'omReview', { year, approvedFen: 2_000_000, opinion: 'reviewed' }, actors.bdb);
      try {
        const budgeted = await lc.send(id, 'budget', om(2_000_000, year), actors.finance);
        outcomes[year] = 'ok';
        const v = await publish(id, budgeted.allocations.at(-1)!.id);
        await skipPast(open(v, 'publicity')!.dueAt);
        await viewWhen(id, (x) => x.funds.om.heldFen === 0);
        await lc.send(
          id,
          'disbursement',
          { fundType: 'om', amountFen: 1_500_000, note: `O&M ${year}` },
          actors.finance,
        );
      } catch (err) {
        outcomes[year] = (err as { cause?: { type?: string } }).cause?.type ?? String(err);
      }
    }
    const expected = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        startYear + i,
        startYear + i === NONCOMPLIANT + 1 ? 'sharing_noncompliant' : 'ok',
      ]),
    );
    expect(outcomes).toEqual(expected);
    const v = await lc.view(id);
    expect(v.stage).toBe('operating');
    expect(v.funds.om).toEqual({
      allocatedFen: 18_000_000,
      heldFen: 0,
      availableFen: 4_500_000,
      frozenFen: 0,
      disbursedFen: 13_500_000,
      cancelledFen: 0,
    });
    expect(v.evaluations.map((e) => e.year)).toEqual(Array.from({ length: 10 }, (_, i) => startYear - 1 + i));
    // Art. 29 (policy, issue 15): no drill was ever recorded: every year the durable timer reminded the
    // department 30 days before, then told the department and the BDB, and the next period started.
    const drills = v.deadlines.filter((d) => d.kind === 'security-drill');
    expect(drills.filter((d) => d.status === 'missed').length).toBeGreaterThanOrEqual(9);
    expect(drills.filter((d) => d.status === 'open')).toHaveLength(1);
    const drillNotes = (await lc.notifications(id)).filter((n) => n.kind.startsWith('security-drill'));
    expect(new Set(drillNotes.map((n) => `${n.kind}:${n.recipientRole}:${n.basis}`))).toEqual(
      new Set([
        'security-drill-reminder:department:policy',
        'security-drill-overdue:department:policy',
        'security-drill-overdue:bdb:policy',
      ]),
    );
    expect(drillNotes.filter((n) => n.kind === 'security-drill-reminder').length).toBeGreaterThanOrEqual(9);
    expect(v.pendingActions).toContainEqual(expect.objectContaining({ role: 'department', action: 'security-drill' }));

    // One run per operating year: continue-as-new at every Asia/Shanghai new year.
    const runs = await runsOf(lc, id);
    console.log(
      `ten-year project: ${runs.length} runs; events per run ${runs.map((r) => r.events).join(', ')}; bytes per run ${runs.map((r) => r.bytes).join(', ')}`,
    );
    expect(runs.length).toBeGreaterThanOrEqual(11);
    expect(Math.max(...runs.map((r) => r.events))).toBeLessThan(2_000);
    expect(Math.max(...runs.map((r) => r.bytes))).toBeLessThan(2_000_000);
    saveGoldenHistory('application-to-operation', runs[0]!.history);
    saveGoldenHistory('operating-year', runs[3]!.history);

    // Decommissioning ends the workflow and cancels the unspent O&M money.
    const end = await lc.send(id, 'decommission', { reason: 'replaced' }, actors.bdb);
    expect(end.funds.om).toMatchObject({ availableFen: 0, cancelledFen: 4_500_000 });
  }, 240_000);
});
