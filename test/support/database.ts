/**
 * Real databases for tests, one fresh database per suite:
 * - `pglite`: the embedded default, in memory;
 * - `postgres`: a new database on the PostgreSQL server of DATABASE_URL (CI starts one; see
 *   scripts/ci-postgres.sh). Without DATABASE_URL the PostgreSQL variant is skipped, loudly.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../db/client.ts';
import { prepareDatabase } from '../../db/seed.ts';

export type Driver = 'pglite' | 'postgres';

export const DRIVERS: Driver[] = ['pglite', 'postgres'];

export const postgresUrl = process.env.DATABASE_URL;

if (!postgresUrl) {
  console.warn('DATABASE_URL is not set: tests against PostgreSQL are skipped (CI always sets it).');
}

export const driverAvailable = (driver: Driver) => driver === 'pglite' || Boolean(postgresUrl);

export interface TestDatabase extends DatabaseHandle {
  /** Closes and, for PostgreSQL, drops the database. */
  destroy(): Promise<void>;
  /** The PostgreSQL connection string of this test database (undefined for PGlite). */
  url?: string;
}

export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await prepareDatabase(handle);
    return { ...handle, destroy: () => handle.close() };
  }
  const empty = await emptyPostgresDatabase('bdp_test');
  const handle = await openDatabase({ url: empty.url, dataDir: 'unused', max: 5 });
  await prepareDatabase(handle);
  return {
    ...handle,
    url: empty.url,
    async destroy() {
      await handle.close();
      await empty.drop();
    },
  };
}

/**
 * A new, empty database on the PostgreSQL of DATABASE_URL (no migrations: for tools that apply
 * them themselves), and how to drop it.
 */
export async function emptyPostgresDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!postgresUrl) throw new Error('DATABASE_URL is required for the postgres driver');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
