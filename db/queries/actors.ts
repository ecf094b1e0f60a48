/**
 * The names people read for the actor ids rows record (`account:<id>` for a personal account, an API
 * key's id, `cli:<user>` for the command line, `seed`/`migration` for the system itself).
 */
import { inArray } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { accounts, apiKeys } from '../schema.ts';

type Reader = Pick<Database, 'select'>;

/** The ids the system itself acts under, as people read them. */
const SYSTEM_ACTORS: Record<string, string> = { seed: '系统', migration: '系统', 'env-admin': '系统管理员密钥' };

/** A function from actor id to name: the account's name, the key's name (an unknown id reads as itself). */
export async function actorNames(db: Reader, ids: Array<string | null>): Promise<(id: string | null) => string | null> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  const accountIds = wanted.filter((i) => i.startsWith('account:')).map((i) => i.slice('account:'.length));
  const keyIds = wanted.filter((i) => !i.startsWith('account:') && !SYSTEM_ACTORS[i] && !i.startsWith('cli:'));
  const [people, keys] = await Promise.all([
    accountIds.length > 0
      ? db
          .select({ id: accounts.id, name: accounts.displayName })
          .from(accounts)
          .where(inArray(accounts.id, accountIds))
      : [],
    keyIds.length > 0
      ? db.select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(inArray(apiKeys.id, keyIds))
      : [],
  ]);
  const names = new Map<string, string>([
    ...people.map((p) => [`account:${p.id}`, p.name] as const),
    ...keys.map((k) => [k.id, k.name] as const),
  ]);
  return (id) =>
    id === null
      ? null
      : (names.get(id) ?? SYSTEM_ACTORS[id] ?? (id.startsWith('cli:') ? `命令行（${id.slice(4)}）` : id));
}
