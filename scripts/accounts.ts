/**
 * Personal account administration for operators, e.g. to create the first security
 * administrator of a deployment (三员分立, docs/ACCOUNTS.md: only the operator creates secadmin
 * accounts; the secadmin then creates the sysadmin and auditadmin accounts in the console):
 *
 *   npm run accounts -- create-admin --login wang.sec --name 王安全
 *   npm run accounts -- create --login li.health --name 李明 --role department --department health [--jurisdiction city] [--phone …]
 *   npm run accounts -- list [--json]
 *   npm run accounts -- revoke <id>
 *   npm run accounts -- reset <login>      (new initial password; an administrator also a new TOTP secret; sessions end)
 *
 * With DATABASE_URL it works straight on PostgreSQL (migrations applied first, so also before the
 * first start). Without it — the embedded database of `npm start` in DATA_DIR — it goes through the
 * running API's /v1/admin/accounts (at http://$HOST:$PORT) with ADMIN_API_KEY or the admin key
 * `npm start` keeps in DATA_DIR/admin-api-key; while `npm start` is stopped it opens the embedded
 * database itself (only one process may have it open). `reset` needs the database: DATABASE_URL, or
 * `npm start` stopped.
 *
 * `create` validates as POST /v1/admin/accounts does and prints, once, the initial password and
 * (administrators) the TOTP enrolment URI on stdout; everything else goes to stderr.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { accountInfo, createAccountService, NO_ORIGIN } from '../api/sessions.ts';
import { createAccountBody } from '../api/schemas/accounts.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { registerDepartmentInUse } from '../db/queries/departments.ts';
import { ConfigError, documentKeyring, loadConfig } from '../lib/config.ts';
import { generateKeyringSpec, parseKeyring, type Keyring } from '../lib/codec.ts';
import { commandOf, NotFound, runCli, UsageError } from './cli.ts';

const USAGE = `Usage:
  npm run accounts -- create-admin --login <login> --name <display name> [--phone <number>]
  npm run accounts -- create --login <login> --name <display name> --role <bdb|approval|finance|department|sysadmin|secadmin|auditadmin> [--department <code>] [--jurisdiction <code>] [--phone <number>]
  npm run accounts -- list [--json]
  npm run accounts -- revoke <id>
  npm run accounts -- reset <login>`;

type Info = ReturnType<typeof accountInfo>;
interface Backend {
  create(
    body: ReturnType<typeof createAccountBody.parse>,
  ): Promise<Info & { initialPassword: string; totpEnrolment: { secret: string; otpauthUrl: string } | null }>;
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
      return {
        ...accountInfo(created.account),
        initialPassword: created.initialPassword,
        totpEnrolment: created.totpEnrolment,
      };
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

/** The API's refusal as a person reads it: title, detail and the fields' errors (never the raw JSON). */
function problemText(status: number, text: string): string {
  try {
    const p = JSON.parse(text) as {
      title?: string;
      detail?: string;
      errors?: Array<{ path: string; message: string }>;
    };
    return [
      `${p.title ?? `HTTP ${status}`}${p.detail ? `：${p.detail}` : ''}`,
      ...(p.errors ?? []).map((e) => `  ${e.path}：${e.message}`),
    ].join('\n');
  } catch {
    return `HTTP ${status}`;
  }
}

function apiBackend(baseUrl: string, adminKey: string): Backend {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        'accept-language': 'zh-CN',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 404) throw new NotFound(((await res.json()) as { detail?: string }).detail ?? '未找到');
    if (res.status >= 400 && res.status !== 409) throw new Error(problemText(res.status, await res.text()));
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
    options: {
      login: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      department: { type: 'string' },
      jurisdiction: { type: 'string' },
      phone: { type: 'string' },
    },
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
    throw new UsageError(
      parsed.error.issues
        .map((i) => `--${flag[String(i.path[0])] ?? (i.path.join('.') || 'arguments')}: ${i.message}`)
        .join('\n'),
    );
  }
  const created = await backend.create(parsed.data);
  process.stderr.write(
    `已创建账户 ${created.loginName}（${created.displayName}，${created.organization}，编号 ${created.id}）。\n` +
      '初始密码只显示这一次，请当面交给本人；首次登录须修改。\n' +
      (created.totpEnrolment
        ? '管理员账户须绑定身份验证器：在手机的验证器应用中手动输入下面的 totp secret（或用 totp uri 生成二维码扫描），首次登录时须输入其显示的 6 位动态验证码。\n'
        : ''),
  );
  process.stdout.write(`initial password: ${created.initialPassword}\n`);
  if (created.totpEnrolment)
    process.stdout.write(
      `totp secret: ${created.totpEnrolment.secret}\ntotp uri: ${created.totpEnrolment.otpauthUrl}\n`,
    );
}

/** The first security administrator (or another): `create` with role secadmin (三员分立: the operator's alone). */
async function createAdmin(backend: Backend, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { login: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  await create(backend, [
    '--role',
    'secadmin',
    ...Object.entries(values).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, String(v)])),
  ]);
}

async function list(backend: Backend, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
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
    ...items.map((i) => [
      i.id,
      i.loginName,
      i.organization,
      i.totpEnabled ? 'yes' : 'no',
      i.revokedAt ?? '-',
      i.displayName,
    ]),
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

async function revoke(backend: Backend, args: string[]) {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError('revoke takes exactly one account id');
  if (!/^[0-9a-f]{12}$/.test(id)) throw new UsageError(`${id} is not an account id (12 hex digits; see \`list\`)`);
  const outcome = await backend.revoke(id);
  process.stderr.write(
    outcome === 'revoked' ? `Revoked account ${id}; its sessions ended.\n` : `Account ${id} was already revoked.\n`,
  );
}

async function reset(backend: Backend, args: string[]) {
  const { positionals } = parseArgs({ args, options: {}, strict: true, allowPositionals: true });
  const [login, ...extra] = positionals;
  if (!login || extra.length > 0) throw new UsageError('reset takes exactly one login name');
  const done = await backend.reset(login);
  process.stderr.write(
    `Reset ${login}: its sessions ended; the new initial password must be changed at the next sign-in.\n`,
  );
  process.stdout.write(`initial password: ${done.initialPassword}\n`);
  if (done.otpauthUrl) process.stdout.write(`totp uri: ${done.otpauthUrl}\n`);
}

const COMMANDS = { 'create-admin': createAdmin, create, list, revoke, reset } as const;

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

/** Whether an API answers at `url` (the running `npm start`). */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/** The admin key `npm start` generated into DATA_DIR (scripts/start.ts), if any. */
function savedAdminKey(dataDir: string): string | undefined {
  const file = path.join(dataDir, 'admin-api-key');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() || undefined : undefined;
}

async function main(argv: string[]): Promise<number> {
  const picked = commandOf(argv, COMMANDS, USAGE);
  if (typeof picked === 'number') return picked;
  const { name: command, args } = picked;
  const config = loadConfig();
  const run = COMMANDS[command];
  if (!config.database.url) {
    // The embedded database of `npm start`: through its API while it runs, else opened here.
    const apiUrl = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}`;
    if (await answers(apiUrl)) {
      const key = config.adminApiKey ?? savedAdminKey(config.dataDir);
      if (!key) {
        process.stderr.write(
          `${apiUrl} 上的 API 正在运行，但找不到管理员密钥：请设置 ADMIN_API_KEY（npm start 启动时显示的“管理员密钥”）。\n`,
        );
        return 2;
      }
      if (command === 'reset') {
        process.stderr.write(
          'reset 直接修改数据库：请先停止 npm start（内置数据库只能由一个进程打开）再运行，或设置 DATABASE_URL。\n',
        );
        return 2;
      }
      await run(apiBackend(apiUrl, key), args);
      return 0;
    }
    if (!fs.existsSync(config.database.dataDir)) {
      process.stderr.write(
        `内置数据库 ${config.database.dataDir} 还不存在：请先运行一次 npm start（它会创建数据库和密钥），然后再运行本命令。\n`,
      );
      return 2;
    }
  }
  // Before the database is touched: a missing keyring stops create and reset with nothing changed.
  const keys =
    command === 'create' || command === 'create-admin' || command === 'reset' ? accountKeyring(config) : undefined;
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
