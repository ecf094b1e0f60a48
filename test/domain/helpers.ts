/**
 * Test support for the lifecycle core: a fixed application, one actor per role, a simple
 * working-day calendar (Monday-Friday, no holidays) standing in for the calendar activity, and a
 * Harness that applies commands, schedules every started deadline and fires timers in order, the
 * way the workflow does.
 */
import { expect } from 'vitest';
import type { Command, CommandName, CommandPayloads } from '../../domain/commands.ts';
import type { DeadlineStart, Effect } from '../../domain/effects.ts';
import { Rejection } from '../../domain/errors.ts';
import { Project } from '../../domain/project.ts';
import type { DeadlineRecord, MeasuresReading } from '../../domain/state.ts';
import type { DeadlineKind } from '../../domain/deadline-kinds.ts';
import { DEFAULT_CITY_POLICY, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import type { Duration, PolicySwitches } from '../../domain/policy.ts';
import type { ProjectInput } from '../../domain/project-input.ts';
import type { Actor } from '../../domain/vocabulary.ts';

export const DEPT = 'health';

export const actors = {
  bdb: { keyId: 'k-bdb', role: 'bdb', name: 'BDB reviewer' },
  approval: { keyId: 'k-appr', role: 'approval', name: 'Approval officer' },
  finance: { keyId: 'k-fin', role: 'finance', name: 'Finance officer' },
  department: { keyId: 'k-dept', role: 'department', department: DEPT, name: 'Health department' },
  otherDepartment: { keyId: 'k-edu', role: 'department', department: 'education', name: 'Education department' },
  admin: { keyId: 'k-admin', role: 'admin', name: 'Operator' },
  sysadmin: { keyId: 'k-sys', role: 'sysadmin', name: 'System administrator' },
  secadmin: { keyId: 'k-sec', role: 'secadmin', name: 'Security administrator' },
  auditadmin: { keyId: 'k-audit', role: 'auditadmin', name: 'Audit administrator' },
} satisfies Record<string, Actor>;

/** 10:00 in Asia/Shanghai on a date. */
export const at = (date: string) => `${date}T02:00:00.000Z`;

export function makeInput(overrides: Partial<ProjectInput> = {}): ProjectInput {
  return {
    id: 'JC2026-TEST0001',
    title: 'Smart health data platform',
    summary: 'Integrates hospital data',
    kind: 'new',
    department: DEPT,
    jurisdiction: 'city',
    year: 2026,
    annualPlanItem: '2026-HEALTH-01',
    estimate: { totalFen: 100_000_000, cityShareFen: 100_000_000, countyShareFen: 0 },
    plannedCompletionDate: '2027-06-30',
    documents: {
      proposal: 'sha256:a',
      feasibilityStudy: 'sha256:b',
      preliminaryDesign: 'sha256:c',
      investmentEstimate: 'sha256:d',
    },
    policy: JSON.parse(JSON.stringify(DEFAULT_CITY_POLICY)),
    createdAt: at('2026-03-02'),
    createdBy: actors.department,
    leader: { name: '张伟', post: '信息科科长', contact: '0356-2020001' },
    ...overrides,
  };
}

// --- a stand-in for the calendar activity ---------------------------------------------------------

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const isWeekday = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6;
};

export function shift(date: string, d: Duration, sign: 1 | -1): string {
  if (d.unit === 'calendarDays') return addDays(date, sign * d.amount);
  let out = date;
  let left = d.amount;
  while (left > 0) {
    out = addDays(out, sign);
    if (isWeekday(out)) left -= 1;
  }
  return out;
}

/** dueAt = end of the due day in Asia/Shanghai; remindAt = 09:00 on the reminder day. */
export function computeDates(start: DeadlineStart): { dueAt: string; remindAt: string | null; dueOn: string } {
  const dueOn = 'until' in start.rule ? start.rule.until : shift(start.startsOn, start.rule, 1);
  const remindOn = start.reminder ? shift(dueOn, start.reminder, -1) : null;
  return {
    dueOn,
    dueAt: new Date(Date.parse(`${dueOn}T23:59:59.999+08:00`)).toISOString(),
    remindAt:
      remindOn && remindOn >= start.startsOn ? new Date(Date.parse(`${remindOn}T09:00:00+08:00`)).toISOString() : null,
  };
}

export function scheduleAll(project: Project, effects: Effect[]): void {
  for (const e of effects) {
    if (e.type === 'startDeadline') {
      const { dueAt, remindAt } = computeDates(e.deadline);
      project.setDeadlineDates(e.deadline.id, { dueAt, remindAt });
    }
  }
}

// --- the harness --------------------------------------------------------------------------------

export class Harness {
  project: Project;
  now: string;
  readonly log: Effect[] = [];

  /**
   * `measures`: 'legacy' runs the rules as they ran before the measures-as-written patch (and predate
   * the Art. 28-29 records of issue 15 as well); `measuresRecords` false: as runs recorded before the
   * Art. 13-14, 17 records (patch measures-records; legacy runs all predate it); `secondReading` false:
   * as runs recorded before issue 27's reading (patch measures-second-reading).
   */
  constructor(
    overrides: Partial<ProjectInput> = {},
    measures: MeasuresReading = 'as-written',
    measuresRecords = measures === 'as-written',
    secondReading = measuresRecords,
  ) {
    this.project = Project.create(makeInput(overrides), {
      measures,
      riskAndEmergency: measures === 'as-written',
      measuresRecords,
      secondReading,
    });
    this.now = this.project.state.input.createdAt;
  }

  get state() {
    return this.project.state;
  }

  get stage() {
    return this.project.state.stage;
  }

  /** Sets "now" to a date (10:00 Shanghai) or an instant, firing every timer due before it. */
  advanceTo(dateOrInstant: string): Effect[] {
    const target = dateOrInstant.length === 10 ? at(dateOrInstant) : dateOrInstant;
    const out: Effect[] = [];
    for (;;) {
      const next = this.project.deadlineEvents().find((e) => Date.parse(e.at) <= Date.parse(target));
      if (!next) break;
      const effects = this.project.fire(next.deadlineId, next.event, next.at);
      scheduleAll(this.project, effects);
      out.push(...effects);
    }
    this.now = Date.parse(target) > Date.parse(this.now) ? target : this.now;
    this.log.push(...out);
    return out;
  }

  run<K extends CommandName>(name: K, payload: CommandPayloads[K], actor: Actor): Effect[] {
    const effects = this.project.apply({ name, payload } as Command, actor, this.now);
    scheduleAll(this.project, effects);
    this.log.push(...effects);
    return effects;
  }

  /** Runs a command that must be refused; asserts the state did not change. */
  refuse<K extends CommandName>(name: K, payload: CommandPayloads[K], actor: Actor): Rejection {
    const before = JSON.stringify(this.project.state);
    let caught: unknown;
    try {
      this.project.check({ name, payload } as Command, actor, this.now);
    } catch (err) {
      caught = err;
    }
    let caughtApply: unknown;
    try {
      this.project.apply({ name, payload } as Command, actor, this.now);
    } catch (err) {
      caughtApply = err;
    }
    expect(caught, `check(${name}) should refuse`).toBeInstanceOf(Rejection);
    expect(caughtApply, `apply(${name}) should refuse`).toBeInstanceOf(Rejection);
    expect((caughtApply as Rejection).code).toBe((caught as Rejection).code);
    expect(JSON.stringify(this.project.state)).toBe(before);
    return caught as Rejection;
  }

  deadline(kind: DeadlineKind, ref?: string): DeadlineRecord {
    const found = this.project.state.deadlines
      .filter((d) => d.kind === kind && (ref === undefined || d.ref === ref))
      .at(-1);
    if (!found) throw new Error(`no ${kind} deadline ${ref ?? ''}`);
    return found;
  }

  effectsOf<T extends Effect['type']>(effects: Effect[], type: T): Extract<Effect, { type: T }>[] {
    return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }

  /** Art. 17 (measures): every related unit the change request asks gives its opinion (agreeing). */
  consult(cid?: string): this {
    const c = cid ? this.state.changeRequests.find((x) => x.id === cid)! : this.state.changeRequests.at(-1)!;
    for (const role of c.consulted ?? [])
      this.run('changeRequestOpinion', { cid: c.id, opinion: `${role}: agreed`, agrees: true }, actors[role]);
    return this;
  }

  /** Art. 22: order → response → rejected: disbursement suspended; returns the order's id. */
  suspend(): string {
    this.run('rectificationOrder', { reason: 'other', description: 'rectify' }, actors.bdb);
    const rid = this.state.rectifications.at(-1)!.id;
    this.run('rectificationResponse', { rid, description: 'done', evidenceRef: 'sha256:e' }, actors.department);
    this.run('rectificationReview', { rid, decision: 'reject', opinion: 'still not compliant' }, actors.bdb);
    expect(this.state.funds.suspended).toBe(true);
    return rid;
  }

  // --- reaching stages (the happy path) -----------------------------------------------------------

  toEstablishment(): this {
    this.run('technicalReview', { decision: 'pass', opinion: 'ok', checklist: fullChecklist() }, actors.bdb);
    return this;
  }

  /** Art. 8: approved; the approved estimate (批复概算) is the application's 投资概算 (runs since the second reading state it). */
  toBudgeting(): this {
    this.toEstablishment();
    const approvedEstimateFen = this.project.state.secondReading
      ? { approvedEstimateFen: this.project.state.input.estimate.totalFen }
      : {};
    this.run(
      'establishment',
      { decision: 'approve', approvalNo: 'JSP-2026-001', opinion: 'approved', ...approvedEstimateFen },
      actors.approval,
    );
    return this;
  }

  /** Art. 11 as written: finance budgets (money held), then the BDB's allocation plan publishes it. */
  toPublicity(amountFen = 80_000_000): this {
    this.toBudgeting();
    this.run('budget', construction(amountFen), actors.finance);
    if (this.project.state.measures === 'as-written') this.publish();
    return this;
  }

  /** Art. 11: the BDB's allocation plan lists a held allocation (default: the latest held one). */
  publish(allocationId?: string, planId = 'AP2026-TESTPLAN01'): Effect[] {
    const id = allocationId ?? this.project.state.allocations.filter((a) => a.status === 'held').at(-1)?.id;
    if (!id) throw new Error('no held allocation');
    return this.run('allocationPublication', { planId, allocationId: id }, actors.bdb);
  }

  toContracting(amountFen = 80_000_000): this {
    this.toPublicity(amountFen);
    this.advanceTo(computeDates(startOf(this, 'publicity')).dueAt);
    expect(this.stage).toBe('contracting');
    return this;
  }

  toConstruction(): this {
    this.toContracting();
    this.advanceTo('2026-03-20');
    this.run(
      'contract',
      {
        contractNo: 'HT-001',
        contractor: 'Acme',
        amountFen: 50_000_000,
        signedOn: '2026-03-19',
        documentRef: 'sha256:ht1',
        procurement: openTender(),
      },
      actors.department,
    );
    expect(this.stage).toBe('construction');
    return this;
  }

  toJointAcceptance(): this {
    this.toConstruction();
    this.run(
      'progressReport',
      { period: '2026Q1', spentFen: 1_000_000, progressPercent: 5, summary: 'started' },
      actors.department,
    );
    this.run(
      'catalogEntries',
      { entries: [{ code: 'HLT-001', name: 'Patients', sharingType: 'conditional', updateCycle: 'daily' }] },
      actors.department,
    );
    this.recordRiskAndEmergency();
    this.run('preliminaryAcceptance', { reportRef: 'sha256:pre', completedOn: '2026-03-20' }, actors.department);
    expect(this.stage).toBe('joint_acceptance');
    return this;
  }

  /** Art. 28-29 (issue 15): the joint risk assessment and the emergency plan, before acceptance and operation. */
  recordRiskAndEmergency(): this {
    if (!this.project.state.riskAndEmergency) return this;
    this.run('riskAssessment', riskAssessmentBody(), actors.department);
    this.run(
      'emergencyPlan',
      emergencyPlanBody(this.project.state.contracts.at(-1)?.contractor ?? 'Acme'),
      actors.department,
    );
    return this;
  }

  toCompletionFiling(): this {
    this.toJointAcceptance();
    this.run('technicalAcceptance', passTechnical(), actors.bdb);
    this.run('completionAcceptance', { decision: 'pass', opinion: 'ok' }, actors.approval);
    expect(this.stage).toBe('completion_filing');
    return this;
  }

  toOperating(): this {
    this.toCompletionFiling();
    this.run('completionReport', { reportRef: 'sha256:report' }, actors.department);
    expect(this.stage).toBe('operating');
    return this;
  }
}

function startOf(h: Harness, kind: DeadlineKind): DeadlineStart {
  const d = h.deadline(kind);
  return { id: d.id, kind: d.kind, startsOn: d.startsOn, rule: d.rule, reminder: d.reminder };
}

/** Art. 13 (measures): a contract procured by open tender (公开招标). */
/** Harness options: the city policy with some switches on. */
export const withSwitches = (on: Partial<PolicySwitches>) => ({
  policy: { ...DEFAULT_CITY_POLICY, switches: { ...DEFAULT_POLICY_SWITCHES, ...on } },
});

export const openTender = () => ({ method: 'open-tender' as const, reason: '' });

/** Art. 28: a joint risk assessment (department + BDB). */
export const riskAssessmentBody = (assessedOn = '2026-03-20') => ({
  assessedOn,
  result: 'risks acceptable after the listed measures',
  documentRef: 'sha256:risk',
  bdbParticipant: 'BDB security office',
});

/** Art. 29: the emergency plan made with the contractor. */
export const emergencyPlanBody = (contractor = 'Acme', adoptedOn = '2026-03-20') => ({
  adoptedOn,
  documentRef: 'sha256:plan',
  contractor,
});

export const fullChecklist = () => ({
  resourceCatalog: true,
  dataSharing: true,
  intensiveConstruction: true,
  cloudDeployment: true,
  securityControllable: true,
});

export const construction = (amountFen: number, year = 2026) => ({
  fundType: 'construction' as const,
  year,
  amountFen,
  cityShareFen: amountFen,
  countyShareFen: 0,
});

export const om = (amountFen: number, year: number) => ({
  fundType: 'om' as const,
  year,
  amountFen,
  cityShareFen: amountFen - Math.floor(amountFen / 4),
  countyShareFen: Math.floor(amountFen / 4),
});

export const passTechnical = () => ({
  decision: 'pass' as const,
  opinion: 'secure',
  securityControllable: true,
  mlpsLevel: 3,
  cryptoAssessmentPassed: true,
});

/** The fund identity of docs/MEASURES.md "Money", none negative. */
export function expectFundIdentity(project: Project): void {
  for (const b of [project.state.funds.construction, project.state.funds.om]) {
    expect(b.allocatedFen).toBe(b.heldFen + b.availableFen + b.frozenFen + b.disbursedFen + b.cancelledFen);
    for (const v of Object.values(b)) expect(v).toBeGreaterThanOrEqual(0);
  }
}
