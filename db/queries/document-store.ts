/**
 * The `document_store_markers` table's one owner: the id of the folder store this database's
 * documents live in (lib/documents.ts checkFolderStore).
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { documentStoreMarkers } from '../schema.ts';

export interface StoreMarker {
  storeId: string;
  location: string;
  createdAt: Date;
}

export async function folderStoreMarker(db: Database): Promise<StoreMarker | undefined> {
  const [row] = await db
    .select({
      storeId: documentStoreMarkers.storeId,
      location: documentStoreMarkers.location,
      createdAt: documentStoreMarkers.createdAt,
    })
    .from(documentStoreMarkers)
    .where(eq(documentStoreMarkers.kind, 'folder'));
  return row;
}

/** Records the marker unless one exists; answers the one in force (of two racing first starts, one wins). */
export async function claimFolderStoreMarker(
  db: Database,
  marker: { storeId: string; location: string },
): Promise<StoreMarker> {
  await db
    .insert(documentStoreMarkers)
    .values({ kind: 'folder', ...marker })
    .onConflictDoNothing();
  return (await folderStoreMarker(db))!;
}
