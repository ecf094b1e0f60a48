/**
 * The document store (Art. 8, 15, 21, 28, 29: the documents a project files).
 *
 * - Content-addressed: an object's key is the SM3 (GB/T 32905) digest of its plaintext, so the same
 *   bytes are stored once however often they are uploaded; the metadata row (db `documents`) is per
 *   upload.
 * - Encrypted at rest (Art. 28): each object has its own random 32-byte data key; the file is
 *   SM4-CBC ciphertext under a key derived from it, and an HMAC-SM3 over IV and ciphertext. The data
 *   key is wrapped (SM4-CBC + HMAC-SM3, lib/codec.ts) by a master key of a keyring in the payload
 *   keyring format (`id:base64[,id:base64…]`); the key id is stored next to the wrapped key in the
 *   object's header, so master keys rotate: new objects use the current id, any listed id opens, and
 *   `rewrap` moves an object to the current key without touching its ciphertext.
 * - Bound to its name: the HMAC covers IV, ciphertext *and the object's name* (the SM3 of
 *   its plaintext), so another valid object of the store put in a document's place fails before a
 *   byte of it is served. (The data key cannot be wrapped with the name: an upload is encrypted as
 *   it streams in and its SM3 is known only at the end; the HMAC, keyed by the data key, is written
 *   last and binds both.)
 * - Checked on every read: the HMAC over the whole ciphertext and the name is verified before the
 *   first byte is decrypted (a tampered or swapped object → DocumentCorruptedError naming it, never
 *   wrong bytes); objects of format 1 (no name in their HMAC) are decrypted and their SM3 checked in
 *   full before the first byte is served; while the plaintext streams out its SM3 is recomputed and
 *   a mismatch aborts the stream.
 * - Streaming: uploads are hashed and encrypted chunk by chunk into a temporary object that becomes
 *   visible only when complete (folder backend: temp file, fsync, rename, fsync of the folder).
 *
 * Object layout: "BDPDOC2\n" ‖ u16 len ‖ key id ‖ u16 len ‖ wrapped data key ‖ iv(16) ‖ ciphertext ‖ mac(32),
 * mac = HMAC-SM3(data key's MAC key, iv ‖ ciphertext ‖ "\0sm3:" ‖ name). Format 1 ("BDPDOC1\n"):
 * mac over iv ‖ ciphertext only.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
  type Hash,
  type Hmac,
} from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openSm4, sealSm4, type Keyring } from './codec.ts';
import type { Config } from './config.ts';
import { replaceThrough, type DocumentBackend, type PendingObject, type StoredObject } from './document-backend.ts';
import { s3Backend } from './document-s3.ts';
import { checkFolderStore, type StoreMarkers } from './document-store-marker.ts';
import { ZipNames } from './document-types.ts';

export type { DocumentBackend, PendingObject, StoredObject } from './document-backend.ts';

const MAGIC_V1 = Buffer.from('BDPDOC1\n');
const MAGIC = Buffer.from('BDPDOC2\n');
/** What the HMAC of a format-2 object appends to its ciphertext: the object's name. */
const nameBinding = (sm3: string) => Buffer.from(`\0sm3:${sm3}`);
const MAC_BYTES = 32;
const IV_BYTES = 16;
const READ_CHUNK = 64 * 1024;

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Objects as files under `dir` (DATA_DIR/documents): `<dir>/<sm3[0:2]>/<sm3>`, temporaries in `<dir>/tmp`. */
export function folderBackend(dir: string): DocumentBackend {
  const tmpDir = path.join(dir, 'tmp');
  const fileOf = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw new Error(`not an object key: ${key}`);
    return path.join(dir, key.slice(0, 2), key);
  };
  const fsyncDir = async (d: string) => {
    const h = await fsp.open(d, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  };
  async function create(): Promise<PendingObject> {
    await fsp.mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tmp = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const handle = await fsp.open(tmp, 'wx', 0o600);
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await handle.close();
      }
    };
    return {
      async write(chunk) {
        let offset = 0;
        while (offset < chunk.length) offset += (await handle.write(chunk, offset)).bytesWritten;
      },
      async commit(key) {
        const file = fileOf(key);
        await handle.sync();
        await close();
        await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        await fsp.rename(tmp, file);
        await fsyncDir(path.dirname(file));
      },
      async abort() {
        await close().catch(() => {});
        await fsp.rm(tmp, { force: true });
      },
    };
  }
  return {
    describe: dir,
    create,
    async open(key) {
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(fileOf(key), 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      const { size } = await handle.stat();
      return {
        size,
        async read(position, length) {
          const buf = Buffer.alloc(length);
          let got = 0;
          while (got < length) {
            const { bytesRead } = await handle.read(buf, got, length - got, position + got);
            if (bytesRead === 0) break;
            got += bytesRead;
          }
          return buf.subarray(0, got);
        },
        close: () => handle.close(),
      };
    },
    replace: (key, write) => replaceThrough(create, key, write),
    async remove(key, ifOlderThan) {
      const file = fileOf(key);
      try {
        if ((await fsp.stat(file)).mtimeMs > ifOlderThan.getTime()) return false;
        await fsp.rm(file);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
    async sweep(olderThanMs) {
      let names: string[];
      try {
        names = await fsp.readdir(tmpDir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      }
      let removed = 0;
      for (const name of names) {
        const file = path.join(tmpDir, name);
        const st = await fsp.stat(file).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs > olderThanMs) {
          await fsp.rm(file, { force: true });
          removed++;
        }
      }
      return removed;
    },
    async temporaries() {
      return fs.existsSync(tmpDir) ? (await fsp.readdir(tmpDir)).length : 0;
    },
  };
}

/** A stored object failed its integrity check (or is gone): nothing of it is served. */
export class DocumentCorruptedError extends Error {
  constructor(
    readonly documentId: string,
    reason: string,
  ) {
    super(`document ${documentId} is corrupted: ${reason}`);
    this.name = 'DocumentCorruptedError';
  }
}

/** The upload broke a rule of the store (size limit, empty, truncated): nothing was stored. */
export class DocumentRejectedError extends Error {
  constructor(
    readonly reason: 'too_large' | 'empty' | 'truncated' | 'type',
    message: string,
  ) {
    super(message);
    this.name = 'DocumentRejectedError';
  }
}

const derive = (key: Buffer, label: string) => createHmac('sm3', key).update(label).digest();
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};

function header(keyId: string, wrapped: Buffer, version: 1 | 2 = 2): Buffer {
  const id = Buffer.from(keyId);
  return Buffer.concat([version === 2 ? MAGIC : MAGIC_V1, u16(id.length), id, u16(wrapped.length), wrapped]);
}

interface ParsedHeader {
  /** 2: the HMAC covers the object's name; 1: written before the binding. */
  version: 1 | 2;
  keyId: string;
  wrapped: Buffer;
  /** Where the IV starts. */
  end: number;
}

function parseHeader(buf: Buffer): ParsedHeader | undefined {
  if (buf.length < MAGIC.length + 4) return undefined;
  const magic = buf.subarray(0, MAGIC.length);
  const version = magic.equals(MAGIC) ? 2 : magic.equals(MAGIC_V1) ? 1 : undefined;
  if (version === undefined) return undefined;
  let at = MAGIC.length;
  const idLen = buf.readUInt16BE(at);
  at += 2;
  if (buf.length < at + idLen + 2) return undefined;
  const keyId = buf.subarray(at, at + idLen).toString();
  at += idLen;
  const wrappedLen = buf.readUInt16BE(at);
  at += 2;
  if (buf.length < at + wrappedLen) return undefined;
  return { version, keyId, wrapped: Buffer.from(buf.subarray(at, at + wrappedLen)), end: at + wrappedLen };
}

/** What an upload produced: the object key (SM3 hex of the plaintext) and its size. */
export interface SealedObject {
  sm3: string;
  size: number;
  /** The first bytes of the plaintext (up to 4 KiB) and the zip entry names seen, for type checks. */
  head: Buffer;
  zipEntries: string[];
}

export interface DocumentStoreOptions {
  backend: DocumentBackend;
  keyring: Keyring;
  /** Largest accepted plaintext in bytes. */
  maxBytes: number;
}

export type DocumentStore = ReturnType<typeof createDocumentStore>;

export function createDocumentStore({ backend, keyring, maxBytes }: DocumentStoreOptions) {
  const masterKey = (keyId: string, documentId: string) => {
    const key = keyring.keys.get(keyId);
    if (!key)
      throw new DocumentCorruptedError(
        documentId,
        `its data key is wrapped by key ${keyId}, which is not in the keyring`,
      );
    return key;
  };

  return {
    maxBytes,
    backend,

    /**
     * Hashes, encrypts and writes a stream to a new object. `expectedSize` (Content-Length) makes a
     * shorter or longer body a `truncated` rejection; more than maxBytes is `too_large` (the rest of
     * the stream is not read), nothing at all is `empty`. `accept` sees the head and zip names once
     * the stream ended and throws to refuse; a refused upload leaves nothing behind.
     */
    async put(
      body: AsyncIterable<Uint8Array>,
      options: { expectedSize?: number | undefined; accept?: (sealed: SealedObject) => void } = {},
    ): Promise<SealedObject> {
      const dataKey = randomBytes(32);
      const keyId = keyring.currentKeyId;
      const wrapped = sealSm4(keyring.keys.get(keyId)!, keyId, dataKey);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('sm4-cbc', derive(dataKey, 'enc').subarray(0, 16), iv);
      const mac: Hmac = createHmac('sm3', derive(dataKey, 'mac')).update(iv);
      const digest: Hash = createHash('sm3');
      const zip = new ZipNames();
      const heads: Buffer[] = [];
      let headLen = 0;
      let size = 0;
      const pending = await backend.create();
      try {
        await pending.write(header(keyId, wrapped));
        await pending.write(iv);
        const put = async (ct: Buffer) => {
          if (ct.length === 0) return;
          mac.update(ct);
          await pending.write(ct);
        };
        for await (const piece of body) {
          const chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
          size += chunk.length;
          if (size > maxBytes)
            throw new DocumentRejectedError('too_large', `Documents are limited to ${maxBytes} bytes.`);
          if (options.expectedSize !== undefined && size > options.expectedSize)
            throw truncated(options.expectedSize, size);
          digest.update(chunk);
          zip.push(chunk);
          if (headLen < 4096) {
            heads.push(chunk.subarray(0, 4096 - headLen));
            headLen += Math.min(chunk.length, 4096 - headLen);
          }
          await put(cipher.update(chunk));
        }
        if (size === 0) throw new DocumentRejectedError('empty', 'The body is empty: send the document itself.');
        if (options.expectedSize !== undefined && size !== options.expectedSize)
          throw truncated(options.expectedSize, size);
        const sealed: SealedObject = {
          sm3: digest.digest('hex'),
          size,
          head: Buffer.concat(heads),
          zipEntries: zip.names,
        };
        options.accept?.(sealed);
        await put(cipher.final());
        // The MAC binds the object to its name.
        await pending.write(mac.update(nameBinding(sealed.sm3)).digest());
        await pending.commit(sealed.sm3);
        return sealed;
      } catch (err) {
        await pending.abort();
        throw err;
      }
    },

    /**
     * Opens an object for reading after checking its integrity: the HMAC over the whole ciphertext
     * is verified first (one streaming pass), then `stream()` decrypts it in a second pass and checks
     * the SM3 of what it produced. Any failure is a DocumentCorruptedError naming `documentId`.
     */
    async open(documentId: string, sm3: string, size: number): Promise<{ stream(): AsyncGenerator<Buffer> }> {
      const object = await backend.open(sm3).catch((err: unknown) => {
        throw new DocumentCorruptedError(documentId, `its object cannot be read (${(err as Error).message})`);
      });
      if (!object) throw new DocumentCorruptedError(documentId, 'its object is missing');
      const reader: StoredObject = object;
      const fail = async (reason: string): Promise<never> => {
        await object.close().catch(() => {});
        throw new DocumentCorruptedError(documentId, reason);
      };
      const parsed = parseHeader(await object.read(0, Math.min(object.size, 1024)));
      if (!parsed) return fail('its header is not a document object');
      let dataKey: Buffer;
      try {
        dataKey = openSm4(masterKey(parsed.keyId, documentId), parsed.keyId, parsed.wrapped);
      } catch (err) {
        if (err instanceof DocumentCorruptedError) return fail(err.message);
        return fail('its wrapped data key does not authenticate');
      }
      const start = parsed.end;
      const macAt = object.size - MAC_BYTES;
      const ctLen = macAt - start - IV_BYTES;
      if (ctLen < 16 || ctLen % 16 !== 0) return fail('its ciphertext has the wrong length');
      // Pass 1: the MAC over iv ‖ ciphertext (‖ the name, format 2): a swapped object fails here.
      const mac = createHmac('sm3', derive(dataKey, 'mac'));
      for (let at = start; at < macAt; at += READ_CHUNK)
        mac.update(await object.read(at, Math.min(READ_CHUNK, macAt - at)));
      if (parsed.version === 2) mac.update(nameBinding(sm3));
      const stored = await object.read(macAt, MAC_BYTES);
      if (stored.length !== MAC_BYTES || !timingSafeEqual(stored, mac.digest())) {
        return fail(
          parsed.version === 2
            ? 'its HMAC-SM3 does not match its name (tampered, damaged or another object)'
            : 'its HMAC-SM3 does not match (tampered or damaged)',
        );
      }
      const iv = await object.read(start, IV_BYTES);
      /** Decrypts the ciphertext chunk by chunk, and at the end checks the plaintext's SM3 and size. */
      async function* decrypt(emit: boolean) {
        const decipher = createDecipheriv('sm4-cbc', derive(dataKey, 'enc').subarray(0, 16), iv);
        const hash = createHash('sm3');
        let produced = 0;
        for (let at = start + IV_BYTES; at < macAt; at += READ_CHUNK) {
          const out = decipher.update(await reader.read(at, Math.min(READ_CHUNK, macAt - at)));
          hash.update(out);
          produced += out.length;
          if (emit && out.length) yield out;
        }
        const last = decipher.final();
        hash.update(last);
        produced += last.length;
        if (hash.digest('hex') !== sm3 || produced !== size)
          throw new DocumentCorruptedError(documentId, 'its plaintext does not match its SM3');
        if (emit && last.length) yield last;
      }
      if (parsed.version === 1) {
        // Format 1 names nothing in its MAC: the whole plaintext is checked before a byte is served.
        try {
          for await (const _ of decrypt(false));
        } catch (err) {
          return fail(
            err instanceof DocumentCorruptedError
              ? 'its plaintext does not match its SM3 (another object in its place?)'
              : 'it does not decrypt',
          );
        }
      }
      return {
        // Pass 2: decrypt and serve; the plaintext's SM3 and size are checked again at the end.
        async *stream() {
          try {
            yield* decrypt(true);
          } finally {
            await object.close().catch(() => {});
          }
        },
      };
    },

    /** Rotation: re-wraps an object's data key with the keyring's current key (the ciphertext is copied unchanged). */
    async rewrap(documentId: string, sm3: string): Promise<boolean> {
      const object = await backend.open(sm3);
      if (!object) throw new DocumentCorruptedError(documentId, 'its object is missing');
      try {
        const parsed = parseHeader(await object.read(0, Math.min(object.size, 1024)));
        if (!parsed) throw new DocumentCorruptedError(documentId, 'its header is not a document object');
        if (parsed.keyId === keyring.currentKeyId) return false;
        const dataKey = openSm4(masterKey(parsed.keyId, documentId), parsed.keyId, parsed.wrapped);
        const keyId = keyring.currentKeyId;
        await backend.replace(sm3, async (pending) => {
          await pending.write(header(keyId, sealSm4(keyring.keys.get(keyId)!, keyId, dataKey), parsed.version));
          for (let at = parsed.end; at < object.size; at += READ_CHUNK)
            await pending.write(await object.read(at, Math.min(READ_CHUNK, object.size - at)));
        });
        return true;
      } finally {
        await object.close().catch(() => {});
      }
    },
  };
}

const truncated = (expected: number, got: number) =>
  new DocumentRejectedError(
    'truncated',
    `The body does not match its Content-Length (${expected} bytes announced, ${got} received): nothing was stored.`,
  );

/** The folder of the folder backend: DATA_DIR/documents. */
export const documentsDir = (dataDir: string) => path.join(dataDir, 'documents');

/**
 * The backend configuration chooses (DOCUMENT_STORE): the folder DATA_DIR/documents (the embedded
 * default of `npm start`), or an S3-compatible bucket (S3_*; lib/document-s3.ts), created when missing.
 */
export async function openDocumentBackend(
  config: Config['documents'],
  markers?: StoreMarkers,
): Promise<DocumentBackend> {
  if (config.store === 'folder') {
    if (markers) await checkFolderStore(config.dir, markers);
    return folderBackend(config.dir);
  }
  const backend = s3Backend(config.s3);
  await backend.ensureBucket();
  return backend;
}
