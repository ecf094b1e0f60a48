/**
 * `npm run restore`: restores a backup of `npm run backup` into DATA_DIR (and, with DATABASE_URL,
 * into that database) — verified against its manifest first; only into an empty DATA_DIR (and an
 * unused database) unless `--force`; never while the system runs there. Then `npm start` starts
 * from it (docs/BACKUP.md).
 *
 *   DATA_DIR=<new dir> npm run restore -- --from <backup dir> [--force]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { restoreBackup } from '../db/backup.ts';
import { BackupError } from '../db/backup-manifest.ts';
import { ConfigError, loadConfig } from '../lib/config.ts';

const { values } = parseArgs({
  options: { from: { type: 'string' }, force: { type: 'boolean', default: false } },
  strict: true,
});

try {
  if (!values.from) throw new BackupError('请用 --from <备份目录> 指定要恢复的备份');
  const config = loadConfig();
  const started = Date.now();
  const result = await restoreBackup({
    from: path.resolve(values.from),
    dataDir: config.dataDir,
    pgliteDir: config.database.dataDir,
    databaseUrl: config.database.url,
    force: values.force,
    openDatabase,
  });
  const rows = Object.values(result.rows).reduce((n, r) => n + r, 0);
  console.log(`✔ 恢复完成（${((Date.now() - started) / 1000).toFixed(1)} 秒）：${config.dataDir}`);
  console.log(`  备份时间 ${result.manifest.startedAt}；Temporal 快照 ${result.manifest.temporal.snapshotAt}`);
  console.log(
    `  业务数据库：${Object.keys(result.rows).length} 张表 ${rows} 行（${config.database.url ? 'DATABASE_URL' : '内置 PGlite'}）`,
  );
  console.log(
    `  文档 ${result.documents} 个文件；密钥 ${result.keys.length ? result.keys.join('、') : '（备份未包含，请设置 PAYLOAD_KEYS / DOCUMENT_KEYS 等）'}`,
  );
  console.log(
    `  下一步：${config.dataDir === path.resolve('.data') ? '' : `DATA_DIR=${config.dataDir} `}npm start，然后 npm run audit:verify`,
  );
  process.exit(0);
} catch (err) {
  if (err instanceof BackupError || err instanceof ConfigError) console.error(err.message);
  else console.error(`恢复失败：${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
}
