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

// The workflow sandbox runs these schemas too: no code generation (`new Function`) there.
z.config({ jitless: true });

/** True when a PostgreSQL text or jsonb value can hold the string unchanged. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && value.isWellFormed();

export const UNSTORABLE_MESSAGE = 'contains a character that cannot be stored (NUL or a lone UTF-16 surrogate)';

/** A string of storable characters (untrimmed, any length). */
export const storableString = () => z.string().refine(isStorableText, { message: UNSTORABLE_MESSAGE, abort: true });

/** Required text: trimmed, 1..max characters. */
export const requiredText = (max = 4000) => storableString().trim().min(1).max(max);

/** Optional text: trimmed, up to max characters, '' when absent. */
export const optionalText = (max = 4000) => storableString().trim().max(max).default('');

/** A document reference (URL or content hash); the system stores no files yet. */
export const documentRef = requiredText(2048);

/** The largest single amount the measures' money may take (shared/DOMAIN.md "Money": ≤ 10^12 fen). */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/** Integer fen (分): money is never a float (shared/DOMAIN.md "Money"). */
export const fen = z.number().int('must be integer fen').min(0, 'must not be negative').max(MAX_AMOUNT_FEN, `must be at most ${MAX_AMOUNT_FEN} fen`);

/** A positive amount of integer fen. */
export const positiveFen = z.number().int('must be integer fen').min(1, 'must be at least 1 fen').max(MAX_AMOUNT_FEN, `must be at most ${MAX_AMOUNT_FEN} fen`);

/** The first and last years the system accepts for plans, budgets and evaluations (the measures date from 2019). */
export const YEARS = { min: 2019, max: 2100 } as const;
export const year = z.number().int('must be a year').min(YEARS.min, `must be ${YEARS.min} or later`).max(YEARS.max, `must be ${YEARS.max} or earlier`);

/** A calendar date YYYY-MM-DD (Asia/Shanghai) that exists, between 2000 and 2100. */
export const calendarDate = z.iso
  .date('must be a calendar date YYYY-MM-DD')
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', { message: 'must lie between 2000-01-01 and 2100-12-31', abort: true });

/** An ISO 8601 instant with an offset. */
export const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant' });

/** A score 0-100 (Art. 23 evaluations). */
export const score = z.number().int('must be a whole number').min(0).max(100);

/** An id the core gave an entity (objection, change request, rectification order). */
export const entityId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not an id');

/** A contract number as the department writes it: 1-64 characters without / or whitespace. */
export const contractNo = storableString().regex(/^[^/\s]{1,64}$/, 'must be 1-64 characters without / or spaces');

/** A quarter like 2026Q3 (Art. 16 progress periods). */
export const period = z.string().regex(/^\d{4}Q[1-4]$/, 'must be a quarter like 2026Q3');
