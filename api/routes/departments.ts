/**
 * The departments registry (项目实施单位; Art. 5, 12, 30: a department belongs to one jurisdiction):
 * code, Chinese name, jurisdiction. Every signed-in role reads it (the console shows names, never
 * codes); the admin adds departments and renames them or moves them to another jurisdiction. Keys
 * and accounts name a department by its code; one created with a code the registry lacks registers
 * it with the code as its name (api/routes/admin-keys.ts, admin-accounts.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { recordAdminChange } from '../../db/queries/admin-trail.ts';
import {
  findDepartment,
  insertDepartment,
  listDepartments,
  namesOf,
  updateDepartment,
  type DepartmentRow,
} from '../../db/queries/departments.ts';
import { requireDuty, trailActor } from '../auth.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { departmentCode, jurisdiction, text } from '../schemas/common.ts';
import { requireJurisdiction } from './jurisdictions.ts';

export const departmentSchema = z
  .object({
    code: z.string(),
    name: z
      .string()
      .openapi({ description: 'The Chinese name people read (the code itself while the admin has not named it)' }),
    jurisdiction: z.string(),
    jurisdictionName: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable(),
  })
  .openapi('Department');

const newDepartment = z
  .strictObject({
    code: departmentCode,
    name: text(100).openapi({ example: '市卫生健康委员会' }),
    /** Art. 5, 12, 30: default `city`; an unknown code → 422 unknown_jurisdiction. */
    jurisdiction: jurisdiction.optional(),
  })
  .openapi('NewDepartment');

const departmentChange = z
  .strictObject({ name: text(100).optional(), jurisdiction: jurisdiction.optional() })
  .refine((b) => b.name !== undefined || b.jurisdiction !== undefined, {
    message: 'send name, jurisdiction or both',
    path: ['name'],
  })
  .openapi('DepartmentChange', { minProperties: 1 });

const codeParam = departmentCode.openapi({ param: { name: 'code', in: 'path' }, example: 'wjw' });
const guard = requireDuty('configuration');
const denied = {
  401: problem('No or unknown key or session'),
  403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
};

/** What the trail keeps of a department. */
const trailed = (d: DepartmentRow) => ({ code: d.code, name: d.name, jurisdiction: d.jurisdiction });

export function departmentRoutes({ db }: { db: Database }) {
  const app = createRouter();

  const info = async (rows: DepartmentRow[]) => {
    const names = await namesOf(db);
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      jurisdiction: r.jurisdiction,
      jurisdictionName: names.jurisdiction(r.jurisdiction),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      updatedBy: r.updatedBy,
    }));
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/departments',
      tags: ['departments'],
      summary: 'The departments registry: code, Chinese name, jurisdiction (any role)',
      security,
      responses: {
        200: {
          description: 'By jurisdiction, then code',
          content: json(z.object({ items: z.array(departmentSchema) })),
        },
        401: problem('No or unknown key or session'),
      },
    }),
    async (c) => c.json({ items: await info(await listDepartments(db)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/departments',
      tags: ['departments'],
      summary: 'Register a department (admin)',
      description:
        'The code is what keys, accounts, plan items and projects carry; it never changes. An existing code → 409 `already_exists`.',
      security,
      middleware: guard,
      request: { body: { content: json(newDepartment), required: true } },
      responses: {
        201: { description: 'Registered', content: json(departmentSchema) },
        400: problem('Invalid body'),
        409: problem('`already_exists`: the code is registered already'),
        422: problem('`unknown_jurisdiction`: `jurisdiction` is not in the registry (Art. 5, 12, 30)'),
        ...denied,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      await requireJurisdiction(db, body.jurisdiction);
      // On the administrators' trail in the same transaction.
      const row = await recordAdminChange(db, trailActor(c), 'department.create', async (tx) => {
        const created = await insertDepartment(tx, {
          code: body.code,
          name: body.name,
          jurisdiction: body.jurisdiction ?? 'city',
          by: c.get('actor').keyId,
        });
        return created
          ? { result: created, target: created.code, before: null, after: trailed(created) }
          : { result: created, skip: true as const };
      });
      if (!row) {
        const existing = await findDepartment(db, body.code);
        throw new ApiError(
          409,
          'already_exists',
          'Already exists',
          `Department ${body.code} is registered already.`,
          { department: body.code },
          {},
          { kind: 'department', department: body.code, name: existing?.name ?? body.code },
        );
      }
      c.header('Location', `/v1/departments`);
      return c.json((await info([row]))[0]!, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/admin/departments/{code}',
      tags: ['departments'],
      summary: 'Rename a department or move it to another jurisdiction (admin); its code never changes',
      description:
        'Keys and accounts keep the jurisdiction they were created with; the registry says which jurisdiction new accounts of the department get.',
      security,
      middleware: guard,
      request: { params: z.object({ code: codeParam }), body: { content: json(departmentChange), required: true } },
      responses: {
        200: { description: 'Changed', content: json(departmentSchema) },
        400: problem('Invalid code or body'),
        404: problem('No such department'),
        422: problem('`unknown_jurisdiction`'),
        ...denied,
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const change = c.req.valid('json');
      await requireJurisdiction(db, change.jurisdiction);
      const row = await recordAdminChange(db, trailActor(c), 'department.change', async (tx) => {
        const before = await findDepartment(tx, code);
        const changed = before ? await updateDepartment(tx, code, change, c.get('actor').keyId) : undefined;
        return changed
          ? { result: changed, target: code, before: trailed(before!), after: trailed(changed) }
          : { result: changed, skip: true as const };
      });
      if (!row) throw notFound(`No department ${code}.`);
      return c.json((await info([row]))[0]!, 200);
    },
  );

  return app;
}
