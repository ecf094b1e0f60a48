/**
 * The project workflow end to end on the time-skipping server: real timers, real activities, real
 * ledger and audit tables. Each test names the article it proves.
 * Here: the allocation plan and the whole life (Art. 7-21).
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/queries/audit.ts';
import { computeDeadline } from '../../db/calendar.ts';
import { projects } from '../../db/schema.ts';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { actors, openTender, passTechnical } from '../domain/helpers.ts';
import { eventually } from '../support/system.ts';
import { recordRiskAndEmergency } from './support.ts';
import {
  lc,
  openDeadline,
  publish,
  skipPast,
  today,
  toBudgeted,
  toPublicity,
  useLifecycle,
  viewWhen,
} from './lifecycle-fixtures.ts';

useLifecycle();

describe('the allocation plan on a real server (Art. 11)', () => {
  it("Art. 11: finance's money stays held until the BDB's plan; 5 working days after publication it is available", async () => {
    const { id, budgeted } = await toBudgeted(60_000_000);
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
