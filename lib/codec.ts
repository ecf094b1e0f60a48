/**
 * Payload encryption for everything the system stores in Temporal (workflow inputs, state carried
 * over continue-as-new, update arguments and results, activity arguments): project data at rest in
 * Temporal's database is ciphertext. Art. 28 of the measures asks for national (commercial)
 * cryptography, so the default is SM4 (GB/T 32907) in CBC mode with an HMAC-SM3 (GB/T 32905) over
 * cipher name, key id, IV and ciphertext — encrypt-then-MAC, verified in constant time before
 * decrypting. AES-256-GCM is the alternative. Both come from Node's OpenSSL; no extra package.
 *
 * Keys: a keyring `id:base64key[,id:base64key…]` (32 random bytes each); new payloads use the
 * current id (the first, or PAYLOAD_KEY_ID), any listed id decrypts, so keys rotate by adding a new
 * one first and removing the old one once no open workflow needs it. The key id travels in the
 * payload metadata.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
// CommonJS package: Node's ESM loader exposes it as a default export only.
import proto from '@temporalio/proto';

const { temporal } = proto;

export const PAYLOAD_CIPHERS = ['sm4', 'aes-256-gcm', 'none'] as const;
export type PayloadCipher = (typeof PAYLOAD_CIPHERS)[number];

export const ENCODING = 'binary/encrypted';
const CIPHER_KEY = 'encryption-cipher';
const KEY_ID_KEY = 'encryption-key-id';
const SM4_NAME = 'sm4-cbc+hmac-sm3';
const AES_NAME = 'aes-256-gcm';

export interface Keyring {
  currentKeyId: string;
  keys: Map<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses `id:base64[,id:base64…]`; throws a message fit for a configuration error. */
export function parseKeyring(spec: string, currentKeyId?: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = part.indexOf(':');
    const id = part.slice(0, at);
    if (at < 1 || !KEY_ID.test(id))
      throw new Error(`each key must be "id:base64" with an id of 1-64 letters, digits, . _ -`);
    const key = Buffer.from(part.slice(at + 1), 'base64');
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes (base64 of 32 random bytes), got ${key.length}`);
    if (keys.has(id)) throw new Error(`key id ${id} appears twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('no keys given');
  const current = currentKeyId ?? keys.keys().next().value!;
  if (!keys.has(current)) throw new Error(`PAYLOAD_KEY_ID ${current} is not in the keyring`);
  return { currentKeyId: current, keys };
}

/** A new keyring spec with one random key (what `npm start` generates on first run). */
export function generateKeyringSpec(id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

const derive = (key: Buffer, label: string) => createHmac('sm3', key).update(label).digest();

/** The SM4 and MAC keys derived from a master key, derived once per key (two HMACs fewer per payload). */
const sm4Keys = new WeakMap<Buffer, { enc: Buffer; mac: Buffer }>();
function sm4KeysOf(key: Buffer): { enc: Buffer; mac: Buffer } {
  let keys = sm4Keys.get(key);
  if (!keys) sm4Keys.set(key, (keys = { enc: derive(key, 'enc').subarray(0, 16), mac: derive(key, 'mac') }));
  return keys;
}

class DecodeError extends Error {
  constructor(message: string) {
    super(`payload decryption failed: ${message}`);
    this.name = 'PayloadDecryptionError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly cipher: Exclude<PayloadCipher, 'none'>,
    private readonly keyring: Keyring,
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.currentKeyId;
    const key = this.keyring.keys.get(keyId)!;
    const name = this.cipher === 'sm4' ? SM4_NAME : AES_NAME;
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCODING),
          [CIPHER_KEY]: Buffer.from(name),
          [KEY_ID_KEY]: Buffer.from(keyId),
        },
        data: name === SM4_NAME ? sealSm4(key, keyId, plain) : sealAes(key, keyId, plain),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const meta = payload.metadata ?? {};
      if (Buffer.from(meta[METADATA_ENCODING_KEY] ?? []).toString() !== ENCODING) return payload;
      const name = Buffer.from(meta[CIPHER_KEY] ?? []).toString();
      const keyId = Buffer.from(meta[KEY_ID_KEY] ?? []).toString();
      const key = this.keyring.keys.get(keyId);
      if (!key) throw new DecodeError(`unknown key id ${JSON.stringify(keyId)} (add it to PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? []);
      const plain =
        name === SM4_NAME ? openSm4(key, keyId, data) : name === AES_NAME ? openAes(key, keyId, data) : undefined;
      if (!plain) throw new DecodeError(`unknown cipher ${JSON.stringify(name)}`);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

// SM4-CBC + HMAC-SM3 (also wraps the document store's data keys, lib/documents.ts): data = iv(16) ‖ ciphertext ‖ mac(32), mac over name ‖ key id ‖ iv ‖ ciphertext.
function sm4Mac(key: Buffer, keyId: string, iv: Buffer, ct: Buffer): Buffer {
  return createHmac('sm3', sm4KeysOf(key).mac).update(`${SM4_NAME}\0${keyId}\0`).update(iv).update(ct).digest();
}
export function sealSm4(key: Buffer, keyId: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv('sm4-cbc', sm4KeysOf(key).enc, iv);
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, ct, sm4Mac(key, keyId, iv, ct)]);
}
export function openSm4(key: Buffer, keyId: string, data: Buffer): Buffer {
  if (data.length < 16 + 16 + 32) throw new DecodeError('ciphertext too short');
  const iv = data.subarray(0, 16);
  const ct = data.subarray(16, data.length - 32);
  const mac = data.subarray(data.length - 32);
  if (!timingSafeEqual(mac, sm4Mac(key, keyId, iv, ct)))
    throw new DecodeError('authentication tag does not match (tampered or wrong key)');
  const decipher = createDecipheriv('sm4-cbc', sm4KeysOf(key).enc, iv);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

// AES-256-GCM: data = iv(12) ‖ ciphertext ‖ tag(16), key id as additional authenticated data.
function sealAes(key: Buffer, keyId: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${AES_NAME}\0${keyId}`));
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}
function openAes(key: Buffer, keyId: string, data: Buffer): Buffer {
  if (data.length < 12 + 16) throw new DecodeError('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAAD(Buffer.from(`${AES_NAME}\0${keyId}`));
  decipher.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
  } catch {
    throw new DecodeError('authentication tag does not match (tampered or wrong key)');
  }
}

/** The data converter option for clients and workers; undefined when encryption is off. */
export function payloadCodecs(
  cipher: PayloadCipher,
  keyring: Keyring | undefined,
): { payloadCodecs: PayloadCodec[] } | undefined {
  if (cipher === 'none') return undefined;
  if (!keyring) throw new Error(`PAYLOAD_CIPHER=${cipher} needs PAYLOAD_KEYS`);
  return { payloadCodecs: [new EncryptionCodec(cipher, keyring)] };
}

/**
 * Short secrets sealed for a database column (the TOTP secrets of personal accounts, api/sessions.ts;
 * Art. 28 (measures): national cryptography for what the system stores). The same SM4-CBC +
 * HMAC-SM3 as the payloads, with a keyring of the same format, so keys rotate alike: the stored form
 * `sm4:<key id>:<base64url(iv ‖ ciphertext ‖ mac)>` names its key, any key of the keyring opens it,
 * and `needsReseal` tells a value that is plaintext (written before sealing existed) or sealed with a
 * key other than the current one. The plaintext is bound to a context (the row's id): a sealed value
 * copied into another row does not open.
 */
export const SEALED_TEXT_PREFIX = 'sm4:';
const SEALED_TEXT = /^sm4:([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]+)$/;

export function sealText(keyring: Keyring, context: string, plain: string): string {
  const keyId = keyring.currentKeyId;
  const data = sealSm4(keyring.keys.get(keyId)!, keyId, Buffer.from(`${context}\0${plain}`, 'utf8'));
  return `${SEALED_TEXT_PREFIX}${keyId}:${data.toString('base64url')}`;
}

/** True for a value in the sealed form (anything else is a legacy plaintext value). */
export const isSealedText = (stored: string) => SEALED_TEXT.test(stored);

/** The plaintext of a stored value: a sealed one is opened (throws on an unknown key, tampering or another context); a legacy plaintext one is returned as it is. */
export function openText(keyring: Keyring, context: string, stored: string): string {
  const match = SEALED_TEXT.exec(stored);
  if (!match) return stored;
  const [, keyId, data] = match as unknown as [string, string, string];
  const key = keyring.keys.get(keyId);
  if (!key) throw new DecodeError(`sealed value uses unknown key id ${JSON.stringify(keyId)} (add it to the keyring)`);
  const plain = openSm4(key, keyId, Buffer.from(data, 'base64url')).toString('utf8');
  const cut = plain.indexOf('\0');
  if (cut < 0 || plain.slice(0, cut) !== context) throw new DecodeError('sealed value belongs to another row');
  return plain.slice(cut + 1);
}

/** A stored value to seal again: legacy plaintext, or sealed with a key that is no longer the current one. */
export const needsReseal = (keyring: Keyring, stored: string) => SEALED_TEXT.exec(stored)?.[1] !== keyring.currentKeyId;
