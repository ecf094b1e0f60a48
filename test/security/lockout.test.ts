/**
 * The sign-in lockout (MLPS level 3, GB/T 22239-2019 8.1.4.1 b: 限制非法登录次数 — limit illegal
 * sign-in attempts), issue 28 mediums 6 and 7:
 * - counted atomically: 40 parallel wrong sign-ins for one name try at most 5 passwords (was 11,
 *   and a right one among them got in after the fifth failure);
 * - not a weapon: failures lock the source that made them, not the person (see the "7" tests).
 * Real databases (PGlite and PostgreSQL) and, for sources, real HTTP servers behind a trusted proxy.
 */
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { accountEvents } from '../../db/schema.ts';
import { LOCKOUT_MS } from '../../domain/accounts.ts';
import { createLogger } from '../../lib/logger.ts';
import { totpCode } from '../../lib/totp.ts';
import { createAccount, login } from '../support/accounts.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, startSystem, TEST_DOCUMENT_KEYS, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('sign-in lockout (issue 28 mediums 6, 7) with %s', (driver) => {
  const run = it.skipIf(!driverAvailable(driver));
  let system: TestSystem;
  let connection: Connection;
  let server: ServerType | undefined;
  let base: string;
  /** The API's clock: real time plus `skew`. */
  let skew = 0;
  const now = () => new Date(Date.now() + skew);

  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'), { clock: now });
    connection = await Connection.connect({ address: inject('temporalAddress') });
    const app = createApp({
      database: system.database,
      temporal: new Client({ connection }),
      taskQueue: system.taskQueue,
      adminApiKey: ADMIN_KEY,
      log: createLogger('silent', 'test'),
      clock: now,
      accountKeys: TEST_DOCUMENT_KEYS,
      trustedProxies: ['127.0.0.1'],
    });
    base = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
    });
  });
  afterAll(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await connection?.close();
    await system?.stop();
  });

  /** A sign-in from client address `from` (through the trusted proxy). */
  const signInFrom = async (from: string, body: Record<string, string>) => {
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const failuresOf = async (loginName: string) =>
    (
      await system.database.db
        .select()
        .from(accountEvents)
        .where(
          and(
            eq(accountEvents.loginName, loginName),
            eq(accountEvents.event, 'sign-in'),
            eq(accountEvents.outcome, 'failure'),
          ),
        )
    ).length;

  run(
    '6: 40 parallel wrong sign-ins for one name try at most 5 passwords; then even the right one is refused',
    async () => {
      const account = await createAccount(system, { role: 'bdb' });
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          login(system, { loginName: account.loginName, password: `wrong-password-${i}` }).then((r) => r.status),
        ),
      );
      expect(await failuresOf(account.loginName)).toBe(5);
      expect(answers.filter((s) => s === 401).length).toBe(4);
      expect(answers.filter((s) => s === 200)).toEqual([]);
      expect(
        answers.every((s) => s === 401 || s === 423 || s === 429),
        JSON.stringify(answers),
      ).toBe(true);
      const right = await login(system, { loginName: account.loginName, password: account.initialPassword });
      expect(right.status).toBe(423);
      expect(await failuresOf(account.loginName)).toBe(5);
    },
  );

  /** An admin account whose TOTP is confirmed (its first sign-in, from `from`); the clock then moves a step on. */
  const confirmedAdmin = async (from: string) => {
    const admin = await createAccount(system, { role: 'secadmin' });
    const secret = admin.totpEnrolment!.secret;
    expect(
      (
        await signInFrom(from, {
          loginName: admin.loginName,
          password: admin.initialPassword,
          totp: totpCode(secret, now()),
        })
      ).status,
    ).toBe(200);
    skew += 30_000; // the next code is a new one
    return { admin, secret };
  };

  run(
    '7 (GB/T 22239 8.1.4.1 b): five wrong passwords from one address lock that address, not the person: the admin signs in from another address with password and TOTP',
    async () => {
      const { admin, secret } = await confirmedAdmin('198.51.100.1');
      const attacker = '203.0.113.66';
      for (let i = 1; i <= 4; i++)
        expect((await signInFrom(attacker, { loginName: admin.loginName, password: `wrong-${i}` })).status).toBe(401);
      const fifth = await signInFrom(attacker, { loginName: admin.loginName, password: 'wrong-5' });
      expect([fifth.status, fifth.body.code, fifth.body.scope]).toEqual([423, 'account_locked', 'source']);
      expect(fifth.body.detail).toMatch(/该地址已被锁定 15 分钟.*其他地址不受影响/);
      // The attacker's address stays locked, even with the right password and a right code.
      expect(
        (
          await signInFrom(attacker, {
            loginName: admin.loginName,
            password: admin.initialPassword,
            totp: totpCode(secret, now()),
          })
        ).status,
      ).toBe(423);
      skew += 30_000;
      const admin2 = await signInFrom('198.51.100.2', {
        loginName: admin.loginName,
        password: admin.initialPassword,
        totp: totpCode(secret, now()),
      });
      expect(admin2.status).toBe(200);
    },
  );

  run(
    '7: twenty failures from many addresses lock the name for sign-ins without a second factor; the admin with TOTP still signs in from a fresh address, never without the code',
    async () => {
      const { admin, secret } = await confirmedAdmin('198.51.100.3');
      const bdb = await createAccount(system, { role: 'bdb' });
      for (const account of [admin, bdb]) {
        for (let source = 1; source <= 4; source++) {
          for (let i = 1; i <= 5; i++)
            await signInFrom(`203.0.113.${10 * source}`, {
              loginName: account.loginName,
              password: `wrong-${source}-${i}`,
            });
        }
      }
      // A person without TOTP: refused from a fresh address, too (distributed guessing), 15 minutes.
      const person = await signInFrom('198.51.100.4', { loginName: bdb.loginName, password: bdb.initialPassword });
      expect([person.status, person.body.scope]).toEqual([423, 'name']);
      expect(person.body.detail).toMatch(/动态口令/);
      // The admin: without a code refused; with password and a fresh code signed in.
      expect(
        (await signInFrom('198.51.100.5', { loginName: admin.loginName, password: admin.initialPassword })).status,
      ).toBe(423);
      const signedIn = await signInFrom('198.51.100.5', {
        loginName: admin.loginName,
        password: admin.initialPassword,
        totp: totpCode(secret, now()),
      });
      expect(signedIn.status).toBe(200);
      // After 15 minutes the person signs in again.
      skew += LOCKOUT_MS;
      expect(
        (await signInFrom('198.51.100.4', { loginName: bdb.loginName, password: bdb.initialPassword })).status,
      ).toBe(200);
    },
  );
});
