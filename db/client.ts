/**
 * One database client factory for both drivers:
 * - DATABASE_URL set → PostgreSQL through postgres.js (production, CI);
 * - unset → embedded PGlite (PostgreSQL compiled to WebAssembly) stored in DATA_DIR, so
 *   `npm start` needs no database server.
 * Both return the same drizzle `PgDatabase` type, so the rest of the code cannot tell them apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** Answers true when a trivial query succeeds (for /readyz). */
  ping(): Promise<boolean>;
  /** Applies the committed drizzle-kit migrations (idempotent; safe to run from several processes). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite in `dataDir` is used. */
  url?: string | undefined;
  /** PGlite directory; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /** postgres.js pool size. */
  max?: number;
}

/** Arbitrary constant naming this application's migration lock (pg_advisory_lock takes a bigint). */
const MIGRATION_LOCK_ID = 7_319_2019_44;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  let handle: Omit<DatabaseHandle, 'ping'>;
  const migrationsFolder = MIGRATIONS_DIR;
  if (options.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
    });
    handle = {
      db: drizzle(client, { schema }) as unknown as Database,
      driver: 'postgres',
      close: () => client.end({ timeout: 5 }),
      async migrate() {
        // The worker and the API may start together: a session advisory lock on a one-connection
        // client makes the second wait, then find nothing left to apply.
        const { migrate } = await import('drizzle-orm/postgres-js/migrator');
        const single = postgres(options.url!, { max: 1, onnotice: () => {}, connect_timeout: 10 });
        try {
          await single`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
          await migrate(drizzle(single, { schema }), { migrationsFolder });
        } finally {
          await single.end({ timeout: 5 });
        }
      },
    };
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    if (!options.dataDir.startsWith('memory://')) fs.mkdirSync(options.dataDir, { recursive: true });
    const client = await PGlite.create(options.dataDir);
    handle = {
      db: drizzle(client, { schema }) as unknown as Database,
      driver: 'pglite',
      close: () => client.close(),
      async migrate() {
        // PGlite lives in this process only: nobody else can migrate concurrently.
        const { migrate } = await import('drizzle-orm/pglite/migrator');
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      },
    };
  }
  return {
    ...handle,
    async ping() {
      try {
        await handle.db.execute(sql`select 1`);
        return true;
      } catch {
        return false;
      }
    },
  };
}
