/** Projects: application (Art. 3, 6, 8) and the ProjectView (shared/API.md). */
import { createHash, randomBytes } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { requireRole } from '../auth.ts';
import type { ProjectGateway } from '../gateway.ts';
import { idempotencyKeyOf } from '../idempotency.ts';
import { ApiError, forbidden } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { createProjectBody, projectId, projectView } from '../schemas.ts';
import { z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { policyFor } from '../../db/policies.ts';
import { findPlanItem } from '../../db/queries/plans.ts';

export interface ProjectRoutesDeps {
  gateway: ProjectGateway;
  db: Database;
}

/** Crockford base32 without I, L, O, U: readable over the phone between bureaus. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const idFrom = (year: number, bytes: Uint8Array) => `JC${year}-${Array.from(bytes.subarray(0, 8), (b) => ALPHABET[b % 32]).join('')}`;

/** A project id derived from the caller's key id and Idempotency-Key (SM3), so a retry finds it. */
export const projectIdFor = (year: number, seed: string): string => idFrom(year, createHash('sm3').update(seed).digest());

export const newProjectId = (year: number): string => idFrom(year, randomBytes(8));

export function projectRoutes({ gateway, db }: ProjectRoutesDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/projects',
      tags: ['projects'],
      summary: 'Apply for a project (department)',
      security,
      middleware: requireRole('department'),
      request: { body: { content: json(createProjectBody), required: true } },
      responses: {
        201: { description: 'The project workflow started', content: json(projectView) },
        400: problem('Invalid body'),
        401: problem('No or unknown key'),
        403: problem('Not a department key'),
        422: problem('Refused by the measures: classified_project (Art. 3), not_in_annual_plan (Art. 6, 8)'),
        503: problem('Temporal or the database unreachable'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const actor = c.get('actor');
      // Art. 3: the measures cover non-classified projects only.
      if (body.classified) {
        throw new ApiError(
          422,
          'classified_project',
          'Classified projects are out of scope',
          'Art. 3: only non-classified government big-data projects are managed here.',
        );
      }
      const department = actor.department!;
      // Art. 6, 8: the project must be an item of the BDB's annual plan for its year and department.
      const item = await findPlanItem(db, body.year, body.annualPlanItem, department);
      if (!item) {
        throw new ApiError(
          422,
          'not_in_annual_plan',
          'Not in the annual plan',
          `Art. 6, 8: item ${body.annualPlanItem} is not in the ${body.year} annual plan for department ${department}.`,
          { year: body.year, annualPlanItem: body.annualPlanItem, department },
        );
      }
      const { classified: _classified, ...application } = body;
      // With an Idempotency-Key the id follows from it, so a retry whose first attempt reached
      // Temporal (and then lost its answer) finds the same workflow instead of starting a second one.
      const idempotencyKey = idempotencyKeyOf(c);
      const id = idempotencyKey ? projectIdFor(body.year, `${actor.keyId}:${idempotencyKey}`) : newProjectId(body.year);
      // 201 only once the application's audit entry and read-model row are durable.
      const view = await gateway.create(
        {
          ...application,
          id,
          department,
          // Art. 30: pin the jurisdiction's policy in force now for the project's whole life.
          policy: await policyFor(db, body.jurisdiction),
          createdAt: new Date().toISOString(),
          createdBy: actor,
        },
        idempotencyKey,
      );
      c.header('Location', `/v1/projects/${view.id}`);
      return c.json(view, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/projects/{id}',
      tags: ['projects'],
      summary: 'A project as its workflow sees it now',
      security,
      request: { params: z.object({ id: projectId }) },
      responses: {
        200: { description: 'ProjectView', content: json(projectView) },
        400: problem('Malformed id'),
        401: problem('No or unknown key'),
        403: problem("Another department's project"),
        404: problem('No such project'),
        503: problem('Temporal unreachable'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = c.get('actor');
      const view = await gateway.view(id);
      // Departments see their own projects only (shared/DOMAIN.md "Actors").
      if (actor.role === 'department' && view.department !== actor.department) {
        throw forbidden(`Project ${id} belongs to another department.`);
      }
      return c.json(view, 200);
    },
  );

  return app;
}
