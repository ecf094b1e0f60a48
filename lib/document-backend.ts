/**
 * What a document store backend is (lib/documents.ts's folder backend, lib/document-s3.ts's S3
 * backend): the interface both implement and the one `replace` they share, in a module of its own so
 * neither backend imports the other's module.
 */
/** The store's storage: whole objects by key (an SM3 hex digest), written atomically. */
export interface DocumentBackend {
  /** A new object being written; invisible until `commit`. */
  create(): Promise<PendingObject>;
  /** An object for random-access reading, or undefined when there is none under `key`. */
  open(key: string): Promise<StoredObject | undefined>;
  /** Writes a new version of an object and swaps it in atomically (`rewrap`). */
  replace(key: string, write: (pending: PendingObject) => Promise<void>): Promise<void>;
  /**
   * Deletes the object under `key` unless it was written after `ifOlderThan` (an upload of the same
   * bytes may be about to reference it); true when deleted.
   */
  remove(key: string, ifOlderThan: Date): Promise<boolean>;
  /** Removes what crashed uploads left (temporaries older than `olderThanMs`); the count removed. */
  sweep(olderThanMs: number): Promise<number>;
  /** How many temporaries (unfinished uploads) there are now, of any age. */
  temporaries(): Promise<number>;
  /** Where the objects are, for logs. */
  describe: string;
}

export interface PendingObject {
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the object visible under `key` (an existing object with that key is replaced atomically). */
  commit(key: string): Promise<void>;
  /** Discards everything written. */
  abort(): Promise<void>;
}

/** `DocumentBackend.replace` for every backend: write into a new pending object, commit it under `key`, or abort it. */
export async function replaceThrough(
  create: () => Promise<PendingObject>,
  key: string,
  write: (pending: PendingObject) => Promise<void>,
): Promise<void> {
  const pending = await create();
  try {
    await write(pending);
    await pending.commit(key);
  } catch (err) {
    await pending.abort();
    throw err;
  }
}

export interface StoredObject {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}
