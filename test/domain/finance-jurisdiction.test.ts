/**
 * Art. 12 (measures): 需县级承担的建设资金、运维经费列入同级财政预算 — a county's finance acts on its own
 * county's shares only, the city finance on the city's money (issue 28 HIGH 2). For projects started
 * after the patch `finance-jurisdiction`: a county's finance disburses, and gives the finance opinion
 * on a change request (Art. 17), only for projects of its own county; each level disburses at most
 * its own share of the published money. Runs recorded before the patch keep their behaviour.
 */
import { describe, expect, it } from 'vitest';
import { Project } from '../../domain/project.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { actors, Harness, makeInput } from './helpers.ts';

const cityFinance: Actor = { ...actors.finance, jurisdiction: 'city' };
const zezhouFinance: Actor = { keyId: 'k-fin-zz', role: 'finance', name: 'Zezhou finance', jurisdiction: 'zezhou' };
const gaopingFinance: Actor = { keyId: 'k-fin-gp', role: 'finance', name: 'Gaoping finance', jurisdiction: 'gaoping' };

/** A 泽州县 co-built project with 50,000,000 fen of construction money published: 30,000,000 city, 20,000,000 county. */
function zezhouProjectWithMoney(): Harness {
  const h = new Harness({
    jurisdiction: 'zezhou',
    countyShareConfirmation: true,
    estimate: { totalFen: 100_000_000, cityShareFen: 60_000_000, countyShareFen: 40_000_000 },
  }).toBudgeting();
  h.run(
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
  const id = h.state.allocations.at(-1)!.id;
  h.run('countyShareConfirmation', { allocationId: id, budgetRef: '泽财预〔2026〕3号' }, zezhouFinance);
  h.publish(id);
  h.advanceTo(h.deadline('publicity').dueAt!);
  expect(h.stage).toBe('contracting');
  expect(h.state.funds.construction.availableFen).toBe(50_000_000);
  return h;
}

const disburse = (amountFen: number) => ({ fundType: 'construction' as const, amountFen, note: '' });

describe('Art. 12 (measures): finance acts within its jurisdiction (issue 28 HIGH 2)', () => {
  it("Art. 12: a county's finance cannot disburse a city project's money (403 other_jurisdiction_finance, nothing changes); the city finance can", () => {
    const h = new Harness().toContracting();
    const r = h.refuse('disbursement', disburse(1_000_000), zezhouFinance);
    expect([r.status, r.code]).toEqual([403, 'other_jurisdiction_finance']);
    expect(r.details).toMatchObject({ jurisdiction: 'city', actorJurisdiction: 'zezhou' });
    h.run('disbursement', disburse(1_000_000), cityFinance);
    h.run('disbursement', disburse(1_000_000), actors.finance); // a key without a jurisdiction is the city's
    expect(h.state.funds.construction.disbursedFen).toBe(2_000_000);
  });

  it("Art. 12: another county's finance cannot disburse 泽州县's project; each level disburses at most its own share", () => {
    const h = zezhouProjectWithMoney();
    expect(h.refuse('disbursement', disburse(1), gaopingFinance).code).toBe('other_jurisdiction_finance');
    // The city finance: not the county's 20,000,000 although 50,000,000 are available.
    expect(h.refuse('disbursement', disburse(30_000_001), cityFinance).code).toBe('insufficient_share');
    // 泽州县's finance: its 20,000,000 county share, not a fen more.
    h.run('disbursement', disburse(15_000_000), zezhouFinance);
    const over = h.refuse('disbursement', disburse(5_000_001), zezhouFinance);
    expect([over.status, over.code]).toEqual([422, 'insufficient_share']);
    expect(over.details).toMatchObject({ share: 'county', fundType: 'construction', availableFen: 5_000_000 });
    h.run('disbursement', disburse(5_000_000), zezhouFinance);
    // The city finance: its 30,000,000 city share.
    h.run('disbursement', disburse(30_000_000), cityFinance);
    expect(h.state.funds.construction).toMatchObject({ availableFen: 0, disbursedFen: 50_000_000 });
  });

  it("Art. 12, 17: a county's finance cannot take the finance opinion of a city project's change request; the city finance gives it", () => {
    const h = new Harness().toConstruction();
    h.run(
      'changeRequest',
      { kind: 'budget', description: '追加存储设备', budgetDeltaFen: 5_000_000 },
      actors.department,
    );
    const cid = h.state.changeRequests.at(-1)!.id;
    const r = h.refuse('changeRequestOpinion', { cid, opinion: '同意', agrees: true }, zezhouFinance);
    expect([r.status, r.code]).toEqual([403, 'other_jurisdiction_finance']);
    h.run('changeRequestOpinion', { cid, opinion: '资金可以安排', agrees: true }, cityFinance);
    expect(h.state.changeRequests.at(-1)!.opinions).toEqual([
      expect.objectContaining({ role: 'finance', by: 'Finance officer' }),
    ]);
  });

  it("Art. 12, 17: 泽州县's finance gives the finance opinion on its own county's project", () => {
    const h = zezhouProjectWithMoney();
    h.advanceTo('2026-03-20');
    h.run(
      'contract',
      {
        contractNo: 'HT-001',
        contractor: 'Acme',
        amountFen: 50_000_000,
        signedOn: '2026-03-19',
        documentRef: 'sha256:ht1',
        procurement: { method: 'open-tender', reason: '' },
      },
      actors.department,
    );
    h.run('changeRequest', { kind: 'budget', description: '追加', budgetDeltaFen: 1_000_000 }, actors.department);
    const cid = h.state.changeRequests.at(-1)!.id;
    expect(h.refuse('changeRequestOpinion', { cid, opinion: 'x', agrees: true }, gaopingFinance).code).toBe(
      'other_jurisdiction_finance',
    );
    h.run('changeRequestOpinion', { cid, opinion: '同意', agrees: true }, zezhouFinance);
  });

  it('patch finance-jurisdiction: a new run carries the flag and what each level disbursed; a run recorded before it keeps its behaviour (replay)', () => {
    const h = zezhouProjectWithMoney();
    h.run('disbursement', disburse(2_000_000), zezhouFinance);
    h.run('disbursement', disburse(3_000_000), cityFinance);
    expect(h.state.financeJurisdiction).toEqual({
      disbursed: { construction: { city: 3_000_000, county: 2_000_000 }, om: { city: 0, county: 0 } },
    });
    const restored = Project.restore(JSON.parse(JSON.stringify(h.state)));
    expect(restored.state.financeJurisdiction).toEqual(h.state.financeJurisdiction);

    const legacy = new Harness();
    legacy.project = Project.create(makeInput(), { financeJurisdiction: false }); // second reading, not finance-jurisdiction
    legacy.now = legacy.project.state.input.createdAt;
    legacy.toContracting();
    expect(legacy.state.financeJurisdiction).toBeUndefined();
    legacy.run('disbursement', disburse(1_000_000), zezhouFinance);
    expect(legacy.state.funds.construction.disbursedFen).toBe(1_000_000);
  });
});
