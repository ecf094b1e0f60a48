/**
 * The document store's S3-compatible backend (Art. 28: documents encrypted at rest — the
 * objects are already SM4 ciphertext when they reach the bucket, lib/documents.ts).
 *
 * - Upload: a multipart upload to `<prefix>tmp/<time>-<random>` with parts of PART_BYTES (only one
 *   part is held in memory at a time; a document smaller than one part is a single PutObject). On
 *   commit the temporary object is copied server-side to `<prefix>objects/<sm3[0:2]>/<sm3>` (an
 *   atomic swap in S3: readers see the old or the new object, never a mix) and deleted. So a crash
 *   mid-upload leaves only an incomplete multipart upload or a temporary object, which `sweep`
 *   aborts / deletes after a grace period; nothing is ever visible under an object key half-written.
 * - Read: ranged GETs with a read-ahead window (WINDOW_BYTES), so a sequential read of a large object
 *   is a few requests and bounded memory.
 *
 * Works with any S3-compatible store (AWS S3, SeaweedFS, MinIO, Ceph RGW…); path-style addressing is
 * on by default because self-hosted stores rarely have wildcard DNS.
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { replaceThrough, type DocumentBackend, type PendingObject, type StoredObject } from './document-backend.ts';

/** Multipart part size (S3's minimum is 5 MiB for all but the last part). */
export const PART_BYTES = 8 * 1024 * 1024;
/** Read-ahead of a ranged read. */
const WINDOW_BYTES = 1024 * 1024;
const KEY_PATTERN = /^[0-9a-f]{64}$/;

export interface S3BackendOptions {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
  /** Prefix of every key in the bucket (e.g. `documents/`); may be empty. */
  prefix?: string;
}

/** Some S3-compatible stores answer ListMultipartUploads of a bucket without any with NoSuchUpload. */
const listUploads = async (client: S3Client, input: ConstructorParameters<typeof ListMultipartUploadsCommand>[0]) => {
  try {
    return await client.send(new ListMultipartUploadsCommand(input));
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchUpload')
      return { Uploads: [], IsTruncated: false, NextKeyMarker: undefined, NextUploadIdMarker: undefined };
    throw err;
  }
};

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

export function s3Backend(
  options: S3BackendOptions,
): DocumentBackend & { client: S3Client; ensureBucket(): Promise<void>; objectKey(key: string): string } {
  const client = new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
    // Checksums on every request are the SDK's default since 3.729; S3-compatible stores that do not
    // know the new headers are served the classic way (MD5-less, Content-Length signed).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const prefix = options.prefix ?? '';
  const tmpPrefix = `${prefix}tmp/`;
  const objectKey = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw new Error(`not an object key: ${key}`);
    return `${prefix}objects/${key.slice(0, 2)}/${key}`;
  };

  async function create(): Promise<PendingObject> {
    const Key = `${tmpPrefix}${Date.now()}-${randomBytes(8).toString('hex')}`;
    let parts: Buffer[] = [];
    let buffered = 0;
    let uploadId: string | undefined;
    const done: { ETag: string; PartNumber: number }[] = [];
    let flushed = false;
    const flushPart = async () => {
      if (!uploadId) uploadId = (await client.send(new CreateMultipartUploadCommand({ Bucket, Key }))).UploadId!;
      const Body = Buffer.concat(parts, buffered);
      parts = [];
      buffered = 0;
      const PartNumber = done.length + 1;
      const { ETag } = await client.send(
        new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body, ContentLength: Body.length }),
      );
      done.push({ ETag: ETag!, PartNumber });
    };
    /** Writes what is buffered as the temporary object (one PutObject, or the multipart's last part). */
    const finish = async () => {
      if (flushed) return;
      flushed = true;
      if (!uploadId) {
        const Body = Buffer.concat(parts, buffered);
        parts = [];
        buffered = 0;
        await client.send(new PutObjectCommand({ Bucket, Key, Body, ContentLength: Body.length }));
        return;
      }
      if (buffered > 0) await flushPart();
      await client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: done } }),
      );
      uploadId = undefined;
    };
    return {
      async write(chunk) {
        let at = 0;
        while (at < chunk.length) {
          const take = Math.min(chunk.length - at, PART_BYTES - buffered);
          parts.push(Buffer.from(chunk.subarray(at, at + take))); // a copy: callers reuse their buffers
          buffered += take;
          at += take;
          if (buffered === PART_BYTES) await flushPart();
        }
      },
      async commit(key) {
        await finish();
        // Server-side copy: the object appears whole under its key, or not at all.
        await client.send(
          new CopyObjectCommand({ Bucket, Key: objectKey(key), CopySource: `${Bucket}/${encodeURI(Key)}` }),
        );
        await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => {}); // else swept later
      },
      async abort() {
        parts = [];
        buffered = 0;
        if (uploadId)
          await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId })).catch(() => {});
        await client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => {});
      },
    };
  }

  return {
    client,
    objectKey,
    describe: `s3://${Bucket}/${prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`,
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await client.send(new CreateBucketCommand({ Bucket }));
      }
    },
    create,
    async open(key): Promise<StoredObject | undefined> {
      const Key = objectKey(key);
      let size: number;
      let etag: string | undefined;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
        size = head.ContentLength ?? 0;
        etag = head.ETag;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      let window: { from: number; bytes: Buffer } | undefined;
      const fetchRange = async (from: number, to: number) => {
        // IfMatch: a concurrent replacement (rewrap) fails the read instead of mixing two versions.
        const res = await client.send(
          new GetObjectCommand({ Bucket, Key, Range: `bytes=${from}-${to - 1}`, ...(etag ? { IfMatch: etag } : {}) }),
        );
        return Buffer.from(await res.Body!.transformToByteArray());
      };
      return {
        size,
        async read(position, length) {
          const end = Math.min(size, position + length);
          if (position >= end) return Buffer.alloc(0);
          if (!window || position < window.from || end > window.from + window.bytes.length) {
            window = {
              from: position,
              bytes: await fetchRange(position, Math.min(size, position + Math.max(length, WINDOW_BYTES))),
            };
          }
          return Buffer.from(window.bytes.subarray(position - window.from, end - window.from));
        },
        async close() {
          window = undefined;
        },
      };
    },
    replace: (key, write) => replaceThrough(create, key, write),
    async remove(key, ifOlderThan) {
      const Key = objectKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
        if (head.LastModified && head.LastModified.getTime() > ifOlderThan.getTime()) return false;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
      await client.send(new DeleteObjectCommand({ Bucket, Key }));
      return true;
    },
    async sweep(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      // Incomplete multipart uploads of a crashed upload.
      for (;;) {
        const page = await listUploads(client, { Bucket, Prefix: tmpPrefix, KeyMarker, UploadIdMarker });
        for (const u of page.Uploads ?? []) {
          if (u.Initiated && u.Initiated.getTime() < cutoff) {
            await client.send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key!, UploadId: u.UploadId! }));
            removed++;
          }
        }
        if (!page.IsTruncated) break;
        KeyMarker = page.NextKeyMarker;
        UploadIdMarker = page.NextUploadIdMarker;
      }
      // Temporary objects completed but never copied (a crash between the two).
      let ContinuationToken: string | undefined;
      for (;;) {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: tmpPrefix, ContinuationToken }));
        for (const o of page.Contents ?? []) {
          if (o.LastModified && o.LastModified.getTime() < cutoff) {
            await client.send(new DeleteObjectCommand({ Bucket, Key: o.Key! }));
            removed++;
          }
        }
        if (!page.IsTruncated) break;
        ContinuationToken = page.NextContinuationToken;
      }
      return removed;
    },
    async temporaries() {
      const uploads = (await listUploads(client, { Bucket, Prefix: tmpPrefix })).Uploads ?? [];
      const objects = (await client.send(new ListObjectsV2Command({ Bucket, Prefix: tmpPrefix }))).Contents ?? [];
      return uploads.length + objects.length;
    },
  };
}
