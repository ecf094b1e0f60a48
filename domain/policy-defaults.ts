/**
 * The policy defaults (docs/MEASURES.md "Deadlines", "Two kinds of rule"): the city's policy
 * version 1, the switches' defaults, the drill setting of policies stored before drills (Art. 29),
 * and the periods the text itself fixes (Art. 15, 21), which no city policy changes (Art. 30).
 */
import type { DeadlineKind, DeadlineRule } from './deadline-kinds.ts';
import type { RuleBasis } from './vocabulary.ts';
import type { DeadlineSetting, Duration, Policy, PolicyDeadlines, PolicySwitches } from './policy.ts';

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

/** A policy's switches, each missing one at its default (off). */
export const policySwitches = (policy: Pick<Policy, 'switches'>): PolicySwitches => ({
  ...DEFAULT_POLICY_SWITCHES,
  ...(policy.switches ?? {}),
});

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
  completionReport: {
    kind: 'completion-report',
    article: 'Art. 21',
    articleZh: '第二十一条',
    duration: workingDays(7),
  },
} as const satisfies Partial<
  Record<keyof PolicyDeadlines, { kind: DeadlineKind; article: string; articleZh: string; duration: Duration }>
>;

/**
 * The first setting of a policy that changes a period the text fixes (MEASURES_PERIODS), or null.
 * Only a county's own measures may (Art. 30); the city's policy is refused (api/routes/policies.ts).
 */
export function changedMeasuresPeriod(
  deadlines: PolicyDeadlines,
): { field: keyof typeof MEASURES_PERIODS; article: string; articleZh: string; duration: Duration } | null {
  for (const field of Object.keys(MEASURES_PERIODS) as (keyof typeof MEASURES_PERIODS)[]) {
    const fixed = MEASURES_PERIODS[field];
    if (!sameDuration(deadlines[field].duration, fixed.duration))
      return { field, article: fixed.article, articleZh: fixed.articleZh, duration: fixed.duration };
  }
  return null;
}

/** Whether two spans are the same number of the same unit. */
export const sameDuration = (a: DeadlineRule, b: Duration): boolean =>
  !('until' in a) && a.unit === b.unit && a.amount === b.amount;

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

/** Art. 29 (policy): drills due yearly, reminded 30 days before, when a policy names no period. */
export const DEFAULT_SECURITY_DRILL: DeadlineSetting = { duration: calendarDays(365), reminder: calendarDays(30) };

/** The drill setting of a policy (DEFAULT_SECURITY_DRILL for policies stored before it existed). */
export const securityDrillSetting = (deadlines: PolicyDeadlines): DeadlineSetting =>
  deadlines.securityDrill ?? DEFAULT_SECURITY_DRILL;
