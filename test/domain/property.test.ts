/**
 * Property-based tests of the pure core (fast-check): whatever sequence of commands, roles and time
 * advances arrives, the money rules of docs/MEASURES.md "Money" (Art. 10-12, 21-22) hold, a refused
 * command changes nothing, and a terminal stage is never left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_ROLES, type Command, type CommandName } from '../../domain/commands.ts';
import { isRejection } from '../../domain/errors.ts';
import { TERMINAL_STAGES, type Actor } from '../../domain/vocabulary.ts';
import { actors, construction, fullChecklist, Harness, om, passTechnical, scheduleAll } from './helpers.ts';

const actorArb = fc.constantFrom<Actor>(...Object.values(actors));
const amount = fc.integer({ min: 1, max: 50_000_000 });
const date = fc
  .date({ min: new Date('2026-03-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const ref = fc.constantFrom('obj-1', 'obj-2', 'cr-1', 'cr-2', 'rect-1', 'rect-2', 'HT-1', 'HT-2');

/** Plausible and implausible commands alike: the core must refuse the wrong ones cleanly. */
const commandArb: fc.Arbitrary<{ name: string; payload: Record<string, unknown> }> = fc.oneof(
  fc.record({
    name: fc.constant('technicalReview'),
    payload: fc.record({
      decision: fc.constantFrom('pass', 'revise', 'reject'),
      opinion: fc.constant('o'),
      checklist: fc.constant(fullChecklist()),
    }),
  }),
  fc.record({
    name: fc.constant('resubmission'),
    payload: fc.constant({
      documents: { proposal: 'a', feasibilityStudy: 'b', preliminaryDesign: 'c', investmentEstimate: 'd' },
      note: 'n',
    }),
  }),
  fc.record({
    name: fc.constant('establishment'),
    payload: fc
      .record({
        decision: fc.constantFrom('approve', 'reject'),
        approvalNo: fc.constant('A-1'),
        opinion: fc.constant('o'),
        approvedEstimateFen: fc.option(amount, { nil: undefined }),
      })
      .map((p) => JSON.parse(JSON.stringify(p))),
  }),
  fc.record({
    name: fc.constant('budget'),
    payload: fc.oneof(
      amount.map((a) => construction(a)),
      amount.map((a) => om(a, 2027)),
    ),
  }),
  fc.record({
    name: fc.constant('allocationPublication'),
    payload: fc.record({
      planId: fc.constant('AP2026-PROPERTY01'),
      allocationId: fc.constantFrom('alloc-1', 'alloc-2', 'alloc-3'),
    }),
  }),
  fc.record({ name: fc.constant('publicityObjection'), payload: fc.constant({ summary: 's' }) }),
  fc.record({
    name: fc.constant('publicityObjectionResolution'),
    payload: fc.record({ oid: ref, upheld: fc.boolean(), note: fc.constant('n') }),
  }),
  fc.record({
    name: fc.constant('contract'),
    payload: fc
      .record({
        contractNo: fc.constantFrom('HT-1', 'HT-2'),
        contractor: fc.constant('c'),
        amountFen: amount,
        signedOn: date,
        documentRef: fc.option(fc.constant('sha256:x'), { nil: undefined }),
        procurement: fc.constant({ method: 'open-tender', reason: '' }),
      })
      .map((p) => JSON.parse(JSON.stringify(p))),
  }),
  fc.record({
    name: fc.constant('contractFiling'),
    payload: fc.record({ contractNo: fc.constantFrom('HT-1', 'HT-2'), documentRef: fc.constant('sha256:y') }),
  }),
  fc.record({
    name: fc.constant('disbursement'),
    payload: fc.record({ fundType: fc.constantFrom('construction', 'om'), amountFen: amount, note: fc.constant('n') }),
  }),
  fc.record({
    name: fc.constant('rectificationOrder'),
    payload: fc.record({ reason: fc.constantFrom('other', 'late-filing'), description: fc.constant('d') }),
  }),
  fc.record({
    name: fc.constant('rectificationResponse'),
    payload: fc.record({ rid: ref, description: fc.constant('d'), evidenceRef: fc.constant('e') }),
  }),
  fc.record({
    name: fc.constant('rectificationReview'),
    payload: fc.record({ rid: ref, decision: fc.constantFrom('accept', 'reject'), opinion: fc.constant('o') }),
  }),
  fc.record({
    name: fc.constant('rectificationExtension'),
    payload: fc.record({ rid: ref, dueOn: date, reason: fc.constant('r') }),
  }),
  fc.record({ name: fc.constant('termination'), payload: fc.constant({ reason: 'r' }) }),
  fc.record({ name: fc.constant('withdrawal'), payload: fc.constant({ reason: 'r' }) }),
  fc.record({
    name: fc.constant('catalogEntries'),
    payload: fc.constant({ entries: [{ code: 'C', name: 'n', sharingType: 'conditional', updateCycle: 'daily' }] }),
  }),
  fc.record({
    name: fc.constant('preliminaryAcceptance'),
    payload: fc.record({ reportRef: fc.constant('r'), completedOn: date }),
  }),
  fc.record({ name: fc.constant('technicalAcceptance'), payload: fc.constant(passTechnical()) }),
  fc.record({
    name: fc.constant('completionAcceptance'),
    payload: fc.record({ decision: fc.constantFrom('pass', 'fail'), opinion: fc.constant('o') }),
  }),
  fc.record({ name: fc.constant('completionReport'), payload: fc.constant({ reportRef: 'r' }) }),
  fc.record({
    name: fc.constant('omReview'),
    payload: fc.record({ year: fc.constantFrom(2026, 2027), approvedFen: amount, opinion: fc.constant('o') }),
  }),
  fc.record({ name: fc.constant('decommission'), payload: fc.constant({ reason: 'r' }) }),
  // Garbage: unknown commands and payloads of the wrong shape.
  fc.record({
    name: fc.string({ maxLength: 12 }),
    payload: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
  }),
);

const stepArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      command: commandArb,
      actor: actorArb,
      rightRole: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 120 }) }),
  },
);

function expectMoneyRules(h: Harness): void {
  for (const b of [h.state.funds.construction, h.state.funds.om]) {
    // Art. 10-12: allocated = held + available + frozen + disbursed + cancelled, none negative, integer fen.
    expect(b.allocatedFen).toBe(b.heldFen + b.availableFen + b.frozenFen + b.disbursedFen + b.cancelledFen);
    for (const v of Object.values(b)) {
      expect(Number.isSafeInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
  }
}

describe('the core under random command sequences (fast-check)', () => {
  it('Art. 10-12, 21-22: the fund identity holds, nothing is negative, refusals change nothing, terminal stages are final', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('application', 'publicity', 'construction', 'operating'),
        (steps, from) => {
          const h = new Harness();
          if (from === 'publicity') h.toPublicity();
          if (from === 'construction') h.toConstruction();
          if (from === 'operating') h.toOperating();
          let terminal: string | null = null;
          for (const step of steps) {
            if (step.kind === 'advance') {
              h.advanceTo(new Date(Date.parse(h.now) + step.days * 86_400_000).toISOString());
            } else {
              const before = JSON.stringify(h.state);
              try {
                // Half the time the command comes from a role allowed to send it, so sequences go deep.
                const roles = COMMAND_ROLES[step.command.name as CommandName] as readonly string[] | undefined;
                const actor = step.rightRole && roles ? (actors as Record<string, Actor>)[roles[0]!]! : step.actor;
                const effects = h.project.apply(step.command as Command, actor, h.now);
                scheduleAll(h.project, effects);
                accepted++;
              } catch (err) {
                // A refusal is a typed Rejection and leaves the state exactly as it was.
                expect(isRejection(err), String(err)).toBe(true);
                expect(JSON.stringify(h.state)).toBe(before);
              }
            }
            expectMoneyRules(h);
            if (terminal) expect(h.stage).toBe(terminal);
            else if (TERMINAL_STAGES.has(h.stage)) terminal = h.stage;
          }
        },
      ),
      { numRuns: 500 },
    );
    // The generator reaches real behaviour, not only refusals.
    expect(accepted).toBeGreaterThan(150);
  });
});
