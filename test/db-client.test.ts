/**
 * db/client.ts on PostgreSQL: drizzle's queries run as prepared statements (preparedStatements), so
 * postgres.js sends a statement it has seen on that connection in one round trip instead of
 * describing it first (issue 11: a command's transaction lost half its round trips).
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { apiKeys } from '../db/schema.ts';
import { prepareDatabase } from '../db/seed.ts';
import { emptyPostgresDatabase, postgresUrl } from './support/database.ts';

describe.skipIf(!postgresUrl)('db/client on PostgreSQL', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const empty = await emptyPostgresDatabase('bdp_client');
    drop = () => empty.drop();
    // One connection: what this session prepared is what pg_prepared_statements shows.
    handle = await openDatabase({ url: empty.url, dataDir: 'unused', max: 1 });
    await prepareDatabase(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  const preparedLike = async (fragment: string) => {
    const answer: unknown = await handle.db.execute(
      sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${fragment}%`}`,
    );
    const rows = answer as Array<{ n: number }>;
    return rows[0]!.n;
  };

  it('keeps a parameterized drizzle query prepared on its connection, also inside a transaction', async () => {
    const lookup = () => handle.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, 'nobody'));
    await lookup();
    await lookup();
    expect(await preparedLike('from "api_keys" where "api_keys"."id" = $1')).toBe(1);

    await handle.db.transaction(async (tx) => {
      await tx.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.department, 'none'));
    });
    expect(await preparedLike('"api_keys"."department" = $1')).toBe(1);
  });

  it('answers the same rows as before: values, nulls and JSON come back typed', async () => {
    const answer: unknown = await handle.db.execute(
      sql`select ${42}::int as n, ${null}::text as nothing, ${JSON.stringify({ a: [1, '二'] })}::jsonb as doc`,
    );
    const rows = answer as Array<{
      n: number;
      nothing: string | null;
      doc: unknown;
    }>;
    expect(rows[0]).toEqual({ n: 42, nothing: null, doc: { a: [1, '二'] } });
  });
});
