/**
 * A long life in operation (Art. 9, 21, 23): ten years of BDB O&M reviews, finance O&M budgets
 * under publicity, disbursements and annual evaluations, with one year not sharing data.
 */
import { describe, expect, it } from 'vitest';
import { Project } from '../../domain/project.ts';
import { actors, expectFundIdentity, Harness, om } from './helpers.ts';

describe('ten years of operation', () => {
  it('Art. 9, 21, 23: a year evaluated sharingCompliant: false gets no O&M allocation the next year', () => {
    const h = new Harness().toOperating();
    const NONCOMPLIANT = 2030;
    const outcomes: Record<number, string> = {};

    for (let year = 2027; year <= 2036; year++) {
      // January: the BDB evaluates the previous operating year (Art. 23).
      h.advanceTo(`${year}-01-15`);
      const evaluated = year - 1;
      h.run(
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
      expect(h.deadline('annual-evaluation', String(evaluated)).status).toBe('met');
      // Art. 23: the review is made with the latest evaluation at hand.
      h.run('omReview', { year, approvedFen: 2_000_000, opinion: 'reviewed' }, actors.bdb);
      expect(h.project.view().omReviews.at(-1)!.latestEvaluation).toEqual({
        year: evaluated,
        sharingCompliant: evaluated !== NONCOMPLIANT,
      });

      h.advanceTo(`${year}-02-01`);
      const check = (() => {
        try {
          h.project.check({ name: 'budget', payload: om(2_000_000, year) }, actors.finance, h.now);
          return 'ok';
        } catch (err) {
          return (err as { code: string }).code;
        }
      })();
      outcomes[year] = check;
      if (check === 'ok') {
        expect(h.project.pendingActions()).toContainEqual(
          expect.objectContaining({ role: 'finance', action: 'budget', ref: `om-${year}` }),
        );
        h.run('budget', om(2_000_000, year), actors.finance);
        h.publish(); // Art. 11: the BDB's allocation plan
        h.advanceTo(`${year}-02-20`); // Art. 11: published after the publicity period
        h.run('disbursement', { fundType: 'om', amountFen: 1_500_000, note: `O&M ${year}` }, actors.finance);
      } else {
        // Art. 9: finance is not even asked.
        expect(h.project.pendingActions().some((p) => p.role === 'finance')).toBe(false);
      }
      expectFundIdentity(h.project);

      // A decade of history survives continue-as-new every year.
      h.project = Project.restore(JSON.parse(JSON.stringify(h.project.state)));
    }

    expect(outcomes).toEqual({
      2027: 'ok',
      2028: 'ok',
      2029: 'ok',
      2030: 'ok',
      2031: 'sharing_noncompliant',
      2032: 'ok',
      2033: 'ok',
      2034: 'ok',
      2035: 'ok',
      2036: 'ok',
    });
    const funds = h.project.state.funds.om;
    expect(funds).toEqual({
      allocatedFen: 18_000_000,
      heldFen: 0,
      availableFen: 4_500_000,
      frozenFen: 0,
      disbursedFen: 13_500_000,
      cancelledFen: 0,
    });
    expect(h.project.view().evaluations.map((e) => e.year)).toEqual([
      2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035,
    ]);
    expect(h.project.view().violations).toEqual([]);
    // The evaluation of 2036 is the one still open, due 31 March 2037.
    // (Besides the Art. 29 drill period, policy: one open drill deadline.)
    expect(
      h.project.state.deadlines
        .filter((d) => d.status === 'open' && d.kind !== 'security-drill')
        .map((d) => [d.kind, d.ref, d.rule]),
    ).toEqual([['annual-evaluation', '2036', { until: '2037-03-31' }]]);
    h.run('decommission', { reason: 'end of life' }, actors.bdb);
    expect(h.project.state.funds.om.cancelledFen).toBe(4_500_000);
    expectFundIdentity(h.project);
  });

  it('Art. 23: missed evaluations roll on year by year without violations', () => {
    const h = new Harness().toOperating();
    h.advanceTo('2030-06-01');
    const statuses = h.project.state.deadlines
      .filter((d) => d.kind === 'annual-evaluation')
      .map((d) => [d.ref, d.status]);
    expect(statuses).toEqual([
      ['2026', 'missed'],
      ['2027', 'missed'],
      ['2028', 'missed'],
      ['2029', 'missed'],
      ['2030', 'open'],
    ]);
    expect(h.project.view().violations).toEqual([]);
  });
});
