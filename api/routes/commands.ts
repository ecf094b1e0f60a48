/**
 * Every command of docs/API.md "Commands" (`POST /v1/projects/:id/...`), generated from one table: the path,
 * the lifecycle command it becomes, the roles that may send it and the body schema. A handler only
 * validates the body, checks the role, sends the command to the project's workflow as a Temporal
 * Update (the Idempotency-Key is the update id) and returns the ProjectView. Whether the command is
 * allowed now — stage, department, money — is the lifecycle core's decision (domain/).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { documentRef } from '../../domain/field-schemas.ts';
import {
  COMMAND_BODIES,
  COMMAND_PATH_FIELDS,
  COMMAND_ROLES,
  REQUIRED_FOR_NEW_INPUT,
  type CommandInputs,
  type CommandName,
  type InternalCommand,
} from '../../domain/commands.ts';
import { requireFinanceJurisdiction, requireRole } from '../auth.ts';
import { projectDepartment } from '../../db/queries/projects.ts';
import type { ProjectGateway } from '../gateway.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { ApiError } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { projectId } from '../schemas/common.ts';
import { projectView } from '../schemas/project-view.ts';
import { httpApplicationDocuments, oneReferencePerDocument, outcomePendingResponse } from '../schemas/projects.ts';
import { fileApplicationDocuments, resolveDocument } from './documents.ts';

/**
 * Commands that file a document (Art. 15, 18, 21) and the payload field its reference goes in. Over
 * HTTP they take `documentId` (an uploaded document, checked here before the command is sent; the
 * payload then carries `<field>: "sm3:<hex>"` and the id) or — legacy, for projects filed before the
 * document store — a free-text reference in `<field>`.
 */
export const FILED_DOCUMENT_FIELDS = {
  contract: 'documentRef',
  contractFiling: 'documentRef',
  preliminaryAcceptance: 'reportRef',
  completionReport: 'reportRef',
  rectificationResponse: 'evidenceRef', // Art. 22
  riskAssessment: 'documentRef', // Art. 28
  emergencyPlan: 'documentRef', // Art. 29
} as const satisfies Partial<Record<CommandName, string>>;

/** The HTTP body of a command: for a filing, the reference is optional when `documentId` names the document. */
function httpBody(command: CommandName): z.ZodType {
  const body = requiredForNewInput(command);
  // Art. 8: the resubmitted application documents, by documentIds or (legacy) free references.
  if (command === 'resubmission')
    return body
      .extend(httpApplicationDocuments)
      .superRefine((b, ctx) => oneReferencePerDocument(b as Parameters<typeof oneReferencePerDocument>[0], ctx));
  const field = (FILED_DOCUMENT_FIELDS as Partial<Record<CommandName, string>>)[command];
  if (!field || command === 'contract') return body;
  return body
    .extend({
      [field]: documentRef
        .optional()
        .openapi({ description: `Legacy free-text reference; send documentId (an uploaded document) instead` }),
    })
    .refine((b: Record<string, unknown>) => (b[field] === undefined) !== (b.documentId === undefined), {
      message: `send documentId (an uploaded document) or ${field} (legacy free text), exactly one`,
      path: ['documentId'],
    });
}

/**
 * A command's body as new input must send it: the fields the core keeps optional for replayed
 * signals (REQUIRED_FOR_NEW_INPUT, e.g. a contract's procurement method, Art. 13) are required.
 */
function requiredForNewInput(command: CommandName): z.ZodObject {
  const body = COMMAND_BODIES[command] as z.ZodObject;
  const fields = (REQUIRED_FOR_NEW_INPUT as Partial<Record<CommandName, readonly string[]>>)[command] ?? [];
  if (fields.length === 0) return body;
  return body.extend(Object.fromEntries(fields.map((f) => [f, (body.shape[f] as z.ZodOptional<z.ZodType>).unwrap()])));
}

/** Path parameters of each command as OpenAPI path parameters (the schemas are domain/commands.ts's). */
const pathParams = (command: CommandName) =>
  Object.fromEntries(
    Object.entries((COMMAND_PATH_FIELDS as Partial<Record<CommandName, Record<string, z.ZodType>>>)[command] ?? {}).map(
      ([name, schema]) => [name, schema.openapi({ param: { name, in: 'path' } })],
    ),
  );

interface CommandRoute {
  /** Internal commands (INTERNAL_COMMANDS) have no route. */
  command: Exclude<CommandName, InternalCommand>;
  /** Path below /v1/projects/{id}. */
  path: string;
  summary: string;
}

/** The command routes (docs/API.md "Commands"): the first contract's commands in its order, then those added since. */
export const COMMAND_ROUTES: CommandRoute[] = [
  { command: 'technicalReview', path: '/technical-review', summary: 'Technical review of the design (Art. 7)' },
  { command: 'resubmission', path: '/resubmission', summary: 'Resubmit after `revise` (Art. 7)' },
  { command: 'establishment', path: '/establishment', summary: 'Establishment approval 审批立项 (Art. 8-9)' },
  {
    command: 'budget',
    path: '/budget',
    summary:
      "Allocate a construction or O&M budget (Art. 10, 12, 21); for a county's project a county share waits for that county's finance (status awaiting-county)",
  },
  {
    command: 'publicityObjection',
    path: '/publicity-objections',
    summary: 'Record an objection during publicity (Art. 11)',
  },
  {
    command: 'publicityObjectionResolution',
    path: '/publicity-objections/{oid}/resolution',
    summary: 'Resolve a publicity objection (Art. 11)',
  },
  {
    command: 'contract',
    path: '/contracts',
    summary: 'Record a signed contract; with documentRef it is filed at once (Art. 13-15)',
  },
  {
    command: 'contractFiling',
    path: '/contracts/{contractNo}/filing',
    summary: 'File a contract with the BDB (Art. 15)',
  },
  { command: 'progressReport', path: '/progress-reports', summary: 'Quarterly progress and fund-use report (Art. 16)' },
  { command: 'disbursement', path: '/disbursements', summary: 'Disburse available money (Art. 10, 22)' },
  { command: 'changeRequest', path: '/change-requests', summary: 'Request a major change (Art. 17)' },
  {
    command: 'changeRequestDecision',
    path: '/change-requests/{cid}/decision',
    summary: 'Decide a change request (Art. 17)',
  },
  { command: 'rectificationOrder', path: '/rectification-orders', summary: 'Order rectification (Art. 22)' },
  {
    command: 'rectificationResponse',
    path: '/rectification-orders/{rid}/response',
    summary: 'Respond to a rectification order (Art. 22)',
  },
  {
    command: 'rectificationReview',
    path: '/rectification-orders/{rid}/review',
    summary: 'Accept or reject a rectification response; only the issuing role (Art. 22)',
  },
  {
    command: 'rectificationExtension',
    path: '/rectification-orders/{rid}/extension',
    summary: 'Extend the deadline of a rectification order not yet accepted or closed (Art. 22)',
  },
  {
    command: 'termination',
    path: '/termination',
    summary:
      'Terminate the project, only while disbursement is suspended (else 409 invalid_transition); unspent money is cancelled (Art. 22)',
  },
  {
    command: 'withdrawal',
    path: '/withdrawal',
    summary: 'Withdraw the project, before construction only; it ends `withdrawn`',
  },
  {
    command: 'catalogEntries',
    path: '/catalog-entries',
    summary: 'Register resource catalogue entries 信息资源目录 (Art. 19)',
  },
  {
    command: 'preliminaryAcceptance',
    path: '/preliminary-acceptance',
    summary: 'Preliminary (self) acceptance (Art. 18)',
  },
  {
    command: 'technicalAcceptance',
    path: '/technical-acceptance',
    summary: 'Technical acceptance by the BDB (Art. 18-20, 28)',
  },
  {
    command: 'completionAcceptance',
    path: '/completion-acceptance',
    summary: 'Completion acceptance 竣工验收 (Art. 18)',
  },
  {
    command: 'completionReport',
    path: '/completion-report',
    summary: 'File the completion report within 7 working days (Art. 21)',
  },
  { command: 'omReview', path: '/om-review', summary: 'Yearly review of O&M costs before budgeting (Art. 21)' },
  { command: 'evaluation', path: '/evaluations', summary: 'Yearly evaluation (Art. 23; sharing compliance, Art. 9)' },
  {
    command: 'securityIncident',
    path: '/security-incidents',
    summary:
      'Report a security incident with its handling, to whom and when it was reported (Art. 29; reportedTo and reportedAt are required for projects started since the Art. 28-29 records, 400 otherwise)',
  },
  { command: 'securityDrill', path: '/security-drills', summary: 'Record an emergency drill (Art. 29)' },
  { command: 'decommission', path: '/decommission', summary: 'Decommission the system; unspent money is cancelled' },
  {
    command: 'acceptanceDelayReason',
    path: '/acceptance-delay-reason',
    summary: 'State the reason for a delayed acceptance (Art. 22)',
  },
  {
    command: 'acceptanceDelayReasonDecision',
    path: '/acceptance-delay-reason/decision',
    summary: 'Accept or reject the stated acceptance-delay reason; accepted → no order for the delay (Art. 22)',
  },
  {
    command: 'accountabilityReferral',
    path: '/accountability-referrals',
    summary: 'Record an accountability referral 追究责任 for a serious loss of funds (Art. 22)',
  },
  // Art. 14, 17 (measures)
  {
    command: 'leaderChange',
    path: '/leader',
    summary: 'Name a new project leader 项目负责人; the change is audited before/after (Art. 14, measures)',
  },
  {
    command: 'changeRequestOpinion',
    path: '/change-requests/{cid}/opinions',
    summary:
      "A related unit's opinion on a change request: approval always, finance when the budget changes (Art. 17, measures)",
  },
  {
    command: 'countyShareConfirmation',
    path: '/county-share-confirmations',
    summary:
      "Confirm an allocation's county share: only the finance of the project's county (Art. 12, 列入同级财政预算); until then nothing of the allocation is held or published",
  },
  // Art. 28-29
  {
    command: 'riskAssessment',
    path: '/risk-assessments',
    summary:
      'Record the joint risk assessment of the department and the BDB (Art. 28); before technical acceptance while the policy switch riskAssessmentBeforeTechnicalAcceptance is on (default)',
  },
  {
    command: 'emergencyPlan',
    path: '/emergency-plans',
    summary:
      'Record the emergency plan made with the contractor (Art. 29); pending from the completion acceptance on, a gate on the completion report only under the policy switch emergencyPlanBeforeCompletionReport (off by default)',
  },
];

/**
 * Art. 12 (measures): the finance commands a county's finance may send for its own
 * county's projects only. The core refuses them too, in runs started after the patch
 * `finance-jurisdiction`; the API refuses before the Update, so runs recorded before are covered.
 */
const FINANCE_JURISDICTION_COMMANDS = new Set<CommandName>(['disbursement', 'changeRequestOpinion']);

const errors = {
  400: problem('Invalid body or path'),
  401: problem('No or unknown key'),
  403: problem(
    "Wrong role, another department's project, or a finance key of the wrong jurisdiction (Art. 12: county_finance_only, city_finance_only, other_jurisdiction_finance)",
  ),
  404: problem('No such project (or contract, objection, change request, order)'),
  409: problem(
    'invalid_transition (with `stage` and `pendingActions`), funds_suspended, opinions_missing (Art. 17: with `missing`, the roles that must still give their opinion), already_exists, idempotency_in_progress',
  ),
  422: problem(
    'A business refusal of the measures (e.g. opinion_not_requested, Art. 17), document_unknown (a documentId not uploaded by your department), or idempotency_conflict',
  ),
  503: problem('Temporal or the database cannot be reached, nothing was applied; retry after Retry-After'),
};

export function commandRoutes({ gateway, db }: { gateway: ProjectGateway; db: Database }) {
  const app = createRouter();
  for (const route of COMMAND_ROUTES) {
    const params = z.object({ id: projectId, ...pathParams(route.command) });
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/projects/{id}${route.path}`,
        tags: ['commands'],
        summary: route.summary,
        description: `Sent to the project's workflow as the Temporal Update \`${route.command}\` (also accepted as a signal of that name). Roles: ${COMMAND_ROLES[route.command].join(', ')}.`,
        security,
        middleware: requireRole(...COMMAND_ROLES[route.command]),
        request: {
          params,
          body: { content: json(httpBody(route.command)), required: true },
        },
        responses: {
          200: { description: 'The command was accepted; the updated ProjectView', content: json(projectView) },
          202: outcomePendingResponse,
          ...errors,
        },
      }),
      async (c) => {
        const { id, ...pathFields } = c.req.valid('param') as { id: string } & Record<string, string>;
        const body = { ...(c.req.valid('json') as Record<string, unknown>) };
        if (FINANCE_JURISDICTION_COMMANDS.has(route.command) && c.get('actor').role === 'finance') {
          const project = await projectDepartment(db, id);
          if (project) requireFinanceJurisdiction(c.get('actor'), project.jurisdiction);
        }
        const field = (FILED_DOCUMENT_FIELDS as Partial<Record<CommandName, string>>)[route.command];
        if (field && typeof body.documentId === 'string') {
          // The workflow records the id and the SM3; the audit entry carries the digest.
          const document = await resolveDocument(db, body.documentId, c.get('actor'), id);
          const ref = `sm3:${document.sm3}`;
          if (body[field] !== undefined && body[field] !== ref) {
            throw validationFailed(`${field} must be left out (or be ${ref}) when documentId is given.`, field);
          }
          body[field] = ref;
        }
        if (route.command === 'resubmission') {
          const { documents: references, documentIds } = body as {
            documents: Record<string, string>;
            documentIds?: Record<string, string>;
          };
          body.documents = await fileApplicationDocuments(db, references, documentIds, c.get('actor'), id);
          if (!documentIds) delete body.documentIds;
        }
        const view = await gateway.execute(id, {
          name: route.command,
          payload: { ...body, ...pathFields } as CommandInputs[typeof route.command],
          actor: c.get('actor'),
          idempotencyKey: idempotencyKeyOf(c),
        });
        return c.json(view, 200);
      },
    );
  }
  return app;
}

const validationFailed = (message: string, field: string) =>
  new ApiError(400, 'validation_failed', 'Validation failed', message, {
    errors: [{ path: `body.${field}`, message }],
  });
