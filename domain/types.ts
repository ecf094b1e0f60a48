/**
 * Types of the lifecycle core, shared by the workflow, activities and API.
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O.
 * Every shape is plain JSON data, so the state survives Temporal continue-as-new unchanged.
 */

export const ROLES = ['bdb', 'approval', 'finance', 'department', 'sysadmin', 'secadmin', 'auditadmin', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who did something (Art. 24-25: every action is traceable to a key, role and department). */
export interface Actor {
  keyId: string;
  role: Role;
  department?: string | undefined;
  name: string;
  /**
   * Art. 5, 12, 30 (measures): the jurisdiction code (`city` or a county) the key or account acts for.
   * Absent in actors recorded before jurisdictions existed: `city`.
   */
  jurisdiction?: string | undefined;
  /**
   * Art. 22, 24-25: the person behind the action when it was made through a personal account's
   * session (api/sessions.ts); absent for API keys (systems) and in older histories.
   */
  accountId?: string | undefined;
  /** The person's display name (also in `name` for a session, so every `…By` field names them). */
  displayName?: string | undefined;
  /** The person's organisation: role, then `/department` or `@jurisdiction` (domain/accounts.ts organizationOf). */
  organization?: string | undefined;
}

/** The person fields a decision, audit entry or ledger movement carries beside `by` (Art. 22, 24-25). */
export function personOf(actor: Actor): { accountId?: string; organization?: string } {
  const person: { accountId?: string; organization?: string } = {};
  if (actor.accountId !== undefined) person.accountId = actor.accountId;
  if (actor.organization !== undefined) person.organization = actor.organization;
  return person;
}

/** Art. 3: kinds of project a department applies for (POST /v1/projects; Art. 6 annual plan). */
export const APPLICATION_KINDS = ['new', 'expansion', 'upgrade', 'om'] as const;
/**
 * Art. 3, 21: every kind of project; `existing` is an existing system (原有信息化项目, Art. 21
 * third sentence) registered through POST /v1/existing-systems, which starts in `operating`.
 */
export const PROJECT_KINDS = [...APPLICATION_KINDS, 'existing'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export const STAGES = [
  'submitted',
  'technical_review',
  'establishment_review',
  'budgeting',
  'publicity',
  'contracting',
  'construction',
  'joint_acceptance',
  'completion_filing',
  'operating',
  'decommissioned',
  'rejected',
  'withdrawn',
  'terminated',
] as const;
export type Stage = (typeof STAGES)[number];
/** The BDB has the application on creation: Art. 7 technical review comes first. */
export const INITIAL_STAGE: Stage = 'technical_review';
/** Art. 21: an existing system has no construction history: it starts in operation. */
export const initialStageOf = (kind: ProjectKind): Stage => (kind === 'existing' ? 'operating' : INITIAL_STAGE);
/** `withdrawn`: the department withdrew before construction (as-written; legacy runs ended `terminated`). */
export const TERMINAL_STAGES: ReadonlySet<Stage> = new Set(['decommissioned', 'rejected', 'withdrawn', 'terminated']);

/**
 * Where a rule comes from (docs/MEASURES.md "Two kinds of rule"): `measures` — the text of
 * 晋市政办〔2019〕44号 says it; `policy` — a setting of the jurisdiction's policy fills in what the text
 * leaves open (a period, a reminder, an automatic sanction). Shown on violations and notifications.
 */
export type RuleBasis = 'measures' | 'policy';

/** Art. 10-12: the two kinds of money a project receives. */
export const FUND_TYPES = ['construction', 'om'] as const;
export type FundType = (typeof FUND_TYPES)[number];

/** docs/MEASURES.md "Money": where a project's money of one fund type sits. */
export const FUND_BUCKETS = ['held', 'available', 'frozen', 'disbursed', 'cancelled'] as const;
export type Bucket = (typeof FUND_BUCKETS)[number];

/**
 * docs/MEASURES.md "Money": allocate (→ held), publish (held → available), disburse (available →
 * disbursed), freeze / unfreeze (available ↔ frozen), cancel (held/available/frozen → cancelled).
 */
export const MOVEMENT_KINDS = ['allocate', 'publish', 'disburse', 'freeze', 'unfreeze', 'cancel'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * Art. 8: the four application documents: `sm3:<hex>` of an uploaded document (its id in
 * ApplicationDocumentIds), or — projects from before the document store — a free reference.
 */
export interface ApplicationDocuments {
  /** 项目建议书 */
  proposal: string;
  /** 可行性研究报告 */
  feasibilityStudy: string;
  /** 初步设计方案 */
  preliminaryDesign: string;
  /** 投资概算 */
  investmentEstimate: string;
}

/** Art. 8: the uploaded documents (ids of the document store) behind some or all of ApplicationDocuments. */
export type ApplicationDocumentIds = Partial<Record<keyof ApplicationDocuments, string>>;

export interface Estimate {
  totalFen: number;
  cityShareFen: number;
  countyShareFen: number;
}

// ---------------------------------------------------------------------------------------------
// Policy (Art. 30): every jurisdiction has versioned deadline settings; a project pins one.
// ---------------------------------------------------------------------------------------------

export type DurationUnit = 'workingDays' | 'calendarDays';

/** A span of working or calendar days (working days follow the State Council calendar). */
export interface Duration {
  unit: DurationUnit;
  amount: number;
}

export interface DeadlineSetting {
  /** How long after the deadline's start date it falls due. */
  duration: Duration;
  /** How long before the due date the reminder goes out; null: no reminder. */
  reminder: Duration | null;
}

export interface PolicyDeadlines {
  /** Art. 11: publicity period of every allocation. */
  publicity: DeadlineSetting;
  /** Art. 15: file each contract within 5 working days of signing. */
  contractFiling: DeadlineSetting;
  /** Art. 16: progress report after each period end (only quarterly periods are supported). */
  progressReport: DeadlineSetting & { period: 'quarterly' };
  /** Art. 22: preliminary acceptance within 90 days after the planned completion date. */
  acceptanceDelay: DeadlineSetting;
  /** Art. 21: completion report within 7 working days of completion acceptance. */
  completionReport: DeadlineSetting;
  /** Art. 22: rectification period unless the order names its own date. */
  rectification: DeadlineSetting;
  /** Art. 23: the evaluation of operating year Y is due on this month-day (MM-DD) of year Y+1. */
  annualEvaluation: { dueMonthDay: string; reminder: Duration | null };
  /** Art. 29 (policy): how often emergency drills are due; absent in policies stored before it: DEFAULT_SECURITY_DRILL. */
  securityDrill?: DeadlineSetting;
}

/**
 * Rules and consequences the text does not give (docs/MEASURES.md "Two kinds of rule"): each is a
 * policy switch. A consequence the text does not name is off by default — the system records the
 * violation and notifies the BDB, a person decides; the few orders docs/MEASURES.md reads as the city's
 * default (Art. 7, 10, 28) are on by default and labelled policy wherever they show.
 */
export interface PolicySwitches {
  /** Art. 15: an automatic `late-filing` rectification order when a contract is not filed in time. */
  lateFilingRectification: boolean;
  /** Art. 16: an automatic `missing-report` rectification order when a progress report is missed. */
  missingReportRectification: boolean;
  /** Art. 21: freeze undisbursed construction money while the completion report is overdue. */
  completionReportFreeze: boolean;
  /** Art. 18: a failed technical or completion acceptance also wipes the other side's pass. */
  failedAcceptanceClearsOtherPass: boolean;
  /** Art. 9: an automatic `unapproved-construction` order for a contract signed before approval. */
  unapprovedConstructionRectification: boolean;
  /** Art. 22: an automatic `acceptance-delay` order when the acceptance-delay period passes unexcused. */
  acceptanceDelayRectification: boolean;
  /**
   * Art. 6, 8: refuse an application whose estimate exceeds its plan item's `ceilingFen` (422
   * `exceeds_plan_ceiling`). The text names no ceiling and no such refusal: off, the ceiling is shown only.
   */
  planCeilingRefusal: boolean;
  /**
   * Art. 7 (policy, on by default): a technical review passes only with every checklist item. The text
   * names what the BDB reviews, not that each item must pass.
   */
  technicalReviewEveryItem: boolean;
  /**
   * Art. 28 (policy, on by default): the joint risk assessment is recorded before the BDB's technical
   * acceptance (422 `risk_assessment_missing`). The text asks for the assessment, not for this order.
   */
  riskAssessmentBeforeTechnicalAcceptance: boolean;
  /**
   * Art. 29 (policy, off by default): the Art. 21 completion report (竣工验收报告) waits for the emergency
   * plan (422 `emergency_plan_missing`). Off, a missing plan is a pending action and a notice only:
   * no other rule stands in front of a filing whose lateness carries a sanction (Art. 21).
   */
  emergencyPlanBeforeCompletionReport: boolean;
  /**
   * Art. 10, 17 (policy, on by default): an approved budget increase raises the construction cap (the
   * 批复概算) only when the approval bureau that approved the estimate agreed; the text gives the BDB an
   * opinion, not the power to move an approved figure. Off: the BDB's approval alone raises it.
   */
  budgetIncreaseNeedsApprovalAgreement: boolean;
}

export const POLICY_SWITCHES = [
  'lateFilingRectification',
  'missingReportRectification',
  'completionReportFreeze',
  'failedAcceptanceClearsOtherPass',
  'unapprovedConstructionRectification',
  'acceptanceDelayRectification',
  'planCeilingRefusal',
  'technicalReviewEveryItem',
  'riskAssessmentBeforeTechnicalAcceptance',
  'emergencyPlanBeforeCompletionReport',
  'budgetIncreaseNeedsApprovalAgreement',
] as const satisfies readonly (keyof PolicySwitches)[];

/**
 * Consequences the text does not name are off (record + notify, a person decides); the city's
 * defaults of docs/MEASURES.md "Two kinds of rule" (Art. 7, 10, 28) are on. A policy stored before a switch existed
 * reads it at this default.
 */
export const DEFAULT_POLICY_SWITCHES: PolicySwitches = {
  lateFilingRectification: false,
  missingReportRectification: false,
  completionReportFreeze: false,
  failedAcceptanceClearsOtherPass: false,
  unapprovedConstructionRectification: false,
  acceptanceDelayRectification: false,
  planCeilingRefusal: false,
  technicalReviewEveryItem: true,
  riskAssessmentBeforeTechnicalAcceptance: true,
  emergencyPlanBeforeCompletionReport: false,
  budgetIncreaseNeedsApprovalAgreement: true,
};

/** The deadline settings and switches a project pinned when it started (Art. 30). */
export interface Policy {
  jurisdiction: string;
  version: number;
  deadlines: PolicyDeadlines;
  /** Absent in policies stored (and projects started) before the switches existed: the defaults. */
  switches?: Partial<PolicySwitches>;
}

/** A policy's switches, each missing one at its default (off). */
export const policySwitches = (policy: Pick<Policy, 'switches'>): PolicySwitches => ({ ...DEFAULT_POLICY_SWITCHES, ...(policy.switches ?? {}) });

/** The reference to the pinned policy shown in the ProjectView (docs/API.md "ProjectView"), with its switches. */
export interface PolicyRef {
  jurisdiction: string;
  version: number;
  switches: PolicySwitches;
}

const workingDays = (amount: number): Duration => ({ unit: 'workingDays', amount });
const calendarDays = (amount: number): Duration => ({ unit: 'calendarDays', amount });

/**
 * The periods the text itself fixes (measures): a contract is filed within 5 working days of signing
 * (Art. 15), the completion report within 7 working days of completion acceptance (Art. 21). The
 * city's policy cannot change them (PUT /v1/policies/city refuses); a county's own measures may
 * (Art. 30), and the deadline is then the county's (`deadlineBasis`). Every other period is policy.
 */
export const MEASURES_PERIODS = {
  contractFiling: { kind: 'contract-filing', article: 'Art. 15', articleZh: '第十五条', duration: workingDays(5) },
  completionReport: { kind: 'completion-report', article: 'Art. 21', articleZh: '第二十一条', duration: workingDays(7) },
} as const satisfies Partial<Record<keyof PolicyDeadlines, { kind: DeadlineKind; article: string; articleZh: string; duration: Duration }>>;

/**
 * The first setting of a policy that changes a period the text fixes (MEASURES_PERIODS), or null.
 * Only a county's own measures may (Art. 30); the city's policy is refused (api/routes/policies.ts).
 */
export function changedMeasuresPeriod(deadlines: PolicyDeadlines): { field: keyof typeof MEASURES_PERIODS; article: string; articleZh: string; duration: Duration } | null {
  for (const field of Object.keys(MEASURES_PERIODS) as (keyof typeof MEASURES_PERIODS)[]) {
    const fixed = MEASURES_PERIODS[field];
    if (!sameDuration(deadlines[field].duration, fixed.duration)) return { field, article: fixed.article, articleZh: fixed.articleZh, duration: fixed.duration };
  }
  return null;
}

/** Whether two spans are the same number of the same unit. */
export const sameDuration = (a: DeadlineRule, b: Duration): boolean => !('until' in a) && a.unit === b.unit && a.amount === b.amount;

/** The defaults of docs/MEASURES.md "Deadlines" (the `city` policy, version 1). */
export const DEFAULT_CITY_POLICY: Policy = {
  jurisdiction: 'city',
  version: 1,
  deadlines: {
    publicity: { duration: workingDays(5), reminder: null },
    contractFiling: { duration: MEASURES_PERIODS.contractFiling.duration, reminder: workingDays(2) },
    progressReport: { period: 'quarterly', duration: workingDays(10), reminder: workingDays(2) },
    acceptanceDelay: { duration: calendarDays(90), reminder: calendarDays(10) },
    completionReport: { duration: MEASURES_PERIODS.completionReport.duration, reminder: workingDays(2) },
    rectification: { duration: workingDays(20), reminder: workingDays(3) },
    annualEvaluation: { dueMonthDay: '03-31', reminder: calendarDays(10) },
    securityDrill: { duration: calendarDays(365), reminder: calendarDays(30) },
  },
  switches: { ...DEFAULT_POLICY_SWITCHES },
};

/** Everything the workflow is started with; the API builds it from a validated request. */
export interface ProjectInput {
  id: string;
  title: string;
  summary: string;
  kind: ProjectKind;
  department: string;
  jurisdiction: string;
  year: number;
  annualPlanItem: string;
  estimate: Estimate;
  plannedCompletionDate: string;
  documents: ApplicationDocuments;
  /** Art. 8: the uploaded documents behind `documents` (absent: free references only). */
  documentIds?: ApplicationDocumentIds;
  /** Art. 30: the jurisdiction's policy in force at application, pinned for the project's life. */
  policy: Policy;
  /** ISO instant the API accepted the application. */
  createdAt: string;
  createdBy: Actor;
  /** Art. 21: an existing system (kind `existing`): the year it went live. */
  goLiveYear?: number;
  /** Art. 14 (measures): the 项目负责人 the application names (absent in applications from before it was asked). */
  leader?: ProjectLeader;
  /**
   * Art. 12 (measures): set at application for projects started since the county finance confirms
   * the county share of an allocation (absent: projects started before keep booking both shares at once).
   */
  countyShareConfirmation?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Money (docs/MEASURES.md "Money"): integer fen, allocated = held + available + frozen + disbursed
// + cancelled per fund type, none negative.
// ---------------------------------------------------------------------------------------------

export interface FundBalance {
  allocatedFen: number;
  heldFen: number;
  availableFen: number;
  frozenFen: number;
  disbursedFen: number;
  cancelledFen: number;
}

/** Why money is frozen: Art. 22 suspension, or Art. 21 overdue completion report. */
export const FREEZE_REASONS = ['suspension', 'completion-report'] as const;
export type FreezeReason = (typeof FREEZE_REASONS)[number];

// ---------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------

export const DEADLINE_KINDS = [
  'publicity',
  'contract-filing',
  'progress-report',
  'acceptance-delay',
  'completion-report',
  'rectification',
  'annual-evaluation',
  'security-drill',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * Where a deadline's period comes from (docs/MEASURES.md "Two kinds of rule"): `measures` when it is
 * the period the text fixes (MEASURES_PERIODS: Art. 15's 5 and Art. 21's 7 working days); every other
 * period is the jurisdiction's policy — the notice period of Art. 11, the Art. 16 period, the 90 days
 * of Art. 22's "long delay", the rectification period, the Art. 23 due date, and a county's own
 * filing period under its measures (Art. 30).
 */
export function deadlineBasis(kind: DeadlineKind, rule: DeadlineRule): RuleBasis {
  const fixed = Object.values(MEASURES_PERIODS).find((p) => p.kind === kind);
  return fixed && sameDuration(rule, fixed.duration) ? 'measures' : 'policy';
}

export type DeadlineStatus = 'open' | 'met' | 'missed' | 'cancelled';

/** How a deadline's due date follows from its start date: a span, or a fixed calendar date. */
export type DeadlineRule = Duration | { until: string };

export interface PendingAction {
  role: Role;
  action: string;
  /** The entity the action is about (contract number, change request id, period, ...). */
  ref?: string;
  dueAt?: string;
  overdue: boolean;
  /** `policy` when a policy setting, not the text, asks for it now (e.g. Art. 28's order); absent: the text's. */
  basis?: 'policy';
}

export interface DeadlineView {
  id: string;
  kind: string;
  ref?: string;
  startsAt: string;
  /** The instant the period ends: 24:00 Asia/Shanghai of `dueOn`. */
  dueAt: string;
  /** The period's last day (Asia/Shanghai), the date a person reads as the deadline (dates.ts dueDate). */
  dueOn: string;
  remindAt?: string;
  status: DeadlineStatus;
  /**
   * How the dates were computed, so they can be recomputed when a year's working-day calendar
   * changes (docs/MEASURES.md "Working days"; api/routes/calendar.ts).
   */
  rule?: DeadlineRule;
  reminder?: Duration | null;
  /** Whether the period is the text's (`measures`) or the jurisdiction's policy (`deadlineBasis`). */
  basis: RuleBasis;
}

export interface Decision {
  action: string;
  role: Role;
  by: string;
  at: string;
  /** Art. 22, 24-25: the account of the person who decided, when made through a session. */
  accountId?: string;
  /** The person's organisation (domain/accounts.ts organizationOf). */
  organization?: string;
  decision?: string;
  opinion?: string;
}

export interface Violation {
  kind: string;
  article: string;
  at: string;
  detail: string;
  /** Whether the rule that found it is the text's own or a policy setting (absent before: `measures`). */
  basis: RuleBasis;
}

// ---------------------------------------------------------------------------------------------
// Records kept in the state and shown in the view (plain JSON; `null` rather than absent fields).
// ---------------------------------------------------------------------------------------------

export interface TechnicalReviewChecklist {
  resourceCatalog: boolean;
  dataSharing: boolean;
  intensiveConstruction: boolean;
  cloudDeployment: boolean;
  securityControllable: boolean;
}

/**
 * Art. 9 (measures): the grounds on which a project is not established — against the sharing and
 * intensive-construction policies (不予立项), unable to interconnect and share (不再批准建设), or packaged
 * in disguise or inside another project (变相包装或纳入其他项目). Chinese labels in domain/texts.ts
 * (`art9Ground`).
 */
export const ART9_GROUNDS = ['against-sharing-policy', 'no-interconnection', 'disguised-packaging'] as const;
export type Art9Ground = (typeof ART9_GROUNDS)[number];

export interface TechnicalReviewRecord {
  decision: 'pass' | 'revise' | 'reject';
  opinion: string;
  checklist: TechnicalReviewChecklist;
  /** Art. 9 (measures): the grounds the BDB cites with revise or reject (absent in reviews from before). */
  grounds?: Art9Ground[];
  at: string;
  by: string;
}

/** docs/MEASURES.md "Money", Art. 11, 12: the statuses of an allocation (see AllocationRecord). */
export const ALLOCATION_STATUSES = ['held', 'publicity', 'awaiting-objection', 'published', 'cancelled', 'awaiting-county'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/** Art. 12 (measures): the county finance's confirmation of an allocation's county share. */
export interface CountyShareRecord {
  jurisdiction: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
  /** The county budget document it was put in (列入同级财政预算), if given. */
  budgetRef: string | null;
}

export interface AllocationRecord {
  id: string;
  fundType: FundType;
  year: number;
  amountFen: number;
  cityShareFen: number;
  countyShareFen: number;
  allocatedAt: string;
  allocatedBy: string;
  /**
   * held: budgeted by finance, waiting for the BDB's allocation plan (as-written Art. 11; money
   * held); publicity: in a published plan, notice period running (money held); awaiting-objection:
   * period over, an objection is still open; published: available; cancelled; awaiting-county
   * (Art. 12): the county share waits for the county finance's confirmation, nothing held yet.
   */
  status: AllocationStatus;
  /**
   * Art. 12 (measures): a county share confirmed by the county's finance (列入同级财政预算); absent for
   * allocations without one to confirm (city projects, projects started before the rule).
   */
  countyShare?: CountyShareRecord;
  /** The notice period's deadline; null while `held` (not yet in a published plan). */
  publicityDeadlineId: string | null;
  /**
   * Art. 11: the BDB allocation plan (拟分配计划) that published it (POST /v1/allocation-plans);
   * absent or null for legacy allocations, publicised at allocation.
   */
  planId?: string | null;
  publishedAt: string | null;
  cancelledAt: string | null;
  /** Art. 17: the approved budget-increase change requests this allocation funds. */
  fundedChanges: { changeRequestId: string; amountFen: number }[];
}

export interface ObjectionRecord {
  id: string;
  allocationId: string;
  summary: string;
  recordedAt: string;
  recordedBy: string;
  /** moot: its allocation was cancelled by another upheld objection or termination. */
  status: 'open' | 'upheld' | 'dismissed' | 'moot';
  note: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface ContractRecord {
  contractNo: string;
  contractor: string;
  amountFen: number;
  signedOn: string;
  recordedAt: string;
  recordedBy: string;
  documentRef: string | null;
  /** The document store's id of the filed document (absent: a legacy free-text reference). */
  documentId?: string;
  filedAt: string | null;
  filedLate: boolean;
  filingDeadlineId: string;
  /** Art. 13 (measures): how the contractor was procured (absent on contracts recorded before it was asked). */
  procurement?: ProcurementRecord | null;
  /** Art. 14 (measures): the supervising firm (工程监理单位) of the works, where there is one. */
  supervisor?: string;
}

export interface ProgressReportRecord {
  period: string;
  spentFen: number;
  progressPercent: number;
  summary: string;
  reportedAt: string;
  reportedBy: string;
  late: boolean;
}

export const CHANGE_KINDS = ['scope', 'budget', 'schedule', 'contractor'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeRequestRecord {
  id: string;
  kind: ChangeKind;
  description: string;
  budgetDeltaFen: number | null;
  newPlannedCompletionDate: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'closed';
  requestedAt: string;
  requestedBy: string;
  decidedAt: string | null;
  decidedBy: string | null;
  opinion: string | null;
  /** Art. 17: how much of an approved budget increase finance has allocated so far. */
  fundedFen: number;
  /** Art. 17 (measures): the related units consulted before the BDB decides (absent on requests from before). */
  consulted?: ConsultedRole[];
  opinions?: ChangeRequestOpinionRecord[];
}

export const RECTIFICATION_REASONS = [
  'unapproved-construction',
  'unauthorized-change',
  'acceptance-delay',
  'late-filing',
  'missing-report',
  'sharing-noncompliance',
  /** Art. 9 (measures): 变相包装或纳入其他项目进行建设. */
  'disguised-packaging',
  'other',
] as const;
export type RectificationReason = (typeof RECTIFICATION_REASONS)[number];

export interface RectificationResponseRecord {
  description: string;
  evidenceRef: string;
  /** Art. 22: the evidence's uploaded document (absent for free references). */
  documentId?: string;
  at: string;
  by: string;
  review: { decision: 'accept' | 'reject'; opinion: string; at: string; by: string } | null;
}

export interface RectificationRecord {
  id: string;
  reason: RectificationReason;
  description: string;
  issuedByRole: Role;
  issuedBy: string;
  issuedAt: string;
  automatic: boolean;
  dueOn: string | null;
  /**
   * awaiting-response → awaiting-review → accepted; failed: the deadline passed or the response
   * was rejected (funds suspended, BDB decides); closed: ended by termination/decommissioning.
   */
  status: 'awaiting-response' | 'awaiting-review' | 'accepted' | 'failed' | 'closed';
  /** Art. 22: set once it failed; keeps the funds suspended until it is accepted. */
  hasFailed: boolean;
  deadlineId: string;
  responses: RectificationResponseRecord[];
  extensions: { dueOn: string; reason: string; at: string; by: string }[];
}

export const SHARING_TYPES = ['unconditional', 'conditional', 'not-shared'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];

export interface CatalogEntryRecord {
  code: string;
  name: string;
  sharingType: SharingType;
  updateCycle: string;
  registeredAt: string;
  registeredBy: string;
}

export interface AcceptanceRecord {
  preliminary: { reportRef: string; documentId?: string; completedOn: string; at: string; by: string } | null;
  technical: {
    decision: 'pass' | 'fail';
    opinion: string;
    securityControllable: boolean;
    mlpsLevel: number | null;
    cryptoAssessmentPassed: boolean;
    at: string;
    by: string;
  } | null;
  completion: { decision: 'pass' | 'fail'; opinion: string; at: string; by: string } | null;
  /** Art. 18: each failed joint acceptance, with the opinion the project went back with. */
  returns: { by: 'technical' | 'completion'; opinion: string; at: string }[];
}

export interface CompletionReportRecord {
  reportRef: string;
  /** The document store's id of the report (absent: a legacy free-text reference). */
  documentId?: string;
  filedAt: string;
  filedBy: string;
  late: boolean;
}

export interface OmReviewRecord {
  year: number;
  approvedFen: number;
  opinion: string;
  reviewedAt: string;
  reviewedBy: string;
  /** Art. 23: the evaluation result the review was made with. */
  latestEvaluation: { year: number; sharingCompliant: boolean } | null;
}

export interface EvaluationRecord {
  year: number;
  fundUseScore: number;
  outputScore: number;
  effectScore: number;
  satisfactionScore: number;
  sharingCompliant: boolean;
  /**
   * Art. 19 (measures): the data are stored on the platform (落盘); false is, like not sharing, an Art. 9
   * sharing failure. Absent in evaluations from before it was asked.
   */
  dataStoredOnPlatform?: boolean;
  summary: string;
  evaluatedAt: string;
  evaluatedBy: string;
}

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export interface IncidentRecord {
  id: string;
  occurredAt: string;
  severity: IncidentSeverity;
  description: string;
  handling: string;
  /**
   * Art. 29: when the incident was reported to the authorities named in `reportedTo`; for incidents
   * recorded before `reportedTo` existed, when it was recorded here (reported to the BDB).
   */
  reportedAt: string;
  reportedBy: string;
  /** Art. 29: to whom the incident was reported (按照规定向有关部门报告); absent in older records. */
  reportedTo?: string;
  /** When it was recorded in the system (absent in older records: then `reportedAt`). */
  recordedAt?: string;
}

export interface DrillRecord {
  id: string;
  heldOn: string;
  scenario: string;
  summary: string;
  recordedAt: string;
  recordedBy: string;
}

/** Art. 22: the department's reason for a delayed acceptance (无合理原因 is the ground), and the BDB's decision. */
export interface AcceptanceDelayReasonRecord {
  id: string;
  reason: string;
  statedAt: string;
  statedBy: string;
  status: 'pending' | 'accepted' | 'rejected';
  opinion: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

/** Art. 22: a referral for accountability (追究责任) after a serious loss of construction funds. */
export interface AccountabilityReferralRecord {
  id: string;
  reference: string;
  description: string;
  recordedAt: string;
  recordedBy: string;
}

/** The records a project accumulates, kept in the state and shown as they are in the ProjectView. */
export interface ProjectRecords extends SafetyRecords {
  technicalReviews: TechnicalReviewRecord[];
  contracts: ContractRecord[];
  progressReports: ProgressReportRecord[];
  changeRequests: ChangeRequestRecord[];
  rectifications: RectificationRecord[];
  catalogEntries: CatalogEntryRecord[];
  acceptance: AcceptanceRecord;
  completionReport: CompletionReportRecord | null;
  omReviews: OmReviewRecord[];
  evaluations: EvaluationRecord[];
  incidents: IncidentRecord[];
  drills: DrillRecord[];
  violations: Violation[];
  decisions: Decision[];
  acceptanceDelayReasons: AcceptanceDelayReasonRecord[];
  accountabilityReferrals: AccountabilityReferralRecord[];
}

// ---------------------------------------------------------------------------------------------
// Art. 13-14, 17 (measures): project leader, procurement method, consultation of the related units
// ---------------------------------------------------------------------------------------------

/** Art. 14 (measures): 项目负责人 — the person answerable for the project at the department. */
export interface ProjectLeader {
  name: string;
  /** 职务 */
  post: string;
  /** 联系方式 (telephone or e-mail) */
  contact: string;
}

/** Art. 14 (measures): a change of 项目负责人 by the department, before and after. */
export interface LeaderChangeRecord {
  before: ProjectLeader | null;
  after: ProjectLeader;
  at: string;
  by: string;
}

/**
 * Art. 13 (measures): the procurement methods (公开招标, 邀请招标, 竞争性谈判, 竞争性磋商, 询价, 单一来源,
 * 市属企业自主建设); Chinese labels in domain/texts.ts (`procurementMethod`).
 */
export const PROCUREMENT_METHODS = [
  'open-tender',
  'invited-tender',
  'competitive-negotiation',
  'competitive-consultation',
  'price-inquiry',
  'single-source',
  'state-enterprise-self-build',
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];
/** Art. 13 (measures): 单一来源 needs its reason; the other methods may give one. */
export const PROCUREMENT_METHODS_NEEDING_REASON = ['single-source'] as const satisfies readonly ProcurementMethod[];
export const PROCUREMENT_METHODS_REASON_OPTIONAL = PROCUREMENT_METHODS.filter(
  (m): m is Exclude<ProcurementMethod, (typeof PROCUREMENT_METHODS_NEEDING_REASON)[number]> => !(PROCUREMENT_METHODS_NEEDING_REASON as readonly string[]).includes(m),
) as [Exclude<ProcurementMethod, (typeof PROCUREMENT_METHODS_NEEDING_REASON)[number]>, ...Exclude<ProcurementMethod, (typeof PROCUREMENT_METHODS_NEEDING_REASON)[number]>[]];

export interface ProcurementRecord {
  method: ProcurementMethod;
  /** Why this method (required for single-source); '' when none was given. */
  reason: string;
}

/** Art. 17 (measures): the related units a change request is discussed with (征求相关单位意见). */
export const CONSULTED_ROLES = ['approval', 'finance'] as const satisfies readonly Role[];
export type ConsultedRole = (typeof CONSULTED_ROLES)[number];

export interface ChangeRequestOpinionRecord {
  role: ConsultedRole;
  opinion: string;
  /** Whether the unit agrees with the change; null when it gave no position. */
  agrees: boolean | null;
  at: string;
  by: string;
}

/** A contract in the ProjectView: procurement null on contracts recorded before it was asked; supervisor null when none. */
export interface ContractView extends Omit<ContractRecord, 'supervisor'> {
  procurement: ProcurementRecord | null;
  supervisor: string | null;
}

/** A technical review in the ProjectView: the Art. 9 grounds cited (empty when none). */
export interface TechnicalReviewView extends TechnicalReviewRecord {
  grounds: Art9Ground[];
}

/** An evaluation in the ProjectView: 落盘 null when the evaluation did not record it (before it was asked). */
export interface EvaluationView extends Omit<EvaluationRecord, 'dataStoredOnPlatform'> {
  dataStoredOnPlatform: boolean | null;
}

/** A change request in the ProjectView: who is consulted, their opinions, and who must still answer. */
export interface ChangeRequestView extends ChangeRequestRecord {
  consulted: ConsultedRole[];
  opinions: ChangeRequestOpinionRecord[];
  awaitingOpinions: ConsultedRole[];
}

/** docs/API.md "ProjectView": the answer to GET /v1/projects/:id and to every command. */
export interface ProjectView extends Omit<ProjectRecords, 'technicalReviews' | 'evaluations' | 'contracts'> {
  id: string;
  title: string;
  summary: string;
  department: string;
  jurisdiction: string;
  kind: ProjectKind;
  year: number;
  annualPlanItem: string;
  estimate: Estimate;
  /**
   * Art. 8, 10 (measures): the approved estimate (批复概算) the approval bureau stated at establishment —
   * the cap of construction money; null before the approval (and for approvals from before it was asked).
   */
  approvedEstimateFen: number | null;
  stage: Stage;
  createdAt: string;
  policy: PolicyRef;
  plannedCompletionDate: string;
  documents: ApplicationDocuments;
  /** Art. 8: the uploaded documents behind `documents` (absent: free references only). */
  documentIds?: ApplicationDocumentIds;
  pendingActions: PendingAction[];
  deadlines: DeadlineView[];
  funds: { suspended: boolean; construction: FundBalance; om: FundBalance };
  allocations: AllocationRecord[];
  publicityObjections: ObjectionRecord[];
  /** Art. 14 (measures): the current 项目负责人 (null for applications from before it was asked) and its changes. */
  leader: ProjectLeader | null;
  leaderChanges: LeaderChangeRecord[];
  contracts: ContractView[];
  technicalReviews: TechnicalReviewView[];
  evaluations: EvaluationView[];
  changeRequests: ChangeRequestView[];
  /**
   * Art. 23: the department's evaluations of its other projects from the last two years, a reference
   * for the technical review of this application; filled by the API from the read model (absent in
   * the workflow's own view).
   */
  priorEvaluations?: PriorEvaluation[];
}

/** The row the read-model activity upserts (db/schema.ts `projects`). */
export interface ProjectReadModel {
  view: ProjectView;
  /** Increases with every accepted change; older upserts never overwrite newer ones. */
  version: number;
  awaitingRoles: Role[];
  nextDeadline: string | null;
  overdue: boolean;
}

// ---------------------------------------------------------------------------------------------
// Art. 23, 28-29 (issue 15): evaluations that inform next year, risk assessment, emergency plan
// ---------------------------------------------------------------------------------------------

/** Art. 28: the joint risk assessment (网络与信息安全风险评估) of the department with the BDB. */
export interface RiskAssessmentRecord {
  id: string;
  assessedOn: string;
  result: string;
  /** `sm3:<hex>` of a document of the document store, or a legacy free-text reference. */
  documentRef: string;
  documentId?: string;
  /** The BDB's participant (the department is the recording party). */
  bdbParticipant: string;
  recordedAt: string;
  recordedBy: string;
}

/** Art. 29: the emergency plan (应急预案) the department made with the contractor (项目建设单位). */
export interface EmergencyPlanRecord {
  id: string;
  adoptedOn: string;
  documentRef: string;
  documentId?: string;
  contractor: string;
  recordedAt: string;
  recordedBy: string;
}

/** The Art. 28-29 records a project keeps (absent in states from before them: empty). */
export interface SafetyRecords {
  riskAssessments: RiskAssessmentRecord[];
  emergencyPlans: EmergencyPlanRecord[];
}

/** Art. 29 (policy): drills due yearly, reminded 30 days before, when a policy names no period. */
export const DEFAULT_SECURITY_DRILL: DeadlineSetting = { duration: calendarDays(365), reminder: calendarDays(30) };

/** The drill setting of a policy (DEFAULT_SECURITY_DRILL for policies stored before it existed). */
export const securityDrillSetting = (deadlines: PolicyDeadlines): DeadlineSetting => deadlines.securityDrill ?? DEFAULT_SECURITY_DRILL;

/** Art. 23: one evaluation of another project of the same department, shown with a new application. */
export interface PriorEvaluation {
  projectId: string;
  title: string;
  /** The operating year evaluated. */
  year: number;
  result: { fundUseScore: number; outputScore: number; effectScore: number; satisfactionScore: number; sharingCompliant: boolean; summary: string };
  /** When the BDB made the evaluation. */
  date: string;
}

/** Art. 23: an application is shown the evaluations of operating years from (application year − 2) on. */
export const PRIOR_EVALUATION_YEARS = 2;
