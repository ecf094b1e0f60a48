/**
 * Schemas of the project routes (api/routes/projects.ts, commands.ts): the application with its
 * Art. 8 documents, existing systems, the project list, and the 202 of an outcome still pending.
 */
import { z } from '@hono/zod-openapi';
import { APPLICATION_DOCUMENT_KINDS, applicationDocumentIds, projectLeader } from '../../domain/commands.ts';
import { calendarDate, documentRef, fen, optionalText, requiredText as text } from '../../domain/field-schemas.ts';
import { APPLICATION_KINDS, ROLES, STAGES } from '../../domain/vocabulary.ts';
import { fundBalance, instant, jurisdiction } from './common.ts';

/**
 * Art. 8 over HTTP: each of the four application documents either as an uploaded document
 * (`documentIds.<kind>`: the API files it as `sm3:<hex>`) or — legacy — a free reference in
 * `documents.<kind>`; exactly one of the two per document.
 */
export const httpApplicationDocuments = {
  documents: z
    .strictObject(
      Object.fromEntries(APPLICATION_DOCUMENT_KINDS.map((k) => [k, documentRef.optional()])) as Record<
        (typeof APPLICATION_DOCUMENT_KINDS)[number],
        z.ZodOptional<typeof documentRef>
      >,
    )
    .default({})
    .openapi({
      description: 'Legacy free references (a URL or content hash); send documentIds (uploaded documents) instead',
    }),
  documentIds: applicationDocumentIds()
    .optional()
    .openapi({ description: 'Art. 8: the uploaded documents (POST /v1/documents) of the application, by kind' }),
};

/** Exactly one of `documents.<kind>` and `documentIds.<kind>` for each of the four documents. */
export const oneReferencePerDocument = (
  body: { documents: Record<string, string | undefined>; documentIds?: Record<string, string | undefined> | undefined },
  ctx: z.RefinementCtx,
) => {
  for (const kind of APPLICATION_DOCUMENT_KINDS) {
    if ((body.documents[kind] === undefined) === (body.documentIds?.[kind] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['documentIds', kind],
        message: `send documentIds.${kind} (an uploaded document) or documents.${kind} (legacy free text), exactly one`,
      });
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
      .openapi({
        description:
          'Art. 12: `cityShareFen + countyShareFen` must equal `totalFen` (checked by the API; 400 otherwise).',
      }),
    plannedCompletionDate: calendarDate,
    ...httpApplicationDocuments,
    classified: z.boolean(),
    /** Art. 14 (measures): the 项目负责人, required for new applications. */
    leader: projectLeader().openapi('ProjectLeader', {
      description: 'Art. 14 (measures): 项目负责人 — name, post (职务) and contact.',
    }),
  })
  .superRefine(oneReferencePerDocument)
  .openapi('CreateProject');

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
    goLiveYear: z
      .number()
      .int('must be a year')
      .min(1949, 'must be 1949 or later')
      .max(2100, 'must be 2100 or earlier'),
    jurisdiction: jurisdiction.optional(),
  })
  .openapi('RegisterExistingSystem');

export const projectList = z
  .object({
    items: z.array(projectSummary),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('ProjectList');

/**
 * 202 (api/gateway.ts OutcomePending): Temporal may have accepted the creation or command,
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
  headers: {
    Location: { description: 'The project', schema: { type: 'string' as const } },
    'Retry-After': { description: 'Seconds', schema: { type: 'integer' as const } },
  },
  content: { 'application/json': { schema: outcomePending } },
};
