/**
 * `npm run backup`: one backup of the embedded default `npm start` runs (docs/BACKUP.md) — the
 * Temporal dev server's SQLite database, the application database (PGlite in DATA_DIR, or
 * DATABASE_URL), the document folder and the keys of DATA_DIR — into one directory with a manifest
 * (manifest.json: what, when, the SM3 of every file). Works while the system runs and takes commands
 * (through its control socket DATA_DIR/backup.sock), and while it is stopped.
 *
 *   npm run backup [-- --out <dir>] [--settle-ms 1000] [--without-keys]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { takeBackup } from '../db/backup.ts';
import { BackupError } from '../db/backup-manifest.ts';
import { DEFAULT_SETTLE_MS } from '../db/backup-snapshot.ts';
import { ConfigError, loadConfig } from '../lib/config.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    'settle-ms': { type: 'string' },
    'without-keys': { type: 'boolean', default: false },
  },
  strict: true,
});

try {
  const config = loadConfig();
  if (config.temporal.address) {
    throw new BackupError(
      `TEMPORAL_ADDRESS 已设置：本命令只备份 npm start 内置的 Temporal 开发服务器。生产环境（Temporal 服务的 PostgreSQL 数据库）的备份步骤见 docs/BACKUP.md`,
    );
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const out = path.resolve(values.out ?? path.join('backups', `bdp-${stamp}`));
  const settleMs = values['settle-ms'] === undefined ? DEFAULT_SETTLE_MS : Number(values['settle-ms']);
  if (!Number.isInteger(settleMs) || settleMs < 0 || settleMs > 60_000)
    throw new BackupError('--settle-ms 须为 0 到 60000 之间的整数（毫秒）');
  const started = Date.now();
  const manifest = await takeBackup({
    dataDir: config.dataDir,
    pgliteDir: config.database.dataDir,
    databaseUrl: config.database.url,
    out,
    settleMs,
    withoutKeys: values['without-keys'],
    openDatabase,
  });
  const rows = manifest.postgres.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`✔ 备份完成（${((Date.now() - started) / 1000).toFixed(1)} 秒）：${out}`);
  console.log(
    `  ${manifest.source.runningSystem ? '运行中的系统' : '已停止的系统'}，数据目录 ${manifest.source.dataDir}`,
  );
  console.log(`  1. Temporal 数据库快照  ${manifest.temporal.snapshotAt}`);
  console.log(
    `  2. 业务数据库（${manifest.source.database === 'pglite' ? '内置 PGlite' : 'PostgreSQL'}）  ${manifest.postgres.snapshotAt}，${manifest.postgres.tables.length} 张表 ${rows} 行（写入冻结 ${manifest.postgres.frozenMs} 毫秒）`,
  );
  console.log(`  3. 文档  ${manifest.documents.files} 个文件`);
  console.log(`  4. 密钥  ${manifest.keys.length ? manifest.keys.join('、') : '（未包含）'}`);
  console.log(`  清单 manifest.json：${manifest.files.length} 个文件及其 SM3。备份含密钥，请按数据同等级别保管。`);
  process.exit(0);
} catch (err) {
  if (err instanceof BackupError || err instanceof ConfigError) console.error(err.message);
  else console.error(`备份失败：${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
}
