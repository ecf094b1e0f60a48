/**
 * Art. 24-25, 28: `npm run audit:verify` checks every project's SM3 chain in PostgreSQL and names a
 * row altered behind the system's back (project and seq), exiting 1.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../db/queries/audit.ts';
import { accountEvents, auditLog } from '../../db/schema.ts';
import { createAccountService } from '../../api/sessions.ts';
import { generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { insertProject } from '../api/fixtures.ts';
import { createTestDatabase, driverAvailable, type TestDatabase } from '../support/database.ts';
import { tamper } from '../support/tamper.ts';

const run = promisify(execFile);
const audit = (n: number) => ({
  eventId: `wf:${n}`,
  at: `2026-05-0${n}T02:00:00.000Z`,
  action: `step-${n}`,
  actor: { keyId: 'k1', role: 'bdb' as const, name: 'reviewer' },
  detail: { n },
});

async function verify(url: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, DATABASE_URL: url },
      timeout: 60_000,
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe.skipIf(!driverAvailable('postgres'))('npm run audit:verify', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await appendAudit(database.db, 'JC2026-AUDIT001', [audit(1), audit(2), audit(3)]);
    await appendAudit(database.db, 'JC2026-AUDIT002', [audit(1), audit(2)]);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('Art. 24-25: intact chains are OK (exit 0); an altered row is named by project and seq (exit 1)', async () => {
    const url = database.url!;
    const clean = await verify(url);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('OK      JC2026-AUDIT001');
    expect(clean.out).toContain('2 project chain(s) checked, 0 broken');

    // Someone edits history directly in the database.
    await tamper(database.db, 'audit_log', () =>
      database.db
        .update(auditLog)
        .set({ detail: sql`'{"n": 99}'::jsonb` })
        .where(and(eq(auditLog.projectId, 'JC2026-AUDIT001'), eq(auditLog.seq, 2))),
    );
    const tampered = await verify(url);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('BROKEN  JC2026-AUDIT001');
    expect(tampered.out).toMatch(/seq 2: hash does not match the row content/);
    expect(tampered.out).toContain('OK      JC2026-AUDIT002');
    expect(tampered.out).toContain('2 project chain(s) checked, 1 broken');
  }, 120_000);

  it('Art. 24-25: completeness — a read-model row without a trail, a decision without its entry, entries out of time order are named', async () => {
    const url = database.url!;
    const decisions = (actions: string[]) =>
      actions.map((action) => ({ action, role: 'bdb', by: 'reviewer', at: '2026-05-01T02:00:00.000Z' }));
    // A project the read model knows, with no trail at all.
    await insertProject(database.db, {
      id: 'JC2026-AUDIT003',
      title: 'no trail',
      department: 'health',
      stage: 'technical_review',
      decisions: decisions(['application']),
    });
    // A trail missing the entry of a decision the view shows, and one entry older than its predecessor.
    await appendAudit(database.db, 'JC2026-AUDIT004', [audit(2), { ...audit(1), eventId: 'wf:9' }]);
    await insertProject(database.db, {
      id: 'JC2026-AUDIT004',
      title: 'gaps',
      department: 'health',
      stage: 'technical_review',
      decisions: decisions(['step-2', 'technical-review']),
    });
    const result = await verify(url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /BROKEN  JC2026-AUDIT003\n\s+seq 0: the project has a read-model row but no audit trail/,
    );
    expect(result.out).toMatch(/1 decision\(s\) "technical-review" in the view, 0 on the audit trail/);
    expect(result.out).toMatch(/seq 2: recorded at 2026-05-01T02:00:00.000Z, before seq 1/);
  }, 120_000);
});

describe.skipIf(!driverAvailable('postgres'))('npm run audit:verify: the accounts security trail', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('Art. 24-25, 28 (GB/T 39786 logs): the accounts trail is checked too; an edited row is named by seq (exit 1)', async () => {
    const service = createAccountService(database.db, { keys: parseKeyring(generateKeyringSpec('av')) });
    const origin = { ip: '198.51.100.4', userAgent: 'curl/8' };
    await service.createAccount(
      { loginName: 'li.audit', displayName: '李审计', role: 'bdb' },
      { keyId: 'admin', name: 'admin' },
      origin,
    );
    await expect(service.login({ loginName: 'li.audit', password: 'wrong-password-1A' }, origin)).rejects.toMatchObject(
      { code: 'invalid_credentials' },
    );
    const clean = await verify(database.url!);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('OK      accounts security trail');

    // Someone hides where the failed sign-in came from.
    await tamper(database.db, 'account_events', () =>
      database.db.update(accountEvents).set({ ip: '10.0.0.1' }).where(eq(accountEvents.seq, 2)),
    );
    const tampered = await verify(database.url!);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toMatch(/BROKEN  accounts security trail\n\s+seq 2: hash does not match the row content/);
  }, 120_000);
});
