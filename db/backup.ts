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
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { DatabaseHandle } from './client.ts';
import { MIGRATIONS_DIR } from './client.ts';
import {
  dumpDatabase,
  loadDatabase,
  nonEmptyTables,
  tablesInDependencyOrder,
  type DatabaseDump,
  type DumpSession,
  type LoadSession,
} from './queries/backup.ts';

const run = promisify(execFile);

export const MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'jincheng-bdp-backup/1';
/** The control socket `npm start` listens on in DATA_DIR while it runs the embedded PGlite. */
export const CONTROL_SOCKET = 'backup.sock';
/** Files of DATA_DIR holding keys and secrets `npm start` generated (lib/config.ts, scripts/start.ts, seed-demo). */
export const KEY_FILES = ['payload-keys', 'document-keys', 'admin-api-key', 'demo-keys.json'] as const;
/**
 * The embedded dev server's SQLite in WAL mode (scripts/start.ts): the backup's read transaction
 * (`VACUUM INTO`) then never blocks its writes. In the default rollback-journal mode a reader's
 * shared lock makes the dev server's next write fail with SQLITE_BUSY at once (it sets no busy
 * timeout), and its history shard stays unusable until it is restarted ("shard status unknown").
 */
export const DEV_SERVER_SQLITE_ARGS = ['--sqlite-pragma', 'journal_mode=wal'] as const;

/** How long the frozen database waits for workflow tasks whose writes just committed to reach Temporal. */
export const DEFAULT_SETTLE_MS = 1000;

export interface ManifestFile {
  path: string;
  bytes: number;
  sm3: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  /** Which snapshot came first: the order the consistency argument needs (see above). */
  order: ['temporal', 'postgres', 'documents', 'keys'];
  startedAt: string;
  finishedAt: string;
  source: { dataDir: string; database: 'pglite' | 'postgres'; runningSystem: boolean };
  temporal: { file: string; snapshotAt: string };
  /** `frozenAt`: when writes stopped; every row committed before it is in the dump. */
  postgres: DatabaseDump & { folder: string; frozenAt: string; snapshotAt: string; frozenMs: number };
  documents: { folder: string; files: number };
  keys: string[];
  files: ManifestFile[];
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export async function sm3File(file: string): Promise<string> {
  const hash = createHash('sm3');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Every file under `dir`, as paths relative to it with `/`, sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for (const entry of await fsp.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}

/** The SM3 and size of every file of the backup but the manifest itself. */
export async function describeFiles(dir: string): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const rel of await filesUnder(dir)) {
    if (rel === MANIFEST) continue;
    const full = path.join(dir, rel);
    files.push({ path: rel, bytes: (await fsp.stat(full)).size, sm3: await sm3File(full) });
  }
  return files;
}

/** Reads the manifest and checks every file against it: answers it, or throws naming each problem. */
export async function verifyBackup(dir: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    throw new BackupError(`${dir} 不是备份目录：没有可读的 ${MANIFEST}`);
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`${dir}/${MANIFEST}：格式 ${JSON.stringify(manifest.format)} 不是 ${BACKUP_FORMAT}`);
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of manifest.files) {
    const full = path.join(dir, f.path);
    if (!fs.existsSync(full)) {
      problems.push(`${f.path}：缺失`);
      continue;
    }
    const bytes = (await fsp.stat(full)).size;
    if (bytes !== f.bytes || (await sm3File(full)) !== f.sm3) problems.push(`${f.path}：内容与清单的 SM3 不符`);
  }
  for (const rel of await filesUnder(dir))
    if (rel !== MANIFEST && !listed.has(rel)) problems.push(`${rel}：不在清单中`);
  if (problems.length) throw new BackupError(`备份 ${dir} 校验失败：\n  ${problems.join('\n  ')}`);
  return manifest;
}

/**
 * The `sqlite3` command-line tool (Debian's `sqlite3` package): installed the way
 * scripts/ci-postgres.sh installs PostgreSQL when it is missing and we may (root with apt-get).
 */
export function sqliteTool(): string {
  const found = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    process.stderr.write('正在从 Debian 软件源安装 sqlite3…\n');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'sqlite3'], { stdio: 'inherit', env });
    const installed = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout.trim();
    if (installed) return installed;
  }
  throw new BackupError(
    '需要 sqlite3 命令行工具来在线备份 Temporal 开发服务器的 SQLite 数据库：请安装（Debian/Ubuntu：apt-get install sqlite3）',
  );
}

/**
 * An online, consistent copy of a SQLite database another process is writing: `VACUUM INTO` reads
 * it in one read transaction (never a copy of the file and its WAL). Checked with integrity_check.
 */
export async function snapshotSqlite(source: string, target: string): Promise<void> {
  if (!fs.existsSync(source)) throw new BackupError(`Temporal 数据库 ${source} 不存在`);
  const quoted = `'${target.replace(/'/g, "''")}'`;
  await run(sqliteTool(), ['-bail', '-cmd', '.timeout 30000', source, `VACUUM INTO ${quoted}`]);
}

/** PRAGMA integrity_check of a snapshot (outside the freeze: it reads only the copy). */
export async function checkSqlite(target: string): Promise<void> {
  const tool = sqliteTool();
  const { stdout } = await run(tool, ['-bail', target, 'PRAGMA integrity_check']);
  if (stdout.trim() !== 'ok') throw new BackupError(`Temporal 数据库快照 ${target} 未通过完整性检查：${stdout.trim()}`);
}

/**
 * The bytes of a postgres.js COPY … TO STDOUT stream. postgres.js pauses its socket when a push
 * into the stream is refused (more than 16 KiB buffered before anyone reads, as when the whole
 * COPY arrives before the stream is handed over) and resumes it only from the stream's read(), which
 * an ended stream never calls again: the connection's next query would wait forever. So once the
 * stream has ended, its read() is called once more, which resumes the socket.
 */
const collect = (stream: Readable): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Uint8Array) => chunks.push(Buffer.from(chunk)));
    stream.once('end', () => {
      (stream as unknown as { _read(size: number): void })._read(0);
      resolve(Buffer.concat(chunks));
    });
    stream.once('error', reject);
  });

const blobBuffer = async (blob: Blob | undefined): Promise<Buffer> =>
  blob ? Buffer.from(await blob.arrayBuffer()) : Buffer.alloc(0);

/**
 * Runs `work` with the application database frozen — no write can commit until it returns — and a
 * read session in one REPEATABLE READ transaction whose snapshot is taken after the freeze.
 */
export async function withFrozenDatabase<T>(
  raw: DatabaseHandle['raw'],
  work: (session: DumpSession) => Promise<T>,
): Promise<T> {
  if (raw.driver === 'pglite') {
    // PGlite has one connection: its transaction holds every other query of the process back.
    return raw.client.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read');
      return work({
        rows: async <R extends Record<string, unknown>>(text: string) => (await tx.query<R>(text)).rows,
        copyOut: async (target) => blobBuffer((await tx.query(`copy ${target} to '/dev/blob'`)).blob),
      });
    });
  }
  const sql = raw.client;
  // Listed before the transaction: its snapshot must be taken after the lock, by its first query.
  const tables = await tablesInDependencyOrder({
    rows: async <R extends Record<string, unknown>>(text: string) => [...(await sql.unsafe(text))] as unknown as R[],
  });
  return sql.begin(async (tx) => {
    await tx.unsafe('set transaction isolation level repeatable read');
    // SHARE conflicts with every write (ROW EXCLUSIVE) and waits for the writes in flight to end.
    if (tables.length)
      await tx.unsafe(`lock table ${tables.map((t) => `"${t.name.replace(/"/g, '""')}"`).join(', ')} in share mode`);
    return work({
      rows: async <R extends Record<string, unknown>>(text: string) => [...(await tx.unsafe(text))] as unknown as R[],
      copyOut: async (target) => collect(await tx.unsafe(`copy ${target} to stdout`).readable()),
    });
  }) as Promise<T>;
}

/** Runs `work` in one writing transaction of the database. */
export async function withLoadSession<T>(
  raw: DatabaseHandle['raw'],
  work: (session: LoadSession) => Promise<T>,
): Promise<T> {
  if (raw.driver === 'pglite') {
    return raw.client.transaction(async (tx) =>
      work({
        exec: async (text) => void (await tx.exec(text)),
        rows: async <R extends Record<string, unknown>>(text: string) => (await tx.query<R>(text)).rows,
        copyIn: async (target, data) =>
          void (await tx.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([new Uint8Array(data)]) })),
      }),
    );
  }
  return raw.client.begin(async (tx) =>
    work({
      exec: async (text) => void (await tx.unsafe(text)),
      rows: async <R extends Record<string, unknown>>(text: string) => [...(await tx.unsafe(text))] as unknown as R[],
      copyIn: async (target, data) => {
        const writable: Writable = await tx.unsafe(`copy ${target} from stdin`).writable();
        await pipeline(Readable.from([data]), writable);
      },
    }),
  ) as Promise<T>;
}

export interface SnapshotResult {
  temporal: Manifest['temporal'];
  postgres: Manifest['postgres'];
}

/**
 * The consistent part of a backup, into `out`: freeze the application database, let workflow
 * tasks settle, snapshot Temporal's SQLite, then dump the application database (same transaction).
 */
export async function snapshotDatabases(options: {
  raw: DatabaseHandle['raw'];
  temporalDb: string;
  out: string;
  settleMs?: number;
}): Promise<SnapshotResult> {
  const { raw, temporalDb, out } = options;
  const folder = 'postgres';
  await fsp.mkdir(path.join(out, folder), { recursive: true, mode: 0o700 });
  const result = await withFrozenDatabase(raw, async (session) => {
    const frozenAt = Date.now();
    await new Promise((r) => setTimeout(r, options.settleMs ?? DEFAULT_SETTLE_MS));
    const temporalAt = new Date().toISOString();
    await snapshotSqlite(temporalDb, path.join(out, 'temporal.sqlite'));
    const postgresAt = new Date().toISOString();
    const dump = await dumpDatabase(session, (file, data) =>
      fsp.writeFile(path.join(out, folder, file), data, { mode: 0o600 }),
    );
    return {
      temporal: { file: 'temporal.sqlite', snapshotAt: temporalAt },
      postgres: {
        ...dump,
        folder,
        frozenAt: new Date(frozenAt).toISOString(),
        snapshotAt: postgresAt,
        frozenMs: Date.now() - frozenAt,
      },
    };
  });
  await checkSqlite(path.join(out, result.temporal.file));
  return result;
}

/**
 * The control socket of a running `npm start` (DATA_DIR/backup.sock, owner-only): one request per
 * connection, `{"op":"snapshot","out":…,"settleMs":…}` → one JSON line with the result or the error.
 * The snapshot runs in the process that owns PGlite's one connection.
 */
export async function serveBackupControl(
  socketPath: string,
  snapshot: (out: string, settleMs: number | undefined) => Promise<SnapshotResult>,
): Promise<{ close(): Promise<void> }> {
  if (fs.existsSync(socketPath)) {
    if (await controlAnswers(socketPath))
      throw new BackupError(`${socketPath}：另一个 npm start 正在使用这个 DATA_DIR`);
    fs.rmSync(socketPath, { force: true }); // left by a process that was killed
  }
  let busy = false;
  const server = net.createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      input += chunk;
      const newline = input.indexOf('\n');
      if (newline < 0) return;
      const reply = (body: unknown) => socket.end(`${JSON.stringify(body)}\n`);
      let request: { op?: unknown; out?: unknown; settleMs?: unknown };
      try {
        request = JSON.parse(input.slice(0, newline)) as typeof request;
      } catch {
        return reply({ ok: false, error: '请求不是 JSON' });
      }
      if (request.op === 'ping') return reply({ ok: true });
      if (request.op !== 'snapshot' || typeof request.out !== 'string' || !path.isAbsolute(request.out))
        return reply({ ok: false, error: '未知的请求' });
      if (busy) return reply({ ok: false, error: '另一次备份正在进行' });
      busy = true;
      snapshot(request.out, typeof request.settleMs === 'number' ? request.settleMs : undefined)
        .then((result) => reply({ ok: true, result }))
        .catch((err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }))
        .finally(() => (busy = false));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(socketPath, { force: true });
      }),
  };
}

/** Sends one request to the control socket and answers its reply; undefined when nothing listens. */
export function controlRequest(
  socketPath: string,
  request: Record<string, unknown>,
  timeoutMs = 300_000,
): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(socketPath)) return resolve(undefined);
    const socket = net.connect(socketPath);
    let input = '';
    let connected = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new BackupError(`${socketPath}：${timeoutMs / 1000} 秒内没有回答`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => (input += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && (err.code === 'ECONNREFUSED' || err.code === 'ENOENT')) resolve(undefined);
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!connected) return;
      try {
        resolve(JSON.parse(input.trim()) as Record<string, unknown>);
      } catch {
        reject(new BackupError(`${socketPath}：回答无法解析：${input.slice(0, 200)}`));
      }
    });
  });
}

/** Whether a running `npm start` answers on the socket. */
export async function controlAnswers(socketPath: string): Promise<boolean> {
  return (await controlRequest(socketPath, { op: 'ping' }, 5_000).catch(() => undefined))?.ok === true;
}

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
