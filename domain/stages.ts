/**
 * The stage table: in which stages each command is accepted, under the measures as written (a
 * project started after the second reading). domain/rules/ checks each command against this table
 * (a run recorded before a patch keeps its own, older lists there), and the console offers an action
 * only where the table lets it (console/src/pages/project/ActionPanel.tsx). Who may send a command
 * is COMMAND_ROLES (domain/commands.ts); which stage a command leads to is the handler's.
 *
 * A command absent from the table has no stage list of its own: it answers a pending item (an
 * objection, a change request, a rectification, a stated reason) and is accepted while that is
 * open, or it applies to any project not yet ended (leader change, rectification order,
 * accountability referral, termination of a suspended project, allocation publication).
 */
import type { Stage } from './vocabulary.ts';

/** Before construction: the department may withdraw (docs/MEASURES.md "Stages"). */
export const BEFORE_CONSTRUCTION: readonly Stage[] = [
  'technical_review',
  'submitted',
  'establishment_review',
  'budgeting',
  'publicity',
  'contracting',
];
/** Art. 19: the resource catalogue may be registered from construction on. */
export const CATALOG_STAGES: readonly Stage[] = ['construction', 'joint_acceptance', 'completion_filing', 'operating'];
/** Art. 28-29: risk assessment, emergency plan, incidents and drills from contracting on (the contractor is known). */
export const SECURITY_STAGES: readonly Stage[] = ['contracting', ...CATALOG_STAGES];
/** Art. 17: change requests while the project is being built. */
export const CHANGE_STAGES: readonly Stage[] = ['contracting', 'construction'];
/** Art. 21: the completion report once the completion acceptance passed (the BDB's may be pending). */
export const COMPLETION_REPORT_STAGES: readonly Stage[] = ['construction', 'joint_acceptance', 'completion_filing'];
/**
 * Art. 9, 15: a contract signed after the establishment approval is recorded (and filed within its 5
 * working days) in any stage from the approval on — also while the money awaits the BDB's plan or
 * is under notice.
 */
export const CONTRACT_STAGES: readonly Stage[] = [
  'budgeting',
  'publicity',
  'contracting',
  'construction',
  'joint_acceptance',
  'completion_filing',
  'operating',
];
/** Art. 10: construction money is budgeted year by year from the approval until the project is built. */
export const CONSTRUCTION_BUDGET_STAGES: readonly Stage[] = ['budgeting', 'publicity', 'contracting', 'construction'];
/** Art. 21: O&M money once the project operates. */
export const OM_STAGES: readonly Stage[] = ['operating'];

/** Where each command with a stage list of its own is accepted (the measures as written). */
export const COMMAND_STAGES = {
  technicalReview: ['technical_review'], // Art. 7
  resubmission: ['submitted'], // Art. 7-8
  establishment: ['establishment_review'], // Art. 8
  budget: [...CONSTRUCTION_BUDGET_STAGES, ...OM_STAGES], // Art. 10, 21 (by fund type: BUDGET_STAGES)
  contract: CONTRACT_STAGES, // Art. 9, 15
  progressReport: ['construction'], // Art. 16
  changeRequest: CHANGE_STAGES, // Art. 17
  withdrawal: BEFORE_CONSTRUCTION,
  catalogEntries: CATALOG_STAGES, // Art. 19
  preliminaryAcceptance: ['construction'], // Art. 18
  technicalAcceptance: ['joint_acceptance'], // Art. 18
  completionAcceptance: ['joint_acceptance'], // Art. 18
  completionReport: COMPLETION_REPORT_STAGES, // Art. 21
  omReview: OM_STAGES, // Art. 21
  evaluation: OM_STAGES, // Art. 23
  riskAssessment: SECURITY_STAGES, // Art. 28
  emergencyPlan: SECURITY_STAGES, // Art. 29
  securityIncident: SECURITY_STAGES, // Art. 29
  securityDrill: SECURITY_STAGES, // Art. 29
  decommission: OM_STAGES,
  acceptanceDelayReason: ['construction'], // Art. 22
} as const satisfies Record<string, readonly Stage[]>;

/** Art. 10, 21: the budget's stages by fund type. */
export const BUDGET_STAGES: Readonly<Record<'construction' | 'om', readonly Stage[]>> = {
  construction: CONSTRUCTION_BUDGET_STAGES,
  om: OM_STAGES,
};

/**
 * Whether the table lets `command` (a CommandName of domain/commands.ts; test/domain/stages.test.ts
 * checks every key is one) be sent in `stage` — true for a command without a list of its own.
 */
export function acceptedIn(command: string, stage: Stage): boolean {
  const stages = (COMMAND_STAGES as Partial<Record<string, readonly Stage[]>>)[command];
  return stages === undefined || stages.includes(stage);
}
