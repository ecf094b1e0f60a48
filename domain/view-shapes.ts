/**
 * The shapes of the ProjectView (docs/API.md "ProjectView") and of the read model's row, and the
 * evaluations of earlier projects an application is shown (Art. 23).
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */
import type { DeadlineView, PendingAction } from './deadline-kinds.ts';
import type { Estimate, FundBalance } from './money.ts';
import type { PolicyRef } from './policy.ts';
import type { ApplicationDocumentIds, ApplicationDocuments } from './project-input.ts';
import type {
  AllocationRecord,
  Art9Ground,
  ChangeRequestOpinionRecord,
  ChangeRequestRecord,
  ConsultedRole,
  ContractRecord,
  EvaluationRecord,
  LeaderChangeRecord,
  ObjectionRecord,
  ProcurementRecord,
  ProjectLeader,
  ProjectRecords,
  TechnicalReviewRecord,
} from './records.ts';
import type { ProjectKind, Role, Stage } from './vocabulary.ts';

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

/** The row the read-model activity upserts (db/schema/projects.ts `projects`). */
export interface ProjectReadModel {
  view: ProjectView;
  /** Increases with every accepted change; older upserts never overwrite newer ones. */
  version: number;
  awaitingRoles: Role[];
  nextDeadline: string | null;
  overdue: boolean;
}

/** Art. 23: one evaluation of another project of the same department, shown with a new application. */
export interface PriorEvaluation {
  projectId: string;
  title: string;
  /** The operating year evaluated. */
  year: number;
  result: {
    fundUseScore: number;
    outputScore: number;
    effectScore: number;
    satisfactionScore: number;
    sharingCompliant: boolean;
    summary: string;
  };
  /** When the BDB made the evaluation. */
  date: string;
}

/** Art. 23: an application is shown the evaluations of operating years from (application year − 2) on. */
export const PRIOR_EVALUATION_YEARS = 2;
