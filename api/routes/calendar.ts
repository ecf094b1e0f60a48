/**
 * The working-day calendar (shared/DOMAIN.md "Working days"): only dates that differ from
 * "Monday–Friday work, weekends off" are stored — statutory holidays and adjusted working weekends
 * (调休), seeded from `chinese-days` and overridable per date by an admin.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, gte, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { calendarDays } from '../../db/schema.ts';
import { requireRole } from '../auth.ts';
import { ApiError } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { calendarBody, calendarYear, yearParam } from '../schemas.ts';

export function calendarRoutes({ db }: { db: Database }) {
  const app = createRouter();

  async function yearOf(year: number) {
    const rows = await db
      .select({ date: calendarDays.date, workday: calendarDays.workday, name: calendarDays.name, source: calendarDays.source })
      .from(calendarDays)
      .where(and(gte(calendarDays.date, `${year}-01-01`), lte(calendarDays.date, `${year}-12-31`)))
      .orderBy(asc(calendarDays.date));
    return { year, days: rows };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/calendar/{year}',
      tags: ['calendar'],
      summary: "A year's stored calendar days (any role)",
      description:
        'The dates of that year that differ from the Monday–Friday rule: statutory holidays (`workday: false`) ' +
        'and adjusted working weekends (`workday: true`), from the seed (`source: chinese-days`) or an admin override.',
      security,
      request: { params: z.object({ year: yearParam }) },
      responses: {
        200: { description: 'Stored days, by date', content: json(calendarYear) },
        400: problem('Invalid year'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => c.json(await yearOf(c.req.valid('param').year), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/calendar/{year}',
      tags: ['calendar'],
      summary: 'Override calendar days of a year (admin)',
      description:
        'Upserts the given dates with `source: admin` (a later seed never overwrites them); other dates are ' +
        'left as they are. Every date must lie in `year`. Running deadlines are NOT moved: a deadline is ' +
        'computed once, when it starts, and recorded (shared/DOMAIN.md "Working days"); only deadlines ' +
        'started after the edit use the new calendar.',
      security,
      middleware: requireRole('admin'),
      request: {
        params: z.object({ year: yearParam }),
        body: { content: json(calendarBody), required: true },
      },
      responses: {
        200: { description: "The year's stored days after the update", content: json(calendarYear) },
        400: problem('Invalid year or body, or a date outside the year'),
        401: problem('No or unknown key'),
        403: problem('Not an admin key'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const { days } = c.req.valid('json');
      const outside = days.flatMap((d, i) =>
        d.date.startsWith(`${year}-`) ? [] : [{ path: `json.days.${i}.date`, message: `must be a date in ${year}` }],
      );
      if (outside.length > 0) {
        throw new ApiError(400, 'validation_failed', 'Validation failed', `Every date must lie in ${year}.`, { errors: outside });
      }
      const by = c.get('actor').keyId;
      const now = new Date();
      await db
        .insert(calendarDays)
        .values(days.map((d) => ({ date: d.date, workday: d.workday, name: d.name, source: 'admin' as const, updatedAt: now, updatedBy: by })))
        .onConflictDoUpdate({
          target: calendarDays.date,
          set: {
            workday: sql`excluded.workday`,
            name: sql`excluded.name`,
            source: sql`excluded.source`,
            updatedAt: sql`excluded.updated_at`,
            updatedBy: sql`excluded.updated_by`,
          },
        });
      return c.json(await yearOf(year), 200);
    },
  );

  return app;
}
