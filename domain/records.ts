/**
 * Records kept in the state and shown in the view (plain JSON; `null` rather than absent fields):
 * decisions and violations, the technical review (Art. 7, 9), allocations and objections (Art. 10-12),
 * contracts, progress reports and change requests (Art. 13-17), rectification (Art. 22), the catalogue,
 * acceptances, the completion report and O&M review (Art. 18-21), evaluations (Art. 23), incidents,
 * drills, risk assessments and emergency plans (Art. 28-29).
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */
import type { FundType } from './money.ts';
import type { Role, RuleBasis } from './vocabulary.ts';

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
 * in disguise or inside another project (变相包装或纳入其他项目). Chinese labels in domain/labels/values.ts
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
export const ALLOCATION_STATUSES = [
  'held',
  'publicity',
  'awaiting-objection',
  'published',
  'cancelled',
  'awaiting-county',
] as const;
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
 * 市属企业自主建设); Chinese labels in domain/labels/values.ts (`procurementMethod`).
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
  (m): m is Exclude<ProcurementMethod, (typeof PROCUREMENT_METHODS_NEEDING_REASON)[number]> =>
    !(PROCUREMENT_METHODS_NEEDING_REASON as readonly string[]).includes(m),
) as [
  Exclude<ProcurementMethod, (typeof PROCUREMENT_METHODS_NEEDING_REASON)[number]>,
  ...Exclude<ProcurementMethod, (typeof PROCUREMENT_METHODS_NEEDING_REASON)[number]>[],
];

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

// ---------------------------------------------------------------------------------------------
// Art. 23, 28-29: evaluations that inform next year, risk assessment, emergency plan
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
