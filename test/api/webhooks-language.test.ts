/**
 * Issue 14 over HTTP: problem texts in zh-CN by default and English on Accept-Language: en; webhook
 * subscriptions and their delivery from the notifications outbox (at least once, in order per
 * project, HMAC-SM3 signed, retried with backoff, every attempt logged). Receivers run on 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// First: the app's modules extend zod with .openapi() before the core's schemas load.
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  sampleApplication,
  startSystem,
  type TestSystem,
  ceilingRefusingKey,
} from '../support/system.ts';
import { createActivities } from '../../activities/index.ts';
import { webhookStore } from '../../db/queries/webhooks.ts';
import { notifications } from '../../db/schema.ts';
import { writesOf } from '../../domain/effects.ts';
import { createWebhookDispatcher } from '../../lib/webhooks.ts';
import { actors, construction, Harness } from '../domain/helpers.ts';

type Json = Record<string, any>;
const LOOPBACK = ['127.0.0.1/32'];
let system: TestSystem;
let health: string;
let bdb: string;
beforeAll(async () => {
  // The receivers listen on loopback, which only a test's policy can allow (test/security/webhook-ssrf.test.ts).
  system = await startSystem('pglite', inject('temporalAddress'), { webhookAllowedNetworks: LOOPBACK });
  health = await createKey(system, 'department', 'health');
  bdb = await createKey(system, 'bdb');
  await addPlanItems(system, [{ department: 'health', ceilingFen: 1_000_000_00 }]);
});
afterAll(async () => {
  await system?.stop();
});

const call = async (
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const res = await system.request(method, path, { key, ...(body === undefined ? {} : { body }), headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
};

describe('problem texts: zh-CN by default, English on Accept-Language: en; code stays English', () => {
  it('Art. 6, 8 (policy planCeilingRefusal): an estimate above the plan ceiling → 422 exceeds_plan_ceiling in Chinese with 元, in English on request', async () => {
    const health = await ceilingRefusingKey(system, 'health');
    const zh = await call('POST', '/v1/projects', health, sampleApplication());
    expect(zh.status).toBe(422);
    expect(zh.headers.get('content-language')).toBe('zh-CN');
    expect(zh.body).toMatchObject({
      code: 'exceeds_plan_ceiling',
      title: '投资概算超过年度计划项目上限（本地政策）',
      estimateFen: 1_200_000_00,
      ceilingFen: 1_000_000_00,
    });
    expect(zh.body.detail).toBe(
      '本地政策（开关 planCeilingRefusal）：投资概算 1,200,000.00 元 超过 2026年度计划项目 2026-HEALTH-01 的上限 1,000,000.00 元。《晋城市政务大数据项目建设应用管理办法》未规定年度计划项目的投资上限。',
    );
    const en = await call('POST', '/v1/projects', health, sampleApplication(), { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.body).toMatchObject({
      code: 'exceeds_plan_ceiling',
      title: 'Estimate above the annual plan ceiling (local policy)',
    });
    expect(en.body.detail).toContain('exceeds the ceiling of 100000000 fen');
  });

  it('Art. 7 (policy technicalReviewEveryItem): the core refuses a pass with missing checklist items → 422 checklist_incomplete rendered from its details, labelled 本地政策', async () => {
    const created = await call(
      'POST',
      '/v1/projects',
      health,
      sampleApplication({ estimate: { totalFen: 500_000_00, cityShareFen: 500_000_00, countyShareFen: 0 } }),
    );
    expect(created.status).toBe(201);
    const review = {
      decision: 'pass',
      opinion: 'ok',
      checklist: {
        resourceCatalog: true,
        dataSharing: true,
        intensiveConstruction: true,
        cloudDeployment: false,
        securityControllable: true,
      },
    };
    const zh = await call('POST', `/v1/projects/${created.body.id}/technical-review`, bdb, review);
    expect(zh.status).toBe(422);
    expect(zh.body).toMatchObject({
      code: 'checklist_incomplete',
      title: '审查项未全部合格（本地政策）',
      missing: ['cloudDeployment'],
    });
    expect(zh.body.detail).toBe('本地政策：技术审核通过须全部审查项合格（审查内容见第七条）；缺少：迁云上云。');
    const en = await call('POST', `/v1/projects/${created.body.id}/technical-review`, bdb, review, {
      'accept-language': 'en',
    });
    expect(en.body).toMatchObject({ code: 'checklist_incomplete', title: 'Checklist incomplete (local policy)' });
    expect(en.body.detail).toBe(
      'Art. 7 (policy technicalReviewEveryItem): a pass needs every checklist item; missing cloudDeployment.',
    );
  });

  it('401 and 400 are Chinese by default too', async () => {
    const res = await system.request('GET', '/v1/projects');
    expect(((await res.json()) as Json).title).toBe('未认证');
    const bad = await call('POST', '/v1/admin/webhooks', ADMIN_KEY, {
      url: 'ftp://127.0.0.1/x',
      secret: 'x'.repeat(20),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.title).toBe('请求不合法');
    expect(bad.body.errors[0].path).toBe('json.url');
    expect(bad.body.detail).toMatch(/^请求体有 \d+ 处不符合要求，逐项说明如下。$/);
    expect(bad.body.errors[0].message.replace(/https?/g, '')).not.toMatch(/[A-Za-z]{3,}/); // the scheme names stay
  });
});

describe('webhooks (POST/GET/DELETE /v1/admin/webhooks, GET …/:id/deliveries)', () => {
  it('admin only; the secret is never shown again; only http(s) URLs', async () => {
    expect(
      (await call('POST', '/v1/admin/webhooks', bdb, { url: 'http://127.0.0.1:9/x', secret: 's'.repeat(16) })).status,
    ).toBe(403);
    const created = await call('POST', '/v1/admin/webhooks', ADMIN_KEY, {
      url: 'http://127.0.0.1:9/x',
      secret: 's'.repeat(16),
      role: 'finance',
      kinds: ['allocation-published'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^wh_/),
      url: 'http://127.0.0.1:9/x',
      role: 'finance',
      department: null,
      kinds: ['allocation-published'],
      createdAt: expect.any(String),
    });
    const list = await call('GET', '/v1/admin/webhooks', ADMIN_KEY);
    expect(list.body.items.map((i: Json) => i.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toContain('s'.repeat(16));
    expect((await call('DELETE', `/v1/admin/webhooks/${created.body.id}`, ADMIN_KEY)).status).toBe(204);
    expect((await call('DELETE', `/v1/admin/webhooks/${created.body.id}`, ADMIN_KEY)).status).toBe(404);
    expect((await call('GET', '/v1/admin/webhooks', ADMIN_KEY)).body.items.map((i: Json) => i.id)).not.toContain(
      created.body.id,
    );
  });

  it('Art. 10-11: a notification is stored with kind, params and zh-CN detail (元, 年月日); delivered once, signed, after two 500s (three attempts logged), in order per project', async () => {
    // A receiver on loopback that answers 500 twice, then 200.
    const received: Array<{
      body: string;
      signature: string | undefined;
      eventId: string | undefined;
      status: number;
    }> = [];
    let failures = 2;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const status = failures-- > 0 ? 500 : 200;
        received.push({
          body,
          signature: req.headers['x-signature'] as string | undefined,
          eventId: req.headers['x-event-id'] as string | undefined,
          status,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    const secret = 'a-webhook-secret-of-32-characters';
    try {
      const sub = await call('POST', '/v1/admin/webhooks', ADMIN_KEY, {
        url: `http://127.0.0.1:${port}/hook`,
        secret,
        department: 'health',
      });
      expect(sub.status).toBe(201);

      // The core's notifications of one project, written by the activity as a workflow writes them.
      const h = new Harness({
        id: 'JC2026-HOOK0001',
        estimate: { totalFen: 150_000_000, cityShareFen: 150_000_000, countyShareFen: 0 },
      }).toBudgeting();
      const budget = h.run('budget', construction(120_000_000), actors.finance);
      h.run('rectificationOrder', { reason: 'other', description: '补充材料', dueOn: '2030-11-25' }, actors.bdb);
      const extension = h.run(
        'rectificationExtension',
        { rid: h.state.rectifications.at(-1)!.id, dueOn: '2030-12-01', reason: '需要时间' },
        actors.bdb,
      );
      const writes = writesOf([...budget, ...extension]).notifications.filter((n) => n.recipient.role === 'department');
      await createActivities({ db: system.database.db }).notify(writes);

      const stored = await system.database.db
        .select()
        .from(notifications)
        .where(eq(notifications.projectId, 'JC2026-HOOK0001'))
        .orderBy(notifications.id);
      expect(stored.map((n) => n.kind)).toEqual(['allocation', 'rectification-extended']);
      expect(stored[0]).toMatchObject({
        params: { allocationId: 'alloc-1', fundType: 'construction', amountFen: 120_000_000, status: 'held' },
      });
      expect(stored[0]!.detail).toContain('1,200,000.00 元');
      expect(stored[1]!.detail).toContain('2030年12月1日');

      const dispatcher = createWebhookDispatcher({
        store: webhookStore(system.database.db),
        baseDelayMs: 20,
        settleMs: 0,
        policy: { allowedNetworks: LOOPBACK, systemEndpoints: [] },
      });
      for (let i = 0; i < 100 && received.filter((r) => r.status === 200).length < 2; i++) {
        await dispatcher.runOnce();
        await new Promise((r) => setTimeout(r, 30));
      }
      const [first, second] = stored;
      // Order per project: the second notification is sent only after the first was delivered.
      expect(received.map((r) => [r.eventId, r.status])).toEqual([
        [first!.eventId, 500],
        [first!.eventId, 500],
        [first!.eventId, 200],
        [second!.eventId, 200],
      ]);
      for (const r of received) {
        expect(r.signature).toBe(`sm3=${createHmac('sm3', secret).update(r.body).digest('hex')}`);
        const body = JSON.parse(r.body) as Json;
        expect(body).toMatchObject({ eventId: r.eventId, projectId: 'JC2026-HOOK0001', timestamp: expect.any(String) });
      }
      expect(JSON.parse(received[2]!.body)).toMatchObject({
        kind: 'allocation',
        params: { amountFen: 120_000_000 },
        detail: stored[0]!.detail,
      });

      const log = await call('GET', `/v1/admin/webhooks/${sub.body.id}/deliveries`, ADMIN_KEY);
      const forFirst = log.body.items.filter((a: Json) => a.eventId === first!.eventId).reverse();
      expect(forFirst.map((a: Json) => [a.attempt, a.ok, a.status, a.error])).toEqual([
        [1, false, 500, 'HTTP 500'],
        [2, false, 500, 'HTTP 500'],
        [3, true, 200, null],
      ]);
      for (const a of forFirst) expect(a).toMatchObject({ latencyMs: expect.any(Number), at: expect.any(String) });
      // Nothing is sent twice once delivered.
      await dispatcher.runOnce();
      expect(received).toHaveLength(4);
    } finally {
      receiver.close();
    }
  });
});
