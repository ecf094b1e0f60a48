/**
 * Webhooks cannot reach internal addresses (issue 28 medium 4, SSRF; GB/T 22239-2019 8.1.3
 * boundary protection): receivers are judged by the addresses their host resolves to — loopback,
 * link-local (cloud metadata), unspecified, this machine's own addresses and the system's own
 * endpoints refused; private ranges only inside the administrator's allow-list. At subscription:
 * 422 in Chinese, nothing stored. At delivery (a subscription stored before the rule, or a name
 * that resolves elsewhere later): refused before connecting — a listening receiver on loopback
 * sees no connection at all.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_KEY, startSystem, type TestSystem } from '../support/system.ts';
import { createApp } from '../../api/app.ts';
import { createActivities } from '../../activities/index.ts';
import { webhookAttempts, webhookSubscriptions } from '../../db/schema.ts';
import { writesOf } from '../../domain/effects.ts';
import { loadConfig, ConfigError } from '../../lib/config.ts';
import { createLogger } from '../../lib/logger.ts';
import { currentOutboxPosition, webhookStore } from '../../db/queries/webhooks.ts';
import { createWebhookDispatcher } from '../../lib/webhooks.ts';
import { actors, construction, Harness } from '../domain/helpers.ts';

type Json = Record<string, any>;

let system: TestSystem;
let connection: Connection;
/** Counts every TCP connection made to it: the proof that nothing was sent. */
let listener: Server;
let listenerPort: number;
let connections = 0;
const secret = 'a-webhook-secret-of-32-characters';

/** An app whose webhook policy allows 10.0.0.0/8 and names 192.0.2.10:7233 as a system endpoint. */
let intranetApp: ReturnType<typeof createApp>;

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  intranetApp = createApp({
    database: system.database,
    temporal: new Client({ connection }),
    taskQueue: system.taskQueue,
    adminApiKey: ADMIN_KEY,
    log: createLogger('silent', 'test'),
    webhookPolicy: { allowedNetworks: ['10.0.0.0/8'], systemEndpoints: ['192.0.2.10:7233'] },
  });
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = (listener.address() as AddressInfo).port;
});
afterAll(async () => {
  listener?.close();
  await connection?.close();
  await system?.stop();
});

const subscribe = async (
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
  url: string,
) => {
  const res = await app.request('/v1/admin/webhooks', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url, secret }),
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const live = async () => (await system.database.db.select().from(webhookSubscriptions)).map((s) => s.url);

describe('webhook receivers are judged by their resolved addresses (issue 28 medium 4)', () => {
  it('loopback, localhost, link-local (metadata), unspecified, IPv4-mapped loopback, private without allow-list → 422 webhook_address_refused in Chinese; nothing stored, nothing sent', async () => {
    const cases: Array<[string, string]> = [
      [`http://127.0.0.1:${listenerPort}/hook`, 'loopback'],
      [`http://localhost:${listenerPort}/hook`, 'loopback'],
      ['http://169.254.169.254/latest/meta-data/', 'link-local'],
      ['http://[::1]:7233/', 'loopback'],
      [`http://[::ffff:127.0.0.1]:${listenerPort}/`, 'loopback'],
      ['http://0.0.0.0:3000/', 'unspecified'],
      ['http://10.1.2.3/hook', 'private'],
      ['http://192.168.1.20:8080/hook', 'private'],
    ];
    for (const [url, reason] of cases) {
      const r = await subscribe(system.app, url);
      expect([r.status, r.body.code, r.body.reason], url).toEqual([422, 'webhook_address_refused', reason]);
      expect(r.body.detail, url).toMatch(/不能作为接收地址/);
    }
    expect(await live()).toEqual([]);
    expect(connections).toBe(0);
  });

  it("private ranges only from the administrator's allow-list; the system's own endpoints never; public addresses allowed", async () => {
    expect((await subscribe(intranetApp, 'http://10.20.30.40:8080/hook')).status).toBe(201);
    expect((await subscribe(intranetApp, 'http://192.168.1.20/hook')).body.reason).toBe('private');
    expect((await subscribe(intranetApp, 'http://192.0.2.10:7233/')).body.reason).toBe('system-endpoint');
    expect((await subscribe(intranetApp, `http://127.0.0.1:${listenerPort}/`)).body.reason).toBe('loopback');
    expect((await subscribe(intranetApp, 'http://192.0.2.10:8080/hook')).status).toBe(201);
    expect(connections).toBe(0);
  });

  it('at delivery: a stored subscription to loopback (by address and by name) is refused before connecting — the receiver sees no connection; the attempt says why', async () => {
    const db = system.database.db;
    const ids = [`wh_${randomBytes(8).toString('hex')}`, `wh_${randomBytes(8).toString('hex')}`];
    const cursor = await currentOutboxPosition(db);
    await db.insert(webhookSubscriptions).values([
      { id: ids[0]!, url: `http://127.0.0.1:${listenerPort}/hook`, secret, cursor, createdBy: 'test' },
      { id: ids[1]!, url: `http://localhost:${listenerPort}/hook`, secret, cursor, createdBy: 'test' },
    ]);
    const h = new Harness({ id: 'JC2026-SSRF0001' }).toBudgeting();
    await createActivities({ db }).notify(
      writesOf(h.run('budget', construction(50_000_000), actors.finance)).notifications,
    );
    const dispatcher = createWebhookDispatcher({ store: webhookStore(db), baseDelayMs: 10, settleMs: 0 });
    await dispatcher.runOnce();
    const attempts = await db.select().from(webhookAttempts);
    for (const id of ids) {
      const mine = attempts.filter((a) => a.subscriptionId === id);
      expect(mine.length, id).toBeGreaterThan(0);
      expect(
        mine.every((a) => !a.ok && a.statusCode === null && /refused: loopback/.test(a.error ?? '')),
        JSON.stringify(mine),
      ).toBe(true);
    }
    expect(connections).toBe(0);
  });

  it('WEBHOOK_ALLOWED_NETWORKS: private CIDRs only — loopback, link-local, unspecified or everything are refused at start-up', () => {
    expect(loadConfig({}).webhooks.allowedNetworks).toEqual([]);
    expect(
      loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8, 172.20.0.0/16,fd00::/8' }).webhooks.allowedNetworks,
    ).toEqual(['10.0.0.0/8', '172.20.0.0/16', 'fd00::/8']);
    for (const bad of ['127.0.0.0/8', '169.254.169.254', '0.0.0.0/0', '::/0', '100.0.0.0/1', 'intranet']) {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: bad }), bad).toThrow(ConfigError);
    }
  });
});
