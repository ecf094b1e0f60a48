/**
 * Art. 6 (measures): 市直部门及各县(市、区)编制的各类规划涉及政务信息系统建设的, 应报市大数据应用局备案 —
 * a department (a department key, of the city or of a county) files its own plan with the BDB:
 * document reference, date, title. The BDB lists every filing; a department sees its own.
 */
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { fileOwnPlan, listFilings } from '../../db/queries/plans.ts';
import { requireRole } from '../auth.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { calendarDate, documentRef, text } from '../schemas/common.ts';

export const planFilingBody = z
  .strictObject({
    title: text(200),
    documentRef,
    filedOn: calendarDate,
    /** The plan year it concerns, if one (it then shows on that year's plan trail). */
    year: z.number().int().min(2000).max(2100).optional(),
  })
  .openapi('PlanFilingInput');

export const planFiling = z
  .object({
    id: z.string(),
    title: z.string(),
    documentRef: z.string(),
    filedOn: z.string(),
    year: z.number().int().nullable(),
    department: z.string().nullable(),
    jurisdiction: z.string(),
    filedBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('PlanFiling');

export function planFilingRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/plan-filings',
      tags: ['annual plans'],
      summary: "File a department's or county's own plan with the BDB (备案; department, Art. 6)",
      description:
        "The department and jurisdiction are the key's. On the plan's trail as `filing` (that year's, when `year` is given).",
      security,
      middleware: requireRole('department'),
      request: { body: { content: json(planFilingBody), required: true } },
      responses: {
        201: { description: 'Filed', content: json(planFiling) },
        400: problem('Invalid body'),
        401: problem('No or unknown key'),
        403: problem('Not a department key'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const filing = await fileOwnPlan(
        db,
        {
          id: randomUUID(),
          title: body.title,
          documentRef: body.documentRef,
          filedOn: body.filedOn,
          year: body.year ?? null,
        },
        c.get('actor'),
      );
      return c.json(filing, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/plan-filings',
      tags: ['annual plans'],
      summary: 'Filed plans, newest first (bdb: every filing; department: its own; Art. 6)',
      security,
      middleware: requireRole('bdb', 'department'),
      request: {
        query: z.strictObject({
          year: z
            .string()
            .regex(/^\d{4}$/)
            .transform(Number)
            .optional()
            .openapi({ type: 'integer' }),
        }),
      },
      responses: {
        200: { description: 'The filings', content: json(z.object({ items: z.array(planFiling) })) },
        400: problem('Invalid query'),
        401: problem('No or unknown key'),
        403: problem('Neither bdb nor department'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const { year } = c.req.valid('query');
      return c.json(
        await listFilings(db, { year, department: actor.role === 'department' ? actor.department : undefined }),
        200,
      );
    },
  );

  return app;
}
