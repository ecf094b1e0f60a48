/**
 * Unit tests of the lifecycle core's commands: access and creation.
 * The happy path and each refusal (role, department, stage, unknown id, business rule).
 * Each test names its article of 晋市政办〔2019〕44号.
 */
import { describe, expect, it } from 'vitest';
import { isAdministrator } from '../../domain/admin-roles.ts';
import { COMMAND_NAMES, COMMAND_ROLES, INTERNAL_COMMANDS, type Command } from '../../domain/commands.ts';
import { Project } from '../../domain/project.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import { actors, at, Harness, makeInput } from './helpers.ts';
import { actorOf, API_COMMANDS, expectRejected } from './commands-fixtures.ts';

describe('access (docs/MEASURES.md "Actors")', () => {
  const wrongRoles = COMMAND_NAMES.flatMap((name) =>
    ROLES.filter((role) => !(COMMAND_ROLES[name] as readonly string[]).includes(role)).map(
      (role) => [name, role] as const,
    ),
  );

  it.each(wrongRoles)('Art. 4: %s is refused to role %s (403 forbidden)', (name, role) => {
    const h = new Harness();
    const r = h.refuse(name, {} as never, actorOf(role));
    expect([r.status, r.code]).toEqual([403, 'forbidden']);
  });

  it.each(COMMAND_NAMES.filter((n) => (COMMAND_ROLES[n] as readonly string[]).includes('department')))(
    "Art. 4: a department may not %s on another department's project (403)",
    (name) => {
      const h = new Harness();
      const r = h.refuse(name, {} as never, actors.otherDepartment);
      expect([r.status, r.code]).toEqual([403, 'forbidden']);
    },
  );

  it('Art. 4: a department key without a department is refused (403)', () => {
    const h = new Harness().toBudgeting();
    const r = h.refuse('withdrawal', { reason: 'x' }, { keyId: 'k', role: 'department', name: 'nobody' });
    expect(r.code).toBe('forbidden');
  });

  it('Art. 24-25: admin makes no business decisions: every command is refused', () => {
    const h = new Harness();
    for (const name of API_COMMANDS) expect(h.refuse(name, {} as never, actors.admin).status).toBe(403);
  });

  it.each(COMMAND_NAMES)('Art. 22: %s is refused once the project is terminated (409 invalid_transition)', (name) => {
    const h = new Harness();
    h.suspend();
    h.run('termination', { reason: 'duplicate of another project' }, actors.bdb);
    const role = COMMAND_ROLES[name][0];
    const r = h.refuse(name, {} as never, actorOf(role));
    expect([r.status, r.code]).toEqual([409, 'invalid_transition']);
    expect(r.details).toMatchObject({ stage: 'terminated', pendingActions: [] });
  });

  it('an unknown command name is a 400 validation_failed', () => {
    const h = new Harness();
    expectRejected(
      () => h.project.apply({ name: 'launchRocket', payload: {} } as unknown as Command, actors.bdb, h.now),
      400,
      'validation_failed',
    );
  });

  it('Art. 7: a payload that is not an object is a 400 validation_failed', () => {
    const h = new Harness();
    const r = h.refuse('technicalReview', null as never, actors.bdb);
    expect([r.status, r.code]).toEqual([400, 'validation_failed']);
  });

  it('COMMAND_ROLES gives every command of docs/API.md "Commands" at least one role and never an administrator', () => {
    expect(API_COMMANDS).toHaveLength(36); // 31 + leaderChange (Art. 14), changeRequestOpinion (Art. 17), riskAssessment (Art. 28), emergencyPlan (Art. 29), countyShareConfirmation (Art. 12)
    // docs/MEASURES.md "Working days": the one internal command, sent by the API for an admin's calendar change.
    // Art. 11: allocationPublication is sent by POST /v1/allocation-plans only.
    expect(INTERNAL_COMMANDS).toEqual(['deadlineRescheduling', 'allocationPublication']);
    // 三员分立 (policy): the calendar is the system administrator's (and the start-up key's).
    expect(COMMAND_ROLES.deadlineRescheduling).toEqual(['sysadmin', 'admin']);
    expect(COMMAND_ROLES.allocationPublication).toEqual(['bdb']);
    for (const name of API_COMMANDS) {
      expect(COMMAND_ROLES[name].length).toBeGreaterThan(0);
      expect(COMMAND_ROLES[name].filter(isAdministrator)).toEqual([]);
    }
  });
});

describe('creation', () => {
  it('Art. 7: a new project waits for the BDB technical review', () => {
    const p = Project.create(makeInput());
    expect(p.state.stage).toBe('technical_review');
    expect(p.view().pendingActions).toEqual([{ role: 'bdb', action: 'technical-review', overdue: false }]);
    expect(p.view().decisions[0]).toMatchObject({ action: 'application', role: 'department', by: 'Health department' });
    expect(p.view().policy).toEqual({ jurisdiction: 'city', version: 1, switches: DEFAULT_POLICY_SWITCHES });
    expect(p.readModel()).toMatchObject({ version: 1, awaitingRoles: ['bdb'], nextDeadline: null, overdue: false });
  });

  it('Art. 30: the policy is pinned; the city defaults match the deadline table', () => {
    expect(DEFAULT_CITY_POLICY.deadlines).toMatchObject({
      publicity: { duration: { unit: 'workingDays', amount: 5 }, reminder: null },
      contractFiling: { duration: { unit: 'workingDays', amount: 5 }, reminder: { unit: 'workingDays', amount: 2 } },
      progressReport: {
        period: 'quarterly',
        duration: { unit: 'workingDays', amount: 10 },
        reminder: { unit: 'workingDays', amount: 2 },
      },
      acceptanceDelay: {
        duration: { unit: 'calendarDays', amount: 90 },
        reminder: { unit: 'calendarDays', amount: 10 },
      },
      completionReport: { duration: { unit: 'workingDays', amount: 7 }, reminder: { unit: 'workingDays', amount: 2 } },
      rectification: { duration: { unit: 'workingDays', amount: 20 }, reminder: { unit: 'workingDays', amount: 3 } },
      annualEvaluation: { dueMonthDay: '03-31', reminder: { unit: 'calendarDays', amount: 10 } },
    });
    const county = {
      ...DEFAULT_CITY_POLICY,
      jurisdiction: 'zezhou',
      version: 3,
      deadlines: {
        ...DEFAULT_CITY_POLICY.deadlines,
        publicity: { duration: { unit: 'workingDays' as const, amount: 7 }, reminder: null },
      },
    };
    const h = new Harness({ policy: county, jurisdiction: 'zezhou' }).toPublicity();
    expect(h.deadline('publicity').rule).toEqual({ unit: 'workingDays', amount: 7 });
    expect(h.project.view().policy).toMatchObject({ jurisdiction: 'zezhou', version: 3 });
  });

  it('Art. 24-25: start() returns the application audit and notifies the BDB once', () => {
    const p = Project.create(makeInput());
    const effects = p.start(at('2026-03-02'));
    expect(effects.map((e) => e.type)).toEqual(['audit', 'notify']);
    expect(effects[0]).toMatchObject({ action: 'application', actor: actors.department });
    expect(p.start(at('2026-03-02'))).toEqual([]);
  });
});
