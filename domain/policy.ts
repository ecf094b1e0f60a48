/**
 * The shape of a policy (Art. 30): a jurisdiction's versioned deadline settings and switches, which a
 * project pins when it starts. The defaults are in policy-defaults.ts.
 * Pure TypeScript: nothing here imports @temporalio/* or does I/O; every shape is plain JSON data,
 * so the state survives Temporal continue-as-new unchanged.
 */

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

/** The deadline settings and switches a project pinned when it started (Art. 30). */
export interface Policy {
  jurisdiction: string;
  version: number;
  deadlines: PolicyDeadlines;
  /** Absent in policies stored (and projects started) before the switches existed: the defaults. */
  switches?: Partial<PolicySwitches>;
}

/** The reference to the pinned policy shown in the ProjectView (docs/API.md "ProjectView"), with its switches. */
export interface PolicyRef {
  jurisdiction: string;
  version: number;
  switches: PolicySwitches;
}
