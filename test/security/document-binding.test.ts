/**
 * A stored document is bound to its SM3 name and verified before the first byte is served (issue 28
 * medium 8; Art. 28: 密码应用 — GB/T 39786-2021 asks for the integrity of stored important data).
 * Replacing the object of document A by another valid object of the same store (B, under the same
 * master key) used to answer 200 with A's length and SM3 header but B's bytes, the SM3 check coming
 * after the bytes. Now the object's MAC covers its name: 409 document_corrupted, no byte of B.
 * Objects written before the binding (format 1) are checked by a full decryption pass first.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sealSm4 } from '../../lib/codec.ts';
import { createDocumentStore, DocumentCorruptedError, folderBackend } from '../../lib/documents.ts';
import { createKey, startSystem, TEST_DOCUMENT_KEYS, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;

let system: TestSystem;
let dept: string;
beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  dept = await createKey(system, 'department', 'health');
});
afterAll(async () => {
  await system?.stop();
});

const pdf = (text: string) => Buffer.concat([Buffer.from(`%PDF-1.7\n${text}\n`), randomBytes(70_000)]);
const sm3 = (b: Buffer) => createHash('sm3').update(b).digest('hex');
const objectFile = (hex: string) => path.join(system.documentsDir, hex.slice(0, 2), hex);

async function upload(bytes: Buffer): Promise<Json> {
  const res = await system.request('POST', '/v1/documents', {
    key: dept,
    body: bytes,
    headers: { 'content-type': 'application/pdf', 'x-file-name': 'a.pdf', 'content-length': String(bytes.length) },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Json;
}

/** An object as the store wrote it before the binding (format 1: the MAC covers IV and ciphertext only). */
function legacyObject(plain: Buffer): Buffer {
  const keyId = TEST_DOCUMENT_KEYS.currentKeyId;
  const dataKey = randomBytes(32);
  const derive = (label: string) => createHmac('sm3', dataKey).update(label).digest();
  const wrapped = sealSm4(TEST_DOCUMENT_KEYS.keys.get(keyId)!, keyId, dataKey);
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const iv = randomBytes(16);
  const cipher = createCipheriv('sm4-cbc', derive('enc').subarray(0, 16), iv);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac('sm3', derive('mac')).update(iv).update(ct).digest();
  return Buffer.concat([
    Buffer.from('BDPDOC1\n'),
    u16(Buffer.byteLength(keyId)),
    Buffer.from(keyId),
    u16(wrapped.length),
    wrapped,
    iv,
    ct,
    mac,
  ]);
}

describe('documents bound to their SM3 name (issue 28 medium 8)', () => {
  it("another valid object put in a document's place → 409 document_corrupted before any byte; the right one still serves", async () => {
    const a = pdf('document A');
    const b = pdf('document B');
    const docA = await upload(a);
    const docB = await upload(b);
    fs.copyFileSync(objectFile(docB.sm3), objectFile(docA.sm3));
    const res = await system.request('GET', `/v1/documents/${docA.id}`, { key: dept });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ code: 'document_corrupted', documentId: docA.id });
    const good = await system.request('GET', `/v1/documents/${docB.id}`, { key: dept });
    expect(good.status).toBe(200);
    expect(Buffer.from(await good.arrayBuffer()).equals(b)).toBe(true);
  });

  it('an object of the earlier format is verified whole before it is served: its own bytes open, another in its place is refused at open', async () => {
    const store = createDocumentStore({
      backend: folderBackend(system.documentsDir),
      keyring: TEST_DOCUMENT_KEYS,
      maxBytes: 1 << 20,
    });
    const c = pdf('legacy C');
    const d = pdf('legacy D');
    for (const [plain, name] of [
      [c, sm3(c)],
      [d, sm3(d)],
    ] as const) {
      fs.mkdirSync(path.dirname(objectFile(name)), { recursive: true });
      fs.writeFileSync(objectFile(name), legacyObject(plain));
    }
    const chunks: Buffer[] = [];
    for await (const chunk of (await store.open('doc_c', sm3(c), c.length)).stream()) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(c)).toBe(true);
    fs.copyFileSync(objectFile(sm3(d)), objectFile(sm3(c)));
    await expect(store.open('doc_c', sm3(c), c.length)).rejects.toThrow(DocumentCorruptedError);
  });
});
