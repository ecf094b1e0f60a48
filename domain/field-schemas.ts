/**
 * The primitives every text and value a person or system sends is checked with: one definition for
 * the API validators, the OpenAPI document and the workflow's check of Updates and signals.
 *
 * Storable text: PostgreSQL `text` and `jsonb` cannot hold NUL (U+0000), and a lone UTF-16
 * surrogate is not Unicode at all (jsonb refuses its escape; a text column would silently store
 * U+FFFD). Such input is refused at the door with 400 validation_failed naming the field, so it can
 * never reach a workflow whose effects the database then refuses forever.
 */
import { z } from 'zod';
import { memo } from './memo.ts';
import { BIDI_CONTROLS, hasVisibleCharacter } from './visible.ts';

export { BIDI_CONTROLS, hasVisibleCharacter, visibleLength } from './visible.ts';

// The workflow sandbox runs these schemas too: no code generation (`new Function`) there.
z.config({ jitless: true });

/** True when a PostgreSQL text or jsonb value can hold the string unchanged. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && value.isWellFormed();

export const UNSTORABLE_MESSAGE = 'contains a character that cannot be stored (NUL or a lone UTF-16 surrogate)';

/** Why a text a person sent would mislead a reader, or undefined: blank-looking, or bidi controls. */
export function misleadingText(value: string): string | undefined {
  if (value !== '' && !hasVisibleCharacter(value)) return 'must not be blank (only invisible characters)';
  if (BIDI_CONTROLS.test(value))
    return 'must not contain bidirectional override or isolate controls (U+202A-202E, U+2066-2069)';
  return undefined;
}

/**
 * A string of storable characters (untrimmed, any length). The pattern shows the NUL rule in the
 * OpenAPI document; the refinement also refuses lone surrogates, which JSON Schema cannot express.
 */
export const storableString = () =>
  z
    .string()
    .regex(/^[^\x00]*$/, UNSTORABLE_MESSAGE)
    .refine(isStorableText, { message: UNSTORABLE_MESSAGE, abort: true });

/**
 * At least one character that is not white space, a control character, a common format character
 * (zero-width, joiners, BOM, soft hyphen, bidi marks) or a lone combining mark of the main block —
 * written without Unicode classes, so that the OpenAPI document's pattern means the same in every
 * regex engine a client or fuzzer uses. domain/visible.ts judges the full classes at the API.
 */
const VISIBLE_SOMEWHERE =
  /^[^\x00]*[^\s\ufeff\x00-\x1f\x7f-\x9f\u00ad\u0300-\u036f\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\uffa0][^\x00]*$/;

/**
 * Text that must not be blank: at most `max` characters as sent, at least one of them not white
 * space (a pattern, so "\r" is outside the schema instead of passing `minLength` and failing after
 * trimming), stored trimmed. `\ufeff` is listed because JavaScript trims it but not every regex
 * engine calls it space.
 */
export const requiredText = (max = 4000) =>
  z
    .string()
    .max(max)
    .regex(VISIBLE_SOMEWHERE, `must not be blank; ${UNSTORABLE_MESSAGE.replace('contains', 'must not contain')}`)
    .refine(isStorableText, { message: UNSTORABLE_MESSAGE, abort: true })
    .trim();

/** Optional text: at most `max` characters as sent, stored trimmed, '' when absent. */
export const optionalText = (max = 4000) => storableString().max(max).trim().default('');

/**
 * A document reference: `sm3:<hex>` for a document of the document store (set by the API from a
 * `documentId`), or — legacy, still accepted — any free text (a URL or content hash of a file kept
 * elsewhere).
 */
export const documentRef = memo('text.documentRef', () => requiredText(2048));

/** The id of an uploaded document (`POST /v1/documents`). */
export const documentId = memo('text.documentId', () =>
  z.string().regex(/^doc_[0-9a-f]{24}$/, 'is not a document id (doc_ and 24 hex digits)'),
);

/** The largest single amount the measures' money may take (docs/MEASURES.md "Money": ≤ 10^12 fen). */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/**
 * Integer fen (分) of at least `min`: money is never a float (docs/MEASURES.md "Money"). One bound
 * per schema: `fen.min(1)` would keep fen's own `min(0)` and report a negative amount twice.
 */
const fenAtLeast = (min: 0 | 1) =>
  z
    .number()
    .int('must be integer fen')
    .min(min, min === 0 ? 'must be 0 or more fen' : 'must be 1 fen or more')
    .max(MAX_AMOUNT_FEN, `must be at most ${MAX_AMOUNT_FEN} fen (shared/DOMAIN.md "Money")`);

/** An amount in fen, 0 or more. */
export const fen = memo('text.fen', () => fenAtLeast(0));

/** An amount in fen, 1 or more (allocations, disbursements, contracts). */
export const positiveFen = memo('text.positiveFen', () => fenAtLeast(1));

/** The first and last years the system accepts for plans, budgets and evaluations (the measures date from 2019). */
export const YEARS = { min: 2019, max: 2100 } as const;
export const year = memo('text.year', () =>
  z
    .number()
    .int('must be a year')
    .min(YEARS.min, `must be ${YEARS.min} or later`)
    .max(YEARS.max, `must be ${YEARS.max} or earlier`),
);

/** The range of every calendar date the system accepts (the measures date from 2019; 2100 is far enough). */
export const CALENDAR_DATE_RANGE = { min: '2000-01-01', max: '2100-12-31' } as const;

/**
 * A calendar date in Asia/Shanghai, YYYY-MM-DD (docs/API.md "Conventions"), that exists and lies in
 * CALENDAR_DATE_RANGE: the one definition every date field uses. The pattern states the years
 * 2000-2100 in the OpenAPI document.
 */
export const calendarDate = memo('text.calendarDate', () =>
  z
    .string()
    .regex(
      /^(20\d\d|2100)-\d\d-\d\d$/,
      `must be a calendar date YYYY-MM-DD between ${CALENDAR_DATE_RANGE.min} and ${CALENDAR_DATE_RANGE.max}`,
    )
    .refine((value) => z.iso.date().safeParse(value).success, {
      message: 'must be a calendar date YYYY-MM-DD that exists',
      abort: true,
    })
    .meta({ format: 'date', example: '2027-06-30' }),
);

/** An ISO 8601 instant with an offset. */
export const instant = memo('text.instant', () =>
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant' }),
);

/** A score 0-100 (Art. 23 evaluations). */
export const score = memo('text.score', () => z.number().int('must be a whole number').min(0).max(100));

/** An id the core gave an entity (objection, change request, rectification order). */
export const entityId = memo('text.entityId', () => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not an id'));

/** A contract number as the department writes it: 1-64 characters without / or whitespace. */
export const contractNo = memo('text.contractNo', () =>
  z
    .string()
    .regex(/^[^/\s\x00]{1,64}$/, 'must be 1-64 characters without /, spaces or NUL')
    .refine(isStorableText, { message: UNSTORABLE_MESSAGE, abort: true }),
);

/** A quarter like 2026Q3 (Art. 16 progress periods). */
export const period = memo('text.period', () => z.string().regex(/^\d{4}Q[1-4]$/, 'must be a quarter like 2026Q3'));
