/**
 * The `api_keys` table's one owner: creating, listing, finding and revoking keys (docs/API.md
 * "Auth"). The API's admin routes, its authentication and the `npm run keys` CLI all go through here.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { apiKeys, type ApiKeyRow } from '../schema.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { recordAdminChange, type AdminActor } from './admin-trail.ts';

export type { ApiKeyRow };

export interface NewKey {
  id: string;
  secretHash: string;
  role: Role;
  name: string;
  department?: string | null | undefined;
  /** Art. 5, 12, 30 (measures): default `city`. */
  jurisdiction?: string | undefined;
  createdBy: string;
}

export async function insertKey(db: Database, key: NewKey): Promise<ApiKeyRow> {
  const [row] = await db
    .insert(apiKeys)
    .values({ ...key, department: key.department ?? null, jurisdiction: key.jurisdiction ?? 'city' })
    .returning();
  return row!;
}

/** Every key, newest first. */
export const listKeys = (db: Database): Promise<ApiKeyRow[]> =>
  db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));

/** A key by id, revoked or not. */
export async function findKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return row;
}

/** An active (not revoked) key by id. */
export async function findActiveKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

/**
 * Revokes an active key. Only an active key is revoked, so a second call cannot move `revokedAt`:
 * `revoked`, `already` (with the first revocation time) or `unknown`.
 */
export async function revokeKey(
  db: Database,
  id: string,
): Promise<{ outcome: 'revoked' } | { outcome: 'already'; revokedAt: Date | null } | { outcome: 'unknown' }> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (row) return { outcome: 'revoked' };
  const [existing] = await db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return existing ? { outcome: 'already', revokedAt: existing.revokedAt } : { outcome: 'unknown' };
}

/** A key as the administrators' trail shows it: never its secret or digest. */
const keyOnTrail = (k: ApiKeyRow) => ({
  id: k.id,
  role: k.role,
  name: k.name,
  department: k.department,
  jurisdiction: k.jurisdiction,
  revokedAt: k.revokedAt,
});

/** insertKey, on the administrators' trail in the same transaction. */
export const insertKeyOnTrail = (db: Database, key: NewKey, actor: AdminActor): Promise<ApiKeyRow> =>
  recordAdminChange(db, actor, 'api-key.create', async (tx) => {
    const created = await insertKey(tx, key);
    return { result: created, target: created.id, before: null, after: keyOnTrail(created) };
  });

/** revokeKey, on the administrators' trail when it revoked something. */
export const revokeKeyOnTrail = (db: Database, id: string, actor: AdminActor): ReturnType<typeof revokeKey> =>
  recordAdminChange(db, actor, 'api-key.revoke', async (tx) => {
    const before = await findKey(tx, id);
    const outcome = await revokeKey(tx, id);
    if (outcome.outcome !== 'revoked' || !before) return { result: outcome, skip: true as const };
    return { result: outcome, target: id, before: keyOnTrail(before), after: { ...keyOnTrail(before), revoked: true } };
  });
