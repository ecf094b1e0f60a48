/**
 * `npm run keys` (scripts/keys.ts) against a fresh PostgreSQL database, run as operators run it:
 * a separate tsx process with DATABASE_URL in its environment. The keys it creates are checked with
 * the API's own key store.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyStore } from '../../api/auth.ts';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { apiKeys } from '../../db/schema.ts';
import { emptyPostgresDatabase, postgresUrl } from '../support/database.ts';

const hasPostgres = Boolean(postgresUrl);

/** Runs the CLI; returns stdout, or throws with its stderr. */
const keysCli = (databaseUrl: string, ...args: string[]) =>
  execFileSync('npx', ['tsx', 'scripts/keys.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const keysCliFailing = (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const run = spawnSync('npx', ['tsx', 'scripts/keys.ts', ...args], { env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe.skipIf(!hasPostgres)('keys CLI against PostgreSQL', () => {
  let url: string;
  let empty: Awaited<ReturnType<typeof emptyPostgresDatabase>>;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    // A fresh, empty database: the CLI applies the migrations itself.
    empty = await emptyPostgresDatabase('bdp_keys_cli');
    url = empty.url;
  });
  afterAll(async () => {
    await handle?.close();
    await empty?.drop();
  });

  it('creates a key that authenticates, lists it without secrets, and revokes it', { timeout: 120_000 }, async () => {
    const out = keysCli(url, 'create', '--role', 'department', '--name', 'Health bureau', '--department', 'health');
    const key = out.trim();
    expect(key).toMatch(/^bdp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(out.split('\n').filter(Boolean)).toHaveLength(1); // only the key on stdout
    const id = key.slice(4, 16);

    handle ??= await openDatabase({ url, dataDir: 'unused', max: 2 });
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row).toMatchObject({ role: 'department', department: 'health', name: 'Health bureau', revokedAt: null });
    expect(row!.createdBy).toMatch(/^cli:/);
    expect(row!.secretHash).not.toContain(key.slice(17)); // only the digest is stored
    const store = createKeyStore(handle.db, undefined);
    expect(await store.authenticate(key)).toEqual({
      keyId: id,
      role: 'department',
      department: 'health',
      name: 'Health bureau',
      jurisdiction: 'city',
    });

    // Art. 5, 12, 30: a key of a county.
    const countyKey = keysCli(
      url,
      'create',
      '--role',
      'finance',
      '--name',
      'Zezhou finance',
      '--jurisdiction',
      'zezhou',
    ).trim();
    expect(await store.authenticate(countyKey)).toMatchObject({ role: 'finance', jurisdiction: 'zezhou' });
    keysCli(url, 'revoke', countyKey.slice(4, 16));
    const bdbKey = keysCli(url, 'create', '--role', 'bdb', '--name', 'BDB ops').trim();
    const listed = JSON.parse(keysCli(url, 'list', '--json')) as Array<Record<string, unknown>>;
    expect(listed.map((k) => k.id).sort()).toEqual([id, countyKey.slice(4, 16), bdbKey.slice(4, 16)].sort());
    expect(listed.find((k) => k.id === countyKey.slice(4, 16))).toMatchObject({ jurisdiction: 'zezhou' });
    expect(JSON.stringify(listed)).not.toContain(key.slice(17));
    expect(listed.find((k) => k.id === id)).toMatchObject({
      role: 'department',
      department: 'health',
      revokedAt: null,
    });
    const table = keysCli(url, 'list');
    expect(table).toMatch(/^ID\s+ROLE\s+DEPARTMENT/);
    expect(table).toContain(id);

    keysCli(url, 'revoke', id);
    expect(await store.authenticate(key)).toBeUndefined();
    expect(await store.authenticate(bdbKey)).toMatchObject({ role: 'bdb' });
    const afterRevoke = JSON.parse(keysCli(url, 'list', '--json')) as Array<Record<string, unknown>>;
    expect(afterRevoke.find((k) => k.id === id)?.revokedAt).toEqual(expect.any(String));

    const unknown = keysCliFailing({ ...process.env, DATABASE_URL: url }, 'revoke', 'abcdefabcdef');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No API key abcdefabcdef');
  });

  it('validates arguments with the API schema and creates nothing on error', { timeout: 120_000 }, async () => {
    const env = { ...process.env, DATABASE_URL: url };
    const noDepartment = keysCliFailing(env, 'create', '--role', 'department', '--name', 'No department');
    expect(noDepartment.status).toBe(2);
    expect(noDepartment.stderr).toContain('--department: department is required for role `department`');
    expect(noDepartment.stdout).toBe('');
    const badRole = keysCliFailing(env, 'create', '--role', 'mayor', '--name', 'x');
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('--role');
    const unknownOption = keysCliFailing(env, 'create', '--role', 'bdb', '--name', 'x', '--colour', 'red');
    expect(unknownOption.status).toBe(2);
    expect(keysCliFailing(env, 'revoke', 'not-an-id').status).toBe(2);
    // Art. 5, 12, 30: a jurisdiction not in the registry.
    const unknownJurisdiction = keysCliFailing(
      env,
      'create',
      '--role',
      'finance',
      '--name',
      'Atlantis finance',
      '--jurisdiction',
      'atlantis',
    );
    expect(unknownJurisdiction.status).toBe(2);
    expect(unknownJurisdiction.stderr).toContain('unknown jurisdiction atlantis');
    handle ??= await openDatabase({ url, dataDir: 'unused', max: 2 });
    const names = (await handle.db.select({ name: apiKeys.name }).from(apiKeys)).map((r) => r.name);
    expect(names).not.toContain('No department');
    expect(names).not.toContain('x');
    expect(names).not.toContain('Atlantis finance');
  });
});

describe('keys CLI without a database', () => {
  it('refuses clearly when DATABASE_URL is not set', { timeout: 60_000 }, () => {
    const run = keysCliFailing({ ...process.env, DATABASE_URL: '' }, 'list');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('DATABASE_URL is required');
    const bad = keysCliFailing({ ...process.env, DATABASE_URL: 'mysql://nope' }, 'list');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('DATABASE_URL=(hidden): must be a postgres:// or postgresql:// URL');
  });
});
