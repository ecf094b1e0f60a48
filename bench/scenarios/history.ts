import { resolveTestServer } from '../../scripts/temporal-bin.ts';
import type { BenchContext } from '../setup.ts';
import { quick } from '../options.ts';
import { results, row } from '../machinery.ts';

export async function history(ctx: BenchContext): Promise<void> {
  const { log } = ctx;
  log('history: a simulated ten-year project on the time-skipping server');
  const { startLifecycle, runsOf, recordRiskAndEmergency } = await import('../../test/workflow/support.ts');
  const { actors, om, passTechnical, fullChecklist, construction } = await import('../../test/domain/helpers.ts');
  const lc = await startLifecycle(await resolveTestServer({ log }));
  try {
    const id = await lc.start();
    const now = async () => lc.env.currentTimeMs();
    const today = async () => new Date((await now()) + 8 * 3_600_000).toISOString().slice(0, 10);
    await lc.send(id, 'technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
    await lc.send(
      id,
      'establishment',
      { decision: 'approve', approvalNo: 'H-1', opinion: 'ok', approvedEstimateFen: 100_000_000 },
      actors.approval,
    );
    await lc.send(id, 'budget', construction(10_000_000), actors.finance);
    // Art. 11: the BDB's allocation plan starts the notice period.
    const b = await lc.send(
      id,
      'allocationPublication',
      { planId: 'AP2026-BENCH00001', allocationId: 'alloc-1' },
      actors.bdb,
    );
    await lc.sleep(Date.parse(b.deadlines.find((d) => d.kind === 'publicity')!.dueAt) - (await now()) + 3_600_000);
    for (let i = 0; i < 50 && (await lc.view(id)).stage !== 'contracting'; i++)
      await new Promise((r) => setTimeout(r, 100));
    await lc.send(
      id,
      'contract',
      {
        contractNo: 'HT-1',
        contractor: 'c',
        amountFen: 1,
        signedOn: await today(),
        documentRef: 'sha256:c',
        procurement: { method: 'open-tender', reason: '' },
      },
      actors.department,
    );
    await lc.send(
      id,
      'catalogEntries',
      { entries: [{ code: 'C', name: 'n', sharingType: 'conditional', updateCycle: 'daily' }] },
      actors.department,
    );
    await recordRiskAndEmergency(lc, id, await today(), 'c'); // Art. 28-29
    await lc.send(id, 'preliminaryAcceptance', { reportRef: 'r', completedOn: await today() }, actors.department);
    await lc.send(id, 'technicalAcceptance', passTechnical(), actors.bdb);
    await lc.send(id, 'completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    await lc.send(id, 'completionReport', { reportRef: 'r' }, actors.department);
    const first = Number((await today()).slice(0, 4)) + 1;
    for (let year = first; year < first + (quick ? 2 : 10); year++) {
      await lc.sleep(Date.parse(`${year}-01-15T10:00:00+08:00`) - (await now()));
      await lc.send(
        id,
        'evaluation',
        {
          year: year - 1,
          fundUseScore: 80,
          outputScore: 80,
          effectScore: 80,
          satisfactionScore: 80,
          sharingCompliant: true,
          dataStoredOnPlatform: true,
          summary: 's',
        },
        actors.bdb,
      );
      await lc.send(id, 'omReview', { year, approvedFen: 1_000_000, opinion: 'o' }, actors.bdb);
      const budgeted = await lc.send(id, 'budget', om(1_000_000, year), actors.finance);
      const v = await lc.send(
        id,
        'allocationPublication',
        { planId: 'AP2026-BENCH00001', allocationId: budgeted.allocations.at(-1)!.id },
        actors.bdb,
      );
      await lc.sleep(
        Date.parse(v.deadlines.find((d) => d.kind === 'publicity' && d.status === 'open')!.dueAt) -
          (await now()) +
          3_600_000,
      );
      for (let i = 0; i < 50 && (await lc.view(id)).funds.om.heldFen > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      await lc.send(id, 'disbursement', { fundType: 'om', amountFen: 500_000, note: `${year}` }, actors.finance);
    }
    const runs = await runsOf(lc, id);
    const longest = Math.max(...runs.map((r) => r.events));
    const biggest = Math.max(...runs.map((r) => r.bytes));
    results.history = {
      years: quick ? 2 : 10,
      runs: runs.map((r) => ({ events: r.events, bytes: r.bytes })),
      longestRunEvents: longest,
      largestRunBytes: biggest,
      targets: { events: 2000, bytes: 2_000_000 },
    };
    row(
      'history',
      `${runs.length} runs: longest run events / bytes`,
      `${longest} / ${(biggest / 1024).toFixed(0)} kB`,
      'target ≤ 2,000 events / ≤ 2 MB',
    );
  } finally {
    await lc.stop();
  }
}
