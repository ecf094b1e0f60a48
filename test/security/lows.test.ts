/**
 * Issue 28, the low findings: blank-looking text and bidi overrides refused, a password's length
 * counting visible characters only, the password check of a session limited, TOTP re-enrolment
 * needing the password and a current code, the admin key never printed whole, a client dropping
 * mid-upload not logged as a database outage, the upload 413 naming the real limit, the document
 * type refusal in Chinese, and no key or account revoking itself. Real app, Temporal and PGlite.
 */
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { Writable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../lib/logger.ts';
import { totpCode } from '../../lib/totp.ts';
import { adminKeyLine } from '../../scripts/banner.ts';
import { createAccount, login, sessionCookieOf, sessionOf, signedIn } from '../support/accounts.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  sampleApplication,
  startSystem,
  TEST_DOCUMENT_KEYS,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;

let system: TestSystem;
let dept: string;
/** A clock the tests move (TOTP steps). */
let skew = 0;
const now = () => new Date(Date.now() + skew);

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'), { clock: now, documentMaxBytes: 3 * 1024 * 1024 });
  dept = await createKey(system, 'department', 'health');
  await addPlanItems(system, [{ department: 'health' }]);
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
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
};
const pathsOf = (r: { body: Json }) => (r.body.errors ?? []).map((e: Json) => e.path);

describe('blank-looking text and bidi overrides (issue 28 lows)', () => {
  it('a title, summary or opinion of only zero-width characters is blank → 400 naming it; text with visible characters and a joiner inside is fine', async () => {
    for (const [field, value] of [
      ['title', '\u200b\u200b\u200b'],
      ['title', '\u2060\ufeff'],
      ['summary', ' \u200d\u3164 '],
    ] as const) {
      const r = await call('POST', '/v1/projects', dept, sampleApplication({ [field]: value }));
      expect([r.status, r.body.code], `${field} ${JSON.stringify(value)}`).toEqual([400, 'validation_failed']);
      expect(pathsOf(r)).toContain(`json.${field}`);
    }
    const ok = await call('POST', '/v1/projects', dept, sampleApplication({ title: '智慧\u200b医疗 👩\u200d⚕️ 平台' }));
    expect(ok.status).toBe(201);
    const bdb = await createKey(system, 'bdb');
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    const opinion = await call('POST', `/v1/projects/${ok.body.id}/technical-review`, bdb, {
      decision: 'pass',
      opinion: '\u200b',
      checklist,
    });
    expect([opinion.status, pathsOf(opinion)]).toEqual([400, ['json.opinion']]);
  });

  it('bidi override and isolate controls in a title or a file name → 400 (a file name "\\u202Efdp.exe" shows as "exe.pdf")', async () => {
    const r = await call('POST', '/v1/projects', dept, sampleApplication({ title: '合同\u202Efdp.exe' }));
    expect([r.status, pathsOf(r)]).toEqual([400, ['json.title']]);
    const pdf = Buffer.from('%PDF-1.7\nhello\n');
    const upload = await system.request('POST', '/v1/documents', {
      key: dept,
      body: pdf,
      headers: {
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent('合同\u202Efdp.exe'),
        'content-length': String(pdf.length),
      },
    });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as Json).errors[0].path).toBe('header.X-File-Name');
  });

  it('zero-width characters do not make a password long enough (422 weak_password, rule length)', async () => {
    const session = await signedIn(system, { role: 'bdb' });
    const padded = `Ab1!x${'\u200b'.repeat(20)}`;
    const res = await session.request('POST', '/v1/auth/password', {
      body: { currentPassword: session.password, newPassword: padded },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Json).rule).toBe('length');
  });
});

describe('a session cannot guess the password or replace the second factor (issue 28 lows)', () => {
  it('five wrong current passwords in a row end the session (423 password_change_locked), the sixth is not checked', async () => {
    const session = await signedIn(system, { role: 'approval' });
    for (let i = 1; i <= 4; i++) {
      const r = await session.request('POST', '/v1/auth/password', {
        body: { currentPassword: `Wrong-${i}-password`, newPassword: 'Another-2026-password' },
      });
      expect(r.status).toBe(403);
    }
    const fifth = await session.request('POST', '/v1/auth/password', {
      body: { currentPassword: 'Wrong-5-password', newPassword: 'Another-2026-password' },
    });
    expect(fifth.status).toBe(423);
    expect(((await fifth.json()) as Json).code).toBe('password_change_locked');
    const after = await session.request('POST', '/v1/auth/password', {
      body: { currentPassword: session.password, newPassword: 'Another-2026-password' },
    });
    expect(after.status).toBe(401);
  });

  it('replacing an enrolled authenticator needs the password and a current code of it; the session alone cannot', async () => {
    const session = await signedIn(system, { role: 'bdb' });
    const first = (await (
      await session.request('POST', '/v1/auth/totp', { body: { password: session.password } })
    ).json()) as Json;
    expect(
      (await session.request('POST', '/v1/auth/totp', { body: { code: totpCode(first.secret, now()) } })).status,
    ).toBe(204);
    skew += 30_000;
    // The session alone (as before): refused.
    expect((await session.request('POST', '/v1/auth/totp', { body: {} })).status).toBe(400);
    const noCode = await session.request('POST', '/v1/auth/totp', { body: { password: session.password } });
    expect([noCode.status, ((await noCode.json()) as Json).code]).toEqual([403, 'totp_invalid']);
    const wrongPassword = await session.request('POST', '/v1/auth/totp', {
      body: { password: 'Not-the-password-1', currentCode: totpCode(first.secret, now()) },
    });
    expect([wrongPassword.status, ((await wrongPassword.json()) as Json).code]).toEqual([403, 'invalid_credentials']);
    const started = await session.request('POST', '/v1/auth/totp', {
      body: { password: session.password, currentCode: totpCode(first.secret, now()) },
    });
    expect(started.status).toBe(200);
  });
});

describe('keys and accounts (issue 28 lows)', () => {
  it("a security administrator's key cannot revoke itself (409 cannot_revoke_self, in Chinese); it still works; the start-up key revokes it", async () => {
    const key = await createKey(system, 'secadmin');
    const id = /^bdp_([0-9a-f]{12})_/.exec(key)![1]!;
    const self = await call('DELETE', `/v1/admin/api-keys/${id}`, key);
    expect([self.status, self.body.code]).toEqual([409, 'cannot_revoke_self']);
    expect(self.body.detail).toMatch(/不能吊销/);
    expect((await call('GET', '/v1/admin/api-keys', key)).status).toBe(200);
    expect((await call('DELETE', `/v1/admin/api-keys/${id}`, ADMIN_KEY)).status).toBe(204);
  });

  it("a security administrator's account cannot revoke itself", async () => {
    const admin = await createAccount(system, { role: 'secadmin' });
    const res = await login(system, {
      loginName: admin.loginName,
      password: admin.initialPassword,
      totp: totpCode(admin.totpEnrolment!.secret, now()),
    });
    const body = (await res.json()) as Json;
    const session = sessionOf(system, sessionCookieOf(res)!, body.csrfToken, admin, admin.initialPassword);
    const changed = await session.request('POST', '/v1/auth/password', {
      body: { currentPassword: admin.initialPassword, newPassword: 'Jincheng-2026-admin!' },
    });
    expect(changed.status).toBe(204);
    const self = await session.request('DELETE', `/v1/admin/accounts/${admin.id}`);
    expect(self.status).toBe(409);
    expect(((await self.json()) as Json).code).toBe('cannot_revoke_self');
  });

  it('the start banner shows the admin key’s first characters and where the whole key is, never the key', () => {
    const key = `admin_${'Zq9'.repeat(14)}x`;
    for (const en of [false, true]) {
      const line = adminKeyLine({ key, source: '/data/admin-api-key (new)' }, en);
      expect(line).toMatch(en ? /^ {2}Admin key {4}admin_Zq9Z… / : /^ {2}管理员密钥 {4}admin_Zq9Z… /);
      expect(line).toContain('/data/admin-api-key');
      expect(line).not.toContain(key);
      expect(line).not.toContain(key.slice(0, 16));
    }
    expect(adminKeyLine({ key: 'x'.repeat(40), source: 'ADMIN_API_KEY' }, true)).not.toContain('x'.repeat(5));
  });
});

describe('uploads (issue 28 lows)', () => {
  it('the 413 of an upload names the real limit (DOCUMENT_MAX_BYTES), not 256 KiB; the type refusal is Chinese', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 1, 0x25);
    const tooLarge = await call('POST', '/v1/documents', dept, big, {
      'content-type': 'application/pdf',
      'x-file-name': 'a.pdf',
      'content-length': String(big.length),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.detail).toBe('文件超过大小上限 3 兆字节，未保存。'); // the real limit (DOCUMENT_MAX_BYTES), not 256 KiB
    const png = Buffer.from('%PDF-1.7\nnot a png\n');
    const wrongType = await call('POST', '/v1/documents', dept, png, {
      'content-type': 'image/png',
      'x-file-name': 'a.png',
      'content-length': String(png.length),
    });
    expect([wrongType.status, wrongType.body.code, wrongType.body.title]).toEqual([
      415,
      'unsupported_document_type',
      '文件类型不被接受',
    ]);
    expect(wrongType.body.detail).toBe('文件内容是 PDF，与声明的类型 PNG 图片 不符，未保存。');
    const unknown = await call('POST', '/v1/documents', dept, png, {
      'content-type': 'text/plain',
      'x-file-name': 'a.txt',
    });
    expect(unknown.body.detail).toMatch(/只接受 PDF、OFD/);
  });

  it('a client dropping mid-upload is logged as such, not as "database unavailable"', async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const app = createApp({
      database: system.database,
      temporal: new Client({ connection }),
      taskQueue: system.taskQueue,
      adminApiKey: ADMIN_KEY,
      log: createLogger('info', 'test', capture),
      documents: system.documentStore,
      accountKeys: TEST_DOCUMENT_KEYS,
    });
    let server: ServerType | undefined;
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    try {
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write(
            `POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${dept}\r\nContent-Type: application/pdf\r\nX-File-Name: a.pdf\r\nContent-Length: 1000000\r\n\r\n%PDF-1.7\n${'x'.repeat(50_000)}`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 300);
        });
        socket.on('error', () => resolve());
      });
      const deadline = Date.now() + 10_000;
      while (!lines.some((l) => l.includes('client closed the request')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(lines.some((l) => l.includes('client closed the request'))).toBe(true);
      expect(lines.join('')).not.toContain('database unavailable');
    } finally {
      await new Promise<void>((done) => server!.close(() => done()));
      await connection.close();
    }
  });
});
