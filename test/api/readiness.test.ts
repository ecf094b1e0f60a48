/**
 * /readyz (issue 31): answers within a second whatever is down — a Temporal frontend that never
 * answers, a database server that accepts connections and says nothing — counts the workers that poll
 * and are alive, and stops counting a worker as soon as it stops. Real parts: the dev server, the
 * in-process worker and database of the test system, silent TCP listeners on loopback.
 */
import fs from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { openDatabase } from '../../db/client.ts';
import { beat } from '../../db/queries/workers.ts';
import { createLogger } from '../../lib/logger.ts';
import { createProjectWorker } from '../../worker.ts';
import { ADMIN_KEY, eventually, startSystem, workflowBundle, type TestSystem } from '../support/system.ts';

/** A loopback port that accepts connections and never answers (a hung server behind a firewall). */
async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

type Health = { status: string; checks: Record<string, boolean>; workers?: number | null };

async function readyz(app: { request: (path: string) => Response | Promise<Response> }) {
  const started = performance.now();
  const res = await app.request('/readyz');
  return {
    status: res.status,
    ms: performance.now() - started,
    body: (await res.json()) as Health,
    retryAfter: res.headers.get('retry-after'),
  };
}

let system: TestSystem;
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

describe('/readyz', () => {
  it('200 with the number of workers polling, documented in the OpenAPI document', async () => {
    const ready = await eventually(async () => {
      const r = await readyz(system.app);
      return r.status === 200 ? r : undefined;
    }, 20_000);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: true, temporal: true, workers: true }, workers: 1 });
    const doc = (await (await system.app.request('/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, { description?: string }> }> };
    };
    expect(doc.components.schemas.Health!.properties.workers!.description).toMatch(/polling/);
  }, 30_000);

  it('a worker whose heartbeat is fresh but that Temporal does not list as a poller is not counted', async () => {
    await beat(system.database.db, { taskQueue: system.taskQueue, identity: 'ghost@nowhere' });
    expect((await readyz(system.app)).body.workers).toBe(1);
  });

  it('answers within a second when the Temporal frontend and the database hang', async () => {
    const temporalHole = await silentListener();
    const databaseHole = await silentListener();
    const connection = await Connection.connect({
      address: `127.0.0.1:${temporalHole.port}`,
      connectTimeout: '200 ms',
    }).catch(() => Connection.lazy({ address: `127.0.0.1:${temporalHole.port}` }));
    const database = await openDatabase({
      url: `postgres://postgres@127.0.0.1:${databaseHole.port}/postgres`,
      dataDir: '/nonexistent',
      max: 1,
    });
    const hung = createApp({
      database,
      temporal: new Client({ connection }),
      taskQueue: system.taskQueue,
      adminApiKey: ADMIN_KEY,
      log: createLogger('silent', 'test'),
    });
    try {
      const r = await readyz(hung);
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(1_000);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.body).toEqual({
        status: 'unavailable',
        checks: { database: false, temporal: false, workers: false },
        workers: null,
      });
      // The same with only Temporal hanging: the real database answers, the workers cannot be counted.
      const temporalOnly = createApp({
        database: system.database,
        temporal: new Client({ connection }),
        taskQueue: system.taskQueue,
        adminApiKey: ADMIN_KEY,
        log: createLogger('silent', 'test'),
      });
      const t = await readyz(temporalOnly);
      expect(t.ms).toBeLessThan(1_000);
      expect(t.body.checks).toEqual({ database: true, temporal: false, workers: false });
    } finally {
      // The client's retry timers of the calls /readyz gave up on run out before the channel closes.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await connection.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      await temporalHole.close();
      await databaseHole.close();
    }
  }, 30_000);

  it('a stopped worker is no longer counted: 503 at once, not a minute later', async () => {
    const own = await startSystem('pglite', inject('temporalAddress'));
    try {
      await eventually(async () => ((await readyz(own.app)).body.workers === 1 ? true : undefined), 20_000);
      own.worker.shutdown();
      await eventually(async () => (own.worker.getState() === 'STOPPED' ? true : undefined), 20_000);
      const r = await readyz(own.app);
      expect(r.status).toBe(503);
      expect(r.body.checks).toEqual({ database: true, temporal: true, workers: false });
      expect(r.body.workers).toBe(0);
    } finally {
      own.worker.shutdown = () => undefined; // stopped already
      await own.stop();
    }
  }, 60_000);

  it('WORKER_HEALTH_FILE: the worker rewrites it at every heartbeat while it runs (a container health check reads its age)', async () => {
    const file = path.join(os.tmpdir(), `bdp-worker-health-${process.pid}-${Date.now()}`);
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await createProjectWorker({
      connection,
      namespace: 'default',
      taskQueue: `health-${process.pid}`,
      db: system.database.db,
      workflowBundle: await workflowBundle(),
      healthFile: file,
    });
    const running = worker.run();
    try {
      const first = await eventually(async () => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined), 20_000);
      await eventually(async () => (fs.statSync(file).mtimeMs > first ? true : undefined), 20_000);
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      fs.rmSync(file, { force: true });
    }
  }, 60_000);
});
