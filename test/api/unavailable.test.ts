/**
 * docs/API.md "Errors": when Temporal or the database cannot be reached the API answers 503
 * problem+json with Retry-After — never a bare 500 — and /readyz says so; /healthz stays up.
 * Real parts throughout: a Temporal client pointed at a port nobody listens on, a PostgreSQL
 * connection string to a closed port, and a PGlite database closed under the app.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { openDatabase } from '../../db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { freePort } from '../support/net.ts';
import {
  ADMIN_KEY,
  addPlanItems,
  createKey,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

const expectUnavailable = async (res: Response) => {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await res.json()) as { code: string }).code).toBe('unavailable');
};

describe('Temporal unreachable', () => {
  let system: TestSystem;
  let app: ReturnType<typeof createApp>;
  let connection: Connection;
  beforeAll(async () => {
    system = await startSystem('pglite', inject('temporalAddress'));
    connection = await Connection.connect({
      address: `127.0.0.1:${await freePort()}`,
      connectTimeout: '1 second',
    }).catch(() => Connection.lazy({ address: '127.0.0.1:1' }));
    app = createApp({
      database: system.database,
      temporal: new Client({ connection }),
      taskQueue: 'nowhere',
      adminApiKey: ADMIN_KEY,
      log: createLogger('silent', 'test'),
    });
  });
  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await system?.stop();
  });

  it('GET /v1/projects/:id and a command answer 503 with Retry-After; /readyz 503, /healthz 200', async () => {
    const key = await createKey(system, 'bdb');
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    await expectUnavailable(await app.request('/v1/projects/JC2026-AAAAAAAA', { headers }));
    await expectUnavailable(
      await app.request('/v1/projects/JC2026-AAAAAAAA/termination', {
        method: 'POST',
        headers,
        body: JSON.stringify({ reason: 'test' }),
      }),
    );
    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
  }, 60_000);

  it('issue 17: GET /v1/projects/:id of a stored project answers its committed view from the read model, Temporal or not', async () => {
    const dept = await createKey(system, 'department', 'health');
    await addPlanItems(system, [{ department: 'health' }]);
    const created = await system.request('POST', '/v1/projects', { key: dept, body: sampleApplication() });
    expect(created.status).toBe(201);
    const view = (await created.json()) as { id: string };
    const live = await system.request('GET', `/v1/projects/${view.id}`, { key: dept });
    expect(await live.json()).toEqual(view);
    const res = await app.request(`/v1/projects/${view.id}`, { headers: { authorization: `Bearer ${dept}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(view);
  }, 60_000);
});

describe('no worker polling the task queue', () => {
  it('/readyz answers 503 naming the workers; a creation Temporal accepted answers 202 pending (issue 28: never 503, never a bare 500)', async () => {
    const system = await startSystem('pglite', inject('temporalAddress'));
    try {
      const key = await createKey(system, 'department', 'health');
      const connection = await Connection.connect({ address: inject('temporalAddress') });
      // The same server and database, but a task queue no worker polls.
      const app = createApp({
        database: system.database,
        temporal: new Client({ connection }),
        taskQueue: 'no-worker-here',
        adminApiKey: ADMIN_KEY,
        log: createLogger('silent', 'test'),
        temporalDeadlines: { callMs: 1_000, outcomeMs: 1_000 },
      });
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, boolean> }).checks).toEqual({
        database: true,
        temporal: true,
        workers: false,
      });
      expect((await system.request('GET', '/readyz')).status).toBe(200);
      await addPlanItems(system, [{ department: 'health' }]);
      const res = await app.request('/v1/projects', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(sampleApplication()),
      });
      // Temporal has the workflow: it will apply once a worker polls, so not "nothing applied".
      expect(res.status).toBe(202);
      expect(((await res.json()) as { outcome: string }).outcome).toBe('pending');
      await connection.close();
    } finally {
      await system.stop();
    }
  }, 60_000);
});

describe('database unreachable', () => {
  it('PostgreSQL on a closed port: authenticated requests answer 503 with Retry-After, not 500', async () => {
    const database = await openDatabase({
      url: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
      dataDir: '/nonexistent',
      max: 1,
    });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const app = createApp({
      database,
      temporal: new Client({ connection }),
      taskQueue: 'q',
      adminApiKey: ADMIN_KEY,
      log: createLogger('silent', 'test'),
    });
    try {
      // The admin key is checked without the database; the key list needs it.
      await expectUnavailable(
        await app.request('/v1/admin/api-keys', { headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
      );
      // A department key must be looked up in the database.
      await expectUnavailable(
        await app.request('/v1/projects', {
          headers: { authorization: 'Bearer bdp_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        }),
      );
      expect((await app.request('/readyz')).status).toBe(503);
    } finally {
      await connection.close();
      await database.close().catch(() => undefined);
    }
  }, 60_000);
});
