/** Operations: /metrics, /docs, the OpenAPI document and the request log, through the real app. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { observeTemporalCall } from '../../api/metrics.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('operations with %s', (driver) => {
  let system: TestSystem;
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.skipIf(!driverAvailable(driver))('/metrics: Prometheus text without auth, labelled by route pattern', async () => {
    const bdb = await createKey(system, 'bdb');
    await system.request('GET', '/v1/projects/MTRC-1/history', { key: bdb }); // 404
    await system.request('GET', '/v1/projects/MTRC-2/history', { key: bdb });
    await system.request('GET', '/no/such/route');
    await expect(observeTemporalCall(`test-op-${driver}`, async () => 42)).resolves.toBe(42);
    await expect(
      observeTemporalCall(`test-op-${driver}`, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    const res = await system.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/v1\/projects\/:id\/history",status="404"\} [1-9]\d*/,
    );
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/v1\/admin\/api-keys",status="201"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).not.toContain('MTRC-1'); // raw paths never become labels
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain(`temporal_client_calls_total{operation="test-op-${driver}",outcome="ok"} 1\n`);
    expect(text).toContain(`temporal_client_calls_total{operation="test-op-${driver}",outcome="error"} 1\n`);
    expect(text).toContain('temporal_client_call_duration_seconds_count');
    expect(text).toContain('process_cpu_user_seconds_total'); // default Node metrics
  });

  it.skipIf(!driverAvailable(driver))('/docs serves Swagger UI for /openapi.json', async () => {
    const res = await system.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    // The bundle and the initializer are the API's own files (api/docs.ts; offline, no CDN).
    expect(html).toMatch(/<script src="\/docs\/assets\/[\d.]+\/swagger-ui-bundle\.js">/);
    const init = html.match(/src="(\/docs\/assets\/[\d.]+\/swagger-initializer\.js)"/)![1]!;
    const script = await (await system.request('GET', init)).text();
    expect(script).toContain('SwaggerUIBundle');
    expect(script).toContain('/openapi.json');
  });

  it.skipIf(!driverAvailable(driver))('/openapi.json documents every route with its errors and security', async () => {
    const res = await system.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    const expected: Array<[string, string, string[]]> = [
      ['/v1/projects', 'get', ['200', '400', '401']],
      ['/v1/projects/{id}/history', 'get', ['200', '400', '401', '403', '404']],
      ['/v1/projects/{id}/ledger', 'get', ['200', '400', '401', '403', '404']],
      ['/v1/inbox', 'get', ['200', '400', '401']],
      ['/v1/funds', 'get', ['200', '400', '401', '403']],
      // Writes with a body also get the shared 413, 415 and 429 (api/openapi.ts).
      ['/v1/annual-plans/{year}', 'put', ['200', '400', '401', '403', '413', '415', '429']],
      ['/v1/annual-plans/{year}', 'get', ['200', '400', '401']],
      ['/v1/calendar/{year}', 'get', ['200', '400', '401']],
      ['/v1/calendar/{year}', 'put', ['200', '400', '401', '403', '413', '415', '422', '429', '503']],
    ];
    for (const [path, method, statuses] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(Object.keys(op.responses).sort()).toEqual(statuses.sort());
      // A bearer key (systems) or a personal account's session cookie (people, issue 16).
      expect(op.security).toEqual([{ bearer: [] }, { session: [] }]);
      expect(op.responses['401'].content['application/problem+json']).toBeDefined();
    }
    const list = doc.paths['/v1/projects'].get;
    expect(list.parameters.map((p: Json) => p.name).sort()).toEqual(
      ['awaiting', 'cursor', 'department', 'fundsSuspended', 'jurisdiction', 'limit', 'overdue', 'q', 'stage'].sort(),
    );
    expect(doc.components.schemas.ProjectSummary).toBeDefined();
    expect(doc.paths['/v1/annual-plans/{year}'].put.requestBody.content['application/json']).toBeDefined();
    const pub = doc.paths['/v1/public/allocations'].get;
    expect(pub.security).toBeUndefined();
    expect(pub.description).toMatch(/publish.*published.*cancel.*withdrawn/s);
    expect(doc.paths['/v1/calendar/{year}'].put.description).toMatch(
      /Open deadlines not yet due whose window touches a changed day are then recomputed/,
    );
    expect(doc.paths['/metrics'].get).toBeDefined();
    expect(doc.info.description).toContain('Idempotency-Key');
  });

  it.skipIf(!driverAvailable(driver))(
    'the request log has id, method, path, status and duration, and never keys or bodies',
    async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      });
      const app = createApp({
        database: system.database,
        temporal: system.client,
        taskQueue: system.taskQueue,
        adminApiKey: ADMIN_KEY,
        log: pino({ level: 'info' }, sink),
      });
      const secretName = 'secret-body-marker-7f3a';
      const res = await app.request('/v1/admin/api-keys?token=query-marker', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
          'x-request-id': 'req-log-1',
        },
        body: JSON.stringify({ role: 'finance', name: secretName }),
      });
      expect(res.status).toBe(201);
      const created = (await res.json()) as Json;
      await app.request('/v1/inbox', {
        headers: { authorization: 'Bearer bdp_000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro' },
      });

      const entries = lines.map((l) => JSON.parse(l) as Json).filter((e) => e.msg === 'request');
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        requestId: 'req-log-1',
        method: 'POST',
        path: '/v1/admin/api-keys',
        status: 201,
        level: 30,
      });
      expect(typeof entries[0]!.durationMs).toBe('number');
      expect(entries[1]).toMatchObject({ method: 'GET', path: '/v1/inbox', status: 401 });
      expect(entries[1]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const all = lines.join('\n');
      for (const secret of [ADMIN_KEY, created.key, secretName, 'query-marker', 'wrongwrong', 'authorization']) {
        expect(all).not.toContain(secret);
      }
    },
  );
});
