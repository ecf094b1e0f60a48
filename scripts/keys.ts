/**
 * API key administration for operators, straight against PostgreSQL (DATABASE_URL), e.g. to
 * bootstrap the first keys of a deployment or to revoke a leaked key while the API is down:
 *
 *   npm run keys -- create --role department --name "Health bureau" --department health [--jurisdiction zezhou]
 *   npm run keys -- list [--json]
 *   npm run keys -- revoke <id>
 *
 * `create` inserts exactly what POST /v1/admin/api-keys does (same validation, same key format,
 * only the SM3 digest stored) and prints the key once, alone on stdout, so a script can capture it;
 * everything else goes to stderr. Migrations are applied first (idempotent), so it also works on a
 * fresh database before the first start.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createApiKeyBody } from '../api/schemas/accounts.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { findJurisdiction } from '../db/queries/jurisdictions.ts';
import { registerDepartmentInUse } from '../db/queries/departments.ts';
import { insertKeyOnTrail, listKeys, revokeKeyOnTrail } from '../db/queries/keys.ts';

/** The operator at the terminal, as the administrators' trail names them: the start-up key's role, every duty (三员分立). */
const cliActor = () => ({
  keyId: `cli:${os.userInfo().username}`,
  name: os.userInfo().username,
  role: 'admin',
  ip: null,
});
import { generateKey } from '../lib/api-keys.ts';
import { loadConfig } from '../lib/config.ts';
import { commandOf, NotFound, runCli, UsageError } from './cli.ts';

const USAGE = `Usage:
  npm run keys -- create --role <bdb|approval|finance|department|sysadmin|secadmin|auditadmin> --name <name> [--department <code>] [--jurisdiction <code>]
  npm run keys -- list [--json]
  npm run keys -- revoke <id>`;

async function create(db: Database, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      department: { type: 'string' },
      jurisdiction: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  const parsed = createApiKeyBody.safeParse({
    role: values.role,
    name: values.name,
    department: values.department,
    jurisdiction: values.jurisdiction,
  });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `--${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n'),
    );
  }
  const body = parsed.data;
  // Art. 5, 12, 30 (measures): the key's jurisdiction must be in the registry.
  if (body.jurisdiction !== undefined && !(await findJurisdiction(db, body.jurisdiction))) {
    throw new UsageError(
      `--jurisdiction: unknown jurisdiction ${body.jurisdiction} (the registry: GET /v1/admin/jurisdictions)`,
    );
  }
  const generated = generateKey();
  await insertKeyOnTrail(
    db,
    {
      id: generated.id,
      secretHash: generated.secretHash,
      role: body.role,
      name: body.name,
      department: body.department,
      jurisdiction: body.jurisdiction,
      createdBy: cliActor().keyId,
    },
    cliActor(),
  );
  if (body.department)
    await registerDepartmentInUse(db, body.department, body.jurisdiction ?? 'city', cliActor().keyId);
  process.stderr.write(
    `Created API key ${generated.id} (role ${body.role}${body.department ? `, department ${body.department}` : ''}, jurisdiction ${body.jurisdiction ?? 'city'}, "${body.name}").\n` +
      'Store it now: it is not shown again.\n',
  );
  process.stdout.write(`${generated.key}\n`);
}

async function list(db: Database, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  const items = (await listKeys(db)).map((r) => ({
    id: r.id,
    role: r.role,
    department: r.department,
    jurisdiction: r.jurisdiction,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    process.stderr.write('No API keys.\n');
    return;
  }
  const table = [
    ['ID', 'ROLE', 'DEPARTMENT', 'CREATED', 'REVOKED', 'NAME'],
    ...items.map((i) => [i.id, i.role, i.department ?? '-', i.createdAt, i.revokedAt ?? '-', i.name]),
  ];
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  for (const row of table)
    process.stdout.write(
      `${row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd()}\n`,
    );
}

async function revoke(db: Database, args: string[]) {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError('revoke takes exactly one key id');
  if (!/^[0-9a-f]{12}$/.test(id)) throw new UsageError(`${id} is not a key id (12 hex digits; see \`list\`)`);
  const revoked = await revokeKeyOnTrail(db, id, cliActor());
  if (revoked.outcome === 'unknown') throw new NotFound(`No API key ${id}.`);
  process.stderr.write(
    revoked.outcome === 'revoked' ? `Revoked API key ${id}.\n` : `API key ${id} was already revoked.\n`,
  );
}

const COMMANDS = { create, list, revoke } as const;

async function main(argv: string[]): Promise<number> {
  const picked = commandOf(argv, COMMANDS, USAGE);
  if (typeof picked === 'number') return picked;
  const { name: command, args } = picked;
  const config = loadConfig();
  if (!config.database.url) {
    process.stderr.write(
      'DATABASE_URL is required: this tool manages the keys of a PostgreSQL deployment.\n' +
        'With the embedded database of `npm start`, use POST /v1/admin/api-keys with the admin key instead.\n',
    );
    return 2;
  }
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, max: 1 });
  try {
    await database.migrate();
    await COMMANDS[command](database.db, args);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(() => main(process.argv.slice(2)), USAGE);
