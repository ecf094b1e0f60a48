/**
 * Art. 23: 市大数据应用局…对市级城市云平台日常应用…进行评估 — the BDB's yearly evaluation of the
 * city cloud platform, a subject of its own (no project workflow). Stored in
 * `cloud_platform_evaluations` with an audit entry on the SM3-chained trail of the subject
 * `cloud-platform`, in one transaction; readable by every signed-in role.
 *
 * Also the ProjectView's `priorEvaluations` (Art. 23: results are a reference for next year's
 * reviews): `withPriorEvaluations` adds them to every ProjectView the project and command routes
 * answer — so the BDB sees them on the application, on GET /v1/projects/:id while it is in technical
 * review and in the answer of its technical-review command — from the read model, not from Temporal.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { auditTrail } from '../../db/queries/audit.ts';
import {
  CLOUD_PLATFORM_SUBJECT,
  findCloudPlatformEvaluation,
  listCloudPlatformEvaluations,
  priorEvaluationsOf,
  priorEvaluationsOfProject,
  recordCloudPlatformEvaluation,
  type CloudPlatformEvaluationRow,
} from '../../db/queries/evaluations.ts';
import { shanghaiYear } from '../../domain/calendar/index.ts';
import { documentId, documentRef, optionalText, requiredText, score, year } from '../../domain/field-schemas.ts';
import type { PriorEvaluation, ProjectView } from '../../domain/view-shapes.ts';
import { requireRole } from '../auth.ts';
import type { ProjectGateway } from '../gateway.ts';
import { ApiError } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { auditEntry } from '../schemas/reads.ts';
import { resolveDocument } from './documents.ts';
import { auditEntryOf } from './history.ts';

export const cloudPlatformEvaluationBody = z
  .strictObject({
    year,
    score, // 0-100
    result: requiredText(200).openapi({ description: 'The result in words (e.g. 良好)' }),
    opinion: optionalText(),
    documentId: documentId
      .optional()
      .openapi({ description: 'The evaluation report, uploaded with POST /v1/documents (the record keeps its SM3)' }),
    documentRef: documentRef.optional().openapi({ description: 'Legacy free-text reference; send documentId instead' }),
  })
  .refine((b) => (b.documentId === undefined) !== (b.documentRef === undefined), {
    message: 'send documentId (an uploaded document) or documentRef (legacy free text), exactly one',
    path: ['documentId'],
  })
  .openapi('CloudPlatformEvaluationRequest');

export const cloudPlatformEvaluation = z
  .object({
    year: z.number().int(),
    score: z.number().int(),
    result: z.string(),
    opinion: z.string(),
    documentRef: z.string(),
    documentId: z.string().nullable(),
    evaluatedBy: z.string(),
    evaluatedAt: z.string(),
  })
  .openapi('CloudPlatformEvaluation');

const evaluationOf = (r: CloudPlatformEvaluationRow) => ({
  year: r.year,
  score: r.score,
  result: r.result,
  opinion: r.opinion,
  documentRef: r.documentRef,
  documentId: r.documentId,
  evaluatedBy: r.evaluatedByName,
  evaluatedAt: r.evaluatedAt.toISOString(),
});

export function cloudPlatformRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/cloud-platform/evaluations',
      tags: ['evaluations'],
      summary: "The BDB's yearly evaluation of the city cloud platform (Art. 23)",
      description:
        'One per year (a second → 409 `already_exists`); not for a year that has not started (422 `year_not_started`). ' +
        'The record and its audit entry (subject `cloud-platform`, GET /v1/cloud-platform/history) are stored together.',
      security,
      middleware: requireRole('bdb'),
      request: { body: { content: json(cloudPlatformEvaluationBody), required: true } },
      responses: {
        201: { description: 'Recorded', content: json(cloudPlatformEvaluation) },
        400: problem('Invalid body'),
        401: problem('No or unknown key'),
        403: problem('Not the BDB'),
        409: problem('already_exists: that year is evaluated'),
        422: problem('year_not_started, document_unknown'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const body = c.req.valid('json');
      const now = new Date();
      if (body.year > shanghaiYear(now.toISOString())) {
        throw new ApiError(422, 'year_not_started', 'Year not started', `Art. 23: year ${body.year} has not started.`);
      }
      const document = body.documentId
        ? await resolveDocument(db, body.documentId, actor, CLOUD_PLATFORM_SUBJECT)
        : undefined;
      const ref = document ? `sm3:${document.sm3}` : body.documentRef!;
      const stored = await recordCloudPlatformEvaluation(
        db,
        {
          year: body.year,
          score: body.score,
          result: body.result,
          opinion: body.opinion,
          documentRef: ref,
          documentId: body.documentId ?? null,
          evaluatedByKeyId: actor.keyId,
          evaluatedByName: actor.name,
          evaluatedAt: now,
        },
        // Art. 24-25: who, what, when — on the subject's own SM3 chain.
        {
          eventId: `${CLOUD_PLATFORM_SUBJECT}:evaluation:${body.year}`,
          action: 'cloud-platform-evaluation',
          actor,
          at: now.toISOString(),
          detail: { payload: { ...body, documentRef: ref } },
        },
      );
      if (!stored) {
        const existing = await findCloudPlatformEvaluation(db, body.year);
        throw new ApiError(
          409,
          'already_exists',
          'Already exists',
          `Art. 23: the cloud platform evaluation of ${body.year} is recorded already (by ${existing?.evaluatedByName ?? 'the BDB'}).`,
        );
      }
      c.header('Location', `/v1/cloud-platform/evaluations`);
      return c.json(evaluationOf(stored), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/cloud-platform/evaluations',
      tags: ['evaluations'],
      summary: 'The city cloud platform evaluations, newest year first (Art. 23)',
      security,
      responses: {
        200: {
          description: 'Evaluations',
          content: json(z.object({ items: z.array(cloudPlatformEvaluation) }).openapi('CloudPlatformEvaluationList')),
        },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => c.json({ items: (await listCloudPlatformEvaluations(db)).map(evaluationOf) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/cloud-platform/history',
      tags: ['evaluations'],
      summary: "The cloud platform evaluations' audit trail, oldest first (Art. 23-25)",
      description: 'SM3-chained like a project history (`hash` = SM3(`prevHash` ‖ canonical entry)).',
      security,
      responses: {
        200: {
          description: 'Audit entries, oldest first',
          content: json(z.object({ subject: z.string(), items: z.array(auditEntry) }).openapi('CloudPlatformHistory')),
        },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const rows = await auditTrail(db, CLOUD_PLATFORM_SUBJECT);
      const items = rows.map(auditEntryOf);
      return c.json({ subject: CLOUD_PLATFORM_SUBJECT, items }, 200);
    },
  );

  return app;
}

/**
 * Art. 23: the ProjectViews the API answers carry `priorEvaluations` — the department's evaluations
 * of its other projects from the application year − 2 on (db/queries/evaluations.ts).
 */
export function withPriorEvaluations(gateway: ProjectGateway, db: Database): ProjectGateway {
  const enrich = async (view: ProjectView, read?: Promise<PriorEvaluation[] | undefined>): Promise<ProjectView> => ({
    ...view,
    priorEvaluations:
      (await read) ??
      (await priorEvaluationsOf(db, {
        id: view.id,
        department: view.department,
        applicationYear: shanghaiYear(view.createdAt),
      })),
  });
  return {
    ...gateway,
    create: async (...args) => enrich(await gateway.create(...args)),
    // The other projects' evaluations do not change with this command: read while it runs (one
    // database round trip less after the answer); read after it when that read failed.
    execute: async (projectId, command) => {
      const read = priorEvaluationsOfProject(db, projectId).catch(() => undefined);
      return enrich(await gateway.execute(projectId, command), read);
    },
    view: async (...args) => enrich(await gateway.view(...args)),
  };
}
