/**
 * The commands of shared/API.md, one per `POST /v1/projects/:id/...` endpoint, as a discriminated
 * union. Payloads are the request bodies; path parameters (`:oid`, `:contractNo`, `:cid`, `:rid`)
 * are payload fields. The same commands arrive as Temporal updates and signals.
 */
import type {
  ApplicationDocuments,
  ChangeKind,
  FundType,
  IncidentSeverity,
  RectificationReason,
  Role,
  SharingType,
  TechnicalReviewChecklist,
} from './types.ts';
import type { DeadlineReschedulingPayload } from './rescheduling.ts';

export interface CommandPayloads {
  technicalReview: { decision: 'pass' | 'revise' | 'reject'; opinion: string; checklist: TechnicalReviewChecklist };
  resubmission: { documents: ApplicationDocuments; note: string };
  establishment: { decision: 'approve' | 'reject'; approvalNo: string; opinion: string };
  budget: { fundType: FundType; year: number; amountFen: number; cityShareFen: number; countyShareFen: number };
  /**
   * `allocationId` is a core-only extension (not in the API body): which allocation under
   * publicity the objection is about; by default the most recent one.
   */
  publicityObjection: { summary: string; allocationId?: string };
  publicityObjectionResolution: { oid: string; upheld: boolean; note: string };
  contract: { contractNo: string; contractor: string; amountFen: number; signedOn: string; documentRef?: string };
  contractFiling: { contractNo: string; documentRef: string };
  progressReport: { period: string; spentFen: number; progressPercent: number; summary: string };
  disbursement: { fundType: FundType; amountFen: number; note: string };
  changeRequest: {
    kind: ChangeKind;
    description: string;
    budgetDeltaFen?: number;
    newPlannedCompletionDate?: string;
  };
  changeRequestDecision: { cid: string; decision: 'approve' | 'reject'; opinion: string };
  rectificationOrder: { reason: RectificationReason; description: string; dueOn?: string };
  rectificationResponse: { rid: string; description: string; evidenceRef: string };
  rectificationReview: { rid: string; decision: 'accept' | 'reject'; opinion: string };
  rectificationExtension: { rid: string; dueOn: string; reason: string };
  termination: { reason: string };
  withdrawal: { reason: string };
  catalogEntries: {
    entries: { code: string; name: string; sharingType: SharingType; updateCycle: string }[];
  };
  preliminaryAcceptance: { reportRef: string; completedOn: string };
  technicalAcceptance: {
    decision: 'pass' | 'fail';
    opinion: string;
    securityControllable: boolean;
    /** 等级保护 level 1-5 (Art. 28). */
    mlpsLevel?: number | null;
    cryptoAssessmentPassed: boolean;
  };
  completionAcceptance: { decision: 'pass' | 'fail'; opinion: string };
  completionReport: { reportRef: string };
  omReview: { year: number; approvedFen: number; opinion: string };
  evaluation: {
    year: number;
    fundUseScore: number;
    outputScore: number;
    effectScore: number;
    satisfactionScore: number;
    sharingCompliant: boolean;
    summary: string;
  };
  securityIncident: { occurredAt: string; severity: IncidentSeverity; description: string; handling: string };
  securityDrill: { heldOn: string; scenario: string; summary: string };
  decommission: { reason: string };
  deadlineRescheduling: DeadlineReschedulingPayload;
}

export type CommandName = keyof CommandPayloads;

export type Command = { [K in CommandName]: { name: K; payload: CommandPayloads[K] } }[CommandName];

/** The command of one name. */
export type CommandOf<K extends CommandName> = { name: K; payload: CommandPayloads[K] };

/** Each command and the role(s) shared/API.md gives it; `admin` makes no business decisions. */
export const COMMAND_ROLES = {
  technicalReview: ['bdb'],
  resubmission: ['department'],
  establishment: ['approval'],
  budget: ['finance'],
  publicityObjection: ['bdb'],
  publicityObjectionResolution: ['bdb'],
  contract: ['department'],
  contractFiling: ['department'],
  progressReport: ['department'],
  disbursement: ['finance'],
  changeRequest: ['department'],
  changeRequestDecision: ['bdb'],
  rectificationOrder: ['bdb', 'approval'],
  rectificationResponse: ['department'],
  // Only the role that issued the order may review it (checked against the order).
  rectificationReview: ['bdb', 'approval'],
  rectificationExtension: ['bdb'],
  termination: ['bdb'],
  withdrawal: ['department'],
  catalogEntries: ['department'],
  preliminaryAcceptance: ['department'],
  technicalAcceptance: ['bdb'],
  completionAcceptance: ['approval'],
  completionReport: ['department'],
  omReview: ['bdb'],
  evaluation: ['bdb'],
  securityIncident: ['department'],
  securityDrill: ['department'],
  decommission: ['bdb'],
  deadlineRescheduling: ['admin'],
} as const satisfies Record<CommandName, readonly Role[]>;

export const COMMAND_NAMES = Object.keys(COMMAND_ROLES) as CommandName[];

/** The API path segment of each command, used as the `action` of audit entries and decisions. */
export const COMMAND_ACTIONS: Record<CommandName, string> = {
  technicalReview: 'technical-review',
  resubmission: 'resubmission',
  establishment: 'establishment',
  budget: 'budget',
  publicityObjection: 'publicity-objection',
  publicityObjectionResolution: 'publicity-objection-resolution',
  contract: 'contract',
  contractFiling: 'contract-filing',
  progressReport: 'progress-report',
  disbursement: 'disbursement',
  changeRequest: 'change-request',
  changeRequestDecision: 'change-request-decision',
  rectificationOrder: 'rectification-order',
  rectificationResponse: 'rectification-response',
  rectificationReview: 'rectification-review',
  rectificationExtension: 'rectification-extension',
  termination: 'termination',
  withdrawal: 'withdrawal',
  catalogEntries: 'catalog-entries',
  preliminaryAcceptance: 'preliminary-acceptance',
  technicalAcceptance: 'technical-acceptance',
  completionAcceptance: 'completion-acceptance',
  completionReport: 'completion-report',
  omReview: 'om-review',
  evaluation: 'evaluation',
  securityIncident: 'security-incident',
  securityDrill: 'security-drill',
  decommission: 'decommission',
  deadlineRescheduling: 'deadline-rescheduling',
};

/** Commands the system sends itself (no HTTP command route): see domain/rescheduling.ts. */
export const INTERNAL_COMMANDS = ['deadlineRescheduling'] as const satisfies readonly CommandName[];
export type InternalCommand = (typeof INTERNAL_COMMANDS)[number];
