/**
 * Personal accounts' TOTP secrets at rest and their security trail (issue 16), through the API's
 * account service on a real database (PGlite and PostgreSQL):
 * - Art. 28 (measures): a TOTP secret is stored sealed with SM4 + HMAC-SM3 under the deployment's
 *   keyring (lib/codec.ts sealText), never as its base32 text; a legacy plaintext row still signs in
 *   and is sealed at that successful use; a rotated keyring re-seals with the new key.
 * - Art. 24-25, 28 (GB/T 39786 logs): every sign-in, failure, lockout, sign-out, expiry, password
 *   and TOTP change and admin action is in the append-only, SM3-chained trail with time, actor, IP,
 *   user agent and outcome; the lockout counts the trail's failures.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../../api/sessions.ts';
import { verifyAccountEvents } from '../../db/queries/account-events.ts';
import { accountEvents, accounts } from '../../db/schema.ts';
import { LOCKOUT_MS, SESSION_IDLE_MS } from '../../domain/accounts.ts';
import { generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { totpCode } from '../../lib/totp.ts';
import { createTestDatabase, DRIVERS, driverAvailable, type TestDatabase } from '../support/database.ts';
import { tamper } from '../support/tamper.ts';

const OLD = generateKeyringSpec('k1');
const NEW = generateKeyringSpec('k2');
const origin = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chromium' };
const admin = { keyId: 'admin-key', name: 'bootstrap admin' };
const PASSWORD = 'Jincheng-2026-secure';

describe.each(DRIVERS)('account secrets at rest and the security trail with %s', (driver) => {
  let database: TestDatabase;
  let skew = 0;
  const now = () => new Date(Date.now() + skew);
  beforeAll(async () => {
    if (driverAvailable(driver)) database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const run = it.skipIf(!driverAvailable(driver));
  const stored = async (id: string) => (await database.db.select().from(accounts).where(eq(accounts.id, id)))[0]!;
  const trailOf = async (id: string) =>
    database.db.select().from(accountEvents).where(eq(accountEvents.accountId, id)).orderBy(asc(accountEvents.seq));

  run(
    "Art. 28: an admin's TOTP secret is sealed (SM4, key id) at creation and after confirmation; the column never holds the base32; sign-in works",
    async () => {
      const service = createAccountService(database.db, { keys: parseKeyring(OLD), now });
      const created = await service.createAccount(
        { loginName: `wang.${driver}`, displayName: '王管理员', role: 'secadmin' },
        admin,
        origin,
      );
      const secret = created.totpEnrolment!.secret;
      const pending = (await stored(created.account.id)).totpPendingSecret!;
      expect(pending).toMatch(/^sm4:k1:[A-Za-z0-9_-]+$/);
      expect(pending).not.toContain(secret);

      const first = await service.login(
        { loginName: `wang.${driver}`, password: created.initialPassword, totp: totpCode(secret, now()) },
        origin,
      );
      const row = await stored(created.account.id);
      expect(row.totpPendingSecret).toBeNull();
      expect(row.totpSecret).toMatch(/^sm4:k1:/);
      expect(row.totpSecret).not.toContain(secret);
      // Read with SQL too: nothing in the row is the secret.
      const raw = await database.db.execute(
        `select totp_secret, totp_pending_secret from accounts where id = '${created.account.id}'` as never,
      );
      expect(JSON.stringify(raw)).not.toContain(secret);

      // A sealed value copied into another account's row does not open there (bound to the account id).
      const other = await service.createAccount(
        { loginName: `zhao.${driver}`, displayName: '赵管理员', role: 'auditadmin' },
        admin,
        origin,
      );
      await database.db
        .update(accounts)
        .set({ totpPendingSecret: row.totpSecret })
        .where(eq(accounts.id, other.account.id));
      await expect(
        service.login(
          { loginName: `zhao.${driver}`, password: other.initialPassword, totp: totpCode(secret, now()) },
          origin,
        ),
      ).rejects.toThrow(/another row/);

      // A later sign-in with a fresh code (next time step) still works with the sealed secret.
      skew += 31_000;
      const again = await service.login(
        { loginName: `wang.${driver}`, password: created.initialPassword, totp: totpCode(secret, now()) },
        origin,
      );
      expect(again.account.id).toBe(first.account.id);
    },
  );

  run(
    'Art. 28: a legacy row holding the plaintext secret still signs in and is sealed at that use; a rotated keyring re-seals with the new key',
    async () => {
      const oldService = createAccountService(database.db, { keys: parseKeyring(OLD), now });
      const created = await oldService.createAccount(
        { loginName: `legacy.${driver}`, displayName: '旧账户', role: 'finance' },
        admin,
        origin,
      );
      const session = await oldService.login(
        { loginName: `legacy.${driver}`, password: created.initialPassword },
        origin,
      );
      const current = await oldService.authenticate(session.token, origin);
      await oldService.changePassword(
        current,
        { currentPassword: created.initialPassword, newPassword: PASSWORD },
        origin,
      );
      // An existing deployment: the secret was written in plaintext before sealing existed.
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      await database.db
        .update(accounts)
        .set({ totpSecret: secret, totpLastStep: null })
        .where(eq(accounts.id, created.account.id));
      await oldService.login(
        { loginName: `legacy.${driver}`, password: PASSWORD, totp: totpCode(secret, now()) },
        origin,
      );
      const sealed = (await stored(created.account.id)).totpSecret!;
      expect(sealed).toMatch(/^sm4:k1:/);
      expect(sealed).not.toContain(secret);

      // Rotation: the new keyring lists the new key first and keeps the old one to open older values.
      const rotated = createAccountService(database.db, { keys: parseKeyring(`${NEW},${OLD}`), now });
      skew += 31_000;
      await rotated.login({ loginName: `legacy.${driver}`, password: PASSWORD, totp: totpCode(secret, now()) }, origin);
      expect((await stored(created.account.id)).totpSecret).toMatch(/^sm4:k2:/);
      // Without the key that sealed it, nothing opens: a refusal, not a plaintext fallback.
      skew += 31_000;
      const oldOnly = createAccountService(database.db, { keys: parseKeyring(OLD), now });
      await expect(
        oldOnly.login({ loginName: `legacy.${driver}`, password: PASSWORD, totp: totpCode(secret, now()) }, origin),
      ).rejects.toThrow(/unknown key id "k2"/);
    },
  );

  run(
    'Art. 24-25, 28 (GB/T 39786 logs): sign-ins, failures (known and unknown name), lockout, refusal, expiry, sign-outs, password and TOTP changes, admin actions — chained, with IP, user agent and actor',
    async () => {
      skew = 0;
      const service = createAccountService(database.db, { keys: parseKeyring(OLD), now });
      const login = `trail.${driver}`;
      const created = await service.createAccount(
        { loginName: login, displayName: '孙记录', role: 'department', department: 'health' },
        admin,
        origin,
      );
      const id = created.account.id;
      const first = await service.login({ loginName: login, password: created.initialPassword }, origin);
      let current = await service.authenticate(first.token, origin);
      await expect(
        service.changePassword(current, { currentPassword: created.initialPassword, newPassword: 'short' }, origin),
      ).rejects.toMatchObject({ code: 'weak_password' });
      await service.changePassword(
        current,
        { currentPassword: created.initialPassword, newPassword: PASSWORD },
        origin,
      );
      await service.logout(current, false, origin);

      // Five wrong passwords: five failures, the fifth completes a lockout; the next attempt is refused and not counted.
      for (let i = 0; i < 5; i++)
        await expect(
          service.login({ loginName: login, password: `Wrong-password-${i}` }, origin),
        ).rejects.toMatchObject({ status: i < 4 ? 401 : 423 });
      await expect(service.login({ loginName: login, password: PASSWORD }, origin)).rejects.toMatchObject({
        status: 423,
      });
      // An unknown login name is recorded (no account id) and never listed under an account.
      await expect(service.login({ loginName: `nobody.${driver}`, password: 'x' }, origin)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });

      skew += LOCKOUT_MS + 1000;
      const second = await service.login({ loginName: login, password: PASSWORD }, origin);
      current = await service.authenticate(second.token, origin);
      const enrolment = await service.enrolTotp(current, { password: PASSWORD }, origin);
      current = await service.authenticate(second.token, origin);
      await expect(service.confirmTotp(current, '000000', origin)).rejects.toMatchObject({ code: 'totp_invalid' });
      await service.confirmTotp(current, totpCode(enrolment.secret, now()), origin);
      skew += SESSION_IDLE_MS + 1000;
      await expect(service.authenticate(second.token, origin)).rejects.toMatchObject({ status: 401 });
      skew += 31_000;
      const third = await service.login(
        { loginName: login, password: PASSWORD, totp: totpCode(enrolment.secret, now()) },
        origin,
      );
      await service.logout(await service.authenticate(third.token, origin), true, origin);
      await service.revoke(id, admin, origin);

      const trail = await trailOf(id);
      expect(
        trail.map(
          (e) =>
            `${e.event}:${e.outcome}${e.detail && (e.detail as { reason?: string }).reason ? `:${(e.detail as { reason: string }).reason}` : ''}`,
        ),
      ).toEqual([
        'account-create:success',
        'sign-in:success',
        'password-change:failure:length',
        'password-change:success',
        'sign-out:success',
        'sign-in:failure:password',
        'sign-in:failure:password',
        'sign-in:failure:password',
        'sign-in:failure:password',
        'sign-in:failure:password',
        'lockout:success',
        'sign-in:refused:locked',
        'sign-in:success',
        'totp-enrolment:success',
        'totp-confirmation:failure:code',
        'totp-confirmation:success',
        'session-expired:success:idle',
        'sign-in:success',
        'sign-out-everywhere:success',
        'account-revoke:success',
      ]);
      expect(trail[0]).toMatchObject({
        actor: 'admin-key',
        actorName: 'bootstrap admin',
        loginName: login,
        ip: origin.ip,
        userAgent: origin.userAgent,
      });
      expect(trail[1]).toMatchObject({ actor: `account:${id}`, actorName: '孙记录', ip: origin.ip });
      expect(trail.every((e) => e.ip === origin.ip && e.userAgent === origin.userAgent)).toBe(true);
      expect(trail.find((e) => e.event === 'lockout')!.detail).toMatchObject({ lockedUntil: expect.any(String) });
      const unknown = await database.db
        .select()
        .from(accountEvents)
        .where(eq(accountEvents.loginName, `nobody.${driver}`));
      expect(unknown).toMatchObject([
        {
          event: 'sign-in',
          outcome: 'failure',
          accountId: null,
          actor: null,
          detail: { reason: 'password', knownAccount: false },
        },
      ]);

      // One SM3 chain over the whole table; an edit behind the system's back is found.
      expect(await verifyAccountEvents(database.db)).toEqual([]);
      await tamper(database.db, 'account_events', () =>
        database.db.update(accountEvents).set({ outcome: 'success' }).where(eq(accountEvents.seq, trail[5]!.seq)),
      );
      expect(await verifyAccountEvents(database.db)).toEqual([
        { seq: trail[5]!.seq, problem: 'hash does not match the row content' },
      ]);
      await tamper(database.db, 'account_events', () =>
        database.db.update(accountEvents).set({ outcome: 'failure' }).where(eq(accountEvents.seq, trail[5]!.seq)),
      );
      expect(await verifyAccountEvents(database.db)).toEqual([]);
    },
  );
});
