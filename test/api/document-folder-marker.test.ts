/**
 * Issue 31: the folder document store refuses to start when its folder is not the one the database's
 * documents live in — two APIs on one database, each with a DATA_DIR of its own, split the documents
 * silently before (uploaded on one, 409 document_corrupted on the other). A store id is written in
 * the folder and in the database at the first start; any mismatch stops the start naming both.
 * Real parts: PGlite and PostgreSQL databases, folders on disk, `tsx api/server.ts` processes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { claimFolderStoreMarker, folderStoreMarker } from '../../db/queries/document-store.ts';
import { generateKeyringSpec } from '../../lib/codec.ts';
import { ConfigError } from '../../lib/config.ts';
import { checkFolderStore, STORE_MARKER_FILE } from '../../lib/document-store-marker.ts';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/net.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
const newDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-store-marker-'));
  dirs.push(dir);
  return path.join(dir, 'documents');
};
const databases: TestDatabase[] = [];
const markersOf = (database: TestDatabase) => ({
  find: () => folderStoreMarker(database.db),
  claim: (m: { storeId: string; location: string }) => claimFolderStoreMarker(database.db, m),
});

afterAll(async () => {
  for (const d of databases) await d.destroy();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the folder store and its database carry the same store id', () => {
  it('the first start writes it in both; the same folder starts again; another folder or another database does not', async () => {
    const database = await createTestDatabase('pglite');
    databases.push(database);
    const folder = newDir();
    const id = await checkFolderStore(folder, markersOf(database));
    expect(id).toMatch(/^folder-[0-9a-f]{16}$/);
    expect(fs.readFileSync(path.join(folder, STORE_MARKER_FILE), 'utf8').trim()).toBe(id);
    expect((await folderStoreMarker(database.db))?.storeId).toBe(id);
    expect(await checkFolderStore(folder, markersOf(database))).toBe(id);

    // A second API on its own DATA_DIR: an empty folder, the database's store is elsewhere.
    const other = newDir();
    const refusal = await checkFolderStore(other, markersOf(database)).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ConfigError);
    const message = (refusal as Error).message;
    expect(message).toContain(path.resolve(other));
    expect(message).toContain('has no store marker');
    expect(message).toContain(`document store ${id}, first opened at ${os.hostname()}:${path.resolve(folder)}`);
    expect(message).toMatch(/DOCUMENT_STORE=s3/);
    expect(fs.existsSync(path.join(other, STORE_MARKER_FILE))).toBe(false);

    // The folder of that database opened with a new, empty database.
    const fresh = await createTestDatabase('pglite');
    databases.push(fresh);
    const foreign = await checkFolderStore(folder, markersOf(fresh)).catch((err: unknown) => err);
    expect((foreign as Error).message).toContain(
      `is document store ${id}, but this database has no document store yet`,
    );
    expect(await folderStoreMarker(fresh.db)).toBeUndefined();

    // A folder of another store.
    const third = newDir();
    fs.mkdirSync(third, { recursive: true });
    fs.writeFileSync(path.join(third, STORE_MARKER_FILE), 'folder-00000000000000aa\n');
    expect(
      ((await checkFolderStore(third, markersOf(database)).catch((err: unknown) => err)) as Error).message,
    ).toMatch(
      new RegExp(
        `is document store folder-00000000000000aa, but this database's documents live in document store ${id}`,
      ),
    );
  });
});

/** Runs `tsx api/server.ts` until it listens (→ the child) or exits (→ its output). */
function startApi(env: Record<string, string>): Promise<{ listening: boolean; output: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      output += String(d);
      if (/API listening/.test(output)) resolve({ listening: true, output, stop: () => child.kill('SIGKILL') });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve({ listening: false, output, stop: () => undefined }));
  });
}

describe.skipIf(!postgresUrl)('two API processes on one PostgreSQL database', () => {
  it('the second, on a DATA_DIR of its own, refuses to start and names both folders', async () => {
    const database = await createTestDatabase('postgres');
    databases.push(database);
    const env = {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: database.url!,
      PAYLOAD_KEYS: generateKeyringSpec('marker'),
      ADMIN_API_KEY: 'marker-admin-0123456789abcdefghijklmnop',
      HOST: '127.0.0.1',
    };
    const firstDir = path.dirname(newDir());
    const secondDir = path.dirname(newDir());
    const first = await startApi({ ...env, DATA_DIR: firstDir, PORT: String(await freePort()) });
    try {
      expect(first.listening, first.output).toBe(true);
      const second = await startApi({ ...env, DATA_DIR: secondDir, PORT: String(await freePort()) });
      second.stop();
      expect(second.listening).toBe(false);
      expect(second.output).toContain(path.join(secondDir, 'documents'));
      expect(second.output).toContain(path.join(firstDir, 'documents'));
      // The same DATA_DIR (a shared volume) is fine.
      const third = await startApi({ ...env, DATA_DIR: firstDir, PORT: String(await freePort()) });
      third.stop();
      expect(third.listening, third.output).toBe(true);
    } finally {
      first.stop();
    }
  }, 240_000);
});
