/**
 * Art. 28: project data at rest in Temporal is ciphertext (SM4 + HMAC-SM3 by default, AES-256-GCM as
 * the alternative); the key id travels in the payload so keys rotate; the admin-only codec endpoint
 * turns payloads back into readable ones for operators; tampering is detected.
 */
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EncryptionCodec, generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { loadConfig, payloadConverter } from '../../lib/config.ts';
import { projectWorkflowId } from '../../workflows/messages.ts';
import { createKeyStore, ENV_ADMIN_KEY_ID } from '../../api/auth.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  createKey,
  sampleApplication,
  startSystem,
  UI_ORIGIN,
  type TestSystem,
} from '../support/system.ts';

const TITLE = '机密标题 Confidential-Title-7c1f';
const plain = (text: string): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(text)),
});
const b64 = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

describe('payload encryption on the real system', () => {
  let system: TestSystem;
  let rawConnection: Connection;
  let id: string;
  beforeAll(async () => {
    system = await startSystem('pglite', inject('temporalAddress'));
    await addPlanItems(system, [{ department: 'health' }]);
    const dept = await createKey(system, 'department', 'health');
    const res = await system.request('POST', '/v1/projects', { key: dept, body: sampleApplication({ title: TITLE }) });
    expect(res.status).toBe(201);
    id = ((await res.json()) as { id: string }).id;
    // Let the workflow run its first task (audit, read model) so the history has activities too.
    expect((await system.request('GET', `/v1/projects/${id}`, { key: dept })).status).toBe(200);
    rawConnection = await Connection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await rawConnection?.close();
    await system?.stop();
  });

  it('Art. 28: the raw history read without the codec holds no plaintext title; with the codec it is back', async () => {
    const raw = new Client({ connection: rawConnection });
    const history = await raw.workflow.getHandle(projectWorkflowId(id)).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(bytes.includes(Buffer.from('Confidential-Title-7c1f'))).toBe(false);
    expect(bytes.includes(Buffer.from('机密标题'))).toBe(false);
    expect(bytes.includes(Buffer.from('binary/encrypted'))).toBe(true);
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(input.metadata!['encryption-cipher']!).toString()).toBe('sm4-cbc+hmac-sm3');

    // Through the admin-only codec endpoint the same payload is readable again.
    const decoded = await system.request('POST', '/codec/decode', {
      key: ADMIN_KEY,
      body: { payloads: [b64(input)] },
    });
    expect(decoded.status).toBe(200);
    const [payload] = ((await decoded.json()) as { payloads: Array<{ data: string }> }).payloads;
    expect(Buffer.from(payload!.data, 'base64').toString()).toContain(TITLE);
  });

  it('the codec endpoint: admin only (403 / 401), tampered ciphertext → 400, CORS preflight for the UI', async () => {
    const [encrypted] = await system
      .request('POST', '/codec/encode', { key: ADMIN_KEY, body: { payloads: [b64(plain('x'))] } })
      .then((r) => r.json() as Promise<{ payloads: Array<{ metadata: Record<string, string>; data: string }> }>)
      .then((j) => j.payloads);
    const bdb = await createKey(system, 'bdb');
    expect((await system.request('POST', '/codec/decode', { key: bdb, body: { payloads: [encrypted] } })).status).toBe(
      403,
    );
    expect((await system.request('POST', '/codec/decode', { body: { payloads: [encrypted] } })).status).toBe(401);
    const data = Buffer.from(encrypted!.data, 'base64');
    data[20] = data[20]! ^ 1;
    const tampered = await system.request('POST', '/codec/decode', {
      key: ADMIN_KEY,
      body: { payloads: [{ ...encrypted, data: data.toString('base64') }] },
    });
    expect(tampered.status).toBe(400);
    expect(((await tampered.json()) as { code: string; detail: string }).detail).toMatch(/tampered or wrong key/);
    const preflight = await system.request('OPTIONS', '/codec/decode', {
      headers: { origin: 'http://elsewhere.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('Art. 28: the Temporal UI path — an admin signs in once, the UI decodes with the session cookie; a session cannot renew itself, is only for /codec, and dies with its key', async () => {
    const [encrypted] = await system
      .request('POST', '/codec/encode', { key: ADMIN_KEY, body: { payloads: [b64(plain('for the UI'))] } })
      .then((r) => r.json() as Promise<{ payloads: Array<{ metadata: Record<string, string>; data: string }> }>)
      .then((j) => j.payloads);
    const page = await system.request('GET', '/codec/session');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("fetch('session', { method: 'POST', headers: { Authorization:");
    expect((await system.request('POST', '/codec/session', { key: await createKey(system, 'finance') })).status).toBe(
      403,
    );
    expect((await system.request('POST', '/codec/session')).status).toBe(401);

    // 三员分立: the codec is the system administrator's (and the start-up key's); not the auditor's.
    expect(
      (await system.request('POST', '/codec/session', { key: await createKey(system, 'auditadmin') })).status,
    ).toBe(403);
    const admin = await createKey(system, 'sysadmin');
    const signIn = await system.request('POST', '/codec/session', { key: admin });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^bdp_codec_session=[^;]+;/);
    expect(setCookie).toMatch(/Path=\/codec/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).not.toContain(admin);
    const cookie = setCookie.split(';')[0]!;

    // What the UI does: a preflight, then a POST with credentials from its own origin.
    const preflight = await system.request('OPTIONS', '/codec/decode', {
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const decoded = await system.request('POST', '/codec/decode', {
      headers: { cookie, origin: UI_ORIGIN, 'x-namespace': 'default' },
      body: { payloads: [encrypted] },
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const [payload] = ((await decoded.json()) as { payloads: Array<{ data: string }> }).payloads;
    expect(JSON.parse(Buffer.from(payload!.data, 'base64').toString())).toBe('for the UI');

    // A session cannot start another (no endless renewal), is not a key for /v1, and a forged one fails.
    expect((await system.request('POST', '/codec/session', { headers: { cookie } })).status).toBe(401);
    expect((await system.request('GET', '/v1/projects', { headers: { cookie } })).status).toBe(401);
    const forged = cookie.replace(/\.(\d+)\./, (_, exp: string) => `.${Number(exp) + 86_400}.`);
    expect(
      (await system.request('POST', '/codec/decode', { headers: { cookie: forged }, body: { payloads: [encrypted] } }))
        .status,
    ).toBe(401);
    // Revoking the key ends its sessions.
    const keyId = /^bdp_([0-9a-f]{12})_/.exec(admin)![1]!;
    expect((await system.request('DELETE', `/v1/admin/api-keys/${keyId}`, { key: ADMIN_KEY })).status).toBeLessThan(
      300,
    );
    expect(
      (await system.request('POST', '/codec/decode', { headers: { cookie }, body: { payloads: [encrypted] } })).status,
    ).toBe(401);
    // Signing out clears the cookie.
    expect((await system.request('DELETE', '/codec/session')).headers.get('set-cookie')).toMatch(
      /bdp_codec_session=;.*Max-Age=0/,
    );
  });

  it('codec sessions expire', async () => {
    const keys = createKeyStore(system.database.db, ADMIN_KEY);
    const actor = {
      keyId: ENV_ADMIN_KEY_ID,
      role: 'admin' as const,
      name: '管理员密钥（启动配置）',
      jurisdiction: 'city',
    };
    const live = await keys.issueSession(actor, 60_000);
    expect(await keys.authenticateSession(live.token)).toEqual(actor);
    const expired = await keys.issueSession(actor, -1_000);
    expect(await keys.authenticateSession(expired.token)).toBeUndefined();
    // Another API with a different ADMIN_API_KEY does not accept the session.
    expect(
      await createKeyStore(system.database.db, `${ADMIN_KEY}-other`).authenticateSession(live.token),
    ).toBeUndefined();
  });
});

describe('the codec itself', () => {
  it('SM4 and AES-256-GCM round-trip; a rotated keyring still decrypts old payloads and encrypts with the new key', async () => {
    for (const cipher of ['sm4', 'aes-256-gcm'] as const) {
      const oldSpec = generateKeyringSpec('old');
      const before = new EncryptionCodec(cipher, parseKeyring(oldSpec));
      const [sealed] = await before.encode([plain(TITLE)]);
      expect(Buffer.from(sealed!.data!).includes(Buffer.from('Confidential'))).toBe(false);
      const rotated = new EncryptionCodec(cipher, parseKeyring(`${generateKeyringSpec('new')},${oldSpec}`));
      const [opened] = await rotated.decode([sealed!]);
      expect(JSON.parse(Buffer.from(opened!.data!).toString())).toBe(TITLE);
      const [resealed] = await rotated.encode([plain(TITLE)]);
      expect(Buffer.from(resealed!.metadata!['encryption-key-id']!).toString()).toBe('new');
      // The old codec does not know the new key: refused, never garbage.
      await expect(before.decode([resealed!])).rejects.toThrow(/unknown key id/);
    }
  });

  it('configuration: PAYLOAD_KEYS is validated; production entry points need it; npm start generates one', () => {
    expect(() => payloadConverter(loadConfig({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' }))).toThrow(/must be 32 bytes/);
    expect(() => payloadConverter(loadConfig({}))).toThrow(/PAYLOAD_KEYS: required/);
    expect(payloadConverter(loadConfig({ PAYLOAD_CIPHER: 'none' }))).toBeUndefined();
    expect(payloadConverter(loadConfig({ PAYLOAD_KEYS: generateKeyringSpec('a') }))?.payloadCodecs).toHaveLength(1);
    expect(() => payloadConverter(loadConfig({ PAYLOAD_KEYS: generateKeyringSpec('a'), PAYLOAD_KEY_ID: 'b' }))).toThrow(
      /not in the keyring/,
    );
  });
});
