/**
 * The logical dump and load of the application database (docs/BACKUP.md): every table of the
 * `public` schema as PostgreSQL's COPY text format, in foreign-key dependency order, read in ONE
 * repeatable-read transaction, plus the sequences' positions and the migrations applied. The same
 * statements serve the embedded PGlite (COPY … TO/FROM '/dev/blob') and PostgreSQL (COPY … TO
 * STDOUT / FROM STDIN through postgres.js): the driver only moves the bytes (`DumpSession`,
 * `LoadSession`). A restore migrates a fresh database with the code's migrations, then loads the
 * rows with triggers off (the inbox trigger would otherwise rewrite 待办 rows the dump carries).
 */

/** The reading side of one transaction: rows of a query, and the bytes of a COPY … TO. */
export interface DumpSession {
  rows<T extends Record<string, unknown>>(text: string): Promise<T[]>;
  /** `COPY <target> TO …`: the target as `"table" ("a", "b")`; the driver adds the destination. */
  copyOut(target: string): Promise<Buffer>;
}

/** The writing side of one transaction: a statement, and a COPY … FROM of given bytes. */
export interface LoadSession {
  exec(text: string): Promise<void>;
  rows<T extends Record<string, unknown>>(text: string): Promise<T[]>;
  copyIn(target: string, data: Buffer): Promise<void>;
}

export interface DumpedTable {
  name: string;
  /** Stored columns in order (generated columns are left out: the database computes them again). */
  columns: string[];
  rows: number;
  /** File name in the backup's `postgres/` folder. */
  file: string;
}

export interface DumpedSequence {
  name: string;
  lastValue: string | null;
  isCalled: boolean;
}

export interface DatabaseDump {
  tables: DumpedTable[];
  sequences: DumpedSequence[];
  /** drizzle's `__drizzle_migrations`: how many, and the `when` of the last (db/migrations/meta/_journal.json). */
  migrations: { count: number; last: number | null };
  /** `server_version` of the database dumped. */
  serverVersion: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const copyTarget = (table: { name: string; columns: string[] }) =>
  `${ident(table.name)} (${table.columns.map(ident).join(', ')})`;

/** Rows in a COPY text stream: one line each (newlines inside values are escaped as \n). */
export const copyRows = (data: Buffer): number => {
  let n = 0;
  for (const byte of data) if (byte === 0x0a) n++;
  return n;
};

/** Tables of `public`, each after the tables its foreign keys point at (then by name). */
export async function tablesInDependencyOrder(
  session: Pick<DumpSession, 'rows'>,
): Promise<Array<{ name: string; columns: string[] }>> {
  const tables = (
    await session.rows<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
    )
  ).map((r) => r.name);
  const edges = await session.rows<{ child: string; parent: string }>(
    `select cc.relname as child, pc.relname as parent from pg_constraint k
       join pg_class cc on cc.oid = k.conrelid join pg_namespace cn on cn.oid = cc.relnamespace
       join pg_class pc on pc.oid = k.confrelid
     where k.contype = 'f' and cn.nspname = 'public' and cc.relname <> pc.relname`,
  );
  const columns = await session.rows<{ table: string; column: string }>(
    `select c.relname as "table", a.attname as "column" from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
     order by c.relname, a.attnum`,
  );
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find(
      (t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p) || !parents.has(p)),
    );
    // A cycle of foreign keys (none today): the rest by name; the load runs with triggers off anyway.
    const pick = next ?? tables.find((t) => !placed.has(t))!;
    ordered.push(pick);
    placed.add(pick);
  }
  return ordered.map((name) => ({ name, columns: columns.filter((c) => c.table === name).map((c) => c.column) }));
}

/**
 * Reads everything inside the caller's transaction (which must be REPEATABLE READ or stronger, or
 * the only connection, as PGlite's is): the tables' bytes go to `write`, the description is returned.
 */
export async function dumpDatabase(
  session: DumpSession,
  write: (file: string, data: Buffer) => Promise<void>,
): Promise<DatabaseDump> {
  const [{ server_version: serverVersion }] = (await session.rows<{ server_version: string }>(
    'show server_version',
  )) as [{ server_version: string }];
  const tables: DumpedTable[] = [];
  for (const table of await tablesInDependencyOrder(session)) {
    const data = await session.copyOut(copyTarget(table));
    const file = `${table.name}.copy`;
    await write(file, data);
    tables.push({ ...table, rows: copyRows(data), file });
  }
  const sequences = (
    await session.rows<{ name: string; last_value: string | null; is_called: boolean }>(
      `select s.relname as name, (pg_sequence_last_value(s.oid))::text as last_value, (pg_sequence_last_value(s.oid) is not null) as is_called
         from pg_class s join pg_namespace n on n.oid = s.relnamespace where n.nspname = 'public' and s.relkind = 'S' order by s.relname`,
    )
  ).map((s) => ({ name: s.name, lastValue: s.last_value, isCalled: s.is_called }));
  const migrations = await appliedMigrations(session);
  return { tables, sequences, migrations, serverVersion };
}

/** drizzle's record of the migrations applied (none when the database was never migrated). */
export async function appliedMigrations(
  session: Pick<DumpSession, 'rows'>,
): Promise<{ count: number; last: number | null }> {
  const [exists] = await session.rows<{ found: boolean }>(
    `select to_regclass('drizzle.__drizzle_migrations') is not null as found`,
  );
  if (!exists?.found) return { count: 0, last: null };
  const [row] = await session.rows<{ count: number | string; last: number | string | null }>(
    `select count(*)::int as count, max(created_at)::text as last from drizzle.__drizzle_migrations`,
  );
  return {
    count: Number(row?.count ?? 0),
    last: row?.last === null || row?.last === undefined ? null : Number(row.last),
  };
}

/** Which of `tables` hold rows (those that exist): a database in use answers some. */
export async function nonEmptyTables(session: Pick<LoadSession, 'rows'>, tables: readonly string[]): Promise<string[]> {
  const present = new Set((await tablesInDependencyOrder(session)).map((t) => t.name));
  const used: string[] = [];
  for (const name of tables) {
    if (!present.has(name)) continue;
    const [row] = await session.rows<{ any: boolean }>(`select exists (select 1 from ${ident(name)}) as any`);
    if (row?.any) used.push(name);
  }
  return used;
}

/**
 * Loads a dump into a migrated database inside the caller's transaction: triggers and foreign-key
 * checks off for it (session_replication_role = replica, as pg_dump's --disable-triggers), every
 * dumped table emptied (the migrations' seed rows go: the dump has them as they were), the rows
 * copied in, the sequences set where they were. Answers the rows loaded per table.
 */
export async function loadDatabase(
  session: LoadSession,
  dump: DatabaseDump,
  read: (file: string) => Promise<Buffer>,
): Promise<Record<string, number>> {
  const present = new Set((await tablesInDependencyOrder(session)).map((t) => t.name));
  const missing = dump.tables.filter((t) => !present.has(t.name)).map((t) => t.name);
  if (missing.length)
    throw new Error(`数据库中没有备份里的表：${missing.join('、')}（备份与当前代码的数据库结构不一致）`);
  await session.exec(`set local session_replication_role = replica`);
  await session.exec(`truncate ${dump.tables.map((t) => ident(t.name)).join(', ')}`);
  const loaded: Record<string, number> = {};
  for (const table of dump.tables) {
    const data = await read(table.file);
    if (data.length > 0) await session.copyIn(copyTarget(table), data);
    loaded[table.name] = copyRows(data);
  }
  for (const s of dump.sequences) {
    // Never used when dumped: back to its start (the migrations' seed rows may have moved it).
    if (s.lastValue === null) await session.exec(`alter sequence public.${ident(s.name)} restart`);
    else
      await session.exec(
        `select setval('public.${ident(s.name).replace(/'/g, "''")}', ${BigInt(s.lastValue).toString()}, ${s.isCalled ? 'true' : 'false'})`,
      );
  }
  return loaded;
}
