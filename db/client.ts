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
  /**
   * The driver's own client, for what drizzle does not carry: the backup's COPY streams
   * (db/backup.ts). PGlite's is its one connection; postgres.js's a pool.
   */
  raw:
    | { driver: 'pglite'; client: import('@electric-sql/pglite').PGlite }
    | { driver: 'postgres'; client: import('postgres').Sql };
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

/** How often the embedded database looks for tables whose statistics are stale (analyzeStale). */
export const AUTO_ANALYZE_EVERY_MS = 60_000;

/**
 * ANALYZE of every table changed by more than 50 rows + 10 % since its last analysis — PostgreSQL's
 * autovacuum defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor). The embedded
 * PGlite has no autovacuum daemon, so `openDatabase` runs this every minute for it; PostgreSQL does
 * it itself. Without it the planner has no statistics: the project list's keyword filter (ILIKE)
 * was planned as a sequential scan and sort of the whole read model — ≈ 0.4-1 s per page at
 * 100,000 projects instead of ≈ 20 ms by the (created_at, id) index (BENCHMARKS.md, console).
 * Answers the tables analysed.
 */
export async function analyzeStale(db: Database): Promise<string[]> {
  // postgres.js answers an array of rows, PGlite an object with `rows`.
  const answer: unknown = await db.execute(
    sql`select relname from pg_stat_user_tables where schemaname = 'public' and n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0) order by relname`,
  );
  const result = answer as { rows?: Array<{ relname: string }> } & Array<{ relname: string }>;
  const tables = (result.rows ?? [...result]).map((r) => r.relname);
  for (const table of tables) await db.execute(sql`analyze ${sql.identifier(table)}`);
  return tables;
}

/**
 * drizzle's postgres.js driver runs every query it has not been given a name for with
 * `prepare: false`: postgres.js then sends it as an unnamed statement and, because it has
 * parameters, first asks the server to describe them and waits — two round trips per statement.
 * This lets postgres.js keep each distinct statement prepared on its connection instead (its default
 * for its own queries): after the first use one round trip. A technical review's transaction went
 * from 15 round trips to 9 and its local activity from ~3.8 to ~2.6 ms (BENCHMARKS.md).
 * The cache is per connection and bounded by the connection's life (postgres.js recycles a
 * connection after 30-60 minutes); a statement invalidated by a migration is prepared again.
 * Transactions (`begin`) and savepoints hand drizzle a transaction-bound client: wrapped the same.
 */
export function preparedStatements<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (query: string, parameters?: unknown[], options?: Record<string, unknown>) =>
          value.call(target, query, parameters, { ...options, prepare: true }) as unknown;
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: object) => unknown;
          return value.call(target, ...args, (tx: object) => work(preparedStatements(tx))) as unknown;
        };
      }
      return value;
    },
  });
}

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
      db: drizzle(preparedStatements(client), { schema }),
      driver: 'postgres',
      raw: { driver: 'postgres', client },
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
    // pg_trgm for the list's title search index (migration 0014); PostgreSQL ships it in contrib.
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const client = await PGlite.create(options.dataDir, { extensions: { pg_trgm } });
    const db = drizzle(client, { schema }) as unknown as Database;
    // PGlite runs no autovacuum daemon: without this its planner would never get statistics.
    const analyzer = setInterval(() => void analyzeStale(db).catch(() => undefined), AUTO_ANALYZE_EVERY_MS);
    analyzer.unref();
    handle = {
      db,
      driver: 'pglite',
      raw: { driver: 'pglite', client },
      close: () => {
        clearInterval(analyzer);
        return client.close();
      },
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

/**
 * Inside a transaction: it waits at most 1 s for a lock and 2 s for a statement (SET LOCAL, so only
 * this transaction), less than a local activity's timeout.
 */
export async function limitTransactionWaits(tx: Database): Promise<void> {
  // set_config(…, true) is SET LOCAL; both in one round trip.
  await tx.execute(sql`select set_config('lock_timeout', '1s', true), set_config('statement_timeout', '2s', true)`);
}
