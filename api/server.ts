/**
 * Serving the API over HTTP. `npm run start:api` is the production entry point (needs
 * TEMPORAL_ADDRESS and DATABASE_URL); `npm start` calls serveApi() in-process.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { warnCalendarCoverage } from '../db/calendar.ts';
import { claimFolderStoreMarker, folderStoreMarker } from '../db/queries/document-store.ts';
import { prepareDatabase } from '../db/seed.ts';
import {
  documentKeyring,
  loadConfig,
  payloadConverter,
  requireExternalServices,
  webhookPolicy,
  type Config,
} from '../lib/config.ts';
import type { Keyring } from '../lib/codec.ts';
import { createDocumentStore, openDocumentBackend } from '../lib/documents.ts';
import { startDocumentSweeper } from './document-sweeper.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { connectClient } from '../lib/temporal.ts';
import { createApp } from './app.ts';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function serveApi(deps: {
  config: Config;
  database: DatabaseHandle;
  temporal: Client;
  log: Logger;
  /** The payload codec the clients use, served to admins at /codec (lib/codec.ts). */
  payloadCodec?: PayloadCodec | undefined;
  /** The document store's master keyring (documentKeyring in lib/config.ts). */
  documentKeys: Keyring;
}): Promise<RunningApi> {
  // A folder store must be the folder this database's documents live in (checked against a marker in both).
  const markers = {
    find: () => folderStoreMarker(deps.database.db),
    claim: (m: { storeId: string; location: string }) => claimFolderStoreMarker(deps.database.db, m),
  };
  const documents = createDocumentStore({
    backend: await openDocumentBackend(deps.config.documents, markers),
    keyring: deps.documentKeys,
    maxBytes: deps.config.documents.maxBytes,
  });
  // Crashed uploads' temporaries and (policy) orphaned uploads: swept now and then periodically.
  const sweeper = startDocumentSweeper({
    db: deps.database.db,
    store: documents,
    log: deps.log,
    orphanAfterMs: deps.config.documents.orphanAfterMs,
    temporaryGraceMs: deps.config.documents.temporaryGraceMs,
    everyMs: deps.config.documents.sweepEveryMs,
  });
  const app = createApp({
    database: deps.database,
    temporal: deps.temporal,
    taskQueue: deps.config.temporal.taskQueue,
    adminApiKey: deps.config.adminApiKey,
    log: deps.log,
    writesPerMinute: deps.config.writesPerMinute,
    signInPerAddressPerMinute: deps.config.signInPerAddressPerMinute,
    trustedProxies: deps.config.trustedProxies,
    webhookPolicy: webhookPolicy(deps.config),
    payloadCodec: deps.payloadCodec,
    documents,
    documentLimits: {
      uploadsPerMinute: deps.config.documents.uploadsPerMinute,
      dailyBytes: deps.config.documents.dailyBytes,
    },
    uiOrigin: deps.config.temporal.uiUrl ? new URL(deps.config.temporal.uiUrl).origin : undefined,
    // Art. 28: TOTP secrets sealed with the same master keyring as the documents' data keys.
    accountKeys: deps.documentKeys,
  });
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: deps.config.api.port, hostname: deps.config.api.host },
      (info: AddressInfo) => {
        const host = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              sweeper.stop();
              server.close(() => done());
              // Idle keep-alive sockets would otherwise hold shutdown open.
              (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
            }),
        });
      },
    );
    server.once('error', (err: Error) => {
      sweeper.stop();
      reject(err);
    });
  });
}

async function main() {
  const config = loadConfig();
  const { temporalAddress } = requireExternalServices(config, 'the API');
  const log = createLogger(config.logLevel, 'api');
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  await prepareDatabase(database);
  await warnCalendarCoverage(database.db, log); // docs/MEASURES.md "Working days": next year's notice
  const dataConverter = payloadConverter(config);
  const temporal = await connectClient(temporalAddress, config.temporal.namespace, 60_000, dataConverter);
  const api = await serveApi({
    config,
    database,
    temporal,
    log,
    payloadCodec: dataConverter?.payloadCodecs[0],
    documentKeys: documentKeyring(config),
  });
  log.info({ url: api.url }, 'API listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'API stopping');
    await api.close();
    await temporal.connection.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
