/**
 * The folder store's marker: one id in the folder (`store-id`) and in the database, so an API never
 * files documents in a folder other APIs of its database cannot read.
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './config.ts';

/** The file in the store's folder that names the store. */
export const STORE_MARKER_FILE = 'store-id';

export interface StoreMarker {
  storeId: string;
  location: string;
  createdAt: Date;
}

/** The database's record of the folder store (db/queries/document-store.ts). */
export interface StoreMarkers {
  find(): Promise<StoreMarker | undefined>;
  /** Records the marker unless one exists; answers the one in force. */
  claim(marker: { storeId: string; location: string }): Promise<StoreMarker>;
}

/**
 * The folder must be the one this database's documents live in: the same store id in the folder
 * (`store-id`) and in the database. At the first start (neither has one) both are written — the
 * database first, so of two APIs starting at once on different folders only one can claim it. Any
 * other combination stops the start with an error naming both: each API on a DATA_DIR of its own
 * would otherwise file documents the others cannot read (409 document_corrupted) — more than one API
 * needs DOCUMENT_STORE=s3 or one folder shared by all. Answers the store id.
 */
export async function checkFolderStore(dir: string, markers: StoreMarkers): Promise<string> {
  const file = path.join(dir, STORE_MARKER_FILE);
  const readFolder = async () =>
    (
      await fsp
        .readFile(file, 'utf8')
        .catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)))
    )?.trim();
  let inFolder = await readFolder();
  let inDatabase = await markers.find();
  if (!inFolder && !inDatabase) {
    inDatabase = await markers.claim({
      storeId: `folder-${randomBytes(8).toString('hex')}`,
      location: `${os.hostname()}:${path.resolve(dir)}`,
    });
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    // wx: a folder shared by two APIs starting at once gets one marker; the other reads it.
    await fsp
      .writeFile(file, `${inDatabase.storeId}\n`, { flag: 'wx', mode: 0o600 })
      .catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
    inFolder = await readFolder();
  }
  if (inDatabase && inFolder === inDatabase.storeId) return inFolder;
  const folder = `DATA_DIR's document folder ${path.resolve(dir)} (on ${os.hostname()}) ${inFolder ? `is document store ${inFolder}` : 'has no store marker (store-id)'}`;
  const database = inDatabase
    ? `this database's documents live in document store ${inDatabase.storeId}, first opened at ${inDatabase.location} on ${inDatabase.createdAt.toISOString()}`
    : 'this database has no document store yet (the folder belongs to another database)';
  throw new ConfigError([
    `DOCUMENT_STORE=folder: ${folder}, but ${database}. Point DATA_DIR at that folder (one volume shared by every API process), ` +
      'or use DOCUMENT_STORE=s3 (S3_*) when more than one API serves this database.',
  ]);
}
