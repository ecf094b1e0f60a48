/**
 * Abuse limits (docs/API.md "Rate limits" and "Conventions"; issue "Reliability and security"): per-key write rate
 * limit → 429 problem+json with Retry-After, reads unaffected, other keys unaffected; security
 * headers on every answer; bodies over 256 KiB → 413 before anything runs.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../lib/logger.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

let system: TestSystem;
let limited: ReturnType<typeof createApp>;
let connection: Connection;
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  limited = createApp({
    database: system.database,
    temporal: new Client({ connection }),
    taskQueue: system.taskQueue,
    adminApiKey: ADMIN_KEY,
    log: createLogger('silent', 'test'),
    writesPerMinute: 3,
  });
});
afterAll(async () => {
  await connection?.close();
  await system?.stop();
});

const plan = (n: number) =>
  JSON.stringify({ items: [{ code: `2031-L-${n}`, title: 'x', department: 'health', ceilingFen: n }] });

describe('abuse limits', () => {
  it('a key over its write limit gets 429 with Retry-After; its reads and other keys go on', async () => {
    const [a, b] = [await createKey(system, 'bdb'), await createKey(system, 'bdb')];
    const put = (key: string, n: number) =>
      limited.request('/v1/annual-plans/2031', {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: plan(n),
      });
    for (let n = 1; n <= 3; n++) expect((await put(a, n)).status).toBe(200);
    const over = await put(a, 4);
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { code: string }).code).toBe('rate_limited');
    // The refused write changed nothing.
    const current = (await (
      await limited.request('/v1/annual-plans/2031', { headers: { authorization: `Bearer ${a}` } })
    ).json()) as { items: Array<{ ceilingFen: number }> };
    expect(current.items.map((i) => i.ceilingFen)).toEqual([3]);
    expect((await put(b, 5)).status).toBe(200);
  });

  it('security headers on API answers, problems and the public listing', async () => {
    for (const res of [
      await system.request('GET', '/healthz'),
      await system.request('GET', '/v1/projects'),
      await system.request('GET', '/v1/public/allocations'),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      // Over plain HTTP no HSTS (test/api/contract-exact.test.ts checks it behind an HTTPS proxy).
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('a body over 256 KiB is refused with 413 problem+json and nothing is created', async () => {
    const big = JSON.stringify({ role: 'bdb', name: 'x'.repeat(300 * 1024) });
    const res = await system.request('POST', '/v1/admin/api-keys', { key: ADMIN_KEY, body: big });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const keys = (await (await system.request('GET', '/v1/admin/api-keys', { key: ADMIN_KEY })).json()) as {
      items: Array<{ name: string }>;
    };
    expect(keys.items.some((k) => k.name.length > 1000)).toBe(false);
  });
});
