/**
 * What the request and response schemas of every area share (docs/API.md "Conventions"): the text,
 * date and amount primitives (the domain's), jurisdiction and department codes, project ids, yes/no
 * filters, years in a path, and the small pieces of responses (amounts, fund balances, instants).
 * Unknown fields are rejected.
 */
import { z } from '@hono/zod-openapi';

/** The primitives are the domain's (domain/field-schemas.ts): one definition for the API and the workflow. */
export {
  calendarDate,
  CALENDAR_DATE_RANGE,
  documentRef,
  fen,
  optionalText,
  positiveFen,
  requiredText as text,
  storableString,
} from '../../domain/field-schemas.ts';

/** Jurisdiction: `city` or a county code (Art. 5, 30). */
export const jurisdiction = z.string().regex(/^(city|[a-z0-9-]{2,32})$/, 'must be `city` or a county code');

export const departmentCode = z
  .string()
  .regex(/^[A-Za-z0-9_-]{2,64}$/, 'must be a department code (2-64 letters, digits, - or _)');

/** A yes/no query filter (`?overdue=true`), and its value for a query: undefined when not given. */
export const booleanFilter = z.enum(['true', 'false']);
export const booleanOf = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

export const projectId = z
  .string()
  .regex(/^[A-Z0-9-]{4,40}$/, 'is not a project id')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'JC2026-7F3K9Q2M' });

/** An amount in a response: integer fen (totals may exceed what one request may carry). */
export const amount = z.number().int();
export const fundBalance = z.object({
  allocatedFen: amount,
  heldFen: amount,
  availableFen: amount,
  frozenFen: amount,
  disbursedFen: amount,
  cancelledFen: amount,
});
export const nullableText = z.string().nullable();
export const by = { at: z.string(), by: z.string() };
export const durationSchema = z.object({ unit: z.enum(['workingDays', 'calendarDays']), amount: z.number().int() });

export const instant = z.string().openapi({ format: 'date-time', example: '2026-03-02T08:00:00.000Z' });

/**
 * A year in a path (`/v1/annual-plans/{year}`, `/v1/calendar/{year}`): exactly four digits, 2000-2100.
 * Not z.coerce.number(): Number() would also read `0x7ea`, `2026.0` or ` 2026` as 2026.
 */
export const yearParam = z
  .string()
  .regex(/^\d{4}$/, 'must be a year of four digits')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(2000, 'must be a year between 2000 and 2100')
      .max(2100, 'must be a year between 2000 and 2100'),
  )
  .openapi({
    param: { name: 'year', in: 'path' },
    type: 'integer',
    minimum: 2000,
    maximum: 2100,
    example: 2026,
    description: 'Four digits, 2000-2100.',
  });
