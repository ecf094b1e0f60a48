/**
 * The `idempotency_records` table's one owner (shared/API.md "Idempotency"): a request's record is
 * claimed before it runs, its response stored after, or the record dropped after a 5xx.
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { idempotencyRecords } from '../schema.ts';

export interface RecordId {
  apiKeyId: string;
  idempotencyKey: string;
}

const matching = ({ apiKeyId, idempotencyKey }: RecordId) =>
  and(eq(idempotencyRecords.apiKeyId, apiKeyId), eq(idempotencyRecords.idempotencyKey, idempotencyKey));

/** Claims the key for this request; false when a record exists already (of two racing requests exactly one wins). */
export async function claimRecord(db: Database, id: RecordId, request: { method: string; path: string; requestHash: string }): Promise<boolean> {
  const inserted = await db
    .insert(idempotencyRecords)
    .values({ ...id, ...request })
    .onConflictDoNothing()
    .returning({ apiKeyId: idempotencyRecords.apiKeyId });
  return inserted.length === 1;
}

export async function findRecord(db: Database, id: RecordId) {
  const [existing] = await db
    .select({ requestHash: idempotencyRecords.requestHash, status: idempotencyRecords.status, response: idempotencyRecords.response, createdAt: idempotencyRecords.createdAt })
    .from(idempotencyRecords)
    .where(matching(id))
    .limit(1);
  return existing;
}

/** Takes over a record still pending after `staleAfterMs` (its request's process died); true once. */
export async function takeOverStale(db: Database, id: RecordId, staleAfterMs: number): Promise<boolean> {
  const taken = await db
    .update(idempotencyRecords)
    .set({ createdAt: new Date() })
    .where(and(matching(id), isNull(idempotencyRecords.status), lte(idempotencyRecords.createdAt, new Date(Date.now() - staleAfterMs))))
    .returning({ apiKeyId: idempotencyRecords.apiKeyId });
  return taken.length === 1;
}

export async function storeResponse(db: Database, id: RecordId, status: number, response: unknown): Promise<void> {
  await db.update(idempotencyRecords).set({ status, response }).where(matching(id));
}

export async function dropRecord(db: Database, id: RecordId): Promise<void> {
  await db.delete(idempotencyRecords).where(matching(id));
}
