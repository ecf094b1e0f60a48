/**
 * Backup and restore of the embedded default that `npm start` runs (docs/BACKUP.md): the Temporal
 * dev server's SQLite database, the application database (PGlite, or PostgreSQL with DATABASE_URL),
 * the document folder and the keys in DATA_DIR — one directory with a manifest (what, when, the
 * SM3 of every file).
 *
 * Consistency across the two databases: the application database is FROZEN first (no write can
 * commit: PGlite's one connection is held by the dump's transaction; PostgreSQL's tables are locked
 * in SHARE mode, which waits for the writes in flight), then, after `settleMs` for the workflow
 * tasks whose writes just committed to reach Temporal, the Temporal database is snapshotted
 * (`VACUUM INTO`, a consistent online copy), and only then the application database is read, in the
 * same transaction. So every activity a restored history says completed has its rows (its write
 * committed before the freeze), and rows newer than the histories can only be those of a workflow
 * task that had not reached Temporal `settleMs` after its write: Temporal runs that task again and
 * its writes are keyed (audit event ids, ledger idempotency keys, the read model's version), so
 * nothing is booked twice. Documents follow (content-addressed, never changed once written).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { DatabaseHandle } from './client.ts';
import { MIGRATIONS_DIR } from './client.ts';
import { loadDatabase, nonEmptyTables } from './queries/backup.ts';
import {
  BACKUP_FORMAT,
  BackupError,
  describeFiles,
  filesUnder,
  MANIFEST,
  verifyBackup,
  type Manifest,
} from './backup-manifest.ts';
import { snapshotDatabases, withLoadSession, type SnapshotResult } from './backup-snapshot.ts';
import { CONTROL_SOCKET, controlAnswers, controlRequest } from './backup-control.ts';

/** Files of DATA_DIR holding keys and secrets `npm start` generated (lib/config.ts, scripts/start.ts, seed-demo). */
export const KEY_FILES = ['payload-keys', 'document-keys', 'admin-api-key', 'demo-keys.json'] as const;

/** The `when` of the code's last migration (drizzle-kit's journal). */
export function codeMigrations(): { count: number; last: number } {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return { count: journal.entries.length, last: journal.entries.at(-1)!.when };
}

/** Tables only a database in use has rows in (the migrations and start-up seed none of them). */
export const IN_USE_TABLES = ['projects', 'audit_log', 'fund_movements', 'api_keys', 'accounts', 'documents'] as const;

export interface BackupOptions {
  dataDir: string;
  /** Where the embedded PGlite lives when no `npm start` runs (config.database.dataDir). */
  pgliteDir: string;
  databaseUrl?: string | undefined;
  out: string;
  settleMs?: number | undefined;
  withoutKeys?: boolean;
  /** Opens the database for an offline backup (no `npm start` answering on the socket). */
  openDatabase: (options: { url?: string | undefined; dataDir: string }) => Promise<DatabaseHandle>;
}

/**
 * One backup into `out` (which must not exist or be empty): Temporal and the application database
 * through the running `npm start` (its control socket), else directly when nothing runs; then the
 * documents, the keys, the manifest.
 */
export async function takeBackup(options: BackupOptions): Promise<Manifest> {
  const { dataDir, out } = options;
  const startedAt = new Date().toISOString();
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0)
    throw new BackupError(`备份目录 ${out} 已存在且不为空：请指定新的目录`);
  await fsp.mkdir(out, { recursive: true, mode: 0o700 });
  const temporalDb = path.join(dataDir, 'temporal.sqlite');
  const socketPath = path.join(dataDir, CONTROL_SOCKET);
  let snapshot: SnapshotResult;
  let runningSystem = true;
  const reply = await controlRequest(socketPath, { op: 'snapshot', out, settleMs: options.settleMs });
  if (reply) {
    if (reply.ok !== true) throw new BackupError(`运行中的系统未能完成快照：${String(reply.error)}`);
    snapshot = reply.result as SnapshotResult;
  } else {
    runningSystem = false;
    if (!options.databaseUrl && !fs.existsSync(options.pgliteDir))
      throw new BackupError(`${dataDir} 中没有内置数据库（${options.pgliteDir}）：不是 npm start 的数据目录？`);
    // PGlite keeps postmaster.pid while a process has it open: a second opener would corrupt it.
    if (!options.databaseUrl && fs.existsSync(path.join(options.pgliteDir, 'postmaster.pid'))) {
      throw new BackupError(
        `内置数据库 ${options.pgliteDir} 正被使用（postmaster.pid），但 ${socketPath} 无人应答：运行中的 npm start 未开启在线备份（见其启动输出），或上次被强行终止。请让 npm start 开启在线备份后重试，或启动并正常停止一次后离线备份`,
      );
    }
    const database = await options.openDatabase({ url: options.databaseUrl, dataDir: options.pgliteDir });
    try {
      snapshot = await snapshotDatabases({ raw: database.raw, temporalDb, out, settleMs: 0 });
    } finally {
      await database.close();
    }
  }
  // Documents after the database: content-addressed and never changed, so every row's object is here.
  const documents = path.join(dataDir, 'documents');
  let documentFiles = 0;
  if (fs.existsSync(documents)) {
    await fsp.cp(documents, path.join(out, 'documents'), {
      recursive: true,
      filter: (src) => path.relative(documents, src).split(path.sep)[0] !== 'tmp',
    });
    documentFiles = (await filesUnder(path.join(out, 'documents'))).length;
  }
  const keys: string[] = [];
  if (!options.withoutKeys) {
    for (const name of KEY_FILES) {
      const file = path.join(dataDir, name);
      if (!fs.existsSync(file)) continue;
      await fsp.mkdir(path.join(out, 'keys'), { recursive: true, mode: 0o700 });
      await fsp.copyFile(file, path.join(out, 'keys', name));
      await fsp.chmod(path.join(out, 'keys', name), 0o600);
      keys.push(name);
    }
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    order: ['temporal', 'postgres', 'documents', 'keys'],
    startedAt,
    finishedAt: new Date().toISOString(),
    source: { dataDir, database: options.databaseUrl ? 'postgres' : 'pglite', runningSystem },
    temporal: snapshot.temporal,
    postgres: snapshot.postgres,
    documents: { folder: 'documents', files: documentFiles },
    keys,
    files: await describeFiles(out),
  };
  await fsp.writeFile(path.join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

export interface RestoreOptions {
  from: string;
  dataDir: string;
  pgliteDir: string;
  databaseUrl?: string | undefined;
  /** Replace what DATA_DIR (and the DATABASE_URL database) hold. */
  force?: boolean;
  openDatabase: (options: { url?: string | undefined; dataDir: string }) => Promise<DatabaseHandle>;
}

/** What a restore wrote. */
export interface RestoreResult {
  manifest: Manifest;
  rows: Record<string, number>;
  documents: number;
  keys: string[];
}

/**
 * Restores a verified backup into DATA_DIR (and the database of DATABASE_URL when given): refuses a
 * backup whose files do not match their SM3, a backup of another schema version, a running system,
 * and a DATA_DIR or database in use unless `force`. The application database is migrated fresh by
 * this code, then loaded; the Temporal database, the documents and the keys are copied.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { from, dataDir } = options;
  const manifest = await verifyBackup(from);
  const code = codeMigrations();
  if (manifest.postgres.migrations.last !== code.last) {
    throw new BackupError(
      `备份的数据库结构（迁移 ${manifest.postgres.migrations.count} 个，最后 ${manifest.postgres.migrations.last}）与当前代码（迁移 ${code.count} 个，最后 ${code.last}）不一致：请用备份时的版本恢复，再升级`,
    );
  }
  if (await controlAnswers(path.join(dataDir, CONTROL_SOCKET)))
    throw new BackupError(`${dataDir} 上的系统正在运行：请先停止 npm start，再恢复`);
  const pglite = path.relative(dataDir, options.pgliteDir);
  const ours = [
    'temporal.sqlite',
    'temporal.sqlite-wal',
    'temporal.sqlite-shm',
    'temporal.sqlite-journal',
    'documents',
    CONTROL_SOCKET,
    ...KEY_FILES,
    ...(pglite && !pglite.startsWith('..') && !path.isAbsolute(pglite) ? [pglite] : []),
  ];
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    if (!options.force)
      throw new BackupError(`数据目录 ${dataDir} 不为空：恢复只写入新的空目录（确需覆盖时加 --force）`);
    for (const name of ours) await fsp.rm(path.join(dataDir, name), { recursive: true, force: true });
  }
  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });

  const database = await options.openDatabase({ url: options.databaseUrl, dataDir: options.pgliteDir });
  let rows: Record<string, number>;
  try {
    if (options.databaseUrl) {
      const used = await withLoadSession(database.raw, (s) => nonEmptyTables(s, IN_USE_TABLES));
      if (used.length && !options.force)
        throw new BackupError(
          `DATABASE_URL 的数据库已有数据（${used.join('、')}）：恢复只写入新的空数据库（确需覆盖时加 --force）`,
        );
    }
    await database.migrate();
    rows = await withLoadSession(database.raw, (s) =>
      loadDatabase(s, manifest.postgres, (file) => fsp.readFile(path.join(from, manifest.postgres.folder, file))),
    );
  } finally {
    await database.close();
  }
  const wrong = manifest.postgres.tables.filter((t) => rows[t.name] !== t.rows);
  if (wrong.length)
    throw new BackupError(
      `载入的行数与清单不符：${wrong.map((t) => `${t.name} ${rows[t.name]}/${t.rows}`).join('、')}`,
    );

  await fsp.copyFile(path.join(from, manifest.temporal.file), path.join(dataDir, 'temporal.sqlite'));
  let documents = 0;
  if (fs.existsSync(path.join(from, manifest.documents.folder))) {
    await fsp.cp(path.join(from, manifest.documents.folder), path.join(dataDir, 'documents'), { recursive: true });
    documents = (await filesUnder(path.join(dataDir, 'documents'))).length;
  }
  for (const name of manifest.keys) {
    await fsp.copyFile(path.join(from, 'keys', name), path.join(dataDir, name));
    await fsp.chmod(path.join(dataDir, name), 0o600);
  }
  return { manifest, rows, documents, keys: manifest.keys };
}
