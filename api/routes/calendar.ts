/**
 * The working-day calendar (docs/MEASURES.md "Working days"): only dates that differ from
 * "Monday–Friday work, weekends off" are stored — statutory holidays, bridges and adjusted working
 * weekends (调休). Each day has its source: `law` (provisional, computed from the holiday law),
 * `notice` (the State Council's notice of the year, with its reference) or `admin` (an override).
 * See db/calendar.ts for where the days come from.
 *
 * A change of a year's calendar moves the open deadlines not yet due whose window touches a
 * changed day: the API recomputes their dates and sends them to each project as the internal
 * `deadlineRescheduling` command (domain/rescheduling.ts), so every move is on the audit trail.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  calendarStatus,
  calendarYearDays,
  enterNotice,
  loadCalendar,
  overrideDays,
  statutoryDaysMadeWorkdays,
  type CalendarDayRow,
} from '../../db/calendar.ts';
import type { Database } from '../../db/client.ts';
import { projectsWithOpenDeadlines } from '../../db/queries/projects.ts';
import type { DeadlineReschedulingPayload } from '../../domain/rescheduling.ts';
import {
  addDays,
  changedDays,
  recomputeDeadline,
  shanghaiDate,
  type ScheduledDeadline,
} from '../../domain/calendar/index.ts';
import type { ProjectView } from '../../domain/view-shapes.ts';
import type { Actor } from '../../domain/vocabulary.ts';
import { requireDuty, trailActor } from '../auth.ts';
import { OutcomePending, type ProjectGateway } from '../gateway.ts';
import { recordAdminChange } from '../../db/queries/admin-trail.ts';
import { ApiError } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { calendarBody, calendarStatusSchema, calendarUpdate, calendarYear } from '../schemas/calendar.ts';
import { yearParam } from '../schemas/common.ts';

const dayOut = (d: CalendarDayRow) => ({
  date: d.date,
  workday: d.workday,
  name: d.name,
  source: d.source,
  ...(d.reference !== null ? { reference: d.reference } : {}),
  provisional: d.provisional,
});

interface Logger {
  warn(obj: object, msg: string): void;
}

export function calendarRoutes({
  db,
  gateway,
  log,
}: {
  db: Database;
  gateway?: Pick<ProjectGateway, 'execute'>;
  log?: Logger;
}) {
  const app = createRouter();

  async function yearOf(year: number) {
    return { year, days: (await calendarYearDays(db, year)).map(dayOut) };
  }

  /**
   * docs/MEASURES.md "Working days": recomputes the open deadlines not yet due whose window touches
   * a changed day and sends each affected project its new dates. Idempotent: equal dates move nothing.
   */
  async function reschedule(changed: string[], cause: DeadlineReschedulingPayload['cause'], actor: Actor) {
    if (changed.length === 0 || !gateway) return { moved: 0, projects: 0 };
    const now = new Date().toISOString();
    const rows = await projectsWithOpenDeadlines(db);
    const candidates = rows.flatMap(({ id, view }) => {
      const deadlines = ((view as ProjectView).deadlines ?? []).flatMap((d): ScheduledDeadline[] =>
        d.status === 'open' && d.rule && d.reminder !== undefined && Date.parse(d.dueAt) > Date.parse(now)
          ? [
              {
                id: d.id,
                startsOn: shanghaiDate(d.startsAt),
                dueAt: d.dueAt,
                remindAt: d.remindAt ?? null,
                rule: d.rule,
                reminder: d.reminder,
              },
            ]
          : [],
      );
      return deadlines.length > 0 ? [{ id, deadlines }] : [];
    });
    if (candidates.length === 0) return { moved: 0, projects: 0 };
    const starts = candidates.flatMap((c) => c.deadlines.map((d) => d.startsOn)).sort();
    const isWorkday = await loadCalendar(db, addDays(starts[0]!, -400), addDays(starts.at(-1)!, 1200));
    let moved = 0;
    let touched = 0;
    for (const project of candidates) {
      const changes = project.deadlines.flatMap((d) => {
        const next = recomputeDeadline(d, changed, isWorkday);
        return next ? [{ deadlineId: d.id, ...next }] : [];
      });
      if (changes.length === 0) continue;
      try {
        const view = await gateway.execute(project.id, {
          name: 'deadlineRescheduling',
          payload: { cause, changes },
          actor,
        });
        const applied = changes.filter((ch) =>
          view.deadlines.some(
            (d) => d.id === ch.deadlineId && d.dueAt === ch.dueAt && (d.remindAt ?? null) === ch.remindAt,
          ),
        );
        moved += applied.length;
        if (applied.length > 0) touched += 1;
      } catch (err) {
        // Accepted but not answered yet: it applies when the workflow runs it; the others go on.
        if (err instanceof OutcomePending) {
          log?.warn({ projectId: project.id, updateId: err.updateId }, 'deadline rescheduling pending');
          continue;
        }
        // A project that ended meanwhile (409) or vanished (404) keeps its dates; others go on.
        if (!(err instanceof ApiError) || (err.status !== 409 && err.status !== 404)) throw err;
        log?.warn({ projectId: project.id, code: err.code }, 'deadline rescheduling skipped');
      }
    }
    return { moved, projects: touched };
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/calendar/status',
      tags: ['calendar'],
      summary: "Whether this year's and next year's State Council notices are entered (any role)",
      description:
        'For this year and next (Asia/Shanghai): `notice` (entered, or from the chinese-days package), `provisional` ' +
        '(law-derived days only) and the notice `reference`; `nextYearReady`; from 1 November without next ' +
        "year's notice a `warning`.",
      security,
      responses: {
        200: { description: 'Calendar coverage', content: json(calendarStatusSchema) },
        401: problem('No or unknown key'),
      },
    }),
    async (c) => c.json(await calendarStatus(db), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/calendar/{year}',
      tags: ['calendar'],
      summary: "A year's stored calendar days (any role)",
      description:
        'The dates of that year that differ from the Monday–Friday rule: holidays (`workday: false`) and adjusted ' +
        'working weekends (`workday: true`), each with its `source` (`law`: computed from the holiday law, ' +
        '`provisional` until the notice is entered; `notice` with its `reference`; `admin`: an override).',
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
      summary: "Enter a year's State Council notice, or override days (admin)",
      description:
        'With `notice` (the notice reference, e.g. 国办发明电〔2026〕N号) `days` is the whole notice of the year: its ' +
        "holidays and make-up working days replace the year's law and notice days (admin overrides stay); every " +
        'statutory holiday of the year stays a holiday (422 `statutory_holiday_workday`), and those not listed are ' +
        'kept. Without `notice`, the given dates are upserted as admin overrides. Every date must lie in `year`. ' +
        'Open deadlines not yet due whose window touches a changed day are then recomputed, each on the audit ' +
        'trail of its project; `moved` counts them and `projects` their projects. A repeated PUT moves nothing.',
      security,
      middleware: requireDuty('configuration'),
      request: {
        params: z.object({ year: yearParam }),
        body: { content: json(calendarBody), required: true },
      },
      responses: {
        200: { description: "The year's stored days after the update, and what moved", content: json(calendarUpdate) },
        400: problem('Invalid year or body, a date outside the year or a date twice'),
        401: problem('No or unknown key'),
        403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
        422: problem('statutory_holiday_workday: a notice makes a statutory holiday a working day'),
        503: problem('Temporal cannot be reached; the days are stored, retry the PUT to move the deadlines'),
      },
    }),
    async (c) => {
      const { year } = c.req.valid('param');
      const { days, notice } = c.req.valid('json');
      const outside = days.flatMap((d, i) =>
        d.date.startsWith(`${year}-`) ? [] : [{ path: `json.days.${i}.date`, message: `must be a date in ${year}` }],
      );
      if (outside.length > 0) {
        throw new ApiError(400, 'validation_failed', 'Validation failed', `Every date must lie in ${year}.`, {
          errors: outside,
        });
      }
      if (notice !== undefined) {
        const made = statutoryDaysMadeWorkdays(year, days);
        if (made.length > 0) {
          throw new ApiError(
            422,
            'statutory_holiday_workday',
            'A statutory holiday cannot be a working day',
            `The holiday law keeps ${made.map((d) => `${d.date} (${d.name})`).join(', ')} a holiday; a notice cannot make it a working day.`,
            { days: made },
          );
        }
      }
      const actor = c.get('actor');
      const window = [`${year}-01-01`, `${year}-12-31`] as const;
      const before = await loadCalendar(db, ...window);
      // The days of the year before and after, on the administrators' trail.
      await recordAdminChange(
        db,
        trailActor(c),
        notice !== undefined ? 'calendar.notice' : 'calendar.override',
        async (tx) => {
          const daysBefore = await calendarYearDays(tx, year);
          if (notice !== undefined) await enterNotice(tx, year, notice, days, actor.keyId);
          else await overrideDays(tx, days, actor.keyId);
          const touched = (rows: Awaited<ReturnType<typeof calendarYearDays>>) =>
            rows
              .filter((d) => notice !== undefined || days.some((x) => x.date === d.date))
              .map((d) => ({
                date: d.date,
                workday: d.workday,
                name: d.name,
                source: d.source,
                reference: d.reference,
              }));
          return {
            result: undefined,
            target: String(year),
            before: touched(daysBefore),
            after: touched(await calendarYearDays(tx, year)),
          };
        },
      );
      const after = await loadCalendar(db, ...window);
      const cause =
        notice !== undefined
          ? { year, source: 'notice' as const, reference: notice }
          : { year, source: 'admin' as const };
      const result = await reschedule(changedDays(year, before, after), cause, actor);
      return c.json({ ...(await yearOf(year)), ...result }, 200);
    },
  );

  return app;
}
