/**
 * The project workflow end to end on the time-skipping server: real timers, real activities, real
 * ledger and audit tables. Each test names the article it proves.
 * Here: changes and joint acceptance, the workflow clock, persisting a change.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { computeDeadline } from '../../db/calendar.ts';
import { projects } from '../../db/schema.ts';
import { actors, construction, openTender, passTechnical } from '../domain/helpers.ts';
import { recordRiskAndEmergency, runsOf } from './support.ts';
import { lc, skipPast, today, toConstruction, useLifecycle, viewWhen } from './lifecycle-fixtures.ts';

useLifecycle();

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
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0]!;
    await skipPast(next.dueAt);
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
