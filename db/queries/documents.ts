/**
 * Queries of the `documents` table: an upload's metadata row and its lookup by id, the
 * documents filed with a project, and the housekeeping: the volume a key uploaded today (the daily
 * limit, policy) and the uploads no filing references after the policy period (orphans).
 */
import { and, count, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { documents, type DocumentRow } from '../schema.ts';

/** Bytes the key uploaded since `since` (stored documents only: a refused upload stored nothing). */
export async function bytesUploadedSince(db: Database, keyId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<string | null>`sum(${documents.size})` })
    .from(documents)
    .where(and(eq(documents.uploadedByKeyId, keyId), gte(documents.uploadedAt, since)));
  return Number(row?.total ?? 0);
}

/** Uploads never filed (projectId null) and uploaded before `before`, at most `limit`. */
export const orphanedDocuments = (db: Database, before: Date, limit = 500): Promise<DocumentRow[]> =>
  db
    .select()
    .from(documents)
    .where(and(isNull(documents.projectId), lt(documents.uploadedAt, before)))
    .limit(limit);

/**
 * Deletes these orphans' rows (only while still unfiled) and answers the SM3 digests no row refers to
 * any more, whose objects may then go.
 */
export async function deleteOrphans(db: Database, rows: DocumentRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const deleted = await db
    .delete(documents)
    .where(
      and(
        inArray(
          documents.id,
          rows.map((r) => r.id),
        ),
        isNull(documents.projectId),
      ),
    )
    .returning({ sm3: documents.sm3 });
  const digests = [...new Set(deleted.map((d) => d.sm3))];
  if (digests.length === 0) return [];
  const still = await db
    .select({ sm3: documents.sm3, n: count() })
    .from(documents)
    .where(inArray(documents.sm3, digests))
    .groupBy(documents.sm3);
  const used = new Set(still.map((s) => s.sm3));
  return digests.filter((d) => !used.has(d));
}

/** The documents filed with a project (Art. 8, 15, 18, 21, 22, 28, 29), oldest first. */
export const documentsOfProject = (db: Database, projectId: string): Promise<DocumentRow[]> =>
  db.select().from(documents).where(eq(documents.projectId, projectId)).orderBy(documents.uploadedAt, documents.id);

/** The document `id`, or undefined when there is none. */
export async function documentById(db: Database, id: string): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  return row;
}

/** Stores an upload's metadata (its object is already in the document store) and answers the row. */
export async function insertDocument(db: Database, values: typeof documents.$inferInsert): Promise<DocumentRow> {
  const [row] = await db.insert(documents).values(values).returning();
  return row!;
}

/** Marks these documents as filed with the project, those not filed yet (in the filing's transaction). */
export async function fileDocuments(db: Database, projectId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(documents)
    .set({ projectId })
    .where(and(inArray(documents.id, ids), isNull(documents.projectId)));
}
