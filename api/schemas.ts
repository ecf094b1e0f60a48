/** Request and response schemas shared by the routes (docs/API.md "Conventions"). Unknown fields are rejected. */
import { z } from '@hono/zod-openapi';
import { ASSIGNABLE_ROLES } from '../domain/admin-roles.ts';
import { ACCOUNT_EVENT_OUTCOMES, ACCOUNT_EVENTS } from '../domain/accounts.ts';
import { LIGHTS } from '../domain/inbox.ts';
import { APPLICATION_DOCUMENT_KINDS, applicationDocumentIds } from '../domain/commands.ts';
import { calendarDate, documentRef, fen, optionalText, requiredText as text, storableString } from '../domain/text.ts';
import { projectLeader } from '../domain/commands.ts';
import {
  ALLOCATION_STATUSES,
  APPLICATION_KINDS,
  ART9_GROUNDS,
  CHANGE_KINDS,
  CONSULTED_ROLES,
  FUND_BUCKETS,
  FUND_TYPES,
  INCIDENT_SEVERITIES,
  MOVEMENT_KINDS,
  PROCUREMENT_METHODS,
  PROJECT_KINDS,
  RECTIFICATION_REASONS,
  ROLES,
  SHARING_TYPES,
  STAGES,
  DEFAULT_POLICY_SWITCHES,
  type PolicySwitches,
  type ProjectView,
} from '../domain/types.ts';

/** The primitives are the domain's (domain/text.ts): one definition for the API and the workflow. */
export { calendarDate, CALENDAR_DATE_RANGE, documentRef, fen, optionalText, positiveFen, requiredText as text, storableString } from '../domain/text.ts';

/** Jurisdiction: `city` or a county code (Art. 5, 30). */
export const jurisdiction = z.string().regex(/^(city|[a-z0-9-]{2,32})$/, 'must be `city` or a county code');

export const departmentCode = z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, 'must be a department code (2-64 letters, digits, - or _)');

/** A yes/no query filter (`?overdue=true`), and its value for a query: undefined when not given. */
export const booleanFilter = z.enum(['true', 'false']);
export const booleanOf = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

export const projectId = z
  .string()
  .regex(/^[A-Z0-9-]{4,40}$/, 'is not a project id')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'JC2026-7F3K9Q2M' });

/**
 * Art. 8 over HTTP: each of the four application documents either as an uploaded document
 * (`documentIds.<kind>`, issue 18: the API files it as `sm3:<hex>`) or — legacy — a free reference in
 * `documents.<kind>`; exactly one of the two per document.
 */
export const httpApplicationDocuments = {
  documents: z
    .strictObject(Object.fromEntries(APPLICATION_DOCUMENT_KINDS.map((k) => [k, documentRef.optional()])) as Record<(typeof APPLICATION_DOCUMENT_KINDS)[number], z.ZodOptional<typeof documentRef>>)
    .default({})
    .openapi({ description: 'Legacy free references (a URL or content hash); send documentIds (uploaded documents) instead' }),
  documentIds: applicationDocumentIds().optional().openapi({ description: 'Art. 8: the uploaded documents (POST /v1/documents) of the application, by kind' }),
};

/** Exactly one of `documents.<kind>` and `documentIds.<kind>` for each of the four documents. */
export const oneReferencePerDocument = (body: { documents: Record<string, string | undefined>; documentIds?: Record<string, string | undefined> | undefined }, ctx: z.RefinementCtx) => {
  for (const kind of APPLICATION_DOCUMENT_KINDS) {
    if ((body.documents[kind] === undefined) === (body.documentIds?.[kind] === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['documentIds', kind], message: `send documentIds.${kind} (an uploaded document) or documents.${kind} (legacy free text), exactly one` });
    }
  }
};

export const createProjectBody = z
  .strictObject({
    title: text(200),
    summary: optionalText(4000),
    // Art. 6: applications are new construction of the annual plan; existing systems (kind
    // `existing`, Art. 21) are registered through POST /v1/existing-systems instead.
    kind: z.enum(APPLICATION_KINDS),
    /** Art. 5, 12, 30: the key's jurisdiction; optional, and any other → 422 jurisdiction_mismatch. */
    jurisdiction: jurisdiction.optional(),
    year: z.number().int().min(2019).max(2100),
    annualPlanItem: text(64),
    estimate: z
      .strictObject({ totalFen: fen, cityShareFen: fen, countyShareFen: fen })
      .refine((e) => e.cityShareFen + e.countyShareFen === e.totalFen, {
        message: 'cityShareFen + countyShareFen must equal totalFen (Art. 12)',
      })
      .openapi({ description: 'Art. 12: `cityShareFen + countyShareFen` must equal `totalFen` (checked by the API; 400 otherwise).' }),
    plannedCompletionDate: calendarDate,
    ...httpApplicationDocuments,
    classified: z.boolean(),
    /** Art. 14 (measures): the 项目负责人, required for new applications. */
    leader: projectLeader().openapi('ProjectLeader', { description: 'Art. 14 (measures): 项目负责人 — name, post (职务) and contact.' }),
  })
  .superRefine(oneReferencePerDocument)
  .openapi('CreateProject');

/** An amount in a response: integer fen (totals may exceed what one request may carry). */
const amount = z.number().int();
const fundBalance = z.object({
  allocatedFen: amount,
  heldFen: amount,
  availableFen: amount,
  frozenFen: amount,
  disbursedFen: amount,
  cancelledFen: amount,
});
const nullableText = z.string().nullable();
const by = { at: z.string(), by: z.string() };
const durationSchema = z.object({ unit: z.enum(['workingDays', 'calendarDays']), amount: z.number().int() });

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

// --- Art. 23, 28-29 (issue 15): the ProjectView's risk assessments, emergency plans, prior evaluations ---

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
 * docs/API.md "ProjectView", every field (domain/types.ts ProjectView; `satisfies` below keeps the
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
  estimate: z.object({ totalFen: amount, cityShareFen: amount, countyShareFen: amount }).openapi({ description: "Art. 8: the department's 投资概算 (investment estimate) of the application" }),
  approvedEstimateFen: amount.nullable().openapi({
    description: "Art. 8, 10 (measures): the approved estimate (批复概算) the approval bureau stated at establishment, the cap of construction money; null before the approval (and for approvals from before it was asked: the cap is then the 投资概算)",
  }),
  stage: z.enum(STAGES),
  createdAt: z.string(),
  policy: z.object({
    jurisdiction: z.string(),
    version: z.number().int(),
    switches: z.object(Object.fromEntries(Object.keys(DEFAULT_POLICY_SWITCHES).map((k) => [k, z.boolean()])) as Record<keyof PolicySwitches, z.ZodBoolean>),
  }),
  plannedCompletionDate: z.string(),
  documents: z.object({ proposal: z.string(), feasibilityStudy: z.string(), preliminaryDesign: z.string(), investmentEstimate: z.string() }),
  documentIds: z.object(Object.fromEntries(APPLICATION_DOCUMENT_KINDS.map((k) => [k, z.string().optional()]))).optional(),
  pendingActions: z.array(
    z.object({
      role: z.enum(ROLES),
      action: z.string(),
      ref: z.string().optional(),
      dueAt: z.string().optional(),
      overdue: z.boolean(),
      basis: z.literal('policy').optional().openapi({ description: '`policy` when a local policy setting, not the text, asks for it now (e.g. Art. 28: the risk assessment before technical acceptance)' }),
    }),
  ),
  deadlines: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      ref: z.string().optional(),
      startsAt: z.string(),
      dueAt: z.string(),
      dueOn: z.string().openapi({ description: 'The last day of the period (Asia/Shanghai YYYY-MM-DD); `dueAt` is the instant that day ends' }),
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
        .object({ jurisdiction: z.string(), confirmedAt: nullableText, confirmedBy: nullableText, budgetRef: nullableText })
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
      checklist: z.object({ resourceCatalog: z.boolean(), dataSharing: z.boolean(), intensiveConstruction: z.boolean(), cloudDeployment: z.boolean(), securityControllable: z.boolean() }),
      grounds: z.array(z.enum(ART9_GROUNDS)).openapi({ description: 'Art. 9 (measures): the grounds the BDB cited with revise or reject (e.g. `disguised-packaging` 变相包装); empty when none' }),
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
      supervisor: nullableText.openapi({ description: 'Art. 14 (measures): the supervising firm (工程监理单位), where there is one' }),
    }),
  ),
  progressReports: z.array(
    z.object({ period: z.string(), spentFen: amount, progressPercent: z.number(), summary: z.string(), reportedAt: z.string(), reportedBy: z.string(), late: z.boolean() }),
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
    z.object({ code: z.string(), name: z.string(), sharingType: z.enum(SHARING_TYPES), updateCycle: z.string(), registeredAt: z.string(), registeredBy: z.string() }),
  ),
  acceptance: z.object({
    preliminary: z.object({ reportRef: z.string(), documentId: z.string().optional(), completedOn: z.string(), ...by }).nullable(),
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
  completionReport: z.object({ reportRef: z.string(), documentId: z.string().optional(), filedAt: z.string(), filedBy: z.string(), late: z.boolean() }).nullable(),
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
      dataStoredOnPlatform: z.boolean().nullable().openapi({ description: 'Art. 19 (measures): the data are stored on the platform (落盘); false is an Art. 9 sharing failure; null in evaluations from before it was asked' }),
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
      reportedTo: z.string().optional().openapi({ description: 'Art. 29: to whom the incident was reported (absent in records from before it was asked)' }),
      recordedAt: z.string().optional(),
    }),
  ),
  drills: z.array(z.object({ id: z.string(), heldOn: z.string(), scenario: z.string(), summary: z.string(), recordedAt: z.string(), recordedBy: z.string() })),
  violations: z.array(z.object({ kind: z.string(), article: z.string(), at: z.string(), detail: z.string(), basis: z.enum(['measures', 'policy']) })),
  decisions: z.array(
    z.object({
      action: z.string(),
      role: z.enum(ROLES),
      by: z.string(),
      at: z.string(),
      accountId: z.string().optional().openapi({ description: 'Art. 22, 24-25: the personal account that decided (absent for API keys)' }),
      organization: z.string().optional().openapi({ description: "The person's organisation: role, then `/department` or `@jurisdiction`" }),
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
  accountabilityReferrals: z.array(z.object({ id: z.string(), reference: z.string(), description: z.string(), recordedAt: z.string(), recordedBy: z.string() })),
  leader: leaderView.nullable(),
  leaderChanges: z.array(z.object({ before: leaderView.nullable(), after: leaderView, ...by })),
  ...riskAndEmergencyViewFields,
});

/** Compile-time: the schema describes exactly what the core's ProjectView holds. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const viewSchemaMatchesCore: Same<z.output<typeof projectViewShape>, ProjectView> = true;
void viewSchemaMatchesCore;

export const projectView = projectViewShape.openapi('ProjectView');

export const createApiKeyBody = z
  .strictObject({
    /** 三员分立 (policy): `admin` is the start-up key's alone (domain/admin-roles.ts). */
    role: z.enum(ASSIGNABLE_ROLES),
    name: text(200),
    department: departmentCode.optional(),
    /** Art. 5, 12, 30 (measures): the jurisdiction the key acts for (default `city`; 422 when not in the registry). */
    jurisdiction: jurisdiction.optional(),
  })
  .refine((b) => (b.role === 'department') === (b.department !== undefined), {
    message: 'department is required for role `department` and not allowed for other roles',
    path: ['department'],
  })
  .openapi('CreateApiKey', {
    description:
      '`department` is required when `role` is `department` and must be absent for every other role (checked by the API; 400 otherwise). ' +
      '`jurisdiction` (Art. 5, 12, 30): a code of GET /v1/admin/jurisdictions, default `city`; an unknown code → 422 `unknown_jurisdiction`.',
  });

export const apiKeyInfo = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    department: z.string().nullable(),
    jurisdiction: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

// ---------------------------------------------------------------------------------------------
// Personal accounts and sign-in (issue 16; api/routes/auth.ts, api/routes/admin-accounts.ts)
// ---------------------------------------------------------------------------------------------

/** A login name: 3-64 lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export const loginName = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'must be 3-64 lower-case letters, digits, ., _ or -');

export const createAccountBody = z
  .strictObject({
    loginName,
    displayName: text(100),
    /** 三员分立 (policy): `admin` is the start-up key's alone (domain/admin-roles.ts). */
    role: z.enum(ASSIGNABLE_ROLES),
    department: departmentCode.optional(),
    jurisdiction: jurisdiction.optional(),
    phone: z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'must be a phone number (digits, spaces, -, optional leading +)').optional(),
  })
  .refine((b) => (b.role === 'department') === (b.department !== undefined), {
    message: 'department is required for role `department` and not allowed for other roles',
    path: ['department'],
  })
  .openapi('CreateAccount', {
    description: 'As for API keys, `department` is required when `role` is `department` and must be absent otherwise. `jurisdiction` names a county (finance of a county, Art. 12) or `city`.',
  });

export const accountInfo = z
  .object({
    id: z.string(),
    loginName: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    department: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    phone: z.string().nullable(),
    organization: z.string().openapi({ description: 'Role, then `/department` or `@jurisdiction`: what the audit trail records beside the name' }),
    totpEnabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastSignInAt: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Account');

export const totpEnrolment = z
  .object({
    secret: z.string().openapi({ description: 'Base32 secret (HMAC-SHA1, 6 digits, 30 s), for entering by hand' }),
    otpauthUrl: z.string().openapi({ description: '`otpauth://totp/…` URI for an authenticator app (QR code)' }),
  })
  .openapi('TotpEnrolment');

export const createdAccount = accountInfo
  .extend({
    initialPassword: z.string().openapi({ description: 'One-time initial password, shown once; it must be changed at the first sign-in' }),
    totpEnrolment: z.union([totpEnrolment, z.null()]).openapi({ description: 'For role admin: the authenticator secret; the first sign-in needs one of its codes (and so confirms it)' }),
  })
  .openapi('CreatedAccount');

/** Art. 24-25, 28; GB/T 39786 logs: one entry of the accounts' security trail (db/schema.ts account_events). */
export const accountEvent = z
  .object({
    seq: z.number().int().openapi({ description: 'Position in the one SM3 hash chain of the whole trail (1, 2, 3…)' }),
    at: z.string(),
    event: z.enum(ACCOUNT_EVENTS),
    outcome: z.enum(ACCOUNT_EVENT_OUTCOMES).openapi({ description: '`refused`: a sign-in while the login name was locked (not counted as a failure)' }),
    accountId: z.string().nullable(),
    loginName: z.string(),
    actor: z.string().nullable().openapi({ description: 'Who acted: `account:<id>` (the person), an API key id, `cli:<user>`' }),
    actorName: z.string().nullable(),
    ip: z.string().nullable().openapi({ description: "The client's address as the API's socket saw it" }),
    userAgent: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).openapi({ description: 'e.g. `reason` of a failure, `sessionsEnded`, `lockedUntil`' }),
    hash: z.string().openapi({ description: 'SM3(previous hash ‖ "\\n" ‖ canonical JSON of the entry), hex' }),
  })
  .openapi('AccountEvent');

export const accountEventList = z
  .object({
    items: z.array(accountEvent),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('AccountEventList');

export const loginBody = z
  .strictObject({
    loginName: storableString().min(1).max(64).openapi({ description: 'Compared in lower case' }),
    password: storableString().min(1).max(1024),
    totp: z.string().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
  })
  .openapi('Login');

export const authSession = z
  .object({
    account: accountInfo,
    csrfToken: z.string().openapi({ description: 'Send as `X-CSRF-Token` on every write made with the session cookie' }),
    mustChangePassword: z.boolean(),
  })
  .openapi('AuthSession');

export const logoutBody = z.strictObject({ everywhere: z.boolean().optional() }).openapi('Logout');

export const changePasswordBody = z
  .strictObject({ currentPassword: storableString().min(1).max(1024), newPassword: storableString().min(1).max(1024) })
  .openapi('ChangePassword');

export const totpBody = z
  .strictObject({
    code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
    password: storableString().min(1).max(1024).optional(),
    currentCode: z.string().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
  })
  .refine((b) => (b.code === undefined) !== (b.password === undefined && b.currentCode === undefined), {
    message: 'send {password, currentCode?} to start an enrolment, or {code} to confirm it',
    path: ['code'],
  })
  .openapi('TotpStep', {
    description:
      '`{password}` starts an enrolment (answers the secret) — with `currentCode`, a current code of the authenticator in force, when one is; `{code}` confirms it with a code of the new secret.',
  });

// ---------------------------------------------------------------------------------------------
// Reads, annual plans and the calendar (api/routes/projects.ts, history.ts, ledger.ts, inbox.ts, funds.ts,
// public.ts, plans.ts, calendar.ts)
// ---------------------------------------------------------------------------------------------

export const fundBalanceSchema = fundBalance.openapi('FundBalance');

const fundsOfProject = z.object({ suspended: z.boolean(), construction: fundBalanceSchema, om: fundBalanceSchema });
const pendingAction = z
  .object({
    role: z.enum(ROLES),
    action: z.string(),
    /** The entity the action is about: a contract number, a change request or rectification id, a period. */
    ref: z.string().optional(),
    dueAt: z.string().optional(),
    overdue: z.boolean(),
    basis: z.literal('policy').optional(),
  })
  .openapi('PendingAction');
const instant = z.string().openapi({ format: 'date-time', example: '2026-03-02T08:00:00.000Z' });

/** A row of GET /v1/projects: the read model's columns plus the view's funds. */
export const projectSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    department: z.string(),
    jurisdiction: z.string(),
    kind: z.string(),
    year: z.number().int(),
    stage: z.enum(STAGES),
    pendingActions: z.array(pendingAction),
    nextDeadline: instant.nullable(),
    overdue: z.boolean(),
    fundsSuspended: z.boolean(),
    funds: fundsOfProject,
    createdAt: instant,
    updatedAt: instant,
  })
  .openapi('ProjectSummary');

/** Art. 21: an existing system (原有信息化项目) registered for O&M budgeting (POST /v1/existing-systems). */
export const existingSystemBody = z
  .strictObject({
    name: text(200),
    summary: optionalText(4000),
    /** The year the system went live; before the measures (2019) is normal for an existing system. */
    goLiveYear: z.number().int('must be a year').min(1949, 'must be 1949 or later').max(2100, 'must be 2100 or earlier'),
    jurisdiction: jurisdiction.optional(),
  })
  .openapi('RegisterExistingSystem');

export const projectList = z
  .object({
    items: z.array(projectSummary),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('ProjectList');

/** Art. 24-25: one entry of a project's append-only, SM3 hash-chained audit trail. */
export const auditEntry = z
  .object({
    seq: z.number().int(),
    at: instant,
    action: z.string(),
    actor: z.object({
      keyId: z.string(),
      role: z.string(),
      department: z.string().nullable(),
      name: z.string(),
      accountId: z.string().nullable().openapi({ description: 'Art. 22, 24-25: the personal account that acted; null for API keys' }),
      organization: z.string().nullable(),
    }),
    detail: z.unknown(),
    hash: z.string(),
    prevHash: z.string(),
  })
  .openapi('AuditEntry');

export const projectHistory = z.object({ projectId: z.string(), items: z.array(auditEntry) }).openapi('ProjectHistory');

const fundType = z.enum(FUND_TYPES);
const fundBucket = z.enum(FUND_BUCKETS);

export const fundMovement = z
  .object({
    id: z.number().int(),
    idempotencyKey: z.string(),
    projectId: z.string(),
    fundType,
    kind: z.enum(MOVEMENT_KINDS),
    amountFen: fen,
    fromBucket: fundBucket.nullable(),
    toBucket: fundBucket,
    cityShareFen: fen.nullable(),
    countyShareFen: fen.nullable(),
    year: z.number().int().nullable(),
    reason: z.string(),
    article: z.string().nullable(),
    actorKeyId: z.string(),
    actorRole: z.string(),
    actorDepartment: z.string().nullable(),
    actorName: z.string(),
    actorAccountId: z.string().nullable().openapi({ description: 'Art. 22, 24-25: the personal account behind the movement; null for API keys' }),
    actorOrganization: z.string().nullable(),
    at: instant,
    recordedAt: instant,
  })
  .openapi('FundMovement');

export const projectLedger = z
  .object({
    projectId: z.string(),
    movements: z.array(fundMovement),
    balances: z.object({ construction: fundBalanceSchema, om: fundBalanceSchema }),
  })
  .openapi('ProjectLedger');

/** 待办's traffic light (domain/inbox.ts): null for an item without a due date. */
const light = z
  .enum(LIGHTS)
  .nullable()
  .openapi({ description: 'red: overdue or past due; yellow: due within 3 working days (the working-day calendar); green: later; null: no due date.' });

export const inboxItem = z
  .object({
    projectId: z.string(),
    title: z.string(),
    department: z.string(),
    role: z.enum(ROLES),
    action: z.string(),
    /** The entity the action is about (contract number, rectification id, period, …), when there is one. */
    ref: z.string().optional(),
    dueAt: instant.nullable(),
    overdue: z.boolean(),
    light,
    /** `policy` when a local policy setting, not the text, asks for it now (e.g. Art. 28's order). */
    basis: z.literal('policy').optional(),
  })
  .openapi('InboxItem');

export const notificationItem = z
  .object({
    id: z.number().int(),
    projectId: z.string(),
    kind: z.string(),
    detail: z.string(),
    dueAt: instant.nullable(),
    /** docs/MEASURES.md "Two kinds of rule": the text's own rule or a policy setting produced it. */
    basis: z.enum(['measures', 'policy']),
    createdAt: instant,
    light,
    /** When the caller marked it read (each person marks a notice for themselves); null: unread. */
    readAt: instant.nullable(),
  })
  .openapi('Notification');

export const inboxCounts = z
  .object({
    total: z.number().int(),
    red: z.number().int(),
    yellow: z.number().int(),
    green: z.number().int(),
    none: z.number().int().openapi({ description: 'Pending actions without a due date' }),
  })
  .openapi('InboxCounts', { description: "All the caller's pending actions per traffic light, counted by the database (whatever page or `light` filter)." });

export const inbox = z
  .object({
    items: z.array(inboxItem),
    nextCursor: z.string().nullable().openapi({ description: 'The `cursor` of the next page; null on the last.' }),
    counts: inboxCounts,
    thresholds: z
      .object({ now: instant, dueSoonUntil: instant })
      .openapi({ description: 'The instants the lights were decided against: yellow up to `dueSoonUntil` (end of the 3rd working day after today, Asia/Shanghai).' }),
    notifications: z.array(notificationItem),
    unreadCount: z.number().int().openapi({ description: "The caller's unread notifications, all of them (counted by the database)." }),
  })
  .openapi('Inbox');

export const projectFunds = z
  .object({
    projectId: z.string(),
    title: z.string(),
    department: z.string(),
    jurisdiction: z.string(),
    fundsSuspended: z.boolean(),
    construction: fundBalanceSchema,
    om: fundBalanceSchema,
  })
  .openapi('ProjectFunds');

/**
 * A sum of fen over many projects: a JSON integer while it is a safe integer (≤ 2^53 − 1), else a
 * string of decimal digits (exact: summed by PostgreSQL as numeric).
 */
export const totalFen = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d+$/)])
  .openapi({ description: 'Integer fen; a string of decimal digits when the sum exceeds 2^53 − 1 (Number.MAX_SAFE_INTEGER), so it is never rounded.' });

export const fundTotals = z
  .object({
    allocatedFen: totalFen,
    heldFen: totalFen,
    availableFen: totalFen,
    frozenFen: totalFen,
    disbursedFen: totalFen,
    cancelledFen: totalFen,
  })
  .openapi('FundTotals');

export const fundsOverview = z
  .object({
    items: z.array(projectFunds),
    totals: z.object({ construction: fundTotals, om: fundTotals }),
  })
  .openapi('FundsOverview');

export const publicAllocation = z
  .object({
    projectId: z.string(),
    title: z.string(),
    department: z.string(),
    jurisdiction: z.string(),
    /** The names the public reads (the departments and jurisdictions registries; the code when unnamed). */
    departmentName: z.string(),
    jurisdictionName: z.string(),
    fundType,
    year: z.number().int().nullable(),
    amountFen: fen,
    cityShareFen: fen.nullable(),
    countyShareFen: fen.nullable(),
    allocatedAt: instant,
    status: z.enum(['publicity', 'published', 'withdrawn']),
    allocationId: z.string(),
    /** Art. 11: the BDB's allocation plan that published it (null: publicised at allocation, legacy). */
    plan: z.object({ id: z.string(), title: z.string(), year: z.number().int(), publishedAt: instant }).nullable(),
    noticeStartsAt: instant.nullable(),
    noticeDueAt: instant.nullable(),
    publishedAt: instant.nullable(),
  })
  .openapi('PublicAllocation');

export const publicAllocations = z.object({ items: z.array(publicAllocation) }).openapi('PublicAllocations');

/**
 * A year in a path (`/v1/annual-plans/{year}`, `/v1/calendar/{year}`): exactly four digits, 2000-2100.
 * Not z.coerce.number(): Number() would also read `0x7ea`, `2026.0` or ` 2026` as 2026.
 */
export const yearParam = z
  .string()
  .regex(/^\d{4}$/, 'must be a year of four digits')
  .transform(Number)
  .pipe(z.number().int().min(2000, 'must be a year between 2000 and 2100').max(2100, 'must be a year between 2000 and 2100'))
  .openapi({ param: { name: 'year', in: 'path' }, type: 'integer', minimum: 2000, maximum: 2100, example: 2026, description: 'Four digits, 2000-2100.' });

/** Art. 6: the fields of an item of the BDB's annual plan. */
const annualPlanItemFields = {
  code: text(64),
  title: text(200),
  department: departmentCode,
  ceilingFen: fen,
};

/** Art. 6: an item of the BDB's annual plan, as PUT. */
export const annualPlanItemInput = z.strictObject(annualPlanItemFields).openapi('AnnualPlanItemInput');

export const annualPlanBody = z
  .strictObject({ items: z.array(annualPlanItemInput).max(2000) })
  .refine((b) => new Set(b.items.map((i) => i.code)).size === b.items.length, {
    message: 'item codes must be unique within a year',
    path: ['items'],
  })
  .openapi('AnnualPlanInput', { description: 'Item codes must be unique within the body (checked by the API; 400 otherwise).' });

/**
 * An item as stored: one schema with every field. Not `annualPlanItemInput.extend(...)`, which the
 * generator emits as allOf of two closed schemas (additionalProperties: false each) that no stored
 * item can match.
 */
export const annualPlanItem = z
  .object({
    ...annualPlanItemFields,
    updatedAt: instant,
    updatedBy: z.string().nullable(),
    /** The person's (or key's) name people read instead of the `updatedBy` id. */
    updatedByName: z.string().nullable(),
  })
  .openapi('AnnualPlanItem');

/** Art. 6 (measures): a version of a year's plan — the draft, the approved version in force, or an older approved one. */
export const PLAN_VERSION_STATUS = ['draft', 'in-force', 'superseded'] as const;
const planVersionFields = {
  version: z.number().int(),
  status: z.enum(PLAN_VERSION_STATUS),
  /** The city government's approval (Art. 6): its date and document number; null while a draft. */
  approvedOn: z.string().nullable(),
  documentNo: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** The names people read instead of the `approvedBy` and `createdBy` ids (a personal account's name, a key's name). */
  approvedByName: z.string().nullable(),
  createdByName: z.string().nullable(),
};
export const annualPlanVersionInfo = z.object(planVersionFields).openapi('AnnualPlanVersionInfo');

export const annualPlan = z
  .object({
    year: z.number().int(),
    version: z.number().int().nullable(),
    status: z.enum(PLAN_VERSION_STATUS).nullable(),
    approvedOn: z.string().nullable(),
    documentNo: z.string().nullable(),
    approvedAt: z.string().nullable(),
    approvedBy: z.string().nullable(),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    approvedByName: z.string().nullable(),
    createdByName: z.string().nullable(),
    items: z.array(annualPlanItem),
  })
  .openapi('AnnualPlan', {
    description:
      'A version of a year\'s plan (Art. 6) with its items. GET /v1/annual-plans/{year} shows the version in force, or the draft while none is approved ' +
      '(`version` and the other version fields null when the year has no plan at all).',
  });

export const calendarDayInput = z
  .strictObject({ date: calendarDate, workday: z.boolean(), name: optionalText(100) })
  .openapi('CalendarDayInput');

/** A State Council notice's reference, e.g. 国办发明电〔2026〕N号. */
export const noticeReference = text(200).openapi({ example: '国办发明电〔2026〕7号' });

export const calendarBody = z
  .strictObject({
    days: z.array(calendarDayInput).min(1).max(366),
    notice: noticeReference
      .optional()
      .openapi({
        description:
          "With it, `days` is the whole year's State Council notice (holidays and make-up working days): it replaces the " +
          "year's law and notice days (admin overrides stay). Without it, `days` are per-date admin overrides.",
      }),
  })
  .refine((b) => new Set(b.days.map((d) => d.date)).size === b.days.length, {
    message: 'each date may appear once',
    path: ['days'],
  })
  .openapi('CalendarInput', {
    description: 'Each date may appear once, and every date must lie in the `year` of the path (checked by the API; 400 otherwise).',
  });

export const calendarDaySchema = z
  .object({
    date: z.string(),
    workday: z.boolean(),
    name: z.string(),
    source: z.enum(['law', 'notice', 'admin']),
    reference: z.string().optional(),
    provisional: z.boolean(),
  })
  .openapi('CalendarDay');

export const calendarYear = z.object({ year: z.number().int(), days: z.array(calendarDaySchema) }).openapi('CalendarYear');

export const calendarUpdate = calendarYear
  .extend({
    moved: z.number().int().openapi({ description: 'Open deadlines not yet due whose due or reminder date moved' }),
    projects: z.number().int().openapi({ description: 'Projects those deadlines belong to' }),
  })
  .openapi('CalendarUpdate');

const calendarYearStatus = z.object({
  year: z.number().int(),
  notice: z.boolean(),
  provisional: z.boolean(),
  reference: z.string().nullable(),
});

export const calendarStatusSchema = z
  .object({ years: z.array(calendarYearStatus), nextYearReady: z.boolean(), warning: z.string().nullable() })
  .openapi('CalendarStatus');

/**
 * 202 (api/gateway.ts OutcomePending, issue 28): Temporal may have accepted the creation or command,
 * but did not answer its outcome within the API's wait. Not "nothing applied": look at `location`.
 */
export const outcomePending = z
  .object({
    outcome: z.literal('pending'),
    kind: z.enum(['creation', 'command']),
    id: z.string().openapi({ description: 'The project id (the API chose it)' }),
    updateId: z.string().openapi({ description: 'The Temporal update carrying the creation or command' }),
    location: z.string().openapi({ example: '/v1/projects/JC2026-AB12CD34' }),
    detail: z.string(),
  })
  .openapi('OutcomePending');

/** The 202 answer of a creation or command whose outcome is pending (OpenAPI response object). */
export const outcomePendingResponse = {
  description:
    'Sent to Temporal, outcome not known within the wait (e.g. no worker running): it may still apply — look at `Location` after `Retry-After`; resend only with the same Idempotency-Key (never a 503 for a request that may apply)',
  headers: { Location: { description: 'The project', schema: { type: 'string' as const } }, 'Retry-After': { description: 'Seconds', schema: { type: 'integer' as const } } },
  content: { 'application/json': { schema: outcomePending } },
};

/** The administrators' trail (issue 28): one entry, as chained. */
export const adminEvent = z
  .object({
    seq: z.number().int().openapi({ description: 'Position in the one SM3 hash chain of the trail (1, 2, 3…)' }),
    at: z.string(),
    action: z.string().openapi({ example: 'policy.version' }),
    target: z.string(),
    actor: z.string().openapi({ description: 'An API key id, `account:<id>`, `env-admin`' }),
    actorName: z.string().nullable(),
    actorRole: z.string().nullable(),
    ip: z.string().nullable(),
    before: z.unknown().openapi({ description: 'The record before the change (null for a creation); never a secret' }),
    after: z.unknown().openapi({ description: 'The record after the change (null for a removal); never a secret' }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AdminEvent');

export const adminEventList = z
  .object({ items: z.array(adminEvent), nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }) })
  .openapi('AdminEventList');
