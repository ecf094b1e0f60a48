/**
 * A backup directory's manifest (docs/BACKUP.md): what it holds, when each part was taken, and the
 * SM3 of every file, checked before anything is restored.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DatabaseDump } from './queries/backup.ts';

export const MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'jincheng-bdp-backup/1';

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
    throw new BackupError(
      `${dir}/${MANIFEST}：格式 ${JSON.stringify(manifest.format)} 不是 ${BACKUP_FORMAT as string}`,
    );
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
