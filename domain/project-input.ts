/**
 * What an application carries into the workflow: the four application documents of Art. 8 and
 * everything the workflow is started with.
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */
import type { Estimate } from './money.ts';
import type { Policy } from './policy.ts';
import type { ProjectLeader } from './records.ts';
import type { Actor, ProjectKind } from './vocabulary.ts';

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
