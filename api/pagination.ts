/**
 * Keyset pagination over (created_at, id), newest first (docs/API.md "Pagination and filtering": `limit`, `cursor` →
 * `{items, nextCursor}`).
 *
 * The cursor is opaque to clients: base64url of `[microseconds since the epoch, id]` of the last row
 * returned. Microseconds, read from PostgreSQL itself, so a row stored with sub-millisecond precision
 * is neither skipped nor repeated (a JavaScript Date would round it to milliseconds). The id breaks
 * ties between rows created in the same microsecond. The SQL side (the position's condition and the
 * microseconds select field) is db/queries/keyset.ts.
 */
import { z } from '@hono/zod-openapi';
import type { CursorPosition } from '../db/queries/keyset.ts';

export type { CursorPosition };

const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,512}$/;
const MICROS = /^-?\d{1,18}$/;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.atMicros, position.id]), 'utf8').toString('base64url');
}

/** The position a cursor stands for, or undefined when it is not one this API issued. */
export function decodeCursor(cursor: string): CursorPosition | undefined {
  if (!CURSOR_TEXT.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [atMicros, id] = parsed as unknown[];
  if (typeof atMicros !== 'string' || !MICROS.test(atMicros)) return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) return undefined;
  return { atMicros, id };
}

/** Query parameter `cursor`: a malformed one fails validation (400 validation_failed). */
export const cursorParam = z
  .string()
  // minLength and pattern in the document: an empty `?cursor=` is outside the schema, not a valid value.
  .regex(CURSOR_TEXT, 'is not a cursor returned by this API')
  .refine((value) => decodeCursor(value) !== undefined, { message: 'is not a cursor returned by this API' })
  .optional()
  .openapi({ description: 'Opaque: the `nextCursor` of the previous page.' });

/** Query parameter `limit`: 1-200, default 50. */
export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .openapi({ description: 'Page size, 1-200 (default 50).' });

/**
 * Cuts a page of `limit` rows from `limit + 1` fetched ones; the cursor is the last row's position
 * when more rows follow.
 */
export function page<T extends { id: string; cursorMicros: string }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1]!;
  return { rows: pageRows, nextCursor: encodeCursor({ atMicros: last.cursorMicros, id: last.id }) };
}
