/**
 * The jurisdictions registry (Art. 5, 12, 30 (measures)): the city and its county-level divisions,
 * managed by the admin. A key belongs to one (POST /v1/admin/api-keys `jurisdiction`); a project's
 * jurisdiction is its key's, and its pinned policy is that jurisdiction's.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { recordAdminChange } from '../../db/queries/admin-trail.ts';
import {
  deleteJurisdiction,
  findJurisdiction,
  insertJurisdiction,
  jurisdictionUses,
  listJurisdictions,
  renameJurisdiction,
  type JurisdictionRow,
} from '../../db/queries/jurisdictions.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { requireDuty, trailActor } from '../auth.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { jurisdiction, text } from '../schemas/common.ts';

export const jurisdictionSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable(),
  })
  .openapi('Jurisdiction');

const info = (r: JurisdictionRow) => ({
  code: r.code,
  name: r.name,
  parent: r.parent,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  updatedBy: r.updatedBy,
});

/** Art. 5, 12, 30 (measures): 422 `unknown_jurisdiction` unless the code is in the registry (undefined: `city`). */
export async function requireJurisdiction(db: Database, code: string | undefined): Promise<void> {
  if (code === undefined) return;
  if (await findJurisdiction(db, code)) return;
  throw new ApiError(
    422,
    'unknown_jurisdiction',
    'Unknown jurisdiction',
    `Art. 5, 12, 30: jurisdiction ${code} is not in the registry (GET /v1/admin/jurisdictions).`,
    { jurisdiction: code },
  );
}

/**
 * Art. 5, 12, 30 (measures): an applicant's jurisdiction is its key's (`city` for keys from before
 * jurisdictions); a body naming another → 422 `jurisdiction_mismatch` (no picking a more lenient policy).
 */
export function applicantJurisdiction(actor: Actor, requested: string | undefined): string {
  const own = actor.jurisdiction ?? 'city';
  if (requested !== undefined && requested !== own) {
    throw new ApiError(
      422,
      'jurisdiction_mismatch',
      "Not the key's jurisdiction",
      `Art. 5, 12, 30: the key belongs to jurisdiction ${own}, not ${requested}.`,
      {
        jurisdiction: requested,
        keyJurisdiction: own,
      },
    );
  }
  return own;
}

const codeParam = jurisdiction.openapi({ param: { name: 'code', in: 'path' } });
const guard = requireDuty('configuration');
const denied = {
  401: problem('No or unknown key'),
  403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
};

export function jurisdictionRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/jurisdictions',
      tags: ['admin'],
      summary: 'The jurisdictions registry: the city and its counties (admin, Art. 5, 12, 30)',
      security,
      middleware: guard,
      responses: {
        200: {
          description: 'The city first, then the counties by code',
          content: json(z.object({ items: z.array(jurisdictionSchema) })),
        },
        ...denied,
      },
    }),
    async (c) => c.json({ items: (await listJurisdictions(db)).map(info) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/jurisdictions',
      tags: ['departments'],
      summary: 'The jurisdictions registry as every role reads it: codes and Chinese names (Art. 5, 12, 30)',
      security,
      responses: {
        200: {
          description: 'The city first, then the counties by code',
          content: json(
            z.object({ items: z.array(jurisdictionSchema.pick({ code: true, name: true, parent: true })) }),
          ),
        },
        401: problem('No or unknown key or session'),
      },
    }),
    async (c) =>
      c.json(
        { items: (await listJurisdictions(db)).map((r) => ({ code: r.code, name: r.name, parent: r.parent })) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/jurisdictions',
      tags: ['admin'],
      summary: 'Add a county-level jurisdiction (admin, Art. 5, 12, 30)',
      description:
        'Its parent is `city`. The code follows the pattern of every `jurisdiction` field; an existing code → 409 `already_exists`.',
      security,
      middleware: guard,
      request: { body: { content: json(z.strictObject({ code: jurisdiction, name: text(100) })), required: true } },
      responses: {
        201: { description: 'Added', content: json(jurisdictionSchema) },
        400: problem('Invalid body'),
        409: problem('`already_exists`: the code is taken'),
        ...denied,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const row =
        body.code === 'city'
          ? undefined
          : await recordAdminChange(db, trailActor(c), 'jurisdiction.create', async (tx) => {
              const created = await insertJurisdiction(tx, {
                code: body.code,
                name: body.name,
                parent: 'city',
                by: c.get('actor').keyId,
              });
              return created
                ? { result: created, target: created.code, before: null, after: info(created) }
                : { result: created, skip: true as const };
            });
      if (!row)
        throw new ApiError(409, 'already_exists', 'Already exists', `Jurisdiction ${body.code} exists already.`);
      c.header('Location', `/v1/admin/jurisdictions/${row.code}`);
      return c.json(info(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/jurisdictions/{code}',
      tags: ['admin'],
      summary: 'Rename a jurisdiction (admin); its code never changes',
      security,
      middleware: guard,
      request: {
        params: z.object({ code: codeParam }),
        body: { content: json(z.strictObject({ name: text(100) })), required: true },
      },
      responses: {
        200: { description: 'Renamed', content: json(jurisdictionSchema) },
        400: problem('Invalid code or body'),
        404: problem('No such jurisdiction'),
        ...denied,
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const row = await recordAdminChange(db, trailActor(c), 'jurisdiction.rename', async (tx) => {
        const before = await findJurisdiction(tx, code);
        const renamed = await renameJurisdiction(tx, code, c.req.valid('json').name, c.get('actor').keyId);
        return renamed && before
          ? { result: renamed, target: code, before: info(before), after: info(renamed) }
          : { result: renamed, skip: true as const };
      });
      if (!row) throw notFound(`No jurisdiction ${code}.`);
      return c.json(info(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/jurisdictions/{code}',
      tags: ['admin'],
      summary: 'Remove a jurisdiction nothing refers to (admin)',
      description:
        'Refused (409 `jurisdiction_in_use`, with the counts) while a key, a project, a policy version, a county or a department refers to it; `city` never goes.',
      security,
      middleware: guard,
      request: { params: z.object({ code: codeParam }) },
      responses: {
        204: { description: 'Removed' },
        400: problem('Invalid code'),
        404: problem('No such jurisdiction'),
        409: problem('`jurisdiction_in_use`: keys, projects, policy versions or counties refer to it'),
        ...denied,
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      await recordAdminChange(db, trailActor(c), 'jurisdiction.delete', async (tx) => {
        const before = await findJurisdiction(tx, code);
        if (!before) throw notFound(`No jurisdiction ${code}.`);
        const uses = await jurisdictionUses(tx, code);
        if (code === 'city' || uses.keys + uses.projects + uses.children + uses.policies + uses.departments > 0) {
          throw new ApiError(
            409,
            'jurisdiction_in_use',
            'Jurisdiction in use',
            `Jurisdiction ${code} is in use (${uses.keys} keys, ${uses.projects} projects, ${uses.policies} policy versions, ${uses.children} counties, ${uses.departments} departments).`,
            { jurisdiction: code, ...uses },
          );
        }
        await deleteJurisdiction(tx, code);
        return { result: undefined, target: code, before: info(before), after: null };
      });
      return c.body(null, 204);
    },
  );

  return app;
}
