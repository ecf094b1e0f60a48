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
import { prepareDatabase } from '../db/seed.ts';
import { documentKeyring, loadConfig, payloadConverter, requireExternalServices, type Config } from '../lib/config.ts';
import type { Keyring } from '../lib/codec.ts';
import { createDocumentStore, folderBackend } from '../lib/documents.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { connectClient } from '../lib/temporal.ts';
import { createApp } from './app.ts';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export function serveApi(deps: {
  config: Config;
  database: DatabaseHandle;
  temporal: Client;
  log: Logger;
  /** The payload codec the clients use, served to admins at /codec (lib/codec.ts). */
  payloadCodec?: PayloadCodec | undefined;
  /** The document store's master keyring (documentKeyring in lib/config.ts). */
  documentKeys: Keyring;
}): Promise<RunningApi> {
  const app = createApp({
    database: deps.database,
    temporal: deps.temporal,
    taskQueue: deps.config.temporal.taskQueue,
    adminApiKey: deps.config.adminApiKey,
    log: deps.log,
    writesPerMinute: deps.config.writesPerMinute,
    payloadCodec: deps.payloadCodec,
    documents: createDocumentStore({ backend: folderBackend(deps.config.documents.dir), keyring: deps.documentKeys, maxBytes: deps.config.documents.maxBytes }),
    uiOrigin: deps.config.temporal.uiUrl ? new URL(deps.config.temporal.uiUrl).origin : undefined,
  });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: deps.config.api.port, hostname: deps.config.api.host }, (info: AddressInfo) => {
      const host = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive sockets would otherwise hold shutdown open.
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}

async function main() {
  const config = loadConfig();
  const { temporalAddress } = requireExternalServices(config, 'the API');
  const log = createLogger(config.logLevel, 'api');
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  await prepareDatabase(database);
  await warnCalendarCoverage(database.db, log); // shared/DOMAIN.md "Working days": next year's notice
  const dataConverter = payloadConverter(config);
  const temporal = await connectClient(temporalAddress, config.temporal.namespace, 60_000, dataConverter);
  const api = await serveApi({ config, database, temporal, log, payloadCodec: dataConverter?.payloadCodecs[0], documentKeys: documentKeyring(config) });
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
