/**
 * Issue 18, Art. 28: the document store's keys rotate (the key id travels with the wrapped data key,
 * `rewrap` moves an object to the current key) and nothing but the right keyring opens an object.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { createDocumentStore, DocumentCorruptedError, folderBackend } from '../../lib/documents.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-docstore-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function* chunks(bytes: Buffer, size = 1000) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const read = async (it: AsyncGenerator<Buffer>) => {
  const out: Buffer[] = [];
  for await (const c of it) out.push(c);
  return Buffer.concat(out);
};

it('Art. 28: a document sealed under an old master key opens after rotation, and rewrap moves it to the new key', async () => {
  const oldSpec = generateKeyringSpec('old');
  const newSpec = generateKeyringSpec('new');
  const backend = folderBackend(dir);
  const before = createDocumentStore({ backend, keyring: parseKeyring(oldSpec), maxBytes: 1 << 20 });
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]);
  const sealed = await before.put(chunks(bytes));
  expect(sealed.sm3).toBe(createHash('sm3').update(bytes).digest('hex'));

  const rotated = createDocumentStore({ backend, keyring: parseKeyring(`${newSpec},${oldSpec}`), maxBytes: 1 << 20 });
  expect((await read((await rotated.open('doc_a', sealed.sm3, bytes.length)).stream())).equals(bytes)).toBe(true);
  expect(await rotated.rewrap('doc_a', sealed.sm3)).toBe(true);
  expect(await rotated.rewrap('doc_a', sealed.sm3)).toBe(false);

  // After the re-wrap the old key can go.
  const onlyNew = createDocumentStore({ backend, keyring: parseKeyring(newSpec), maxBytes: 1 << 20 });
  expect((await read((await onlyNew.open('doc_a', sealed.sm3, bytes.length)).stream())).equals(bytes)).toBe(true);
  // A foreign keyring opens nothing, and says which document.
  const foreign = createDocumentStore({
    backend,
    keyring: parseKeyring(generateKeyringSpec('new')),
    maxBytes: 1 << 20,
  });
  await expect(foreign.open('doc_a', sealed.sm3, bytes.length)).rejects.toThrow(DocumentCorruptedError);
  await expect(foreign.open('doc_a', sealed.sm3, bytes.length)).rejects.toThrow(/doc_a/);
  // Metadata that does not match the bytes (another SM3 row pointing here) is caught while streaming.
  await expect(read((await onlyNew.open('doc_b', sealed.sm3, bytes.length + 1)).stream())).rejects.toThrow(/doc_b/);
});
