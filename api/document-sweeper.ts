/**
 * Housekeeping of the document store, run by the API at start-up and then every
 * DOCUMENT_SWEEP_SECONDS:
 *
 * - temporaries of uploads cut off by a crash (kill -9 mid-upload) older than
 *   DOCUMENT_TEMPORARY_GRACE_SECONDS are removed (folder: files in tmp/; S3: incomplete multipart
 *   uploads and temporary objects) — they were never visible as documents;
 * - (policy) uploads no filing references (documents.project_id null) older than DOCUMENT_ORPHAN_DAYS
 *   are deleted, and their objects with them when no other upload has the same SM3.
 */
import type { Database } from '../db/client.ts';
import { deleteOrphans, orphanedDocuments } from '../db/queries/documents.ts';
import type { DocumentStore } from '../lib/documents.ts';
import type { Logger } from '../lib/logger.ts';

export interface SweepResult {
  temporaries: number;
  orphans: number;
  objects: number;
}

export interface DocumentSweeper {
  sweep(): Promise<SweepResult>;
  stop(): void;
}

export function startDocumentSweeper(deps: {
  db: Database;
  store: DocumentStore;
  log: Logger;
  orphanAfterMs: number;
  temporaryGraceMs: number;
  /** 0: only on demand (tests). */
  everyMs: number;
  /** Sweep once right away (default: yes — start-up cleans what a crash left). */
  atStart?: boolean;
}): DocumentSweeper {
  const { db, store, log } = deps;
  let running: Promise<SweepResult> | undefined;
  const once = async (): Promise<SweepResult> => {
    const temporaries = await store.backend.sweep(deps.temporaryGraceMs);
    let orphans = 0;
    let objects = 0;
    const before = new Date(Date.now() - deps.orphanAfterMs);
    for (;;) {
      const rows = await orphanedDocuments(db, before);
      if (rows.length === 0) break;
      const unreferenced = await deleteOrphans(db, rows);
      orphans += rows.length;
      // An object written again since the cut-off (a new upload of the same bytes) stays.
      for (const sm3 of unreferenced) if (await store.backend.remove(sm3, before)) objects++;
      if (rows.length < 500) break;
    }
    if (temporaries || orphans)
      log.info({ temporaries, orphans, objects, store: store.backend.describe }, 'document store swept');
    return { temporaries, orphans, objects };
  };
  const sweep = () => {
    // One sweep at a time; a second caller waits for the running one and then sweeps again.
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(once);
    running = next;
    return next;
  };
  const run = () =>
    void sweep().catch((err: unknown) =>
      log.warn(
        { err: (err as Error).message, store: store.backend.describe },
        'document store sweep failed; retried at the next interval',
      ),
    );
  if (deps.atStart !== false) run();
  const timer = deps.everyMs > 0 ? setInterval(run, deps.everyMs) : undefined;
  timer?.unref();
  return { sweep, stop: () => timer && clearInterval(timer) };
}
