/**
 * Issue 18 on both backends of the document store — the folder (DATA_DIR/documents) and an
 * S3-compatible object store (a real S3 server process started here: scripts/s3-server.ts, built
 * from the Go module proxy into the cache) — through HTTP: upload → filing → download with the bytes
 * and the SM3 equal, for the filings of Art. 8 (the four application documents, by documentIds) and
 * Art. 22 (rectification evidence, by documentId); a tampered stored object is detected on read
 * (409 document_corrupted naming the document, never wrong bytes). The S3 half skips, printing why,
 * only when the server binary is absent and cannot be built.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { documents } from '../../db/schema.ts';
import { s3Backend, PART_BYTES } from '../../lib/document-s3.ts';
import { resolveS3Server, startS3Server, type RunningS3Server } from '../../scripts/s3-server.ts';
import {
  addPlanItems,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;
const sm3 = (bytes: Uint8Array) => createHash('sm3').update(bytes).digest('hex');
const pdf = (text: string, padding = 0) =>
  Buffer.concat([
    Buffer.from(`%PDF-1.7\n% ${text}\n1 0 obj <<>> endobj\n`),
    randomBytes(padding),
    Buffer.from('\ntrailer <<>>\n%%EOF\n'),
  ]);

const s3Server = resolveS3Server();
if ('missing' in s3Server) console.warn(`[documents-backends] S3 backend tests skipped: ${s3Server.missing}`);

interface Backend {
  name: 'folder' | 's3';
  start(): Promise<TestSystem>;
  /** Rewrites the stored object of `digest` with `change` applied (undefined: deletes it). */
  tamper(system: TestSystem, digest: string, change?: (object: Buffer) => void): Promise<void>;
  temporaries(system: TestSystem): Promise<number>;
  stop(): Promise<void>;
}

let s3: RunningS3Server | undefined;
let s3Dir: string | undefined;
let bucketBackend: ReturnType<typeof s3Backend> | undefined;

const BACKENDS: Backend[] = [
  {
    name: 'folder',
    start: () => startSystem('pglite', inject('temporalAddress')),
    async tamper(system, digest, change) {
      const file = path.join(system.documentsDir, digest.slice(0, 2), digest);
      if (!change) return fs.rmSync(file);
      const object = fs.readFileSync(file);
      change(object);
      fs.writeFileSync(file, object);
    },
    temporaries: (system) => system.documentStore.backend.temporaries(),
    async stop() {},
  },
  {
    name: 's3',
    async start() {
      s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-s3-'));
      s3 = await startS3Server((s3Server as { path: string }).path, s3Dir);
      bucketBackend = s3Backend({
        endpoint: s3.endpoint,
        bucket: 'bdp-documents',
        region: 'us-east-1',
        accessKeyId: 'test',
        secretAccessKey: 'test-secret',
        forcePathStyle: true,
        prefix: 'documents/',
      });
      await bucketBackend.ensureBucket();
      return startSystem('pglite', inject('temporalAddress'), { documentBackend: bucketBackend });
    },
    async tamper(_system, digest, change) {
      const b = bucketBackend!;
      const Key = b.objectKey(digest);
      if (!change) {
        await b.client.send(new DeleteObjectCommand({ Bucket: 'bdp-documents', Key }));
        return;
      }
      const object = Buffer.from(
        await (
          await b.client.send(new GetObjectCommand({ Bucket: 'bdp-documents', Key }))
        ).Body!.transformToByteArray(),
      );
      change(object);
      await b.client.send(new PutObjectCommand({ Bucket: 'bdp-documents', Key, Body: object }));
    },
    temporaries: () => bucketBackend!.temporaries(),
    async stop() {
      await s3?.stop();
      if (s3Dir) fs.rmSync(s3Dir, { recursive: true, force: true });
    },
  },
];

describe.each(BACKENDS)('document store on the $name backend', (backend) => {
  const skip = backend.name === 's3' && 'missing' in s3Server;
  let system: TestSystem;
  let dept: string, otherDept: string, bdb: string;

  beforeAll(async () => {
    if (skip) return;
    system = await backend.start();
    [dept, otherDept, bdb] = await Promise.all([
      createKey(system, 'department', 'health'),
      createKey(system, 'department', 'education'),
      createKey(system, 'bdb'),
    ]);
    await addPlanItems(system, [{ department: 'health' }]);
  });
  afterAll(async () => {
    await system?.stop();
    await backend.stop();
  });

  const upload = async (key: string, body: Buffer, fileName: string): Promise<Json> => {
    const res = await system.request('POST', '/v1/documents', {
      key,
      body,
      headers: {
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent(fileName),
        'content-length': String(body.length),
      },
    });
    const json = (await res.json()) as Json;
    expect(res.status, JSON.stringify(json)).toBe(201);
    return json;
  };
  const call = async (method: string, p: string, key: string, body?: unknown, expected = 200): Promise<Json> => {
    const res = await system.request(method, p, { key, ...(body === undefined ? {} : { body }) });
    const json = (await res.json()) as Json;
    expect(res.status, `${method} ${p}: ${JSON.stringify(json)}`).toBe(expected);
    return json;
  };
  const download = async (id: string, key = bdb) => {
    const res = await system.request('GET', `/v1/documents/${id}`, { key });
    expect(res.status).toBe(200);
    return { bytes: Buffer.from(await res.arrayBuffer()), sm3Header: res.headers.get('x-content-sm3') };
  };

  it.skipIf(skip)(
    'Art. 8, 22: application documents and rectification evidence filed by documentId round-trip with their bytes and SM3',
    async () => {
      // One of them larger than a multipart part, so the S3 upload is a real multipart upload.
      const bytes = {
        proposal: pdf('项目建议书', PART_BYTES + 123_457),
        feasibilityStudy: pdf('可行性研究报告'),
        preliminaryDesign: pdf('初步设计方案'),
        investmentEstimate: pdf('投资概算'),
      };
      const ids: Record<string, string> = {};
      for (const [kind, body] of Object.entries(bytes)) ids[kind] = (await upload(dept, body, `${kind}.pdf`)).id;
      const foreign = await upload(otherDept, pdf('education'), 'edu.pdf');

      // Exactly one of documents.<kind> / documentIds.<kind>; another department's upload → 422.
      const both = await call(
        'POST',
        '/v1/projects',
        dept,
        sampleApplication({ documentIds: { proposal: ids.proposal } }),
        400,
      );
      expect(both.code).toBe('validation_failed');
      const missing = await call('POST', '/v1/projects', dept, sampleApplication({ documents: {} }), 400);
      expect(missing.code).toBe('validation_failed');
      const stolen = await call(
        'POST',
        '/v1/projects',
        dept,
        sampleApplication({ documents: {}, documentIds: { ...ids, proposal: foreign.id } }),
        422,
      );
      expect(stolen).toMatchObject({ code: 'document_unknown', documentId: foreign.id });

      const view = await call(
        'POST',
        '/v1/projects',
        dept,
        sampleApplication({ documents: {}, documentIds: ids }),
        201,
      );
      for (const [kind, body] of Object.entries(bytes)) expect(view.documents[kind]).toBe(`sm3:${sm3(body)}`);
      expect(view.documentIds).toEqual(ids);
      // The application's audit entry carries the digests; the uploads are marked as filed.
      const history = await call('GET', `/v1/projects/${view.id}/history`, dept);
      const entries = (history.items ?? history.entries ?? history) as Json[];
      expect(JSON.stringify(entries.find((e) => e.action === 'application'))).toContain(`sm3:${sm3(bytes.proposal)}`);
      await eventually(async () => {
        const rows = await system.database.db.select().from(documents).where(eq(documents.projectId, view.id));
        return rows.length === 4 ? true : undefined;
      });
      for (const [kind, body] of Object.entries(bytes)) {
        const back = await download(ids[kind]!);
        expect(back.bytes.equals(body), kind).toBe(true);
        expect(`sm3:${sm3(back.bytes)}`).toBe(view.documents[kind]);
        expect(back.sm3Header).toBe(sm3(body));
      }

      // Art. 7-8: sent back for revision, the department resubmits one document as an upload, three as free references.
      const checklist = {
        resourceCatalog: true,
        dataSharing: true,
        intensiveConstruction: true,
        cloudDeployment: true,
        securityControllable: false,
      };
      expect(
        (
          await call('POST', `/v1/projects/${view.id}/technical-review`, bdb, {
            decision: 'revise',
            opinion: '补充安全方案',
            checklist,
          })
        ).stage,
      ).toBe('submitted');
      const revisedBytes = pdf('初步设计方案（修订）');
      const revised = await upload(dept, revisedBytes, '初步设计方案（修订）.pdf');
      const resubmitted = await call('POST', `/v1/projects/${view.id}/resubmission`, dept, {
        documents: {
          proposal: view.documents.proposal,
          feasibilityStudy: view.documents.feasibilityStudy,
          investmentEstimate: 'sha256:legacy',
        },
        documentIds: { preliminaryDesign: revised.id },
        note: '已修订',
      });
      expect(resubmitted.stage).toBe('technical_review');
      expect(resubmitted.documents).toEqual({
        proposal: view.documents.proposal,
        feasibilityStudy: view.documents.feasibilityStudy,
        preliminaryDesign: `sm3:${sm3(revisedBytes)}`,
        investmentEstimate: 'sha256:legacy',
      });
      expect(resubmitted.documentIds).toEqual({ preliminaryDesign: revised.id });
      await eventually(async () =>
        (await system.database.db.select().from(documents).where(eq(documents.id, revised.id)))[0]?.projectId ===
        view.id
          ? true
          : undefined,
      );
      expect((await download(revised.id)).bytes.equals(revisedBytes)).toBe(true);

      // Art. 22: the rectification evidence as an uploaded document.
      const ordered = await call('POST', `/v1/projects/${view.id}/rectification-orders`, bdb, {
        reason: 'other',
        description: '补充数据共享说明',
      });
      const rid = ordered.rectifications[0].id as string;
      const evidenceBytes = pdf('整改报告');
      const evidence = await upload(dept, evidenceBytes, '整改报告.pdf');
      expect(
        (
          await call(
            'POST',
            `/v1/projects/${view.id}/rectification-orders/${rid}/response`,
            dept,
            { description: '已整改' },
            400,
          )
        ).code,
      ).toBe('validation_failed');
      const responded = await call('POST', `/v1/projects/${view.id}/rectification-orders/${rid}/response`, dept, {
        description: '已整改',
        documentId: evidence.id,
      });
      expect(responded.rectifications[0].responses[0]).toMatchObject({
        evidenceRef: `sm3:${sm3(evidenceBytes)}`,
        documentId: evidence.id,
      });
      const back = await download(evidence.id);
      expect(back.bytes.equals(evidenceBytes)).toBe(true);
      // Legacy free references stay accepted.
      await call('POST', `/v1/projects/${view.id}/rectification-orders`, bdb, {
        reason: 'other',
        description: 'second',
      });
      const again = await call('GET', `/v1/projects/${view.id}`, dept);
      const rid2 = again.rectifications.find((r: Json) => r.id !== rid).id as string;
      const legacy = await call('POST', `/v1/projects/${view.id}/rectification-orders/${rid2}/response`, dept, {
        description: 'legacy',
        evidenceRef: 'sha256:abc',
      });
      expect(legacy.rectifications.find((r: Json) => r.id === rid2).responses[0].evidenceRef).toBe('sha256:abc');

      // Nothing half-written is left behind by the uploads.
      expect(await backend.temporaries(system)).toBe(0);
    },
  );

  it.skipIf(skip)(
    'detects a tampered stored object on read: 409 document_corrupted naming the document, no bytes',
    async () => {
      const bytes = pdf('tamper me');
      const doc = await upload(dept, bytes, 'x.pdf');
      await backend.tamper(system, doc.sm3, (object) => {
        object[object.length - 40] = object[object.length - 40]! ^ 0x01;
      });
      const res = await system.request('GET', `/v1/documents/${doc.id}`, { key: dept });
      const json = (await res.json()) as Json;
      expect(res.status).toBe(409);
      expect(json).toMatchObject({ code: 'document_corrupted', documentId: doc.id });
      expect(json.detail).toContain(doc.id);
      expect(JSON.stringify(json)).not.toContain('tamper me');
      await backend.tamper(system, doc.sm3);
      const gone = await system.request('GET', `/v1/documents/${doc.id}`, { key: bdb });
      expect(gone.status).toBe(409);
      expect(((await gone.json()) as Json).documentId).toBe(doc.id);
    },
  );
});
