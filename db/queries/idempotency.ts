/**
 * The `idempotency_records` table's one owner (docs/API.md "Idempotency"): a request's record is
 * claimed before it runs, its response stored after, or the record dropped after a 5xx.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { idempotencyRecords } from '../schema.ts';

export interface RecordId {
  apiKeyId: string;
  idempotencyKey: string;
}

const matching = ({ apiKeyId, idempotencyKey }: RecordId) =>
  and(eq(idempotencyRecords.apiKeyId, apiKeyId), eq(idempotencyRecords.idempotencyKey, idempotencyKey));

/** Claims the key for this request; false when a record exists already (of two racing requests exactly one wins). */
export async function claimRecord(
  db: Database,
  id: RecordId,
  request: { method: string; path: string; requestHash: string },
): Promise<boolean> {
  const inserted = await db
    .insert(idempotencyRecords)
    // Milliseconds, as a JavaScript Date holds them: reclaim() compares the value it read back.
    .values({ ...id, ...request, createdAt: new Date() })
    .onConflictDoNothing()
    .returning({ apiKeyId: idempotencyRecords.apiKeyId });
  return inserted.length === 1;
}

export async function findRecord(db: Database, id: RecordId) {
  const [existing] = await db
    .select({
      requestHash: idempotencyRecords.requestHash,
      status: idempotencyRecords.status,
      response: idempotencyRecords.response,
      createdAt: idempotencyRecords.createdAt,
      workflowId: idempotencyRecords.workflowId,
      updateId: idempotencyRecords.updateId,
      sentAt: idempotencyRecords.sentAt,
    })
    .from(idempotencyRecords)
    .where(matching(id))
    .limit(1);
  return existing;
}

/**
 * Takes over a pending record as it was read (`createdAt` unchanged since): of several retries that
 * found it, exactly one gets true. Its clocks restart: the record is this request's from now on.
 */
export async function reclaim(db: Database, id: RecordId, seenCreatedAt: Date): Promise<boolean> {
  const now = new Date();
  const taken = await db
    .update(idempotencyRecords)
    .set({
      createdAt: now,
      sentAt: sql`case when ${idempotencyRecords.sentAt} is null then null else ${now.toISOString()}::timestamptz end`,
    })
    .where(and(matching(id), isNull(idempotencyRecords.status), eq(idempotencyRecords.createdAt, seenCreatedAt)))
    .returning({ apiKeyId: idempotencyRecords.apiKeyId });
  return taken.length === 1;
}

/** The pending request is about to send this Temporal Update (a no-op for a key without a pending record). */
export async function noteUpdate(
  db: Database,
  id: RecordId,
  update: { workflowId: string; updateId: string },
): Promise<void> {
  await db
    .update(idempotencyRecords)
    .set({ ...update, sentAt: new Date() })
    .where(and(matching(id), isNull(idempotencyRecords.status)));
}

export async function storeResponse(db: Database, id: RecordId, status: number, response: unknown): Promise<void> {
  await db.update(idempotencyRecords).set({ status, response }).where(matching(id));
}

export async function dropRecord(db: Database, id: RecordId): Promise<void> {
  await db.delete(idempotencyRecords).where(matching(id));
}
