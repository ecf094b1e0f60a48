/**
 * Types of the lifecycle core, shared by the workflow, activities and API.
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O (shared/STYLE.md).
 */

export const ROLES = ['bdb', 'approval', 'finance', 'department', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who did something (Art. 24-25: every action is traceable to a key, role and department). */
export interface Actor {
  keyId: string;
  role: Role;
  department?: string | undefined;
  name: string;
}

/** Art. 3: kinds of project the measures cover. */
export const PROJECT_KINDS = ['new', 'expansion', 'upgrade', 'om'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export const STAGES = [
  'submitted',
  'technical_review',
  'establishment_review',
  'budgeting',
  'publicity',
  'contracting',
  'construction',
  'preliminary_acceptance',
  'joint_acceptance',
  'completion_filing',
  'operating',
  'decommissioned',
  'rejected',
  'terminated',
] as const;
export type Stage = (typeof STAGES)[number];
export const TERMINAL_STAGES: ReadonlySet<Stage> = new Set(['decommissioned', 'rejected', 'terminated']);

/** Art. 8: the four application documents (references: URL or content hash; no files stored). */
export interface ApplicationDocuments {
  proposal: string;
  feasibilityStudy: string;
  preliminaryDesign: string;
  investmentEstimate: string;
}

export interface Estimate {
  totalFen: number;
  cityShareFen: number;
  countyShareFen: number;
}

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
  policy: { jurisdiction: string; version: number };
  /** ISO instant the API accepted the application. */
  createdAt: string;
  createdBy: Actor;
}

export interface FundBalance {
  allocatedFen: number;
  heldFen: number;
  availableFen: number;
  frozenFen: number;
  disbursedFen: number;
  cancelledFen: number;
}

export interface PendingAction {
  role: Role;
  action: string;
  dueAt?: string;
  overdue: boolean;
}

export interface DeadlineView {
  kind: string;
  ref?: string;
  startsAt: string;
  dueAt: string;
  status: 'open' | 'met' | 'missed' | 'cancelled';
}

export interface Decision {
  action: string;
  role: Role;
  by: string;
  at: string;
  decision?: string;
  opinion?: string;
}

export interface Violation {
  kind: string;
  article: string;
  at: string;
  detail: string;
}

/** shared/API.md "ProjectView": the answer to GET /v1/projects/:id and to every command. */
export interface ProjectView {
  id: string;
  title: string;
  summary: string;
  department: string;
  jurisdiction: string;
  kind: ProjectKind;
  year: number;
  annualPlanItem: string;
  estimate: Estimate;
  stage: Stage;
  createdAt: string;
  policy: { jurisdiction: string; version: number };
  plannedCompletionDate: string;
  pendingActions: PendingAction[];
  deadlines: DeadlineView[];
  funds: { suspended: boolean; construction: FundBalance; om: FundBalance };
  contracts: unknown[];
  changeRequests: unknown[];
  rectifications: unknown[];
  catalogEntries: unknown[];
  evaluations: unknown[];
  incidents: unknown[];
  drills: unknown[];
  violations: Violation[];
  decisions: Decision[];
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
