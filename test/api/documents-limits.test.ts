/**
 * Issue 18, limits and housekeeping of the document store (policy): per-key upload rate
 * (DOCUMENT_UPLOADS_PER_MINUTE) and daily volume (DOCUMENT_DAILY_BYTES) → 429 problem with
 * Retry-After and nothing stored; the sweeper removes crashed uploads' temporaries and uploads no
 * filing references after DOCUMENT_ORPHAN_DAYS, keeping filed ones and objects still in use.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDocumentSweeper } from '../../api/document-sweeper.ts';
import { documents } from '../../db/schema.ts';
import { createLogger } from '../../lib/logger.ts';
import { createKey, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;
const DAILY = 10_000;
let system: TestSystem;
let rateKey: string, volumeKey: string, otherKey: string;

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'), {
    documentLimits: { uploadsPerMinute: 3, dailyBytes: DAILY },
  });
  [rateKey, volumeKey, otherKey] = await Promise.all([
    createKey(system, 'department', 'health'),
    createKey(system, 'department', 'health'),
    createKey(system, 'bdb'),
  ]);
});
afterAll(async () => {
  await system?.stop();
});

const pdf = (size = 100) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(Math.max(0, size - 9))]);
const upload = (key: string, body: Buffer, headers: Record<string, string> = {}) =>
  system.request('POST', '/v1/documents', {
    key,
    body,
    headers: {
      'content-type': 'application/pdf',
      'x-file-name': 'a.pdf',
      'content-length': String(body.length),
      ...headers,
    },
  });
const rows = async (keyId?: string) =>
  (await system.database.db.select().from(documents)).filter((r) => !keyId || r.uploadedByKeyId === keyId);
const keyIdOf = (key: string) => key.split('_')[1]!;

describe('upload limits (policy)', () => {
  it('DOCUMENT_UPLOADS_PER_MINUTE: the 4th upload in a minute → 429 upload_rate_limited with Retry-After; other keys unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await upload(rateKey, pdf())).status).toBe(201);
    const before = await rows(keyIdOf(rateKey));
    const over = await upload(rateKey, pdf());
    const json = (await over.json()) as Json;
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toContain('application/problem+json');
    expect(json.code).toBe('upload_rate_limited');
    expect(json.title).toBe('上传过于频繁');
    const retry = Number(over.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await rows(keyIdOf(rateKey))).toHaveLength(before.length);
    const en = await upload(rateKey, pdf(), { 'accept-language': 'en' });
    expect(((await en.json()) as Json).detail).toMatch(/At most 3 document uploads per minute/);
    expect((await upload(otherKey, pdf())).status).toBe(201);
  });

  it('DOCUMENT_DAILY_BYTES: a key over its volume of the Asia/Shanghai day → 429 upload_volume_exceeded until midnight, nothing stored', async () => {
    expect((await upload(volumeKey, pdf(6_000))).status).toBe(201);
    const over = await upload(volumeKey, pdf(5_000));
    const json = (await over.json()) as Json;
    expect(over.status).toBe(429);
    expect(json).toMatchObject({ code: 'upload_volume_exceeded', limit: DAILY, used: 6_000 });
    // Retry-After: the seconds to the next midnight in Asia/Shanghai (UTC+8).
    const now = Date.now();
    const midnight = (Math.floor((now + 8 * 3600_000) / 86_400_000) + 1) * 86_400_000 - 8 * 3600_000;
    expect(Math.abs(Number(over.headers.get('retry-after')) - (midnight - now) / 1000)).toBeLessThan(5);
    expect(await rows(keyIdOf(volumeKey))).toHaveLength(1);
    // What still fits is accepted; then the day is full.
    expect((await upload(volumeKey, pdf(4_000))).status).toBe(201);
    expect((await upload(volumeKey, pdf(10))).status).toBe(429);
  });
});

describe('sweeper (crashed uploads; orphans after DOCUMENT_ORPHAN_DAYS, policy)', () => {
  it('removes stale temporaries and old unfiled uploads with their objects; keeps filed, recent and shared ones', async () => {
    const store = system.documentStore;
    const day = 86_400_000;
    // Two keys: each stays under the 3 uploads a minute of this system.
    const [approval, finance] = await Promise.all([createKey(system, 'approval'), createKey(system, 'finance')]);
    const upload1 = async (key: string, body: Buffer) => {
      const res = await upload(key, body);
      expect(res.status).toBe(201);
      return (await res.json()) as Json;
    };
    const orphan = await upload1(approval, pdf(300));
    const filed = await upload1(approval, pdf(300));
    const recent = await upload1(approval, pdf(300));
    const sharedBytes = pdf(300);
    const sharedOld = await upload1(finance, sharedBytes);
    const sharedNew = await upload1(finance, sharedBytes);
    const old = new Date(Date.now() - 8 * day);
    for (const d of [orphan, filed, sharedOld])
      await system.database.db.update(documents).set({ uploadedAt: old }).where(eq(documents.id, d.id));
    await system.database.db.update(documents).set({ projectId: 'JC2026-FILED001' }).where(eq(documents.id, filed.id));
    const objectOf = (sm3: string) => path.join(system.documentsDir, sm3.slice(0, 2), sm3);
    for (const d of [orphan, filed, sharedOld]) fs.utimesSync(objectOf(d.sm3), old, old);
    // A temporary left by a crash mid-upload (two hours old), and one of an upload still running.
    const tmp = path.join(system.documentsDir, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'crashed'), randomBytes(64));
    fs.utimesSync(path.join(tmp, 'crashed'), new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    fs.writeFileSync(path.join(tmp, 'running'), randomBytes(64));

    const sweeper = startDocumentSweeper({
      db: system.database.db,
      store,
      log: createLogger('silent', 'test'),
      orphanAfterMs: 7 * day,
      temporaryGraceMs: 3600_000,
      everyMs: 0,
      atStart: false,
    });
    const result = await sweeper.sweep();
    sweeper.stop();
    expect(result).toEqual({ temporaries: 1, orphans: 2, objects: 1 });
    expect(fs.readdirSync(tmp)).toEqual(['running']);
    const left = new Set((await rows()).map((r) => r.id));
    expect(left.has(orphan.id)).toBe(false);
    expect(left.has(sharedOld.id)).toBe(false);
    expect([filed.id, recent.id, sharedNew.id].every((id) => left.has(id))).toBe(true);
    expect(fs.existsSync(objectOf(orphan.sm3))).toBe(false);
    // The object the newer upload of the same bytes uses stays and still reads.
    const res = await system.request('GET', `/v1/documents/${sharedNew.id}`, { key: finance });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(sharedBytes)).toBe(true);
    expect((await system.request('GET', `/v1/documents/${orphan.id}`, { key: approval })).status).toBe(404);
  });
});
