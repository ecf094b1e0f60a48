/**
 * db/backup.ts and db/queries/backup.ts against both database drivers (docs/BACKUP.md): a backup of
 * a stopped system restored into a fresh DATA_DIR (and database) gives back every row — the audit
 * chain (Art. 24-25) verifies, the ledger's sequence continues — the freeze holds writes back until
 * the dump is read, and the manifest and the refusals protect what they should.
 * The running system, under traffic, is test/faults/backup-restore.faults.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../db/queries/audit.ts';
import { createActivities } from '../activities/index.ts';
import { bookMovement } from '../activities/ledger.ts';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { auditLog, fundBalances, fundMovements, inboxItems, projects } from '../db/schema.ts';
import { prepareDatabase } from '../db/seed.ts';
import { dumpDatabase } from '../db/queries/backup.ts';
import { Project } from '../domain/project.ts';
import { codeMigrations, restoreBackup, takeBackup } from '../db/backup.ts';
import { BackupError, describeFiles, MANIFEST, verifyBackup, type Manifest } from '../db/backup-manifest.ts';
import { withFrozenDatabase } from '../db/backup-snapshot.ts';
import { makeInput } from './domain/helpers.ts';
import { DRIVERS, driverAvailable, emptyPostgresDatabase } from './support/database.ts';
import { financeActor as finance, movement, movementAt as at } from './support/ledger.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-backup-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A DATA_DIR as `npm start` leaves it: a Temporal SQLite file, documents (and an upload's temporary), keys. */
function dataDirOnDisk(dir: string): void {
  fs.mkdirSync(path.join(dir, 'documents', 'ab'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'documents', 'tmp'), { recursive: true });
  execFileSync('sqlite3', [
    path.join(dir, 'temporal.sqlite'),
    "create table executions (id text primary key, data blob); insert into executions values ('project-P-1', x'00ff10');",
  ]);
  fs.writeFileSync(path.join(dir, 'documents', 'ab', 'abcdef'), 'sealed document bytes');
  fs.writeFileSync(path.join(dir, 'documents', 'tmp', 'unfinished-upload'), 'partial');
  fs.writeFileSync(path.join(dir, 'payload-keys'), 'k1:AAAA\n', { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'admin-api-key'), 'admin_x\n', { mode: 0o600 });
}

/** Rows of every kind the dump must carry: an audit chain with awkward text, ledger rows, a read model with 待办 rows. */
async function writeRows(handle: DatabaseHandle, p: string): Promise<void> {
  const detail = { note: '第一行\n第二行\t制表\\反斜杠 "引号"', n: 1 };
  await appendAudit(
    handle.db,
    p,
    [1, 2, 3].map((n) => ({
      eventId: `${p}:audit:${n}`,
      at,
      action: `a${n}`,
      actor: finance,
      detail: { ...detail, n },
    })),
  );
  await bookMovement(handle.db, movement(p, 1, { amountFen: 500_000_00 }));
  await bookMovement(
    handle.db,
    movement(p, 2, { kind: 'publish', from: 'held', to: 'available', amountFen: 200_000_00 }),
  );
  await createActivities({ db: handle.db }).recordProject(Project.create(makeInput({ id: p })).readModel());
}

async function contents(handle: DatabaseHandle) {
  return {
    audit: await handle.db.select().from(auditLog).orderBy(asc(auditLog.projectId), asc(auditLog.seq)),
    ledger: await handle.db.select().from(fundMovements).orderBy(asc(fundMovements.id)),
    balances: await handle.db.select().from(fundBalances),
    projects: await handle.db.select().from(projects),
    inbox: await handle.db.select().from(inboxItems).orderBy(asc(inboxItems.projectId), asc(inboxItems.ordinal)),
  };
}

describe.each(DRIVERS)('backup and restore (%s)', (driver) => {
  it.skipIf(!driverAvailable(driver))(
    'a backup restored into a fresh DATA_DIR gives back every row, file and key; the chain verifies; the ledger continues',
    async () => {
      const source = path.join(tmp, `${driver}-source`);
      const target = path.join(tmp, `${driver}-target`);
      const out = path.join(tmp, `${driver}-backup`);
      dataDirOnDisk(source);
      const urls =
        driver === 'postgres'
          ? [await emptyPostgresDatabase('bdp_backup_src'), await emptyPostgresDatabase('bdp_backup_dst')]
          : [];
      const open = (dir: string, url?: string) => openDatabase({ url, dataDir: path.join(dir, 'pglite') });
      try {
        const db = await open(source, urls[0]?.url);
        await prepareDatabase(db);
        await writeRows(db, 'P-BACKUP-1');
        const before = await contents(db);
        await db.close();

        const manifest = await takeBackup({
          dataDir: source,
          pgliteDir: path.join(source, 'pglite'),
          databaseUrl: urls[0]?.url,
          out,
          openDatabase,
        });
        expect(manifest.source).toMatchObject({ runningSystem: false, database: driver });
        expect(manifest.keys).toEqual(['payload-keys', 'admin-api-key']);
        expect(manifest.documents.files).toBe(1); // the upload's temporary stays behind
        expect(manifest.postgres.tables.find((t) => t.name === 'audit_log')!.rows).toBe(3);
        expect(manifest.postgres.migrations).toEqual(codeMigrations());
        // Generated columns are not dumped: the database computes them again.
        expect(manifest.postgres.tables.find((t) => t.name === 'projects')!.columns).not.toContain('deadline_statuses');

        const restored = await restoreBackup({
          from: out,
          dataDir: target,
          pgliteDir: path.join(target, 'pglite'),
          databaseUrl: urls[1]?.url,
          openDatabase,
        });
        expect(restored.rows.fund_movements).toBe(2);
        expect(fs.readFileSync(path.join(target, 'documents', 'ab', 'abcdef'), 'utf8')).toBe('sealed document bytes');
        expect(fs.existsSync(path.join(target, 'documents', 'tmp'))).toBe(false);
        expect(fs.readFileSync(path.join(target, 'payload-keys'), 'utf8')).toBe('k1:AAAA\n');
        expect(fs.statSync(path.join(target, 'payload-keys')).mode & 0o777).toBe(0o600);
        expect(
          execFileSync('sqlite3', [path.join(target, 'temporal.sqlite'), 'select id, hex(data) from executions'], {
            encoding: 'utf8',
          }).trim(),
        ).toBe('project-P-1|00FF10');

        const after = await open(target, urls[1]?.url);
        try {
          // The inbox trigger did not run during the load: 待办 rows as they were, not twice.
          expect(await contents(after)).toEqual(before);
          expect(before.inbox.length).toBeGreaterThan(0);
          expect(await verifyAuditChain(after.db, 'P-BACKUP-1')).toEqual([]);
          // The sequence continues after the restored rows, and a re-sent key still books nothing.
          await bookMovement(
            after.db,
            movement('P-BACKUP-1', 3, { kind: 'publish', from: 'held', to: 'available', amountFen: 100_000_00 }),
          );
          expect(
            await bookMovement(
              after.db,
              movement('P-BACKUP-1', 2, { kind: 'publish', from: 'held', to: 'available', amountFen: 200_000_00 }),
            ),
          ).toBe(false);
          const ids = (
            await after.db.select({ id: fundMovements.id }).from(fundMovements).orderBy(asc(fundMovements.id))
          ).map((r) => r.id);
          expect(ids).toEqual([before.ledger[0]!.id, before.ledger[1]!.id, before.ledger[1]!.id + 1]);
        } finally {
          await after.close();
        }

        // Refusals: a DATA_DIR in use; then, with --force, a database in use is replaced.
        await expect(
          restoreBackup({
            from: out,
            dataDir: target,
            pgliteDir: path.join(target, 'pglite'),
            databaseUrl: urls[1]?.url,
            openDatabase,
          }),
        ).rejects.toThrow(/不为空/);
        const forced = await restoreBackup({
          from: out,
          dataDir: target,
          pgliteDir: path.join(target, 'pglite'),
          databaseUrl: urls[1]?.url,
          force: true,
          openDatabase,
        });
        expect(forced.rows.audit_log).toBe(3);
        if (driver === 'postgres') {
          const empty = path.join(tmp, 'postgres-empty-dir');
          await expect(
            restoreBackup({
              from: out,
              dataDir: empty,
              pgliteDir: path.join(empty, 'pglite'),
              databaseUrl: urls[1]!.url,
              openDatabase,
            }),
          ).rejects.toThrow(/DATABASE_URL 的数据库已有数据/);
        }
      } finally {
        for (const u of urls) await u.drop();
      }
    },
    120_000,
  );

  it.skipIf(!driverAvailable(driver))(
    'the freeze: a write started during it commits only after the dump was read, and is not in it',
    async () => {
      const dir = path.join(tmp, `${driver}-freeze`);
      const url = driver === 'postgres' ? await emptyPostgresDatabase('bdp_backup_freeze') : undefined;
      const handle = await openDatabase({ url: url?.url, dataDir: path.join(dir, 'pglite') });
      try {
        await prepareDatabase(handle);
        await bookMovement(handle.db, movement('P-FREEZE', 1));
        let writeDone = 0;
        let write: Promise<unknown> | undefined;
        const dump = await withFrozenDatabase(handle.raw, async (session) => {
          write = bookMovement(handle.db, movement('P-FREEZE', 2)).then(() => (writeDone = Date.now()));
          await new Promise((r) => setTimeout(r, 300));
          const files = new Map<string, Buffer>();
          const described = await dumpDatabase(session, async (file, data) => void files.set(file, data));
          return { described, files, readAt: Date.now() };
        });
        await write;
        expect(writeDone).toBeGreaterThanOrEqual(dump.readAt);
        expect(dump.described.tables.find((t) => t.name === 'fund_movements')!.rows).toBe(1);
        expect(dump.files.get('fund_movements.copy')!.toString()).toContain('P-FREEZE:1');
        expect(
          (await handle.db.select().from(fundMovements).where(eq(fundMovements.projectId, 'P-FREEZE'))).length,
        ).toBe(2);
      } finally {
        await handle.close();
        await url?.drop();
      }
    },
    60_000,
  );
});

describe('the manifest', () => {
  const backup = path.join(tmp, 'manifest-backup');
  const write = async (over: Partial<Manifest> = {}) => {
    fs.rmSync(backup, { recursive: true, force: true });
    fs.mkdirSync(path.join(backup, 'postgres'), { recursive: true });
    fs.writeFileSync(path.join(backup, 'temporal.sqlite'), 'sqlite bytes');
    fs.writeFileSync(path.join(backup, 'postgres', 'audit_log.copy'), 'row\n');
    const manifest = {
      format: 'jincheng-bdp-backup/1',
      postgres: { tables: [], sequences: [], migrations: codeMigrations(), folder: 'postgres' },
      temporal: { file: 'temporal.sqlite' },
      documents: { folder: 'documents', files: 0 },
      keys: [],
      files: await describeFiles(backup),
      ...over,
    };
    fs.writeFileSync(path.join(backup, MANIFEST), JSON.stringify(manifest));
  };

  it('lists every file with its SM3; a changed, missing or extra file fails the check, naming it', async () => {
    await write();
    const manifest = await verifyBackup(backup);
    expect(manifest.files.map((f) => f.path)).toEqual(['postgres/audit_log.copy', 'temporal.sqlite']);
    expect(manifest.files[1]!.sm3).toMatch(/^[0-9a-f]{64}$/);
    fs.writeFileSync(path.join(backup, 'temporal.sqlite'), 'sqlite bytez');
    await expect(verifyBackup(backup)).rejects.toThrow(/temporal\.sqlite：内容与清单的 SM3 不符/);
    await write();
    fs.rmSync(path.join(backup, 'postgres', 'audit_log.copy'));
    fs.writeFileSync(path.join(backup, 'extra'), 'x');
    await expect(verifyBackup(backup)).rejects.toThrow(/audit_log\.copy：缺失[\s\S]*extra：不在清单中/);
    fs.rmSync(path.join(backup, MANIFEST));
    await expect(verifyBackup(backup)).rejects.toThrow(BackupError);
  });

  it('a restore refuses a tampered backup and a backup of another schema version, writing nothing', async () => {
    const target = path.join(tmp, 'refused-target');
    const restore = () =>
      restoreBackup({ from: backup, dataDir: target, pgliteDir: path.join(target, 'pglite'), openDatabase });
    await write();
    fs.appendFileSync(path.join(backup, 'postgres', 'audit_log.copy'), 'forged\n');
    await expect(restore()).rejects.toThrow(/SM3 不符/);
    await write({
      postgres: {
        tables: [],
        sequences: [],
        migrations: { count: 1, last: 1 },
        folder: 'postgres',
      } as unknown as Manifest['postgres'],
    });
    await expect(restore()).rejects.toThrow(/数据库结构.*不一致/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('a backup refuses a directory that is not empty', async () => {
    const out = path.join(tmp, 'occupied');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'x'), 'x');
    await expect(takeBackup({ dataDir: tmp, pgliteDir: path.join(tmp, 'none'), out, openDatabase })).rejects.toThrow(
      /已存在且不为空/,
    );
  });

  it('without a running npm start answering, a backup refuses an embedded database another process has open', async () => {
    const dataDir = path.join(tmp, 'in-use');
    fs.mkdirSync(path.join(dataDir, 'pglite'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'pglite', 'postmaster.pid'), '-42\n');
    const opened: string[] = [];
    const refused = takeBackup({
      dataDir,
      pgliteDir: path.join(dataDir, 'pglite'),
      out: path.join(tmp, 'in-use-backup'),
      openDatabase: async (o) => (opened.push(o.dataDir), openDatabase(o)),
    });
    await expect(refused).rejects.toThrow(/正被使用（postmaster\.pid）/);
    expect(opened).toEqual([]);
  });
});
