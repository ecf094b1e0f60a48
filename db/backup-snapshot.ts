/**
 * The consistent part of a backup (the argument in db/backup.ts): the application database frozen
 * in one read transaction, Temporal's SQLite copied online with `VACUUM INTO` meanwhile, and the
 * writing session a restore loads through.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { DatabaseHandle } from './client.ts';
import { dumpDatabase, tablesInDependencyOrder, type DumpSession, type LoadSession } from './queries/backup.ts';
import { BackupError, type Manifest } from './backup-manifest.ts';

const run = promisify(execFile);

/**
 * The embedded dev server's SQLite in WAL mode (scripts/start.ts): the backup's read transaction
 * (`VACUUM INTO`) then never blocks its writes. In the default rollback-journal mode a reader's
 * shared lock makes the dev server's next write fail with SQLITE_BUSY at once (it sets no busy
 * timeout), and its history shard stays unusable until it is restarted ("shard status unknown").
 */
export const DEV_SERVER_SQLITE_ARGS = ['--sqlite-pragma', 'journal_mode=wal'] as const;

/** How long the frozen database waits for workflow tasks whose writes just committed to reach Temporal. */
export const DEFAULT_SETTLE_MS = 1000;
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
