/**
 * Issue 18: the API process is killed with SIGKILL in the middle of a large upload. Nothing
 * half-written becomes visible — no document row, no object under a key — the temporary the upload
 * left is removed by the sweep of the next API process at its start-up, and the retried upload
 * succeeds (the same bytes and SM3 come back). On the folder backend and on the S3 backend (a real S3
 * server process, scripts/s3-server.ts; skipped, saying why, only when it is absent and cannot be built).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { STORE_MARKER_FILE } from '../../lib/document-store-marker.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { documents } from '../../db/schema.ts';
import { s3Backend } from '../../lib/document-s3.ts';
import { resolveS3Server, startS3Server, type RunningS3Server } from '../../scripts/s3-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { eventually } from '../support/system.ts';
import { freePort } from '../support/net.ts';
import { printSummary, record, spawnEntry, type Child } from './support.ts';

const ADMIN = `faults-admin-${randomBytes(24).toString('hex')}`;
const SIZE = 40 * 1024 * 1024;
const s3Server = resolveS3Server();
if ('missing' in s3Server) console.warn(`[upload-kill] S3 backend fault skipped: ${s3Server.missing}`);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('postgres');
}, 180_000);
afterAll(async () => {
  printSummary();
  await database?.destroy();
});

const sm3 = (b: Uint8Array) => createHash('sm3').update(b).digest('hex');

/** Sends `body` with its Content-Length, pausing after `pauseAt` bytes until `resume` resolves; answers the status or the error. */
function slowUpload(
  base: string,
  key: string,
  body: Buffer,
  pauseAt: number,
  paused: () => void,
  resume: Promise<void>,
): Promise<number | Error> {
  return new Promise((resolve) => {
    const url = new URL('/v1/documents', base);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/pdf',
          'x-file-name': 'big.pdf',
          'content-length': String(body.length),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (err) => resolve(err));
    const step = 256 * 1024;
    let at = 0;
    const pump = async () => {
      while (at < body.length) {
        const end = Math.min(body.length, at + step);
        const ok = req.write(body.subarray(at, end));
        at = end;
        if (at >= pauseAt && at - step < pauseAt) {
          paused();
          await resume;
        }
        if (!ok) await new Promise((r) => req.once('drain', r));
        if (req.destroyed) return;
      }
      req.end();
    };
    void pump();
  });
}

interface Backend {
  name: 'folder' | 's3';
  env(dataDir: string): Promise<Record<string, string>>;
  temporaries(): Promise<number>;
  visibleObjects(): Promise<number>;
  stop(): Promise<void>;
}

let s3: RunningS3Server | undefined;
const dataDirs: string[] = [];
let dataDir = '';

const BACKENDS: Backend[] = [
  {
    name: 'folder',
    async env() {
      return {};
    },
    async temporaries() {
      const tmp = path.join(dataDir, 'documents', 'tmp');
      return fs.existsSync(tmp) ? fs.readdirSync(tmp).length : 0;
    },
    async visibleObjects() {
      const dir = path.join(dataDir, 'documents');
      if (!fs.existsSync(dir)) return 0;
      // Objects, not the temporaries nor the store's marker (lib/documents.ts checkFolderStore).
      return (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
        (f) => !f.startsWith('tmp') && f !== STORE_MARKER_FILE && fs.statSync(path.join(dir, f)).isFile(),
      ).length;
    },
    async stop() {},
  },
  {
    name: 's3',
    async env(dir) {
      s3 = await startS3Server((s3Server as { path: string }).path, path.join(dir, 's3'));
      return {
        DOCUMENT_STORE: 's3',
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: 'bdp-faults',
        S3_ACCESS_KEY_ID: 'faults',
        S3_SECRET_ACCESS_KEY: 'faults-secret',
      };
    },
    temporaries: () => bucket().temporaries(),
    async visibleObjects() {
      return (
        (await bucket().client.send(new ListObjectsV2Command({ Bucket: 'bdp-faults', Prefix: 'objects/' }))).Contents ??
        []
      ).length;
    },
    async stop() {
      await s3?.stop();
    },
  },
];
const bucket = () =>
  s3Backend({
    endpoint: s3!.endpoint,
    bucket: 'bdp-faults',
    region: 'us-east-1',
    accessKeyId: 'faults',
    secretAccessKey: 'faults-secret',
    forcePathStyle: true,
  });

describe.each(BACKENDS)('kill -9 of the API during a large upload ($name backend)', (backend) => {
  const skip = backend.name === 's3' && 'missing' in s3Server;
  let api: Child | undefined;
  let base = '';
  let extraEnv: Record<string, string> = {};
  const startApi = async (env: Record<string, string> = {}) => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await spawnEntry(
      'api/server.ts',
      {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        DATABASE_URL: database.url!,
        ADMIN_API_KEY: ADMIN,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...extraEnv,
        ...env,
      },
      /API listening/,
    );
  };
  afterAll(async () => {
    await api?.stop();
    await backend.stop();
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'leaves no visible document, its temporary is swept at the next start-up, and the retry succeeds',
    async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-upload-kill-'));
      dataDirs.push(dataDir);
      extraEnv = await backend.env(dataDir);
      await startApi();
      const keyRes = await fetch(`${base}/v1/admin/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'department', name: 'health', department: 'health' }),
      });
      const key = ((await keyRes.json()) as { key: string }).key;
      const rowsBefore = (await database.db.select().from(documents)).length;
      const body = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(SIZE - 9)]);

      // Half of the file is sent; once the API has written some of it, the process is killed.
      let pausedNow!: () => void;
      const paused = new Promise<void>((r) => (pausedNow = r));
      let resume!: () => void;
      const resumed = new Promise<void>((r) => (resume = r));
      const sent = slowUpload(base, key, body, SIZE / 2, pausedNow, resumed);
      await paused;
      await eventually(async () => ((await backend.temporaries()) > 0 ? true : undefined), 30_000);
      await api!.kill9();
      resume();
      const outcome = await sent;
      expect(outcome).toBeInstanceOf(Error); // the client never got an answer

      // Nothing visible: no row, no object; the crash's temporary is still there.
      expect((await database.db.select().from(documents)).length).toBe(rowsBefore);
      expect(await backend.visibleObjects()).toBe(0);
      const left = await backend.temporaries();
      expect(left).toBeGreaterThan(0);

      // The next API process sweeps it at start-up (grace 1 s here; default DOCUMENT_TEMPORARY_GRACE_SECONDS=3600).
      await new Promise((r) => setTimeout(r, 1_500));
      await startApi({ DOCUMENT_TEMPORARY_GRACE_SECONDS: '1' });
      await eventually(async () => ((await backend.temporaries()) === 0 ? true : undefined), 30_000);

      // The retry succeeds, and the bytes come back.
      const retry = await fetch(`${base}/v1/documents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/pdf',
          'x-file-name': 'big.pdf',
          'content-length': String(body.length),
        },
        body,
      });
      const doc = (await retry.json()) as { id: string; sm3: string };
      expect(retry.status, JSON.stringify(doc)).toBe(201);
      expect(doc.sm3).toBe(sm3(body));
      const back = Buffer.from(
        await (
          await fetch(`${base}/v1/documents/${doc.id}`, { headers: { authorization: `Bearer ${key}` } })
        ).arrayBuffer(),
      );
      const equal = back.equals(body);
      record(
        `API killed (SIGKILL) mid-upload, ${backend.name} backend`,
        equal && (await backend.temporaries()) === 0,
        `${left} temporary left by the crash, 0 after the start-up sweep; no document visible; retry → ${retry.status}, ${back.length} bytes back, equal: ${equal}`,
      );
      expect(equal).toBe(true);
      expect(await backend.visibleObjects()).toBe(1);
      expect(await backend.temporaries()).toBe(0);
    },
    240_000,
  );
});
