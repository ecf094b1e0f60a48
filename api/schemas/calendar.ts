/**
 * Schemas of the working-day calendar (api/routes/calendar.ts; docs/MEASURES.md "Working days"): a
 * year's days as the State Council's notice sets them, updates and the calendar's status.
 */
import { z } from '@hono/zod-openapi';
import { calendarDate, optionalText, requiredText as text } from '../../domain/field-schemas.ts';

export const calendarDayInput = z
  .strictObject({ date: calendarDate, workday: z.boolean(), name: optionalText(100) })
  .openapi('CalendarDayInput');

/** A State Council notice's reference, e.g. 国办发明电〔2026〕N号. */
export const noticeReference = text(200).openapi({ example: '国办发明电〔2026〕7号' });

export const calendarBody = z
  .strictObject({
    days: z.array(calendarDayInput).min(1).max(366),
    notice: noticeReference.optional().openapi({
      description:
        "With it, `days` is the whole year's State Council notice (holidays and make-up working days): it replaces the " +
        "year's law and notice days (admin overrides stay). Without it, `days` are per-date admin overrides.",
    }),
  })
  .refine((b) => new Set(b.days.map((d) => d.date)).size === b.days.length, {
    message: 'each date may appear once',
    path: ['days'],
  })
  .openapi('CalendarInput', {
    description:
      'Each date may appear once, and every date must lie in the `year` of the path (checked by the API; 400 otherwise).',
  });

export const calendarDaySchema = z
  .object({
    date: z.string(),
    workday: z.boolean(),
    name: z.string(),
    source: z.enum(['law', 'notice', 'admin']),
    reference: z.string().optional(),
    provisional: z.boolean(),
  })
  .openapi('CalendarDay');

export const calendarYear = z
  .object({ year: z.number().int(), days: z.array(calendarDaySchema) })
  .openapi('CalendarYear');

export const calendarUpdate = calendarYear
  .extend({
    moved: z.number().int().openapi({ description: 'Open deadlines not yet due whose due or reminder date moved' }),
    projects: z.number().int().openapi({ description: 'Projects those deadlines belong to' }),
  })
  .openapi('CalendarUpdate');

const calendarYearStatus = z.object({
  year: z.number().int(),
  notice: z.boolean(),
  provisional: z.boolean(),
  reference: z.string().nullable(),
});

export const calendarStatusSchema = z
  .object({ years: z.array(calendarYearStatus), nextYearReady: z.boolean(), warning: z.string().nullable() })
  .openapi('CalendarStatus');
