/**
 * `npm run accounts` (scripts/accounts.ts) against a fresh PostgreSQL database, run as an operator
 * runs it to create the first admin account (issue 16, docs/ACCOUNTS.md "How to create the first admin
 * account and sign in"): the printed initial password and TOTP secret sign in through the API's own
 * account service; `reset` gives a new password and secret and ends the sessions; `revoke` ends them too.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../../api/sessions.ts';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { totpCode } from '../../lib/totp.ts';
import { generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { accountEvents, accounts } from '../../db/schema.ts';
import { verifyAccountEvents } from '../../db/queries/account-events.ts';
import { asc } from 'drizzle-orm';
import { emptyPostgresDatabase, postgresUrl } from '../support/database.ts';

/** The deployment's master keyring (DOCUMENT_KEYS): the CLI seals TOTP secrets with it as the API does. */
const KEYS = generateKeyringSpec('cli1');

const accountsCli = (databaseUrl: string, ...args: string[]) =>
  execFileSync('npx', ['tsx', 'scripts/accounts.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DOCUMENT_KEYS: KEYS, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const field = (out: string, label: string) => new RegExp(`^${label}: (.+)$`, 'm').exec(out)?.[1];

describe.skipIf(!postgresUrl)('accounts CLI against PostgreSQL (issue 16)', () => {
  let url: string;
  let empty: Awaited<ReturnType<typeof emptyPostgresDatabase>>;
  let handle: DatabaseHandle | undefined;

  beforeAll(async () => {
    // A fresh, empty database: the CLI applies the migrations itself.
    empty = await emptyPostgresDatabase('bdp_accounts_cli');
    url = empty.url;
  });
  afterAll(async () => {
    await handle?.close();
    await empty?.drop();
  });

  it(
    "(policy) creates the first security administrator (三员分立: the operator's alone): its printed password and TOTP secret sign in; reset and revoke end the sessions",
    { timeout: 180_000 },
    async () => {
      const out = accountsCli(url, 'create-admin', '--login', 'wang.admin', '--name', '王管理员');
      const password = field(out, 'initial password')!;
      const secret = field(out, 'totp secret')!;
      expect(password).toHaveLength(16);
      expect(field(out, 'totp uri')).toContain(`secret=${secret}`);

      handle = await openDatabase({ url, dataDir: 'unused', max: 2 });
      const service = createAccountService(handle.db, { keys: parseKeyring(KEYS) });
      const origin = { ip: '192.0.2.7', userAgent: 'test' };
      // Art. 28: the secret printed once is stored sealed (SM4, key id named), never as base32.
      const [stored] = await handle.db.select({ pending: accounts.totpPendingSecret }).from(accounts);
      expect(stored!.pending).toMatch(/^sm4:cli1:/);
      expect(stored!.pending).not.toContain(secret);
      await expect(service.login({ loginName: 'wang.admin', password }, origin)).rejects.toMatchObject({
        status: 401,
        code: 'totp_required',
      });
      const signedIn = await service.login(
        { loginName: 'wang.admin', password, totp: totpCode(secret, new Date()) },
        origin,
      );
      expect(signedIn.account).toMatchObject({ role: 'secadmin', mustChangePassword: true, totpPendingSecret: null });
      expect(signedIn.account.totpSecret).toMatch(/^sm4:cli1:/);
      const current = await service.authenticate(signedIn.token, origin);
      expect(current.actor).toMatchObject({
        name: '王管理员',
        accountId: signedIn.account.id,
        organization: 'secadmin',
      });

      const listed = JSON.parse(accountsCli(url, 'list', '--json')) as Array<Record<string, unknown>>;
      expect(listed).toEqual([
        expect.objectContaining({ loginName: 'wang.admin', totpEnabled: true, revokedAt: null }),
      ]);
      expect(JSON.stringify(listed)).not.toContain(secret);

      // A lost authenticator: reset → new password and secret, the session ends.
      const reset = accountsCli(url, 'reset', 'wang.admin');
      const newPassword = field(reset, 'initial password')!;
      const newSecret = /secret=([A-Z2-7]+)/.exec(field(reset, 'totp uri')!)![1]!;
      await expect(service.authenticate(signedIn.token, origin)).rejects.toMatchObject({ status: 401 });
      await expect(service.login({ loginName: 'wang.admin', password }, origin)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      const again = await service.login(
        { loginName: 'wang.admin', password: newPassword, totp: totpCode(newSecret, new Date()) },
        origin,
      );

      accountsCli(url, 'revoke', again.account.id);
      await expect(service.authenticate(again.token, origin)).rejects.toMatchObject({ status: 401 });

      // Art. 24-25, 28 (GB/T 39786 logs): the operator's actions are in the security trail under their OS user, chained.
      const trail = await handle.db.select().from(accountEvents).orderBy(asc(accountEvents.seq));
      expect(trail.map((e) => [e.event, e.outcome])).toEqual([
        ['account-create', 'success'],
        ['sign-in', 'success'],
        ['account-reset', 'success'],
        ['sign-in', 'failure'],
        ['sign-in', 'success'],
        ['account-revoke', 'success'],
      ]);
      expect(trail[0]!.actor).toMatch(/^cli:/);
      expect(trail[1]).toMatchObject({ actor: `account:${again.account.id}`, ip: '192.0.2.7', userAgent: 'test' });
      expect(await verifyAccountEvents(handle.db)).toEqual([]);
    },
  );
});
