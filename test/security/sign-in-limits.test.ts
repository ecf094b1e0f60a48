/**
 * Sign-in cannot be blocked by anyone (issue 28, HIGH 1; MLPS level 3, GB/T 22239-2019 8.1.4.1:
 * limit illegal sign-in attempts — without handing that limit to whoever sends requests): sign-in
 * is limited per source address, never by one bucket shared by every request without a key; the
 * write limit does not cover sign-in. The counters live in the database, so several API processes
 * on one PostgreSQL enforce one limit (issue 31 item 3). X-Forwarded-For counts only from a
 * configured trusted proxy (TRUSTED_PROXIES, issue 31 item 7).
 *
 * Real HTTP servers (the client address is the socket's), real databases, real Temporal. The
 * limiter's clock is fixed, so no window ends during a test.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { createAccount } from '../support/accounts.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

/** A fixed instant: the limits' windows never roll over during the test. */
const FIXED = new Date('2031-05-06T07:08:30Z');

interface Served {
  url: string;
  close(): Promise<void>;
}

async function listen(app: ReturnType<typeof createApp>): Promise<Served> {
  let server: ServerType;
  const url = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
  return { url, close: () => new Promise<void>((done) => server.close(() => done())) };
}

const post = (base: string, path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe.each(DRIVERS)('sign-in and write limits (issue 28 HIGH 1) with %s', (driver) => {
  let system: TestSystem;
  let connection: Connection;
  let behindProxy: Served;
  let direct: Served;
  const run = it.skipIf(!driverAvailable(driver));
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
    const appWith = (trustedProxies: string[]) =>
      createApp({
        database: system.database,
        temporal: new Client({ connection }),
        taskQueue: system.taskQueue,
        adminApiKey: ADMIN_KEY,
        log: createLogger('silent', 'test'),
        writesPerMinute: 10,
        signInPerAddressPerMinute: 10,
        trustedProxies,
        clock: () => FIXED,
      });
    behindProxy = await listen(appWith(['127.0.0.1']));
    direct = await listen(appWith([]));
  });
  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
    await connection?.close();
    await system?.stop();
  });

  run('600 malformed sign-ins from one address do not refuse a correct sign-in from another address', async () => {
    const account = await createAccount(system, { role: 'bdb' });
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    const statuses = await Promise.all(
      Array.from({ length: 600 }, () => post(behindProxy.url, '/v1/auth/login', '{', attacker).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 400).length).toBe(10);
    expect(statuses.filter((s) => s === 429).length).toBe(590);
    const person = await post(
      behindProxy.url,
      '/v1/auth/login',
      JSON.stringify({ loginName: account.loginName, password: account.initialPassword }),
      { 'x-forwarded-for': '198.51.100.20' },
    );
    expect(person.status).toBe(200);
  });

  run(
    'the address that floods is limited: 429 sign_in_rate_limited in Chinese with Retry-After, and its sign-ins are not tried',
    async () => {
      const account = await createAccount(system, { role: 'approval' });
      const from = { 'x-forwarded-for': '203.0.113.8' };
      for (let i = 0; i < 10; i++)
        expect((await post(behindProxy.url, '/v1/auth/login', '{"loginName":', from)).status).toBe(400);
      const refused = await post(
        behindProxy.url,
        '/v1/auth/login',
        JSON.stringify({ loginName: account.loginName, password: account.initialPassword }),
        from,
      );
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await refused.json()) as Json;
      expect(problem.code).toBe('sign_in_rate_limited');
      expect(problem.detail).toMatch(/登录/);
      // Not tried: the account shows no sign-in.
      const accounts = (await (await system.request('GET', '/v1/admin/accounts', { key: ADMIN_KEY })).json()) as {
        items: Json[];
      };
      expect(accounts.items.find((a) => a.id === account.id)?.lastSignInAt).toBeNull();
    },
  );

  run('X-Forwarded-For names the client only from a trusted proxy (TRUSTED_PROXIES; default: none)', async () => {
    const account = await createAccount(system, { role: 'finance', jurisdiction: 'zezhou' });
    const body = JSON.stringify({ loginName: account.loginName, password: account.initialPassword });
    for (const served of [behindProxy, direct]) {
      for (let i = 0; i < 10; i++)
        expect((await post(served.url, '/v1/auth/login', '{', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(400);
    }
    // Behind the trusted proxy another address is another client; directly, whatever it claims, the same socket's.
    expect((await post(behindProxy.url, '/v1/auth/login', body, { 'x-forwarded-for': '192.0.2.2' })).status).toBe(200);
    expect((await post(direct.url, '/v1/auth/login', body, { 'x-forwarded-for': '192.0.2.3' })).status).toBe(429);
  });

  run(
    'the write limit does not cover sign-in (12 sign-ins from 12 addresses under a write limit of 10), and counts per API key',
    async () => {
      const account = await createAccount(system, { role: 'bdb' });
      const body = JSON.stringify({ loginName: account.loginName, password: account.initialPassword });
      for (let i = 0; i < 12; i++)
        expect(
          (await post(behindProxy.url, '/v1/auth/login', body, { 'x-forwarded-for': `198.51.100.${100 + i}` })).status,
        ).toBe(200);
      const key = await createKey(system, 'bdb');
      const other = await createKey(system, 'bdb');
      const plan = (n: number) =>
        JSON.stringify({ items: [{ code: `2031-W-${n}`, title: 'x', department: 'health', ceilingFen: n }] });
      const put = (k: string, n: number) =>
        fetch(`${direct.url}/v1/annual-plans/2031`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
          body: plan(n),
        });
      for (let n = 1; n <= 10; n++) expect((await put(key, n)).status).toBe(200);
      expect((await put(key, 11)).status).toBe(429);
      expect((await put(other, 12)).status).toBe(200);
    },
  );
});

describe('several API processes on one PostgreSQL enforce one limit (issue 31 item 3)', () => {
  const run = it.skipIf(!driverAvailable('postgres'));
  let system: TestSystem;
  let second: DatabaseHandle | undefined;
  let connection: Connection;
  beforeAll(async () => {
    if (!driverAvailable('postgres')) return;
    system = await startSystem('postgres', inject('temporalAddress'));
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await second?.close();
    await connection?.close();
    await system?.stop();
  });

  run('two apps, each with its own connection pool, count one key’s writes together', async () => {
    const other = await openDatabase({ url: system.database.url!, dataDir: 'unused', max: 2 });
    second = other;
    const apps = [system.database, other].map((database) =>
      createApp({
        database,
        temporal: new Client({ connection }),
        taskQueue: system.taskQueue,
        adminApiKey: ADMIN_KEY,
        log: createLogger('silent', 'test'),
        writesPerMinute: 4,
        clock: () => FIXED,
      }),
    );
    const key = await createKey(system, 'bdb');
    const put = (i: number) =>
      apps[i % 2]!.request('/v1/annual-plans/2032', {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ code: `2032-S-${i}`, title: 'x', department: 'health', ceilingFen: i + 1 }] }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await put(i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, ...Array(8).fill(429)]);
  });
});
