/**
 * Bad input never breaks the API (issue "Reliability and security"): property-based requests
 * (fast-check) to every operation of the generated OpenAPI document — random and malformed bodies,
 * wrong types, huge and deeply nested JSON, unicode, missing and extra fields, bad and missing auth
 * headers, path traversal in ids — on the real system (dev server + PGlite). Every answer is below
 * 500, and every error is application/problem+json with a status and a code. ≥ 10,000 requests.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

let system: TestSystem;
let operations: Array<{ method: string; path: string }>;
let keys: string[];
let projectId: string;
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  await addPlanItems(system, [{ department: 'health' }]);
  const doc = (await (await system.request('GET', '/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
  );
  const dept = await createKey(system, 'department', 'health');
  keys = [
    ADMIN_KEY,
    await createKey(system, 'bdb'),
    await createKey(system, 'finance'),
    await createKey(system, 'approval'),
    dept,
    await createKey(system, 'department', 'transport'),
  ];
  projectId = (
    (await (await system.request('POST', '/v1/projects', { key: dept, body: sampleApplication() })).json()) as {
      id: string;
    }
  ).id;
});
afterAll(async () => {
  await system?.stop();
});

const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: [deep(depth - 1)] });
const weirdString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u0000',
    '💥'.repeat(50),
    'JC2026-AAAAAAAA',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    ' ',
    '',
  ),
);
const segment = fc.oneof(
  weirdString.map((s) => encodeURIComponent(s)),
  fc.constantFrom('JC2026-AAAAAAAA', 'HT-1', 'obj-1', 'rect-1', 'cr-1', '2026', 'city', '..', '%2e%2e'),
);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.anything({ maxDepth: 3 }).map((v) => {
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return '{}';
    }
  }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '{"a":',
    '[]',
    'null',
    '1e999',
    '{"__proto__":{"admin":true}}',
    JSON.stringify(deep(200)),
    JSON.stringify({ title: 'x'.repeat(100_000) }),
  ),
  fc
    .record(
      { title: weirdString, year: fc.oneof(fc.integer(), fc.double(), weirdString), extra: fc.jsonValue() },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constant(JSON.stringify(sampleApplication())),
  fc.constant(undefined),
);
const auth = fc.oneof(
  fc.constant(undefined),
  // Mostly real keys, so most requests get past auth and exercise validation and the handlers.
  { weight: 6, arbitrary: fc.nat({ max: 5 }).map((i) => `Bearer ${keys[i]}`) },
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic YWRtaW46YWRtaW4=',
    'bearer bdp_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    `Bearer ${'A'.repeat(5000)}`,
  ),
  weirdString.map((s) => `Bearer ${s}`),
);

describe('fuzzing every route of the OpenAPI document', () => {
  it('never a 5xx, always problem+json on errors (≥ 10,000 requests)', async () => {
    let sent = 0;
    const statuses = new Map<number, number>();
    const request = fc.record({
      op: fc.nat({ max: operations.length - 1 }),
      params: fc.array(segment, { minLength: 4, maxLength: 4 }),
      useProject: fc.boolean(),
      body,
      auth,
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', undefined),
      idempotencyKey: fc.option(weirdString, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const op = operations[r.op]!;
        let i = 0;
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'id' && r.useProject ? projectId : r.params[i++ % 4]!,
        );
        const headers: Record<string, string> = {};
        // Header values are bytes on the wire: non-Latin-1 and control characters cannot be sent.
        const headerSafe = (v: string) => v.replace(/[^\x20-\x7e\x80-\xff]/g, '?');
        if (r.auth !== undefined) headers.authorization = headerSafe(r.auth);
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = headerSafe(r.idempotencyKey);
        const method = op.method;
        const res = await system.app.request(path, {
          method,
          headers,
          ...(method === 'GET' || method === 'DELETE' || r.body === undefined ? {} : { body: r.body }),
        });
        sent++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        // The readiness probe's 503 is its documented answer "not ready" (a check that failed or did
        // not answer within 0.8 s, e.g. on a machine this loaded), naming the check: not an error.
        const notReady =
          op.path === '/readyz' &&
          res.status === 503 &&
          Object.values((JSON.parse(text) as { checks: Record<string, boolean> }).checks).includes(false);
        if (res.status >= 500 && !notReady) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
        if (res.status >= 400 && !notReady) {
          expect(res.headers.get('content-type'), `${method} ${path} ${res.status}`).toContain(
            'application/problem+json',
          );
          const problem = JSON.parse(text) as { status: number; code: string };
          expect(problem.status).toBe(res.status);
          expect(typeof problem.code).toBe('string');
        }
      }),
      { numRuns: 10_000, endOnFailure: true },
    );
    console.log(
      `fuzz: ${sent} requests over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(operations.length).toBeGreaterThanOrEqual(45);
  }, 600_000);
});
