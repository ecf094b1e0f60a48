/**
 * Webhook input through the same storable-text schema as every other text (issue 28 medium 5):
 * a NUL or a lone UTF-16 surrogate in `url` or `secret` → 400 validation_failed in Chinese, nothing
 * stored (was: 500 for NUL, U+FFFD stored for a surrogate). And no secret in any log line: a
 * database error's SQL parameters never reach the log (GB/T 22239-2019 8.1.4.2 audit records must
 * not expose authentication data).
 */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_KEY, startSystem, type TestSystem } from '../support/system.ts';
import { createApp } from '../../api/app.ts';
import { webhookSubscriptions } from '../../db/schema.ts';
import { createLogger } from '../../lib/logger.ts';

type Json = Record<string, any>;

let system: TestSystem;
let connection: Connection;
let app: ReturnType<typeof createApp>;
const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const SECRET = 'top-secret-webhook-signing-key-123';

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  app = createApp({
    database: system.database,
    temporal: new Client({ connection }),
    taskQueue: system.taskQueue,
    adminApiKey: ADMIN_KEY,
    log: createLogger('info', 'test', capture),
    webhookPolicy: { allowedNetworks: [], systemEndpoints: [] },
  });
});
afterAll(async () => {
  await connection?.close();
  await system?.stop();
});

const subscribe = async (body: unknown) => {
  const res = await app.request('/v1/admin/webhooks', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
};

describe('webhook url and secret are storable text (issue 28 medium 5)', () => {
  it('NUL or a lone surrogate in url or secret → 400 validation_failed naming the field, in Chinese; nothing stored; the secret in no log line', async () => {
    const url = 'https://receiver.example/hook';
    const cases: Array<[Record<string, string>, string]> = [
      [{ url, secret: `${SECRET}\u0000` }, 'json.secret'],
      [{ url, secret: `${SECRET}\ud800` }, 'json.secret'],
      [{ url: `${url}\u0000`, secret: SECRET }, 'json.url'],
      [{ url: `https://receiver.example/h\udc00ook`, secret: SECRET }, 'json.url'],
    ];
    for (const [body, path] of cases) {
      const r = await subscribe(body);
      expect([r.status, r.body.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
      expect(r.body.detail).toMatch(/^请求体有 \d+ 处不符合要求，逐项说明如下。$/);
      expect(r.body.errors.map((e: Json) => e.path)).toContain(path);
    }
    expect(await system.database.db.select().from(webhookSubscriptions)).toEqual([]);
    expect(lines.join('')).not.toContain(SECRET);
  });

  it("a database error's SQL parameters (a secret among them) are not logged; the query and the cause are", async () => {
    let failure: unknown;
    try {
      // What the API did before: the secret with a NUL reached the INSERT, which PostgreSQL refuses.
      await system.database.db.insert(webhookSubscriptions).values({
        id: 'wh_0000000000000001',
        url: 'https://x.example/',
        secret: `${SECRET}\u0000`,
        cursor: 0,
        createdBy: 'test',
      });
    } catch (err) {
      failure = err;
    }
    expect(String((failure as Error).message)).toContain(SECRET); // drizzle puts the parameters in its message
    const log = createLogger('info', 'test', capture);
    log.error({ err: failure }, 'unhandled error');
    const line = lines.at(-1)!;
    expect(line).not.toContain(SECRET);
    const logged = JSON.parse(line) as Json;
    expect(logged.err.query).toContain('insert into "webhook_subscriptions"');
    expect(logged.err.message).toContain('params: [redacted]');
    expect(logged.err.stack).toContain('invalid byte sequence');
  });
});
