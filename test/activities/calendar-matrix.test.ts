/**
 * The calendar matrix: the due dates of three deadlines the measures and the policy count in working
 * days, started on the days that break a "N working days ≈ N + 2 calendar days" assumption — a
 * Friday, a Saturday, a Sunday, the eve of 国庆 and 31 December (元旦 of a year whose State Council
 * notice is not entered yet: provisional, from the holiday law).
 *
 * Each start comes from the lifecycle core (the command run at 10:00 Shanghai on that day, so the
 * deadline's start is the core's own), each due date from the calendar activity on the seeded
 * calendar of a real database (2026: the State Council's notice; 2027: the holiday law), exactly as
 * the workflow dates them. Nothing here depends on the day the suite runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDeadline } from '../../db/calendar.ts';
import { calendarYearDays } from '../../db/calendar.ts';
import { shanghaiDate } from '../../domain/calendar/index.ts';
import { actors, construction, Harness, openTender, passTechnical } from '../domain/helpers.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
});
afterAll(async () => {
  await database?.destroy();
});

/** The core's deadline started by one step taken on `day`. */
const START: Record<'publicity' | 'contract-filing' | 'completion-report', (day: string) => Harness> = {
  // Art. 11 (policy period): the BDB publishes the allocation plan on `day`; the notice starts then.
  publicity: (day) => {
    const h = new Harness().toBudgeting();
    h.run('budget', construction(80_000_000), actors.finance);
    h.advanceTo(day);
    h.publish();
    return h;
  },
  // Art. 15 (measures): a contract signed on `day` is filed within 5 working days of signing.
  'contract-filing': (day) => {
    const h = new Harness().toContracting();
    h.advanceTo(day);
    h.run(
      'contract',
      { contractNo: 'HT-M1', contractor: 'Acme', amountFen: 50_000_000, signedOn: day, procurement: openTender() },
      actors.department,
    );
    return h;
  },
  // Art. 21 (measures): the 竣工验收报告 within 7 working days of the completion acceptance on `day`.
  'completion-report': (day) => {
    const h = new Harness().toJointAcceptance();
    h.advanceTo(day);
    h.run('technicalAcceptance', passTechnical(), actors.bdb);
    h.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    return h;
  },
};

/**
 * start day → due day per deadline. 2026: Friday 4 December, Saturday 5, Sunday 6 (the next working
 * days are 7-11 and 14-15 December); 30 September (国庆 1-7 October, the make-up working Saturday
 * 10 October counts); 31 December (元旦 2027-01-01 off by the holiday law, the weekend after it).
 */
const MATRIX: Array<{ day: string; what: string; due: Record<keyof typeof START, string> }> = [
  {
    day: '2026-12-04',
    what: 'a Friday',
    due: { publicity: '2026-12-11', 'contract-filing': '2026-12-11', 'completion-report': '2026-12-15' },
  },
  {
    day: '2026-12-05',
    what: 'a Saturday',
    due: { publicity: '2026-12-11', 'contract-filing': '2026-12-11', 'completion-report': '2026-12-15' },
  },
  {
    day: '2026-12-06',
    what: 'a Sunday',
    due: { publicity: '2026-12-11', 'contract-filing': '2026-12-11', 'completion-report': '2026-12-15' },
  },
  {
    day: '2026-09-30',
    what: 'the eve of 国庆',
    due: { publicity: '2026-10-13', 'contract-filing': '2026-10-13', 'completion-report': '2026-10-15' },
  },
  {
    day: '2026-12-31',
    what: '31 December (元旦 2027, provisional)',
    due: { publicity: '2027-01-08', 'contract-filing': '2027-01-08', 'completion-report': '2027-01-12' },
  },
];

describe('working days from any start day (Art. 11 policy, Art. 15 and 21 measures)', () => {
  it('the calendar under the matrix: 2026 from the State Council notice (10 October worked), 2027 provisional (元旦 off)', async () => {
    const d2026 = new Map((await calendarYearDays(database.db, 2026)).map((r) => [r.date, r]));
    expect(d2026.get('2026-10-10')).toMatchObject({ workday: true, source: 'notice' });
    for (const day of ['2026-10-01', '2026-10-07'])
      expect(d2026.get(day)).toMatchObject({ workday: false, source: 'notice' });
    const d2027 = new Map((await calendarYearDays(database.db, 2027)).map((r) => [r.date, r]));
    expect(d2027.get('2027-01-01')).toMatchObject({ workday: false, source: 'law' });
  });

  for (const { day, what, due } of MATRIX) {
    for (const kind of Object.keys(START) as Array<keyof typeof START>) {
      it(`${kind} started on ${day} (${what}) is due at the end of ${due[kind]}`, async () => {
        const h = START[kind](day);
        const d = h.deadline(kind);
        expect(d.startsOn).toBe(day);
        const dates = await computeDeadline(database.db, { startsOn: d.startsOn, rule: d.rule, reminder: d.reminder });
        expect(dates.dueOn).toBe(due[kind]);
        // The due instant is the end of that day in Asia/Shanghai: its last millisecond is on it.
        expect(shanghaiDate(new Date(Date.parse(dates.dueAt) - 1).toISOString())).toBe(due[kind]);
        expect(shanghaiDate(dates.dueAt)).not.toBe(due[kind]);
      });
    }
  }
});
