/**
 * The SQL side of keyset pagination over (created_at, id), newest first (api/pagination.ts holds
 * the cursor's encoding and the page cut).
 */
import { and, or, lt, lte, sql, type Column, type SQL } from 'drizzle-orm';

export interface CursorPosition {
  /** Microseconds since the Unix epoch, as decimal digits (exceeds 2^53 in general). */
  atMicros: string;
  id: string;
}

/** A select field giving the row's timestamp as exact microseconds since the epoch (text). */
export const cursorMicros = (createdAt: Column) =>
  sql<string>`(extract(epoch from ${createdAt}) * 1000000)::bigint::text`;

/**
 * Rows strictly after `position` in "newest first, then id descending" order. Written as
 * `created_at <= t and (created_at < t or id < i)` so the (…, created_at) indexes bound the scan.
 */
export function after(createdAt: Column, id: Column, position: CursorPosition): SQL {
  const at = sql`(timestamptz 'epoch' + ${position.atMicros}::bigint * interval '1 microsecond')`;
  return and(lte(createdAt, at), or(lt(createdAt, at), lt(id, position.id)))!;
}
