/**
 * Art. 12 (measures): 需县级承担的建设资金、运维经费列入同级财政预算 — the county share of an allocation of
 * a city-county co-built project (Art. 5 分级立项) is confirmed by that county's finance; until then
 * nothing of the allocation is held or published (Art. 11). Projects started before the rule
 * (no `countyShareConfirmation` on their input) keep booking both shares at once.
 */
import { describe, expect, it } from 'vitest';
import { actors, Harness } from './helpers.ts';
import type { Actor } from '../../domain/vocabulary.ts';

const cityFinance: Actor = { ...actors.finance, jurisdiction: 'city' };
const zezhouFinance: Actor = { keyId: 'k-fin-zz', role: 'finance', name: 'Zezhou finance', jurisdiction: 'zezhou' };
const gaopingFinance: Actor = { keyId: 'k-fin-gp', role: 'finance', name: 'Gaoping finance', jurisdiction: 'gaoping' };
const share = {
  fundType: 'construction' as const,
  year: 2026,
  amountFen: 50_000_000,
  cityShareFen: 30_000_000,
  countyShareFen: 20_000_000,
};
const coBuilt = () =>
  new Harness({
    jurisdiction: 'zezhou',
    countyShareConfirmation: true,
    estimate: { totalFen: 100_000_000, cityShareFen: 60_000_000, countyShareFen: 40_000_000 },
  });

describe('Art. 12 (measures): the county share is confirmed by the county finance', () => {
  it('Art. 12: a co-built allocation waits for the county: nothing held, not publishable (Art. 11), finance of the county asked', () => {
    const h = coBuilt().toBudgeting();
    const effects = h.run('budget', share, cityFinance);
    const a = h.state.allocations.at(-1)!;
    expect(a).toMatchObject({ status: 'awaiting-county', countyShare: { jurisdiction: 'zezhou', confirmedAt: null } });
    expect(h.effectsOf(effects, 'fundMovement')).toHaveLength(0);
    expect(h.state.funds.construction).toMatchObject({ allocatedFen: 0, heldFen: 0 });
    expect(h.effectsOf(effects, 'notify').map((n) => [n.recipient.role, n.kind])).toContainEqual([
      'finance',
      'county-share-confirmation',
    ]);
    expect(h.project.pendingActions()).toContainEqual(
      expect.objectContaining({ role: 'finance', action: 'county-share-confirmation', ref: a.id }),
    );
    // Art. 11: not published before the county's budget is determined.
    const r = h.refuse('allocationPublication', { planId: 'AP2026-X', allocationId: a.id }, actors.bdb);
    expect([r.status, r.code]).toEqual([422, 'county_share_unconfirmed']);
  });

  it("Art. 12: the county's finance confirms: the allocation is held, on the ledger with both shares, and can be published", () => {
    const h = coBuilt().toBudgeting();
    h.run('budget', share, cityFinance);
    const id = h.state.allocations.at(-1)!.id;
    const effects = h.run(
      'countyShareConfirmation',
      { allocationId: id, budgetRef: '泽财预〔2026〕3号' },
      zezhouFinance,
    );
    const [move] = h.effectsOf(effects, 'fundMovement');
    expect(move!.movement).toMatchObject({
      kind: 'allocate',
      amountFen: 50_000_000,
      cityShareFen: 30_000_000,
      countyShareFen: 20_000_000,
      to: 'held',
    });
    expect(h.state.allocations.at(-1)).toMatchObject({
      status: 'held',
      countyShare: { jurisdiction: 'zezhou', confirmedBy: 'Zezhou finance', budgetRef: '泽财预〔2026〕3号' },
    });
    expect(h.state.funds.construction).toMatchObject({ allocatedFen: 50_000_000, heldFen: 50_000_000 });
    h.publish(id);
    expect(h.state.allocations.at(-1)!.status).toBe('publicity');
  });

  it("Art. 12: who may not — city finance (403 county_finance_only), another county's finance (403), bdb (403 by role); a county finance cannot book (403 city_finance_only)", () => {
    const h = coBuilt().toBudgeting();
    h.run('budget', share, cityFinance);
    const id = h.state.allocations.at(-1)!.id;
    for (const who of [cityFinance, actors.finance, gaopingFinance]) {
      const r = h.refuse('countyShareConfirmation', { allocationId: id, budgetRef: '' }, who);
      expect([r.status, r.code]).toEqual([403, 'county_finance_only']);
    }
    expect(h.refuse('countyShareConfirmation', { allocationId: id, budgetRef: '' }, actors.bdb).status).toBe(403);
    const booked = h.refuse('budget', share, zezhouFinance);
    expect([booked.status, booked.code]).toEqual([403, 'city_finance_only']);
    // Confirmed once only.
    h.run('countyShareConfirmation', { allocationId: id, budgetRef: '' }, zezhouFinance);
    expect(h.refuse('countyShareConfirmation', { allocationId: id, budgetRef: '' }, zezhouFinance).code).toBe(
      'invalid_transition',
    );
  });

  it('Art. 12: an allocation without a county share is held at once; a city project has no county share (422)', () => {
    const h = coBuilt().toBudgeting();
    h.run('budget', { ...share, cityShareFen: 50_000_000, countyShareFen: 0 }, cityFinance);
    expect(h.state.allocations.at(-1)!.status).toBe('held');
    expect(h.state.allocations.at(-1)!.countyShare).toBeUndefined();
    const city = new Harness({ countyShareConfirmation: true }).toBudgeting();
    expect(city.refuse('budget', share, cityFinance).code).toBe('county_share_without_county');
  });

  it('Art. 12: a project started before the rule keeps booking the county share at once (running projects unchanged)', () => {
    const h = new Harness({
      jurisdiction: 'zezhou',
      estimate: { totalFen: 100_000_000, cityShareFen: 60_000_000, countyShareFen: 40_000_000 },
    }).toBudgeting();
    h.run('budget', share, actors.finance);
    expect(h.state.allocations.at(-1)).toMatchObject({ status: 'held' });
    expect(h.state.funds.construction.heldFen).toBe(50_000_000);
  });

  it('Art. 12: termination cancels an allocation still awaiting the county without moving money', () => {
    const h = coBuilt().toBudgeting();
    h.run('budget', share, cityFinance);
    h.run('withdrawal', { reason: 'no longer needed' }, actors.department);
    expect(h.state.allocations.at(-1)!.status).toBe('cancelled');
    expect(h.state.funds.construction).toMatchObject({ allocatedFen: 0, cancelledFen: 0 });
  });
});
