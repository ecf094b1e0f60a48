/**
 * Every command of shared/API.md (`POST /v1/projects/:id/...`), generated from one table: the path,
 * the lifecycle command it becomes, the roles that may send it and the body schema. A handler only
 * validates the body, checks the role, sends the command to the project's workflow as a Temporal
 * Update (the Idempotency-Key is the update id) and returns the ProjectView. Whether the command is
 * allowed now — stage, department, money — is the lifecycle core's decision (workflows/core).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { COMMAND_ROLES, type CommandName } from '../../domain/commands.ts';
import {
  CHANGE_KINDS,
  FUND_TYPES,
  INCIDENT_SEVERITIES,
  RECTIFICATION_REASONS,
  SHARING_TYPES,
} from '../../domain/types.ts';
import { requireRole } from '../auth.ts';
import type { ProjectGateway } from '../gateway.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { calendarDate, documentRef, fen, optionalText, positiveFen, projectId, projectView, text } from '../schemas.ts';

const score = z.number().int().min(0).max(100);
const year = z.number().int().min(2019).max(2100);
const segment = (name: string, pattern: RegExp, what: string) =>
  z.string().regex(pattern, `is not ${what}`).openapi({ param: { name, in: 'path' } });

const objectionId = segment('oid', /^[A-Za-z0-9_-]{1,64}$/, 'an objection id');
const changeRequestId = segment('cid', /^[A-Za-z0-9_-]{1,64}$/, 'a change request id');
const rectificationId = segment('rid', /^[A-Za-z0-9_-]{1,64}$/, 'a rectification order id');
const contractNo = segment('contractNo', /^[^/\s]{1,64}$/, 'a contract number');

const documents = z.strictObject({
  proposal: documentRef,
  feasibilityStudy: documentRef,
  preliminaryDesign: documentRef,
  investmentEstimate: documentRef,
});

/** Body schemas, exactly the fields of shared/API.md (unknown fields are refused). */
const bodies = {
  technicalReview: z.strictObject({
    decision: z.enum(['pass', 'revise', 'reject']),
    opinion: optionalText(),
    checklist: z.strictObject({
      resourceCatalog: z.boolean(),
      dataSharing: z.boolean(),
      intensiveConstruction: z.boolean(),
      cloudDeployment: z.boolean(),
      securityControllable: z.boolean(),
    }),
  }),
  resubmission: z.strictObject({ documents, note: optionalText() }),
  establishment: z.strictObject({ decision: z.enum(['approve', 'reject']), approvalNo: optionalText(64), opinion: optionalText() }),
  budget: z.strictObject({ fundType: z.enum(FUND_TYPES), year, amountFen: positiveFen, cityShareFen: fen, countyShareFen: fen }),
  publicityObjection: z.strictObject({ summary: text() }),
  publicityObjectionResolution: z.strictObject({ upheld: z.boolean(), note: optionalText() }),
  contract: z.strictObject({
    contractNo: z.string().regex(/^[^/\s]{1,64}$/, 'must be 1-64 characters without / or spaces'),
    contractor: text(200),
    amountFen: positiveFen,
    signedOn: calendarDate,
    documentRef: documentRef.optional(),
  }),
  contractFiling: z.strictObject({ documentRef }),
  progressReport: z.strictObject({
    period: z.string().regex(/^\d{4}Q[1-4]$/, 'must be a quarter like 2026Q3'),
    spentFen: fen,
    progressPercent: z.number().min(0).max(100),
    summary: optionalText(),
  }),
  disbursement: z.strictObject({ fundType: z.enum(FUND_TYPES), amountFen: positiveFen, note: optionalText() }),
  changeRequest: z.strictObject({
    kind: z.enum(CHANGE_KINDS),
    description: text(),
    budgetDeltaFen: z.number().int('must be integer fen').min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
    newPlannedCompletionDate: calendarDate.optional(),
  }),
  changeRequestDecision: z.strictObject({ decision: z.enum(['approve', 'reject']), opinion: optionalText() }),
  rectificationOrder: z.strictObject({ reason: z.enum(RECTIFICATION_REASONS), description: text(), dueOn: calendarDate.optional() }),
  rectificationResponse: z.strictObject({ description: text(), evidenceRef: documentRef }),
  rectificationReview: z.strictObject({ decision: z.enum(['accept', 'reject']), opinion: optionalText() }),
  rectificationExtension: z.strictObject({ dueOn: calendarDate, reason: text() }),
  termination: z.strictObject({ reason: text() }),
  withdrawal: z.strictObject({ reason: text() }),
  catalogEntries: z.strictObject({
    entries: z
      .array(
        z.strictObject({
          code: text(64),
          name: text(200),
          sharingType: z.enum(SHARING_TYPES),
          updateCycle: text(64),
        }),
      )
      .min(1)
      .max(500),
  }),
  preliminaryAcceptance: z.strictObject({ reportRef: documentRef, completedOn: calendarDate }),
  technicalAcceptance: z.strictObject({
    decision: z.enum(['pass', 'fail']),
    opinion: optionalText(),
    securityControllable: z.boolean(),
    mlpsLevel: z.number().int().min(1).max(5),
    cryptoAssessmentPassed: z.boolean(),
  }),
  completionAcceptance: z.strictObject({ decision: z.enum(['pass', 'fail']), opinion: optionalText() }),
  completionReport: z.strictObject({ reportRef: documentRef }),
  omReview: z.strictObject({ year, approvedFen: fen, opinion: optionalText() }),
  evaluation: z.strictObject({
    year,
    fundUseScore: score,
    outputScore: score,
    effectScore: score,
    satisfactionScore: score,
    sharingCompliant: z.boolean(),
    summary: optionalText(),
  }),
  securityIncident: z.strictObject({
    occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant' }),
    severity: z.enum(INCIDENT_SEVERITIES),
    description: text(),
    handling: text(),
  }),
  securityDrill: z.strictObject({ heldOn: calendarDate, scenario: text(500), summary: optionalText() }),
  decommission: z.strictObject({ reason: text() }),
} satisfies Record<CommandName, z.ZodType>;

interface CommandRoute {
  command: CommandName;
  /** Path below /v1/projects/{id}. */
  path: string;
  summary: string;
  /** Path parameters besides {id}, with the payload field each becomes. */
  params?: Record<string, z.ZodType>;
}

/** shared/API.md, "Endpoints", in its order. */
export const COMMAND_ROUTES: CommandRoute[] = [
  { command: 'technicalReview', path: '/technical-review', summary: 'Technical review of the design (Art. 7)' },
  { command: 'resubmission', path: '/resubmission', summary: 'Resubmit after `revise` (Art. 7)' },
  { command: 'establishment', path: '/establishment', summary: 'Establishment approval 审批立项 (Art. 8-9)' },
  { command: 'budget', path: '/budget', summary: 'Allocate a construction or O&M budget (Art. 10, 12, 21)' },
  { command: 'publicityObjection', path: '/publicity-objections', summary: 'Record an objection during publicity (Art. 11)' },
  {
    command: 'publicityObjectionResolution',
    path: '/publicity-objections/{oid}/resolution',
    summary: 'Resolve a publicity objection (Art. 11)',
    params: { oid: objectionId },
  },
  { command: 'contract', path: '/contracts', summary: 'Record a signed contract; with documentRef it is filed at once (Art. 13-15)' },
  { command: 'contractFiling', path: '/contracts/{contractNo}/filing', summary: 'File a contract with the BDB (Art. 15)', params: { contractNo } },
  { command: 'progressReport', path: '/progress-reports', summary: 'Quarterly progress and fund-use report (Art. 16)' },
  { command: 'disbursement', path: '/disbursements', summary: 'Disburse available money (Art. 10, 22)' },
  { command: 'changeRequest', path: '/change-requests', summary: 'Request a major change (Art. 17)' },
  {
    command: 'changeRequestDecision',
    path: '/change-requests/{cid}/decision',
    summary: 'Decide a change request (Art. 17)',
    params: { cid: changeRequestId },
  },
  { command: 'rectificationOrder', path: '/rectification-orders', summary: 'Order rectification (Art. 22)' },
  {
    command: 'rectificationResponse',
    path: '/rectification-orders/{rid}/response',
    summary: 'Respond to a rectification order (Art. 22)',
    params: { rid: rectificationId },
  },
  {
    command: 'rectificationReview',
    path: '/rectification-orders/{rid}/review',
    summary: 'Accept or reject a rectification response; only the issuing role (Art. 22)',
    params: { rid: rectificationId },
  },
  {
    command: 'rectificationExtension',
    path: '/rectification-orders/{rid}/extension',
    summary: 'Extend a rectification deadline after suspension (Art. 22)',
    params: { rid: rectificationId },
  },
  { command: 'termination', path: '/termination', summary: 'Terminate the project; unspent money is cancelled (Art. 22)' },
  { command: 'withdrawal', path: '/withdrawal', summary: 'Withdraw the project, before construction only' },
  { command: 'catalogEntries', path: '/catalog-entries', summary: 'Register resource catalogue entries 信息资源目录 (Art. 19)' },
  { command: 'preliminaryAcceptance', path: '/preliminary-acceptance', summary: 'Preliminary (self) acceptance (Art. 18)' },
  { command: 'technicalAcceptance', path: '/technical-acceptance', summary: 'Technical acceptance by the BDB (Art. 18-20, 28)' },
  { command: 'completionAcceptance', path: '/completion-acceptance', summary: 'Completion acceptance 竣工验收 (Art. 18)' },
  { command: 'completionReport', path: '/completion-report', summary: 'File the completion report within 7 working days (Art. 21)' },
  { command: 'omReview', path: '/om-review', summary: 'Yearly review of O&M costs before budgeting (Art. 21)' },
  { command: 'evaluation', path: '/evaluations', summary: 'Yearly evaluation (Art. 23; sharing compliance, Art. 9)' },
  { command: 'securityIncident', path: '/security-incidents', summary: 'Report a security incident with its handling (Art. 29)' },
  { command: 'securityDrill', path: '/security-drills', summary: 'Record an emergency drill (Art. 29)' },
  { command: 'decommission', path: '/decommission', summary: 'Decommission the system; unspent money is cancelled' },
];

const errors = {
  400: problem('Invalid body or path'),
  401: problem('No or unknown key'),
  403: problem("Wrong role, or another department's project"),
  404: problem('No such project (or contract, objection, change request, order)'),
  409: problem('invalid_transition (with `stage` and `pendingActions`), funds_suspended, idempotency_in_progress'),
  422: problem('A business refusal of the measures, or idempotency_conflict'),
  503: problem('Temporal or the database cannot be reached; retry after Retry-After'),
};

export function commandRoutes({ gateway }: { gateway: ProjectGateway }) {
  const app = createRouter();
  for (const route of COMMAND_ROUTES) {
    const params = z.object({ id: projectId, ...route.params });
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/projects/{id}${route.path}`,
        tags: ['commands'],
        summary: route.summary,
        description: `Sent to the project's workflow as the Temporal Update \`${route.command}\` (also accepted as a signal of that name). Roles: ${COMMAND_ROLES[route.command].join(', ')}.`,
        security,
        middleware: requireRole(...COMMAND_ROLES[route.command]) as MiddlewareHandler,
        request: {
          params,
          body: { content: json(bodies[route.command]), required: true },
        },
        responses: {
          200: { description: 'The command was accepted; the updated ProjectView', content: json(projectView) },
          ...errors,
        },
      }),
      async (c) => {
        const { id, ...pathFields } = c.req.valid('param') as { id: string } & Record<string, string>;
        const body = c.req.valid('json') as Record<string, unknown>;
        const view = await gateway.execute(id, {
          name: route.command,
          payload: { ...body, ...pathFields },
          actor: c.get('actor'),
          idempotencyKey: idempotencyKeyOf(c),
        });
        return c.json(view, 200);
      },
    );
  }
  return app;
}
