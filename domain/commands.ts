/**
 * The commands of docs/API.md "Commands", one per `POST /v1/projects/:id/...` endpoint, as a discriminated
 * union. Payloads are the request bodies; path parameters (`:oid`, `:contractNo`, `:cid`, `:rid`)
 * are payload fields. The same commands arrive as Temporal updates and signals.
 */
import { z } from 'zod';
import {
  calendarDate,
  contractNo,
  documentId,
  documentRef,
  entityId,
  fen,
  instant,
  optionalText,
  period,
  positiveFen,
  requiredText,
  score,
  year,
} from './field-schemas.ts';
import { memo } from './memo.ts';
import { deadlineReschedulingBody } from './rescheduling.ts';
import { FUND_TYPES } from './money.ts';
import {
  ART9_GROUNDS,
  CHANGE_KINDS,
  INCIDENT_SEVERITIES,
  PROCUREMENT_METHODS_NEEDING_REASON,
  PROCUREMENT_METHODS_REASON_OPTIONAL,
  RECTIFICATION_REASONS,
  SHARING_TYPES,
} from './records.ts';
import { ROLES, type Role } from './vocabulary.ts';

/**
 * An object whose entries are built on first use, then kept (./memo.ts: in the workflow sandbox,
 * once per worker thread for all project workflows). Building every command's zod schema at each
 * load cost about 6-10 ms of CPU per workflow (bench profile); a project needs only the few
 * commands it receives.
 */
function lazily<T extends Record<string, () => unknown>>(
  scope: string,
  factories: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const entries = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const key of Object.keys(factories) as (keyof T & string)[]) {
    Object.defineProperty(entries, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = memo(`${scope}.${key}`, factories[key]!);
        Object.defineProperty(entries, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return entries;
}

/** Who sends a command (Art. 24-25): the API builds it from the key; a signal brings its own. */
export const actorSchema = memo('actor', () =>
  z.object({
    keyId: requiredText(200),
    role: z.enum(ROLES),
    department: requiredText(64).optional(),
    name: requiredText(200),
    // Optional, so histories recorded before jurisdictions and personal accounts still parse (Art. 5, 12, 22, 24-25, 30).
    jurisdiction: z
      .string()
      .regex(/^(city|[a-z0-9-]{2,32})$/)
      .optional(),
    accountId: requiredText(64).optional(),
    displayName: requiredText(200).optional(),
    organization: requiredText(200).optional(),
  }),
);

/** Art. 8: the four application documents. */
export const APPLICATION_DOCUMENT_KINDS = [
  'proposal',
  'feasibilityStudy',
  'preliminaryDesign',
  'investmentEstimate',
] as const;

/** Art. 8: the four application documents. */
const applicationDocuments = () =>
  z.strictObject({
    proposal: documentRef,
    feasibilityStudy: documentRef,
    preliminaryDesign: documentRef,
    investmentEstimate: documentRef,
  });

/**
 * Art. 8: which of the application documents were filed as uploaded documents: their ids
 * of the document store; the API then sets the matching `documents` entry to `sm3:<hex>`.
 */
export const applicationDocumentIds = () =>
  z
    .strictObject({
      proposal: documentId.optional(),
      feasibilityStudy: documentId.optional(),
      preliminaryDesign: documentId.optional(),
      investmentEstimate: documentId.optional(),
    })
    .refine((ids) => Object.values(ids).some((v) => v !== undefined), {
      message: 'name at least one document, or leave documentIds out',
    });

// --- Art. 13-14, 17 (measures): project leader, procurement method, consultations -----------------

/** Art. 14 (measures): the 项目负责人 an application names and the department may change. */
export const projectLeader = () =>
  z.strictObject({ name: requiredText(100), post: requiredText(100), contact: requiredText(200) });

/**
 * Art. 13 (measures): how the contractor was procured; 单一来源 needs its reason. Two closed shapes
 * told apart by `method`, so the OpenAPI document states the rule (oneOf) instead of prose.
 */
export const procurement = () =>
  z.discriminatedUnion('method', [
    z.strictObject({ method: z.enum(PROCUREMENT_METHODS_NEEDING_REASON), reason: requiredText(2000) }),
    z.strictObject({ method: z.enum(PROCUREMENT_METHODS_REASON_OPTIONAL), reason: optionalText(2000) }),
  ]);

/**
 * Fields a command's schema keeps optional so that signals recorded before they existed replay, but
 * that new input must carry: required in the HTTP body (api/routes/commands.ts) and, for projects
 * started after the patch that introduced them (REQUIRED_SINCE), by the core (Project.run).
 */
export const REQUIRED_FOR_NEW_INPUT = {
  contract: ['procurement'], // Art. 13 (measures)
  evaluation: ['dataStoredOnPlatform'], // Art. 19 (measures): 落盘 beside sharing
} as const;

/** The state flag of the patch since which the core requires each command's REQUIRED_FOR_NEW_INPUT fields. */
export const REQUIRED_SINCE: Record<keyof typeof REQUIRED_FOR_NEW_INPUT, 'measuresRecords' | 'secondReading'> = {
  contract: 'measuresRecords', // patch measures-records
  evaluation: 'secondReading', // patch measures-second-reading
};

// -------------------------------------------------------------------------------------------------

/** Art. 7: the five items of the BDB's technical review. */
export const TECHNICAL_REVIEW_ITEMS = [
  'resourceCatalog',
  'dataSharing',
  'intensiveConstruction',
  'cloudDeployment',
  'securityControllable',
] as const;

/**
 * The request body of each command, exactly the fields of docs/API.md "Commands" (unknown fields refused).
 * One definition: the API validates HTTP bodies with it, the OpenAPI document shows it, and the
 * workflow checks every Update and signal with it (`COMMAND_SCHEMAS`).
 */
export const COMMAND_BODIES = lazily('body', {
  technicalReview: () =>
    z.strictObject({
      decision: z.enum(['pass', 'revise', 'reject']),
      opinion: optionalText(),
      checklist: z.strictObject(
        Object.fromEntries(TECHNICAL_REVIEW_ITEMS.map((k) => [k, z.boolean()])) as Record<
          (typeof TECHNICAL_REVIEW_ITEMS)[number],
          z.ZodBoolean
        >,
      ),
      /** Art. 9 (measures): the grounds the BDB cites with revise or reject (e.g. 变相包装); none with pass (400). */
      grounds: z.array(z.enum(ART9_GROUNDS)).min(1).max(ART9_GROUNDS.length).optional().meta({
        description:
          'Art. 9 (measures): the grounds cited with revise or reject — against-sharing-policy, no-interconnection, disguised-packaging (变相包装); none with pass (400)',
      }),
    }),
  resubmission: () =>
    z.strictObject({
      documents: applicationDocuments(),
      note: optionalText(),
      documentIds: applicationDocumentIds().optional(),
    }),
  establishment: () =>
    z.strictObject({
      decision: z.enum(['approve', 'reject']),
      approvalNo: optionalText(64),
      opinion: optionalText(),
      /**
       * Art. 8, 10 (measures): the approved estimate (批复概算), which may be lower than the department's
       * 投资概算: the cap of construction money. Required when approving projects applied for since the
       * second reading (the core refuses with 400); approvals of projects from before may leave it out.
       */
      approvedEstimateFen: positiveFen.optional().meta({
        description:
          "Art. 8, 10 (measures): the approved estimate (批复概算) in fen, which may be lower than the department's 投资概算; the cap of construction money. Required when approving a project applied for since the second reading of the measures (400 otherwise)",
      }),
    }),
  budget: () =>
    z.strictObject({
      fundType: z.enum(FUND_TYPES),
      year,
      amountFen: positiveFen,
      cityShareFen: fen,
      countyShareFen: fen,
    }),
  /** `allocationId`: which allocation under publicity the objection is about; by default the latest. */
  publicityObjection: () => z.strictObject({ summary: requiredText(), allocationId: entityId.optional() }),
  publicityObjectionResolution: () => z.strictObject({ upheld: z.boolean(), note: optionalText() }),
  contract: () =>
    z.strictObject({
      contractNo,
      contractor: requiredText(200),
      amountFen: positiveFen,
      signedOn: calendarDate,
      documentRef: documentRef.optional(),
      /** The filed document of the document store; the API then sets documentRef to its `sm3:<hex>`. */
      documentId: documentId.optional(),
      /** Art. 13 (measures): required for new input (REQUIRED_FOR_NEW_INPUT). */
      procurement: procurement().optional(),
      /** Art. 14 (measures): the supervising firm (工程监理单位) of the works, where there is one. */
      supervisor: requiredText(200).optional().meta({
        description: 'Art. 14 (measures): the supervising firm (工程监理单位) of the works, where there is one',
      }),
    }),
  contractFiling: () => z.strictObject({ documentRef, documentId: documentId.optional() }),
  progressReport: () =>
    z.strictObject({ period, spentFen: fen, progressPercent: z.number().min(0).max(100), summary: optionalText() }),
  disbursement: () => z.strictObject({ fundType: z.enum(FUND_TYPES), amountFen: positiveFen, note: optionalText() }),
  changeRequest: () =>
    z.strictObject({
      kind: z.enum(CHANGE_KINDS),
      description: requiredText(),
      budgetDeltaFen: z.number().int('must be integer fen').min(-1_000_000_000_000).max(1_000_000_000_000).optional(),
      newPlannedCompletionDate: calendarDate.optional(),
    }),
  changeRequestDecision: () => z.strictObject({ decision: z.enum(['approve', 'reject']), opinion: optionalText() }),
  rectificationOrder: () =>
    z.strictObject({
      reason: z.enum(RECTIFICATION_REASONS),
      description: requiredText(),
      dueOn: calendarDate.optional(),
    }),
  /** Art. 22: `documentId`: the evidence as an uploaded document (the API sets evidenceRef to its `sm3:<hex>`). */
  rectificationResponse: () =>
    z.strictObject({ description: requiredText(), evidenceRef: documentRef, documentId: documentId.optional() }),
  rectificationReview: () => z.strictObject({ decision: z.enum(['accept', 'reject']), opinion: optionalText() }),
  rectificationExtension: () => z.strictObject({ dueOn: calendarDate, reason: requiredText() }),
  termination: () => z.strictObject({ reason: requiredText() }),
  withdrawal: () => z.strictObject({ reason: requiredText() }),
  catalogEntries: () =>
    z.strictObject({
      entries: z
        .array(
          z.strictObject({
            code: requiredText(64),
            name: requiredText(200),
            sharingType: z.enum(SHARING_TYPES),
            updateCycle: requiredText(64),
          }),
        )
        .min(1)
        .max(500)
        .refine((entries) => new Set(entries.map((e) => e.code)).size === entries.length, {
          message: 'has duplicate codes',
        }),
    }),
  preliminaryAcceptance: () =>
    z.strictObject({ reportRef: documentRef, completedOn: calendarDate, documentId: documentId.optional() }),
  technicalAcceptance: () =>
    z.strictObject({
      decision: z.enum(['pass', 'fail']),
      opinion: optionalText(),
      securityControllable: z.boolean(),
      /** 等级保护 level 1-5 (Art. 28). */
      mlpsLevel: z.number().int().min(1).max(5),
      cryptoAssessmentPassed: z.boolean(),
    }),
  completionAcceptance: () => z.strictObject({ decision: z.enum(['pass', 'fail']), opinion: optionalText() }),
  completionReport: () => z.strictObject({ reportRef: documentRef, documentId: documentId.optional() }),
  omReview: () => z.strictObject({ year, approvedFen: fen, opinion: optionalText() }),
  evaluation: () =>
    z.strictObject({
      year,
      fundUseScore: score,
      outputScore: score,
      effectScore: score,
      satisfactionScore: score,
      sharingCompliant: z.boolean(),
      /** Art. 19 (measures): the data are stored on the platform (落盘); required for new input (REQUIRED_FOR_NEW_INPUT). */
      dataStoredOnPlatform: z.boolean().optional().meta({
        description:
          'Art. 19 (measures): the data are stored on the platform (落盘); false is an Art. 9 sharing failure (no O&M money)',
      }),
      summary: optionalText(),
    }),
  securityIncident: () =>
    z.strictObject({
      occurredAt: instant,
      severity: z.enum(INCIDENT_SEVERITIES),
      description: requiredText(),
      handling: requiredText(),
      /**
       * Art. 29: to whom (有关部门) and when the incident was reported. Required for projects under
       * the Art. 28-29 records (the core checks it: older runs' signals replay without them).
       */
      reportedTo: requiredText(500).optional(),
      reportedAt: instant.optional(),
    }),
  securityDrill: () => z.strictObject({ heldOn: calendarDate, scenario: requiredText(500), summary: optionalText() }),
  decommission: () => z.strictObject({ reason: requiredText() }),
  /** Art. 22: the department states why the acceptance is delayed (only a delay without good reason is a ground). */
  acceptanceDelayReason: () => z.strictObject({ reason: requiredText() }),
  /** Art. 22: the BDB accepts the reason (no order for the delay) or rejects it (it may order rectification). */
  acceptanceDelayReasonDecision: () =>
    z.strictObject({ decision: z.enum(['accept', 'reject']), opinion: optionalText() }),
  /** Art. 22: a referral for accountability (追究责任) after a serious loss of funds, with its reference. */
  accountabilityReferral: () => z.strictObject({ reference: requiredText(200), description: requiredText() }),
  /** Art. 14 (measures): the department names a new 项目负责人 (the change is audited before/after). */
  leaderChange: () => projectLeader(),
  /** Art. 17 (measures): a related unit's opinion on a change request (征求相关单位意见). */
  changeRequestOpinion: () => z.strictObject({ opinion: requiredText(), agrees: z.boolean().optional() }),
  /** docs/MEASURES.md "Working days": internal, sent by PUT /v1/calendar/:year (no command route). */
  deadlineRescheduling: deadlineReschedulingBody,
  /**
   * Art. 11: the BDB's allocation plan (拟分配计划) lists this held allocation: its notice period
   * starts. Internal, sent by POST /v1/allocation-plans (no command route).
   */
  allocationPublication: () => z.strictObject({ planId: entityId, allocationId: entityId }),
  // --- Art. 28-29 -------------------------------------------------------------------
  /** Art. 28 (measures): the joint risk assessment of the department with the BDB; before technical acceptance under the policy switch riskAssessmentBeforeTechnicalAcceptance (on by default). */
  riskAssessment: () =>
    z.strictObject({
      assessedOn: calendarDate,
      result: requiredText(2000),
      documentRef,
      /** The filed document of the document store; the API then sets documentRef to its `sm3:<hex>`. */
      documentId: documentId.optional(),
      bdbParticipant: requiredText(200),
    }),
  /** Art. 29 (measures): the emergency plan made with the contractor; a gate on the completion report only under the policy switch emergencyPlanBeforeCompletionReport (off by default). */
  emergencyPlan: () =>
    z.strictObject({
      adoptedOn: calendarDate,
      documentRef,
      documentId: documentId.optional(),
      contractor: requiredText(200),
    }),
  /**
   * Art. 12 (measures): the county's finance confirms the county share of an allocation of a co-built
   * project (列入同级财政预算); `budgetRef`: the county budget document, if any.
   */
  countyShareConfirmation: () => z.strictObject({ allocationId: entityId, budgetRef: optionalText(200) }),
});

/** Commands the system sends itself: no HTTP command route (api/routes/commands.ts). */
export const INTERNAL_COMMANDS = [
  'deadlineRescheduling',
  'allocationPublication',
] as const satisfies readonly (keyof typeof COMMAND_BODIES)[];
export type InternalCommand = (typeof INTERNAL_COMMANDS)[number];

export type CommandName = keyof typeof COMMAND_BODIES;

/**
 * Path parameters of docs/API.md "Commands" (`:oid`, `:contractNo`, `:cid`, `:rid`) that become payload
 * fields of the command.
 */
export const COMMAND_PATH_FIELDS = {
  publicityObjectionResolution: { oid: entityId },
  contractFiling: { contractNo },
  changeRequestDecision: { cid: entityId },
  rectificationResponse: { rid: entityId },
  rectificationReview: { rid: entityId },
  rectificationExtension: { rid: entityId },
  changeRequestOpinion: { cid: entityId },
} satisfies Partial<Record<CommandName, Record<string, z.ZodType>>>;

type PathFields<K extends CommandName> = K extends keyof typeof COMMAND_PATH_FIELDS
  ? (typeof COMMAND_PATH_FIELDS)[K]
  : Record<never, never>;

/** The whole payload of each command: its body plus its path fields (what Updates and signals carry). */
export const COMMAND_SCHEMAS = lazily(
  'payload',
  Object.fromEntries(
    (Object.keys(COMMAND_BODIES) as CommandName[]).map((name) => [
      name,
      () => {
        const pathFields = (COMMAND_PATH_FIELDS as Record<string, Record<string, z.ZodType>>)[name];
        return pathFields ? COMMAND_BODIES[name].extend(pathFields) : COMMAND_BODIES[name];
      },
    ]),
  ),
) as { readonly [K in CommandName]: z.ZodObject<(typeof COMMAND_BODIES)[K]['shape'] & PathFields<K>, z.core.$strict> };

/** A command's payload after validation (defaults applied, text trimmed). */
export type CommandPayloads = { [K in CommandName]: z.output<(typeof COMMAND_SCHEMAS)[K]> };

/** A command's payload as a client sends it (optional texts may be absent). */
export type CommandInputs = { [K in CommandName]: z.input<(typeof COMMAND_SCHEMAS)[K]> };

export type Command = { [K in CommandName]: { name: K; payload: CommandPayloads[K] } }[CommandName];

/** Each command and the role(s) docs/API.md "Commands" gives it; `admin` makes no business decisions. */
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
  acceptanceDelayReason: ['department'],
  acceptanceDelayReasonDecision: ['bdb'],
  accountabilityReferral: ['bdb'],
  leaderChange: ['department'],
  changeRequestOpinion: ['approval', 'finance'],
  deadlineRescheduling: ['sysadmin', 'admin'],
  allocationPublication: ['bdb'],
  // Art. 12: only the finance of the project's county (checked against the actor's jurisdiction).
  countyShareConfirmation: ['finance'],
  // Art. 28-29: the department records them (own projects only, Project.run).
  riskAssessment: ['department'],
  emergencyPlan: ['department'],
} as const satisfies Record<CommandName, readonly Role[]>;

export const COMMAND_NAMES = Object.keys(COMMAND_ROLES) as CommandName[];

/** The name of each command on the audit trail and in the decisions (`action`), kebab-case. */
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
  acceptanceDelayReason: 'acceptance-delay-reason',
  acceptanceDelayReasonDecision: 'acceptance-delay-reason-decision',
  accountabilityReferral: 'accountability-referral',
  leaderChange: 'leader-change',
  changeRequestOpinion: 'change-request-opinion',
  deadlineRescheduling: 'deadline-rescheduling',
  allocationPublication: 'allocation-publication',
  countyShareConfirmation: 'county-share-confirmation',
  riskAssessment: 'risk-assessment',
  emergencyPlan: 'emergency-plan',
};
