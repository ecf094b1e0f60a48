/**
 * The lifecycle core's vocabulary, shared by the workflow, activities and API: roles and the actor
 * (Art. 24-25), project kinds, the stages a project passes through, and where a rule comes from
 * (measures or policy).
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */

export const ROLES = [
  'bdb',
  'approval',
  'finance',
  'department',
  'sysadmin',
  'secadmin',
  'auditadmin',
  'admin',
] as const;
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
