/**
 * Read side of the core: who must act next (pendingActions), the ProjectView of docs/API.md "ProjectView" and
 * the read-model row. Pure functions of the state; "overdue" is judged against the state's
 * `lastNow` (the `now` of the latest event), never against a clock.
 */
import { dueDate, shanghaiDate, shanghaiStartOfDay, isBefore } from './calendar/dates.ts';
import { cloneState, type DeadlineRecord, type ProjectState } from './state.ts';
import type { DeadlineKind, DeadlineView, PendingAction } from './deadline-kinds.ts';
import { deadlineBasis, policySwitches } from './policy-defaults.ts';
import type { ChangeRequestRecord, ConsultedRole } from './records.ts';
import type { ChangeRequestView, ProjectReadModel, ProjectView } from './view-shapes.ts';
import { TERMINAL_STAGES, type Role } from './vocabulary.ts';

export const openDeadlines = (state: ProjectState, kind?: DeadlineKind): DeadlineRecord[] =>
  state.deadlines.filter((d) => d.status === 'open' && (kind === undefined || d.kind === kind));

export const openDeadline = (state: ProjectState, kind: DeadlineKind, ref?: string): DeadlineRecord | undefined =>
  openDeadlines(state, kind).find((d) => ref === undefined || d.ref === ref);

/** Art. 17: approved budget increases finance has not funded yet (in fen). */
export const unfundedBudgetIncrease = (state: ProjectState): number =>
  state.changeRequests
    .filter((c) => c.kind === 'budget' && c.status === 'approved')
    .reduce((sum, c) => sum + Math.max(0, (c.budgetDeltaFen ?? 0) - c.fundedFen), 0);

/** Art. 17: the approval bureau, consulted on a budget change, agreed with it. */
const approvalAgreed = (c: ChangeRequestRecord): boolean =>
  (c.opinions ?? []).some((o) => o.role === 'approval' && o.agrees === true);

/**
 * Art. 10, 17: whether an approved budget change moves the construction cap: a decrease always; an
 * increase, for runs since the second reading, only with the approval bureau's agreement (policy switch
 * budgetIncreaseNeedsApprovalAgreement, on by default).
 */
export const movesCap = (state: ProjectState, c: ChangeRequestRecord): boolean =>
  c.kind === 'budget' &&
  c.status === 'approved' &&
  ((c.budgetDeltaFen ?? 0) <= 0 ||
    state.secondReading !== true ||
    !policySwitches(state.input.policy).budgetIncreaseNeedsApprovalAgreement ||
    approvalAgreed(c));

/**
 * Art. 8, 10, 17 (as-written): the ceiling of a project's construction allocations: the approved
 * estimate (批复概算 of the establishment approval, Art. 8; the application's 投资概算 for approvals
 * that stated none) plus the approved budget changes. A decrease always counts; an increase, for runs
 * since the second reading, only with the agreement of the approval bureau that approved the estimate
 * (policy switch budgetIncreaseNeedsApprovalAgreement, on by default) — `unagreedIncreasesFen` the rest.
 */
export const constructionLimit = (
  state: ProjectState,
): { estimateFen: number; approvedChangesFen: number; limitFen: number; unagreedIncreasesFen?: number } => {
  const estimateFen = state.approvedEstimateFen ?? state.input.estimate.totalFen;
  let approvedChangesFen = 0;
  let unagreedIncreasesFen = 0;
  for (const c of state.changeRequests) {
    if (c.kind !== 'budget' || c.status !== 'approved') continue;
    if (movesCap(state, c)) approvedChangesFen += c.budgetDeltaFen ?? 0;
    else unagreedIncreasesFen += c.budgetDeltaFen ?? 0;
  }
  return {
    estimateFen,
    approvedChangesFen,
    limitFen: estimateFen + approvedChangesFen,
    ...(unagreedIncreasesFen > 0 ? { unagreedIncreasesFen } : {}),
  };
};

/** Art. 10: construction money allocated so far (cancelled allocations do not count). */
export const constructionAllocated = (state: ProjectState): number =>
  state.allocations
    .filter((a) => a.fundType === 'construction' && a.status !== 'cancelled')
    .reduce((sum, a) => sum + a.amountFen, 0);

/** Art. 9, 23: the latest annual evaluation, if any. */
export const latestEvaluation = (state: ProjectState) =>
  state.evaluations.reduce<ProjectState['evaluations'][number] | undefined>(
    (latest, e) => (latest === undefined || e.year > latest.year ? e : latest),
    undefined,
  );

/**
 * Art. 9 (as written): the project does not share data as required — its latest evaluation found it
 * not sharing or its data not stored on the platform (落盘, Art. 19), or a `sharing-noncompliance`
 * rectification is still open (not accepted or closed).
 */
export const sharingNoncompliant = (state: ProjectState): boolean =>
  latestEvaluation(state)?.sharingCompliant === false ||
  latestEvaluation(state)?.dataStoredOnPlatform === false ||
  state.rectifications.some(
    (r) => r.reason === 'sharing-noncompliance' && r.status !== 'accepted' && r.status !== 'closed',
  );

/** Art. 21: O&M money allocated for a year (cancelled allocations do not count). */
export const omAllocatedForYear = (state: ProjectState, year: number): number =>
  state.allocations
    .filter((a) => a.fundType === 'om' && a.year === year && a.status !== 'cancelled')
    .reduce((sum, a) => sum + a.amountFen, 0);

// --- Art. 14, 17 (measures): consultations and the leader in the view ------------------------------

/** Art. 17 (measures): the consulted units that have not answered yet (none for requests from before). */
export const awaitingOpinions = (c: ChangeRequestRecord): ConsultedRole[] =>
  c.status === 'pending' ? (c.consulted ?? []).filter((r) => !(c.opinions ?? []).some((o) => o.role === r)) : [];

const changeRequestView = (c: ChangeRequestRecord): ChangeRequestView => ({
  ...c,
  consulted: c.consulted ?? [],
  opinions: c.opinions ?? [],
  awaitingOpinions: awaitingOpinions(c),
});

// -------------------------------------------------------------------------------------------------

export function pendingActions(state: ProjectState): PendingAction[] {
  if (TERMINAL_STAGES.has(state.stage)) return [];
  const today = shanghaiDate(state.lastNow);
  const out: PendingAction[] = [];
  const add = (
    role: Role,
    action: string,
    opts: { ref?: string | null; deadline?: DeadlineRecord | undefined; policy?: boolean } = {},
  ) => {
    const dueAt = opts.deadline?.dueAt ?? undefined;
    const item: PendingAction = { role, action, overdue: dueAt !== undefined && isBefore(dueAt, state.lastNow) };
    if (opts.ref) item.ref = opts.ref;
    if (dueAt !== undefined) item.dueAt = dueAt;
    if (opts.policy) item.basis = 'policy';
    out.push(item);
  };
  const switches = policySwitches(state.input.policy);

  switch (state.stage) {
    case 'technical_review':
      add('bdb', 'technical-review'); // Art. 7
      break;
    case 'submitted':
      add('department', 'resubmission'); // Art. 7: revise → the department resubmits
      break;
    case 'establishment_review':
      add('approval', 'establishment'); // Art. 8
      break;
    case 'budgeting':
      // Art. 10, 12; since the second reading the project stays here while its construction money is
      // held for the BDB's plan (Art. 11): then the BDB publishes (below), finance has nothing to do.
      if (
        !state.secondReading ||
        !state.allocations.some((a) => a.fundType === 'construction' && a.status !== 'cancelled')
      )
        add('finance', 'budget');
      break;
    case 'contracting':
      add('department', 'contract'); // Art. 13-14
      break;
    case 'construction':
      add('department', 'preliminary-acceptance', { deadline: openDeadline(state, 'acceptance-delay') }); // Art. 18, 22
      break;
    case 'joint_acceptance':
      if (state.acceptance.technical?.decision !== 'pass') add('bdb', 'technical-acceptance'); // Art. 18-20
      if (state.acceptance.completion?.decision !== 'pass') add('approval', 'completion-acceptance'); // Art. 18
      break;
    case 'completion_filing':
      add('department', 'completion-report', { deadline: openDeadline(state, 'completion-report') }); // Art. 21
      break;
    case 'operating':
      for (const d of openDeadlines(state, 'annual-evaluation')) {
        if (d.startsOn <= today) add('bdb', 'evaluation', { ref: d.ref, deadline: d }); // Art. 23
      }
      break;
    default:
      break;
  }

  // Overlays (docs/MEASURES.md "Stages"): open items that need someone whatever the stage.
  for (const o of state.objections) {
    if (o.status === 'open') add('bdb', 'publicity-objection-resolution', { ref: o.id }); // Art. 11
  }
  for (const d of openDeadlines(state, 'contract-filing')) {
    if (d.fulfilledAt === undefined) add('department', 'contract-filing', { ref: d.ref, deadline: d }); // Art. 15 (a filed one is judged, not pending)
  }
  for (const d of openDeadlines(state, 'progress-report')) {
    if (d.startsOn <= today) add('department', 'progress-report', { ref: d.ref, deadline: d }); // Art. 16
  }
  for (const c of state.changeRequests) {
    if (c.status !== 'pending') continue;
    // Art. 17 (measures): the related units give their opinions first, then the BDB decides.
    const awaiting = awaitingOpinions(c);
    for (const role of awaiting) add(role, 'change-request-opinion', { ref: c.id });
    if (awaiting.length === 0) add('bdb', 'change-request-decision', { ref: c.id }); // Art. 17
  }
  const asWritten = state.measures === 'as-written';
  for (const a of state.allocations) {
    if (a.status === 'held') add('bdb', 'allocation-publication', { ref: a.id }); // Art. 11: the BDB publishes the plan
    if (a.status === 'awaiting-county') add('finance', 'county-share-confirmation', { ref: a.id }); // Art. 12: the county's finance confirms
  }
  if (state.stage === 'contracting' || state.stage === 'construction') {
    // Art. 17: approved increases need an allocation (as-written: while the limit leaves room).
    const increased = asWritten
      ? state.changeRequests.some((c) => (c.budgetDeltaFen ?? 0) > 0 && movesCap(state, c)) &&
        constructionLimit(state).limitFen > constructionAllocated(state)
      : unfundedBudgetIncrease(state) > 0;
    if (increased) add('finance', 'budget', { ref: 'budget-increase' });
  }
  if (state.stage === 'operating' && state.input.kind === 'existing') {
    // Art. 21: the BDB reviews an existing system's O&M cost every year before finance budgets it.
    const year = Number(today.slice(0, 4));
    if (!state.omReviews.some((r) => r.year === year)) add('bdb', 'om-review', { ref: String(year) });
  }
  const noncompliant =
    state.measures === 'as-written' ? sharingNoncompliant(state) : latestEvaluation(state)?.sharingCompliant === false;
  if (state.stage === 'operating' && !noncompliant) {
    for (const r of state.omReviews) {
      if (r.approvedFen > omAllocatedForYear(state, r.year)) add('finance', 'budget', { ref: `om-${r.year}` }); // Art. 21
    }
  }
  for (const r of state.rectifications) {
    const deadline = state.deadlines.find((d) => d.id === r.deadlineId && d.status === 'open');
    const unreviewed = r.responses.some((x) => x.review === null);
    if (r.status === 'awaiting-response') add('department', 'rectification-response', { ref: r.id, deadline }); // Art. 22
    if (r.status === 'awaiting-review' || (r.status === 'failed' && unreviewed)) {
      add(r.issuedByRole, 'rectification-review', { ref: r.id, deadline });
    }
    if (r.status === 'failed') add('bdb', 'rectification-decision', { ref: r.id }); // Art. 22: extend or terminate
  }
  for (const r of state.acceptanceDelayReasons ?? []) {
    if (r.status === 'pending') add('bdb', 'acceptance-delay-reason-decision', { ref: r.id }); // Art. 22
  }
  // Art. 28-29: the department's records that the next step waits for.
  if (state.riskAndEmergency) {
    if (
      state.stage === 'joint_acceptance' &&
      state.acceptance.technical?.decision !== 'pass' &&
      (state.riskAssessments ?? []).length === 0
    ) {
      // Art. 28 asks for it; that it comes before technical acceptance is policy (on by default).
      add('department', 'risk-assessment', { policy: switches.riskAssessmentBeforeTechnicalAcceptance });
    }
    // Art. 29: since the second reading, from the completion acceptance on (also in operation), until a
    // plan is recorded; before it: while the completion report (the step into operation) was due.
    const planDue = state.secondReading
      ? state.acceptance.completion?.decision === 'pass' ||
        state.stage === 'completion_filing' ||
        state.stage === 'operating'
      : state.stage === 'completion_filing' || openDeadline(state, 'completion-report') !== undefined;
    if (planDue && (state.emergencyPlans ?? []).length === 0) add('department', 'emergency-plan');
    // Art. 29 (policy): a drill is pending once reminded, and after a missed period until one is held.
    const drill = openDeadline(state, 'security-drill');
    const previous = state.deadlines.filter((d) => d.kind === 'security-drill' && d.status !== 'open').at(-1);
    if (drill && (drill.reminded || previous?.status === 'missed'))
      add('department', 'security-drill', { deadline: drill });
  }
  if (state.stage !== 'completion_filing') {
    // Art. 21 as written: the report is due from the completion acceptance, whatever the technical one.
    const d = openDeadline(state, 'completion-report');
    if (d) add('department', 'completion-report', { deadline: d });
  }
  return out;
}

function deadlineView(d: DeadlineRecord): DeadlineView | null {
  if (d.dueAt === null) return null; // not scheduled yet: the calendar activity has not answered
  const v: DeadlineView = {
    id: d.id,
    kind: d.kind,
    startsAt: shanghaiStartOfDay(d.startsOn),
    dueAt: d.dueAt,
    dueOn: dueDate(d.dueAt),
    status: d.status,
    basis: deadlineBasis(d.kind, d.rule),
  };
  // The rule and reminder let the API recompute the dates when the calendar changes.
  v.rule = { ...d.rule };
  v.reminder = d.reminder ? { ...d.reminder } : null;
  if (d.ref !== null) v.ref = d.ref;
  if (d.remindAt !== null) v.remindAt = d.remindAt;
  return v;
}

export function projectView(state: ProjectState): ProjectView {
  const i = state.input;
  // A deep copy of only what the view hands out as is (the deadlines and the input are mapped
  // below): the view is computed for every change, and copying the whole state cost more.
  const c = cloneState({
    estimate: i.estimate,
    documents: state.documents,
    documentIds: state.documentIds,
    funds: state.funds,
    allocations: state.allocations,
    objections: state.objections,
    technicalReviews: state.technicalReviews,
    contracts: state.contracts,
    progressReports: state.progressReports,
    changeRequests: state.changeRequests,
    rectifications: state.rectifications,
    catalogEntries: state.catalogEntries,
    acceptance: state.acceptance,
    completionReport: state.completionReport,
    omReviews: state.omReviews,
    evaluations: state.evaluations,
    incidents: state.incidents,
    drills: state.drills,
    violations: state.violations,
    decisions: state.decisions,
    acceptanceDelayReasons: state.acceptanceDelayReasons,
    accountabilityReferrals: state.accountabilityReferrals,
    leader: state.leader ?? i.leader ?? null,
    leaderChanges: state.leaderChanges,
    riskAssessments: state.riskAssessments,
    emergencyPlans: state.emergencyPlans,
  });
  return {
    id: i.id,
    title: i.title,
    summary: i.summary,
    department: i.department,
    jurisdiction: i.jurisdiction,
    kind: i.kind,
    year: i.year,
    annualPlanItem: i.annualPlanItem,
    estimate: c.estimate,
    approvedEstimateFen: state.approvedEstimateFen ?? null, // Art. 8, 10 (measures): 批复概算
    stage: state.stage,
    createdAt: i.createdAt,
    policy: { jurisdiction: i.policy.jurisdiction, version: i.policy.version, switches: policySwitches(i.policy) },
    plannedCompletionDate: state.plannedCompletionDate,
    documents: c.documents,
    ...(c.documentIds ? { documentIds: c.documentIds } : {}),
    pendingActions: pendingActions(state),
    deadlines: state.deadlines.map(deadlineView).filter((d): d is DeadlineView => d !== null),
    funds: c.funds,
    allocations: c.allocations,
    publicityObjections: c.objections,
    technicalReviews: c.technicalReviews.map((x) => ({ ...x, grounds: x.grounds ?? [] })), // Art. 9 grounds
    contracts: c.contracts.map((x) => ({ ...x, procurement: x.procurement ?? null, supervisor: x.supervisor ?? null })), // Art. 13, 14
    progressReports: c.progressReports,
    changeRequests: c.changeRequests.map(changeRequestView),
    rectifications: c.rectifications,
    catalogEntries: c.catalogEntries,
    acceptance: c.acceptance,
    completionReport: c.completionReport,
    omReviews: c.omReviews,
    evaluations: c.evaluations.map((x) => ({ ...x, dataStoredOnPlatform: x.dataStoredOnPlatform ?? null })), // Art. 19: 落盘
    incidents: c.incidents,
    drills: c.drills,
    // Violations recorded before the basis existed came from the text's own rules or the old automatic ones.
    violations: c.violations.map((v) => ({ ...v, basis: v.basis ?? 'measures' })),
    decisions: c.decisions,
    acceptanceDelayReasons: c.acceptanceDelayReasons ?? [],
    accountabilityReferrals: c.accountabilityReferrals ?? [],
    // Art. 14 (measures): the current 项目负责人 and the history of its changes.
    leader: c.leader,
    leaderChanges: c.leaderChanges ?? [],
    riskAssessments: c.riskAssessments ?? [], // Art. 28
    emergencyPlans: c.emergencyPlans ?? [], // Art. 29
  };
}

export function readModel(state: ProjectState): ProjectReadModel {
  const view = projectView(state);
  const dues = openDeadlines(state)
    .map((d) => d.dueAt)
    .filter((d): d is string => d !== null)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return {
    view,
    version: state.version,
    awaitingRoles: [...new Set(view.pendingActions.map((p) => p.role))],
    nextDeadline: dues[0] ?? null,
    overdue: view.pendingActions.some((p) => p.overdue) || dues.some((d) => isBefore(d, state.lastNow)),
  };
}
