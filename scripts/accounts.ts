/**
 * Personal account administration for operators (issue 16), e.g. to create the first admin account
 * of a deployment:
 *
 *   npm run accounts -- create --login wang.admin --name 王管理员 --role admin
 *   npm run accounts -- create --login li.health --name 李明 --role department --department health [--jurisdiction city] [--phone …]
 *   npm run accounts -- list [--json]
 *   npm run accounts -- revoke <id>
 *   npm run accounts -- reset <login>      (new initial password; an admin also a new TOTP secret; sessions end)
 *
 * With DATABASE_URL it works straight on PostgreSQL (migrations applied first, so also before the
 * first start). Without it — the embedded database of `npm start`, which only the running API may
 * open — `create`, `list` and `revoke` go through the running API's /v1/admin/accounts with
 * ADMIN_API_KEY (at http://$HOST:$PORT, as lib/config.ts reads them); `reset` needs DATABASE_URL.
 *
 * `create` validates as POST /v1/admin/accounts does and prints, once, the initial password and
 * (admin) the TOTP enrolment URI on stdout; everything else goes to stderr.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { accountInfo, createAccountService, NO_ORIGIN } from '../api/sessions.ts';
import { createAccountBody } from '../api/schemas.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { registerDepartmentInUse } from '../db/queries/departments.ts';
import { ConfigError, documentKeyring, loadConfig } from '../lib/config.ts';
import { generateKeyringSpec, parseKeyring, type Keyring } from '../lib/codec.ts';
import { commandOf, NotFound, runCli, UsageError } from './cli.ts';

const USAGE = `Usage:
  npm run accounts -- create --login <login> --name <display name> --role <bdb|approval|finance|department|admin> [--department <code>] [--jurisdiction <code>] [--phone <number>]
  npm run accounts -- list [--json]
  npm run accounts -- revoke <id>
  npm run accounts -- reset <login>`;

type Info = ReturnType<typeof accountInfo>;
interface Backend {
  create(body: ReturnType<typeof createAccountBody.parse>): Promise<Info & { initialPassword: string; totpEnrolment: { secret: string; otpauthUrl: string } | null }>;
  list(): Promise<Info[]>;
  revoke(id: string): Promise<'revoked' | 'already'>;
  reset(login: string): Promise<{ initialPassword: string; otpauthUrl: string | null }>;
}

/** `keys`: the API's keyring for create and reset (they seal a TOTP secret); list and revoke touch no secret. */
function databaseBackend(db: Database, keys: Keyring | undefined): Backend {
  const service = createAccountService(db, { keys: keys ?? parseKeyring(generateKeyringSpec('unused')) });
  // Art. 22: the operator's actions are in the accounts' security trail under their OS user name.
  const actor = { keyId: `cli:${os.userInfo().username}`, name: os.userInfo().username };
  return {
    async create(body) {
      const created = await service.createAccount(body, actor, NO_ORIGIN);
      if (body.department) await registerDepartmentInUse(db, body.department, body.jurisdiction ?? 'city', actor.keyId);
      return { ...accountInfo(created.account), initialPassword: created.initialPassword, totpEnrolment: created.totpEnrolment };
    },
    list: async () => (await listAccounts(db)).map(accountInfo),
    async revoke(id) {
      const revoked = await service.revoke(id, actor, NO_ORIGIN);
      if (revoked.outcome === 'unknown') throw new NotFound(`No account ${id}.`);
      return revoked.outcome;
    },
    async reset(login) {
      const done = await service.reset(login, actor, NO_ORIGIN);
      if (!done) throw new NotFound(`No active account ${login}.`);
      return done;
    },
  };
}

function apiBackend(baseUrl: string, adminKey: string): Backend {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'accept-language': 'en' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 404) throw new NotFound(((await res.json()) as { detail?: string }).detail ?? 'Not found');
    if (res.status >= 400 && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  return {
    async create(body) {
      const res = await call('POST', '/v1/admin/accounts', body);
      if (res.status === 409) throw new Error(((await res.json()) as { detail: string }).detail);
      return (await res.json()) as Awaited<ReturnType<Backend['create']>>;
    },
    list: async () => ((await (await call('GET', '/v1/admin/accounts')).json()) as { items: Info[] }).items,
    revoke: async (id) => ((await call('DELETE', `/v1/admin/accounts/${id}`)).status === 409 ? 'already' : 'revoked'),
    reset() {
      throw new UsageError('reset needs DATABASE_URL (it works on the database, e.g. while no admin can sign in)');
    },
  };
}

async function create(backend: Backend, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { login: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, jurisdiction: { type: 'string' }, phone: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  const parsed = createAccountBody.safeParse({
    loginName: values.login,
    displayName: values.name,
    role: values.role,
    department: values.department,
    jurisdiction: values.jurisdiction,
    phone: values.phone,
  });
  if (!parsed.success) {
    const flag: Record<string, string> = { loginName: 'login', displayName: 'name' };
    throw new UsageError(parsed.error.issues.map((i) => `--${flag[String(i.path[0])] ?? (i.path.join('.') || 'arguments')}: ${i.message}`).join('\n'));
  }
  const created = await backend.create(parsed.data);
  process.stderr.write(
    `Created account ${created.id} (${created.loginName}, ${created.displayName}, ${created.organization}).\n` +
      'Hand over the initial password now: it is not shown again, and must be changed at the first sign-in.\n' +
      (created.totpEnrolment ? 'Admin: add the TOTP URI to an authenticator app (or type the secret); the first sign-in needs one of its codes.\n' : ''),
  );
  process.stdout.write(`initial password: ${created.initialPassword}\n`);
  if (created.totpEnrolment) process.stdout.write(`totp secret: ${created.totpEnrolment.secret}\ntotp uri: ${created.totpEnrolment.otpauthUrl}\n`);
}

async function list(backend: Backend, args: string[]) {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  const items = await backend.list();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  if (items.length === 0) {
    process.stderr.write('No accounts.\n');
    return;
  }
  const table = [
    ['ID', 'LOGIN', 'ORGANIZATION', 'TOTP', 'REVOKED', 'NAME'],
    ...items.map((i) => [i.id, i.loginName, i.organization, i.totpEnabled ? 'yes' : 'no', i.revokedAt ?? '-', i.displayName]),
  ];
  const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
  for (const row of table) process.stdout.write(`${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()}\n`);
}

async function revoke(backend: Backend, args: string[]) {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError('revoke takes exactly one account id');
  if (!/^[0-9a-f]{12}$/.test(id)) throw new UsageError(`${id} is not an account id (12 hex digits; see \`list\`)`);
  const outcome = await backend.revoke(id);
  process.stderr.write(outcome === 'revoked' ? `Revoked account ${id}; its sessions ended.\n` : `Account ${id} was already revoked.\n`);
}

async function reset(backend: Backend, args: string[]) {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  const [login, ...extra] = positionals;
  if (!login || extra.length > 0) throw new UsageError('reset takes exactly one login name');
  const done = await backend.reset(login);
  process.stderr.write(`Reset ${login}: its sessions ended; the new initial password must be changed at the next sign-in.\n`);
  process.stdout.write(`initial password: ${done.initialPassword}\n`);
  if (done.otpauthUrl) process.stdout.write(`totp uri: ${done.otpauthUrl}\n`);
}

const COMMANDS = { create, list, revoke, reset } as const;

/**
 * The keyring sealing TOTP secrets (Art. 28), as the API has it: DOCUMENT_KEYS, else PAYLOAD_KEYS,
 * else the one `npm start` generated into DATA_DIR (never generated here: the API would not know it).
 */
function accountKeyring(config: ReturnType<typeof loadConfig>): Keyring {
  const generated = fs.existsSync(path.join(config.dataDir, 'document-keys'));
  try {
    return documentKeyring(config, generated ? config.dataDir : undefined);
  } catch (err) {
    if (!(err instanceof ConfigError) || generated || config.documents.keys || config.payload.keys) throw err;
    throw new ConfigError([
      `TOTP secrets are sealed with the API's keyring: set DOCUMENT_KEYS or PAYLOAD_KEYS as the API has them, or start \`npm start\` once so it generates ${path.join(config.dataDir, 'document-keys')}`,
    ]);
  }
}

async function main(argv: string[]): Promise<number> {
  const picked = commandOf(argv, COMMANDS, USAGE);
  if (typeof picked === 'number') return picked;
  const { name: command, args } = picked;
  const config = loadConfig();
  const run = COMMANDS[command];
  if (!config.database.url) {
    const apiUrl = `http://${config.api.host}:${config.api.port}`;
    if (!config.adminApiKey) {
      process.stderr.write(
        `Set DATABASE_URL (PostgreSQL) to work on the database, or ADMIN_API_KEY to go through the running API of \`npm start\` at ${apiUrl} (HOST, PORT).\n`,
      );
      return 2;
    }
    await run(apiBackend(apiUrl, config.adminApiKey), args);
    return 0;
  }
  // Before the database is touched: a missing keyring stops create and reset with nothing changed.
  const keys = command === 'create' || command === 'reset' ? accountKeyring(config) : undefined;
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir, max: 1 });
  try {
    await database.migrate();
    await run(databaseBackend(database.db, keys), args);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(() => main(process.argv.slice(2)), USAGE);
