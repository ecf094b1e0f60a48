/**
 * Idempotency-Key on POST (docs/API.md "Idempotency"), through the real app on both drivers, plus
 * the middleware on a small app of its own for what no real route can provoke on demand (a 5xx, a
 * slow handler racing a retry).
 */
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuthEnv } from '../../api/auth.ts';
import { idempotency } from '../../api/idempotency.ts';
import { ApiError, problemResponse } from '../../api/problem.ts';
import { apiKeys, idempotencyRecords } from '../../db/schema.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('idempotency with %s', (driver) => {
  let system: TestSystem;
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
  });
  afterAll(async () => {
    await system?.stop();
  });

  const createKeyRequest = (name: string, idempotencyKey?: string, key = ADMIN_KEY) =>
    system.request('POST', '/v1/admin/api-keys', {
      key,
      body: { role: 'finance', name },
      headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
    });
  const keysNamed = async (name: string) =>
    (await system.database.db.select().from(apiKeys).where(eq(apiKeys.name, name))).length;

  it.skipIf(!driverAvailable(driver))(
    'the same key and body twice: one key created, the identical response replayed',
    async () => {
      const first = await createKeyRequest('idem-once', 'create-finance-key-1');
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const firstBody = (await first.json()) as Json;

      const second = await createKeyRequest('idem-once', 'create-finance-key-1');
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('content-type')).toContain('application/json');
      expect(await second.json()).toEqual(firstBody); // the same id and the same (only) plaintext key
      expect(await keysNamed('idem-once')).toBe(1);

      // Without the header every POST runs.
      expect((await createKeyRequest('idem-none')).status).toBe(201);
      expect((await createKeyRequest('idem-none')).status).toBe(201);
      expect(await keysNamed('idem-none')).toBe(2);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'the same key with another body → 422 idempotency_conflict and nothing created',
    async () => {
      expect((await createKeyRequest('idem-a', 'conflict-1')).status).toBe(201);
      const other = await createKeyRequest('idem-b', 'conflict-1');
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect(((await other.json()) as Json).code).toBe('idempotency_conflict');
      expect(await keysNamed('idem-b')).toBe(0);
      // The same key on another path is another request too.
      const elsewhere = await system.request('POST', '/v1/projects', {
        key: ADMIN_KEY,
        body: { role: 'finance', name: 'idem-a' },
        headers: { 'idempotency-key': 'conflict-1' },
      });
      expect(elsewhere.status).toBe(422);
    },
  );

  it.skipIf(!driverAvailable(driver))(
    'keys are scoped to the API key: another key may use the same Idempotency-Key independently',
    async () => {
      const secondAdmin = await createKey(system, 'secadmin');
      const mine = await createKeyRequest('idem-scope-1', 'shared-key');
      const theirs = await createKeyRequest('idem-scope-2', 'shared-key', secondAdmin);
      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(((await mine.json()) as Json).id).not.toBe(((await theirs.json()) as Json).id);
      expect(await keysNamed('idem-scope-1')).toBe(1);
      expect(await keysNamed('idem-scope-2')).toBe(1);
    },
  );

  it.skipIf(!driverAvailable(driver))('4xx responses are stored and replayed as problem+json', async () => {
    const body = { role: 'department', name: 'no department' };
    const first = await system.request('POST', '/v1/admin/api-keys', {
      key: ADMIN_KEY,
      body,
      headers: { 'idempotency-key': 'bad-body' },
    });
    expect(first.status).toBe(400);
    const again = await system.request('POST', '/v1/admin/api-keys', {
      key: ADMIN_KEY,
      body,
      headers: { 'idempotency-key': 'bad-body' },
    });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(await again.json()).toEqual(await first.json());

    // A department key is refused (403); the refusal is what the key replays.
    const health = await createKey(system, 'department', 'health');
    const denied = await createKeyRequest('idem-denied', 'denied', health);
    expect(denied.status).toBe(403);
    expect((await createKeyRequest('idem-denied', 'denied', health)).headers.get('idempotent-replayed')).toBe('true');
  });

  it.skipIf(!driverAvailable(driver))('a request still in flight → 409 idempotency_in_progress', async () => {
    // A record without a response is what a first attempt leaves while it runs. Its hash is not
    // this request's yet, so this is a conflict; with the matching hash the retry must wait.
    await system.database.db.insert(idempotencyRecords).values({
      apiKeyId: 'env-admin',
      idempotencyKey: 'in-flight',
      method: 'POST',
      path: '/v1/admin/api-keys',
      requestHash: 'not yet known',
    });
    const res = await createKeyRequest('idem-in-flight', 'in-flight');
    expect(res.status).toBe(422);
    await system.database.db
      .update(idempotencyRecords)
      .set({ requestHash: await hashOf('/v1/admin/api-keys', { role: 'finance', name: 'idem-in-flight' }) })
      .where(and(eq(idempotencyRecords.apiKeyId, 'env-admin'), eq(idempotencyRecords.idempotencyKey, 'in-flight')));
    const waiting = await createKeyRequest('idem-in-flight', 'in-flight');
    expect(waiting.status).toBe(409);
    expect(((await waiting.json()) as Json).code).toBe('idempotency_in_progress');
    expect(waiting.headers.get('retry-after')).toBe('1');
    expect(await keysNamed('idem-in-flight')).toBe(0);
  });

  it.skipIf(!driverAvailable(driver))(
    'a malformed Idempotency-Key → 400; authentication comes first (401)',
    async () => {
      for (const bad of ['x'.repeat(129), 'caf\u00e9', '']) {
        const res = await createKeyRequest('idem-malformed', bad);
        expect(res.status, JSON.stringify(bad)).toBe(400);
        expect(((await res.json()) as Json).code).toBe('validation_failed');
      }
      expect((await createKeyRequest('idem-max', 'k'.repeat(128))).status).toBe(201);
      expect((await createKeyRequest('idem-printable', 'order 42 / retry ~1')).status).toBe(201);
      const anonymous = await system.request('POST', '/v1/admin/api-keys', {
        body: { role: 'finance', name: 'x' },
        headers: { 'idempotency-key': 'anon' },
      });
      expect(anonymous.status).toBe(401);
      expect(await keysNamed('idem-malformed')).toBe(0);
    },
  );

  describe('the middleware on its own', () => {
    let calls = 0;
    const miniApp = () => {
      const app = new Hono<AuthEnv>();
      app.use('*', async (c, next) => {
        c.set('actor', { keyId: c.req.header('x-actor') ?? 'mini', role: 'bdb', name: 'mini' });
        await next();
      });
      app.on('POST', '*', idempotency(system.database.db));
      app.post('/fail', () => {
        calls += 1;
        throw new ApiError(503, 'unavailable', 'Service unavailable', 'try later');
      });
      app.post('/slow', async (c) => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 300));
        return c.json({ key: c.get('idempotencyKey') ?? null, calls }, 201);
      });
      app.post('/empty', (c) => {
        calls += 1;
        return c.body(null, 204);
      });
      app.onError((err, c) => problemResponse(c, err as ApiError));
      return app;
    };
    const post = (app: Hono<AuthEnv>, path: string, key: string, body = '{}') =>
      app.request(path, {
        method: 'POST',
        headers: { 'idempotency-key': key, 'content-type': 'application/json' },
        body,
      });

    it.skipIf(!driverAvailable(driver))('a 5xx is not stored: the retry runs the handler again', async () => {
      const app = miniApp();
      calls = 0;
      expect((await post(app, '/fail', 'retry-me')).status).toBe(503);
      expect((await post(app, '/fail', 'retry-me')).status).toBe(503);
      expect(calls).toBe(2);
      const rows = await system.database.db
        .select()
        .from(idempotencyRecords)
        .where(eq(idempotencyRecords.idempotencyKey, 'retry-me'));
      expect(rows).toEqual([]);
    });

    it.skipIf(!driverAvailable(driver))(
      'puts the key on the context; of two concurrent requests one runs, the other gets 409',
      async () => {
        const app = miniApp();
        calls = 0;
        const [a, b] = await Promise.all([post(app, '/slow', 'race'), post(app, '/slow', 'race')]);
        expect([a.status, b.status].sort()).toEqual([201, 409]);
        expect(calls).toBe(1);
        const winner = a.status === 201 ? a : b;
        expect(await winner.json()).toEqual({ key: 'race', calls: 1 });
        const replay = await post(app, '/slow', 'race');
        expect(replay.status).toBe(201);
        expect(await replay.json()).toEqual({ key: 'race', calls: 1 });
        expect(calls).toBe(1);
        // Without the header the context has no key.
        const plain = await app.request('/slow', { method: 'POST', body: '{}' });
        expect(((await plain.json()) as Json).key).toBeNull();
      },
    );

    it.skipIf(!driverAvailable(driver))('replays an empty 204 as an empty 204', async () => {
      const app = miniApp();
      calls = 0;
      expect((await post(app, '/empty', 'no-content')).status).toBe(204);
      const replay = await post(app, '/empty', 'no-content');
      expect(replay.status).toBe(204);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.text()).toBe('');
      expect(calls).toBe(1);
    });
  });
});

/** SM3 over method, path and body, as the middleware computes it. */
async function hashOf(path: string, body: unknown): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sm3').update(`POST\n${path}\n`).update(JSON.stringify(body)).digest('hex');
}
