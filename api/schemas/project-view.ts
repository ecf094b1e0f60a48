/**
 * The ProjectView (docs/API.md "ProjectView", GET /v1/projects/:id and every command's answer): its
 * schema field by field, checked at compile time against the core's ProjectView — Art. 13-14, 17
 * (leader, procurement, consultations), Art. 23, 28-29 (risk assessments, emergency plans, prior
 * evaluations) among them.
 */
import { z } from '@hono/zod-openapi';
import { APPLICATION_DOCUMENT_KINDS } from '../../domain/commands.ts';
import { FUND_TYPES } from '../../domain/money.ts';
import { DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import type { PolicySwitches } from '../../domain/policy.ts';
import {
  ALLOCATION_STATUSES,
  ART9_GROUNDS,
  CHANGE_KINDS,
  CONSULTED_ROLES,
  INCIDENT_SEVERITIES,
  PROCUREMENT_METHODS,
  RECTIFICATION_REASONS,
  SHARING_TYPES,
} from '../../domain/records.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import { PROJECT_KINDS, ROLES, STAGES } from '../../domain/vocabulary.ts';
import { amount, by, durationSchema, fundBalance, nullableText } from './common.ts';

// --- Art. 13-14, 17 (measures): leader, procurement, consultations in the ProjectView -------------

const leaderView = z.object({ name: z.string(), post: z.string(), contact: z.string() });
const procurementView = z.object({ method: z.enum(PROCUREMENT_METHODS), reason: z.string() });
const consultedRole = z.enum(CONSULTED_ROLES);
const changeRequestConsultationView = {
  /** The related units asked for an opinion (empty on change requests from before Art. 17's consultation). */
  consulted: z.array(consultedRole),
  opinions: z.array(z.object({ role: consultedRole, opinion: z.string(), agrees: z.boolean().nullable(), ...by })),
  /** Who must still answer before the BDB may decide. */
  awaitingOpinions: z.array(consultedRole),
};

// -------------------------------------------------------------------------------------------------

// --- Art. 23, 28-29: the ProjectView's risk assessments, emergency plans, prior evaluations ---

/** Art. 23: an evaluation of another project of the same department (GET /v1/cloud-platform/evaluations has the platform's). */
export const priorEvaluation = z
  .object({
    projectId: z.string(),
    title: z.string(),
    year: z.number().int(),
    result: z.object({
      fundUseScore: z.number().int(),
      outputScore: z.number().int(),
      effectScore: z.number().int(),
      satisfactionScore: z.number().int(),
      sharingCompliant: z.boolean(),
      summary: z.string(),
    }),
    date: z.string(),
  })
  .openapi('PriorEvaluation');

const riskAndEmergencyViewFields = {
  riskAssessments: z.array(
    z.object({
      id: z.string(),
      assessedOn: z.string(),
      result: z.string(),
      documentRef: z.string(),
      documentId: z.string().optional(),
      bdbParticipant: z.string(),
      recordedAt: z.string(),
      recordedBy: z.string(),
    }),
  ),
  emergencyPlans: z.array(
    z.object({
      id: z.string(),
      adoptedOn: z.string(),
      documentRef: z.string(),
      documentId: z.string().optional(),
      contractor: z.string(),
      recordedAt: z.string(),
      recordedBy: z.string(),
    }),
  ),
  priorEvaluations: z.array(priorEvaluation).optional().openapi({
    description:
      "Art. 23: the department's evaluations of its other projects for the operating years from two years before this project's application year on, newest first (a reference for the technical review); present in every answer of the API",
  }),
};

/**
 * docs/API.md "ProjectView", every field (domain/view-shapes.ts ProjectView; `satisfies` below keeps the
 * two the same shape at compile time). Open objects: fields added later do not break old clients.
 */
const projectViewShape = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  department: z.string(),
  jurisdiction: z.string(),
  kind: z.enum(PROJECT_KINDS),
  year: z.number().int(),
  annualPlanItem: z.string(),
  estimate: z
    .object({ totalFen: amount, cityShareFen: amount, countyShareFen: amount })
    .openapi({ description: "Art. 8: the department's 投资概算 (investment estimate) of the application" }),
  approvedEstimateFen: amount.nullable().openapi({
    description:
      'Art. 8, 10 (measures): the approved estimate (批复概算) the approval bureau stated at establishment, the cap of construction money; null before the approval (and for approvals from before it was asked: the cap is then the 投资概算)',
  }),
  stage: z.enum(STAGES),
  createdAt: z.string(),
  policy: z.object({
    jurisdiction: z.string(),
    version: z.number().int(),
    switches: z.object(
      Object.fromEntries(Object.keys(DEFAULT_POLICY_SWITCHES).map((k) => [k, z.boolean()])) as Record<
        keyof PolicySwitches,
        z.ZodBoolean
      >,
    ),
  }),
  plannedCompletionDate: z.string(),
  documents: z.object({
    proposal: z.string(),
    feasibilityStudy: z.string(),
    preliminaryDesign: z.string(),
    investmentEstimate: z.string(),
  }),
  documentIds: z
    .object(Object.fromEntries(APPLICATION_DOCUMENT_KINDS.map((k) => [k, z.string().optional()])))
    .optional(),
  pendingActions: z.array(
    z.object({
      role: z.enum(ROLES),
      action: z.string(),
      ref: z.string().optional(),
      dueAt: z.string().optional(),
      overdue: z.boolean(),
      basis: z.literal('policy').optional().openapi({
        description:
          '`policy` when a local policy setting, not the text, asks for it now (e.g. Art. 28: the risk assessment before technical acceptance)',
      }),
    }),
  ),
  deadlines: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      ref: z.string().optional(),
      startsAt: z.string(),
      dueAt: z.string(),
      dueOn: z.string().openapi({
        description: 'The last day of the period (Asia/Shanghai YYYY-MM-DD); `dueAt` is the instant that day ends',
      }),
      remindAt: z.string().optional(),
      status: z.enum(['open', 'met', 'missed', 'cancelled']),
      rule: z.union([durationSchema, z.object({ until: z.string() })]).optional(),
      reminder: durationSchema.nullable().optional(),
      basis: z.enum(['measures', 'policy']),
    }),
  ),
  funds: z.object({ suspended: z.boolean(), construction: fundBalance, om: fundBalance }),
  allocations: z.array(
    z.object({
      id: z.string(),
      fundType: z.enum(FUND_TYPES),
      year: z.number().int(),
      amountFen: amount,
      cityShareFen: amount,
      countyShareFen: amount,
      allocatedAt: z.string(),
      allocatedBy: z.string(),
      status: z.enum(ALLOCATION_STATUSES),
      /** Art. 12: the county finance's confirmation of the county share (co-built projects since the rule). */
      countyShare: z
        .object({
          jurisdiction: z.string(),
          confirmedAt: nullableText,
          confirmedBy: nullableText,
          budgetRef: nullableText,
        })
        .optional(),
      publicityDeadlineId: nullableText,
      planId: nullableText.optional(),
      publishedAt: nullableText,
      cancelledAt: nullableText,
      fundedChanges: z.array(z.object({ changeRequestId: z.string(), amountFen: amount })),
    }),
  ),
  publicityObjections: z.array(
    z.object({
      id: z.string(),
      allocationId: z.string(),
      summary: z.string(),
      recordedAt: z.string(),
      recordedBy: z.string(),
      status: z.enum(['open', 'upheld', 'dismissed', 'moot']),
      note: nullableText,
      resolvedAt: nullableText,
      resolvedBy: nullableText,
    }),
  ),
  technicalReviews: z.array(
    z.object({
      decision: z.enum(['pass', 'revise', 'reject']),
      opinion: z.string(),
      checklist: z.object({
        resourceCatalog: z.boolean(),
        dataSharing: z.boolean(),
        intensiveConstruction: z.boolean(),
        cloudDeployment: z.boolean(),
        securityControllable: z.boolean(),
      }),
      grounds: z.array(z.enum(ART9_GROUNDS)).openapi({
        description:
          'Art. 9 (measures): the grounds the BDB cited with revise or reject (e.g. `disguised-packaging` 变相包装); empty when none',
      }),
      ...by,
    }),
  ),
  contracts: z.array(
    z.object({
      contractNo: z.string(),
      contractor: z.string(),
      amountFen: amount,
      signedOn: z.string(),
      recordedAt: z.string(),
      recordedBy: z.string(),
      documentRef: nullableText,
      documentId: z.string().optional(),
      filedAt: nullableText,
      filedLate: z.boolean(),
      filingDeadlineId: z.string(),
      procurement: procurementView.nullable(),
      supervisor: nullableText.openapi({
        description: 'Art. 14 (measures): the supervising firm (工程监理单位), where there is one',
      }),
    }),
  ),
  progressReports: z.array(
    z.object({
      period: z.string(),
      spentFen: amount,
      progressPercent: z.number(),
      summary: z.string(),
      reportedAt: z.string(),
      reportedBy: z.string(),
      late: z.boolean(),
    }),
  ),
  changeRequests: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(CHANGE_KINDS),
      description: z.string(),
      budgetDeltaFen: amount.nullable(),
      newPlannedCompletionDate: nullableText,
      status: z.enum(['pending', 'approved', 'rejected', 'closed']),
      requestedAt: z.string(),
      requestedBy: z.string(),
      decidedAt: nullableText,
      decidedBy: nullableText,
      opinion: nullableText,
      fundedFen: amount,
      ...changeRequestConsultationView,
    }),
  ),
  rectifications: z.array(
    z.object({
      id: z.string(),
      reason: z.enum(RECTIFICATION_REASONS),
      description: z.string(),
      issuedByRole: z.enum(ROLES),
      issuedBy: z.string(),
      issuedAt: z.string(),
      automatic: z.boolean(),
      dueOn: nullableText,
      status: z.enum(['awaiting-response', 'awaiting-review', 'accepted', 'failed', 'closed']),
      hasFailed: z.boolean(),
      deadlineId: z.string(),
      responses: z.array(
        z.object({
          description: z.string(),
          evidenceRef: z.string(),
          documentId: z.string().optional(),
          ...by,
          review: z.object({ decision: z.enum(['accept', 'reject']), opinion: z.string(), ...by }).nullable(),
        }),
      ),
      extensions: z.array(z.object({ dueOn: z.string(), reason: z.string(), ...by })),
    }),
  ),
  catalogEntries: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      sharingType: z.enum(SHARING_TYPES),
      updateCycle: z.string(),
      registeredAt: z.string(),
      registeredBy: z.string(),
    }),
  ),
  acceptance: z.object({
    preliminary: z
      .object({ reportRef: z.string(), documentId: z.string().optional(), completedOn: z.string(), ...by })
      .nullable(),
    technical: z
      .object({
        decision: z.enum(['pass', 'fail']),
        opinion: z.string(),
        securityControllable: z.boolean(),
        mlpsLevel: z.number().int().nullable(),
        cryptoAssessmentPassed: z.boolean(),
        ...by,
      })
      .nullable(),
    completion: z.object({ decision: z.enum(['pass', 'fail']), opinion: z.string(), ...by }).nullable(),
    returns: z.array(z.object({ by: z.enum(['technical', 'completion']), opinion: z.string(), at: z.string() })),
  }),
  completionReport: z
    .object({
      reportRef: z.string(),
      documentId: z.string().optional(),
      filedAt: z.string(),
      filedBy: z.string(),
      late: z.boolean(),
    })
    .nullable(),
  omReviews: z.array(
    z.object({
      year: z.number().int(),
      approvedFen: amount,
      opinion: z.string(),
      reviewedAt: z.string(),
      reviewedBy: z.string(),
      latestEvaluation: z.object({ year: z.number().int(), sharingCompliant: z.boolean() }).nullable(),
    }),
  ),
  evaluations: z.array(
    z.object({
      year: z.number().int(),
      fundUseScore: z.number().int(),
      outputScore: z.number().int(),
      effectScore: z.number().int(),
      satisfactionScore: z.number().int(),
      sharingCompliant: z.boolean(),
      dataStoredOnPlatform: z.boolean().nullable().openapi({
        description:
          'Art. 19 (measures): the data are stored on the platform (落盘); false is an Art. 9 sharing failure; null in evaluations from before it was asked',
      }),
      summary: z.string(),
      evaluatedAt: z.string(),
      evaluatedBy: z.string(),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.string(),
      occurredAt: z.string(),
      severity: z.enum(INCIDENT_SEVERITIES),
      description: z.string(),
      handling: z.string(),
      reportedAt: z.string(),
      reportedBy: z.string(),
      reportedTo: z.string().optional().openapi({
        description: 'Art. 29: to whom the incident was reported (absent in records from before it was asked)',
      }),
      recordedAt: z.string().optional(),
    }),
  ),
  drills: z.array(
    z.object({
      id: z.string(),
      heldOn: z.string(),
      scenario: z.string(),
      summary: z.string(),
      recordedAt: z.string(),
      recordedBy: z.string(),
    }),
  ),
  violations: z.array(
    z.object({
      kind: z.string(),
      article: z.string(),
      at: z.string(),
      detail: z.string(),
      basis: z.enum(['measures', 'policy']),
    }),
  ),
  decisions: z.array(
    z.object({
      action: z.string(),
      role: z.enum(ROLES),
      by: z.string(),
      at: z.string(),
      accountId: z
        .string()
        .optional()
        .openapi({ description: 'Art. 22, 24-25: the personal account that decided (absent for API keys)' }),
      organization: z
        .string()
        .optional()
        .openapi({ description: "The person's organisation: role, then `/department` or `@jurisdiction`" }),
      decision: z.string().optional(),
      opinion: z.string().optional(),
    }),
  ),
  acceptanceDelayReasons: z.array(
    z.object({
      id: z.string(),
      reason: z.string(),
      statedAt: z.string(),
      statedBy: z.string(),
      status: z.enum(['pending', 'accepted', 'rejected']),
      opinion: nullableText,
      decidedAt: nullableText,
      decidedBy: nullableText,
    }),
  ),
  accountabilityReferrals: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      description: z.string(),
      recordedAt: z.string(),
      recordedBy: z.string(),
    }),
  ),
  leader: leaderView.nullable(),
  leaderChanges: z.array(z.object({ before: leaderView.nullable(), after: leaderView, ...by })),
  ...riskAndEmergencyViewFields,
});

/** Compile-time: the schema describes exactly what the core's ProjectView holds. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const viewSchemaMatchesCore: Same<z.output<typeof projectViewShape>, ProjectView> = true;
void viewSchemaMatchesCore;

export const projectView = projectViewShape.openapi('ProjectView');
