/**
 * `npm start`: the whole system in one process tree, with embedded defaults.
 *
 *   Temporal dev server (SQLite in DATA_DIR, Web UI on TEMPORAL_UI_PORT)  — unless TEMPORAL_ADDRESS
 *   PGlite database in DATA_DIR + migrations                               — unless DATABASE_URL
 *   worker + API in this process
 *
 * Prints the API URL, the Temporal UI URL and an admin key. Ctrl-C / SIGTERM stops everything:
 * API, worker (draining its tasks), database, then the dev server, which it waits for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { serveApi } from '../api/server.ts';
import { ensureConsoleBuilt } from '../console/scripts/build.ts';
import { openDatabase } from '../db/client.ts';
import { warnCalendarCoverage } from '../db/calendar.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { webhookStore } from '../db/queries/webhooks.ts';
import { prepareDatabase } from '../db/seed.ts';
import { adminKeyLine, BANNER_LAST } from './banner.ts';
import { CONTROL_SOCKET, serveBackupControl } from '../db/backup-control.ts';
import { DEV_SERVER_SQLITE_ARGS, snapshotDatabases } from '../db/backup-snapshot.ts';
import type { ActivityDeps } from '../activities/index.ts';
import {
  ConfigError,
  documentKeyring,
  loadConfig,
  payloadConverter,
  webhookPolicy,
  type Config,
} from '../lib/config.ts';
import { createLogger } from '../lib/logger.ts';
import { connectClient, connectWorker } from '../lib/temporal.ts';
import { createProjectWorker } from '../worker.ts';
import { createWebhookDispatcher } from '../lib/webhooks.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { DEV_SERVER_ARGS, resolveDevServer } from './temporal-bin.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
/** The console's lines in one language: zh-CN by default, English with BDP_LANG=en. */
const en = (process.env.BDP_LANG ?? '').toLowerCase().startsWith('en');
const t = (zh: string, english: string) => (en ? english : zh);
let stopping = false;

const LEVELS: Record<number, [string, string]> = {
  10: ['跟踪', 'trace'],
  20: ['调试', 'debug'],
  30: ['信息', 'info'],
  40: ['警告', 'warn'],
  50: ['错误', 'error'],
  60: ['严重错误', 'fatal'],
};
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'requestId']);

/**
 * The structured log as the person at the terminal reads it: one line per entry, the time (UTC+8),
 * the level, the message and its plain fields (a request as method, path, status and duration) —
 * never the raw JSON. The API and worker run as services (api/server.ts) keep JSON lines.
 */
function readableLog(out: NodeJS.WritableStream) {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const time = new Date(Number(entry.time) + 8 * 3600_000).toISOString().slice(11, 19);
      if (entry.msg === 'request') {
        out.write(
          `  ${time} ${String(entry.method)} ${String(entry.path)} → ${String(entry.status)}（${String(entry.durationMs)} ms）\n`,
        );
        return;
      }
      const level = LEVELS[Number(entry.level)]?.[en ? 1 : 0] ?? String(entry.level);
      const fields = Object.entries(entry).flatMap(([k, v]) => {
        if (OMITTED.has(k) || v === null || v === undefined) return [];
        if (k === 'err' && typeof v === 'object') return [`${k}=${String((v as { message?: string }).message ?? '')}`];
        return typeof v === 'object' ? [] : [`${k}=${v as string | number | boolean}`]; // a JSON line's scalar
      });
      out.write(
        `  ${time} ${level} ${String((entry.msg as string | undefined) ?? '')}${fields.length > 0 ? `（${fields.join('，')}）` : ''}\n`,
      );
    },
  };
}

/** Cleanup steps, run in reverse order of registration on shutdown. */
const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];

function adminKey(config: Config): { key: string; source: string } {
  if (config.adminApiKey)
    return { key: config.adminApiKey, source: t('来自环境变量 ADMIN_API_KEY', 'from ADMIN_API_KEY') };
  // Kept in DATA_DIR so the key survives restarts; readable by the owner only.
  const file = path.join(config.dataDir, 'admin-api-key');
  if (fs.existsSync(file))
    return { key: fs.readFileSync(file, 'utf8').trim(), source: t(`保存在 ${file}`, `from ${file}`) };
  const key = `admin_${randomBytes(32).toString('base64url')}`;
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: t(`本次新生成，保存在 ${file}`, `new, saved in ${file}`) };
}

const searchAttributeArgs = () =>
  PROJECT_SEARCH_ATTRIBUTES.flatMap((k) => [
    '--search-attribute',
    `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`,
  ]);

/** The API as a browser on this machine reaches it (a wildcard bind address is not a URL host). */
const browserApiUrl = (config: Config) => {
  const host = ['0.0.0.0', '::', ''].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
};

/** Runs `temporal server start-dev` as a child process; resolves once it has been spawned. */
function spawnDevServer(cli: string, config: Config): ChildProcess {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(config.temporal.port),
    '--ui-port',
    String(config.temporal.uiPort),
    '--db-filename',
    path.join(config.dataDir, 'temporal.sqlite'),
    '--namespace',
    config.temporal.namespace,
    '--log-level',
    'warn',
    // Art. 28: the UI decrypts payloads through the API's admin-only codec endpoint (api/routes/codec.ts).
    '--ui-codec-endpoint',
    `${browserApiUrl(config)}/codec`,
    ...searchAttributeArgs(),
    ...DEV_SERVER_ARGS,
    // docs/BACKUP.md: `npm run backup` reads it while it runs.
    ...DEV_SERVER_SQLITE_ARGS,
  ];
  say(`▸ ${t('Temporal 开发服务器', 'Temporal dev server')}: ${cli} ${args.slice(0, 10).join(' ')} …`);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => {
    if (stopping) return; // its shutdown chatter (closed pollers) is expected and not news
    for (const line of chunk.toString().split('\n')) if (line.trim()) process.stderr.write(`[temporal] ${line}\n`);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  return child;
}

function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts (or finds) Temporal; returns its address and UI URL. */
async function startTemporal(config: Config): Promise<{ address: string; uiUrl: string | undefined }> {
  if (config.temporal.address) {
    say(`▸ Temporal: ${t('使用', 'using')} TEMPORAL_ADDRESS=${config.temporal.address}`);
    return { address: config.temporal.address, uiUrl: config.temporal.uiUrl };
  }
  const executable = await resolveDevServer({ log: (l) => say(`  ${l}`) });
  const uiUrl = `http://127.0.0.1:${config.temporal.uiPort}`;
  if (executable.type === 'existing-path') {
    const child = spawnDevServer(executable.path, config);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `the Temporal dev server exited (${code ?? signal}) before it was ready; is port ${config.temporal.port} or ${config.temporal.uiPort} in use?`,
          ),
        ),
      ),
    );
    exited.catch(() => {}); // only raced below
    cleanups.push({ name: t('Temporal 开发服务器', 'Temporal dev server'), run: () => stopChild(child) });
    const address = `127.0.0.1:${config.temporal.port}`;
    const probe = await Promise.race([connectClient(address, config.temporal.namespace, 120_000), exited]);
    await probe.connection.close();
    return { address, uiUrl };
  }
  // Last resort on a machine with internet: the SDK downloads and runs the dev server itself.
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: config.temporal.port,
      ui: true,
      uiPort: config.temporal.uiPort,
      dbFilename: path.join(config.dataDir, 'temporal.sqlite'),
      namespace: config.temporal.namespace,
      searchAttributes: [...PROJECT_SEARCH_ATTRIBUTES],
      extraArgs: [...DEV_SERVER_ARGS, ...DEV_SERVER_SQLITE_ARGS],
    },
  });
  cleanups.push({ name: t('Temporal 开发服务器', 'Temporal dev server'), run: () => env.teardown() });
  return { address: `127.0.0.1:${config.temporal.port}`, uiUrl };
}

/** Whatever the workflows are doing, the process is gone this long after a stop was asked for. */
const SHUTDOWN_LIMIT_MS = 25_000;

async function shutdown(reason: string, code: number): Promise<never> {
  say(`\n▸ ${t('正在停止', 'stopping')} (${reason})…`);
  setTimeout(() => {
    say(
      t(
        `  ${SHUTDOWN_LIMIT_MS / 1000} 秒后仍未停止：立即退出`,
        `  still stopping after ${SHUTDOWN_LIMIT_MS / 1000} s: exiting now`,
      ),
    );
    process.exit(code || 1);
  }, SHUTDOWN_LIMIT_MS).unref();
  for (const step of cleanups.reverse()) {
    try {
      await step.run();
      say(`  ${t('已停止', 'stopped')} ${step.name}`);
    } catch (err) {
      say(`  ${step.name}: ${(err as Error).message}`);
    }
  }
  process.exit(code);
}

/** What a test may change of `npm start` (test/faults/fast-clock-start.ts: the faster deadline clock). */
export interface StartOptions {
  deadlineDates?: ActivityDeps['deadlineDates'];
}

async function main(options: StartOptions) {
  const started = Date.now();
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  // This script orchestrates shutdown itself, in order; the SDK must not react to signals on its own.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const log = createLogger(config.logLevel, 'bdp', readableLog(process.stdout));
  const admin = adminKey(config);

  // The web console (console/): built when missing or out of date (sources hashed), served at `/`.
  const consoleBuild = await ensureConsoleBuilt({ log: (l) => say(`▸ ${l}`) }).catch((err: unknown) => ({
    built: false,
    skipped: `build failed: ${err instanceof Error ? err.message : String(err)}`,
  }));
  if (consoleBuild.skipped)
    say(t(`▸ 网页控制台不可用（${consoleBuild.skipped}）`, `▸ console: not available (${consoleBuild.skipped})`));

  const temporal = await startTemporal(config);

  say(
    config.database.url
      ? t('▸ 数据库：PostgreSQL（DATABASE_URL）', '▸ database: PostgreSQL (DATABASE_URL)')
      : t(
          `▸ 数据库：内置 PGlite，位于 ${config.database.dataDir}`,
          `▸ database: embedded PGlite in ${config.database.dataDir}`,
        ),
  );
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  cleanups.push({ name: t('数据库', 'database'), run: () => database.close() });
  await prepareDatabase(database);
  // docs/MEASURES.md "Working days": warns from November while next year's notice is missing.
  // The warning is this line (the JSON log of it would repeat it among the readable ones).
  const calendar = await warnCalendarCoverage(database.db, { warn() {} });
  const missing = calendar.warning ? calendar.years.at(-1)?.year : undefined;
  if (missing) {
    say(
      t(
        `▸ 工作日历：${missing}年国务院节假日安排通知尚未录入，该年工作日暂按法定节假日推算；请管理员在网页控制台“系统管理 › 工作日历”中录入。`,
        `▸ calendar: the State Council's holiday notice for ${missing} is not entered; its working days are provisional (law only). An admin enters it under 系统管理 › 工作日历.`,
      ),
    );
  }

  // Art. 28: payloads encrypted in Temporal; the keyring is generated once into DATA_DIR if unset.
  const dataConverter = payloadConverter(config, config.dataDir);
  const keySource = config.payload.keys ? 'PAYLOAD_KEYS' : path.join(config.dataDir, 'payload-keys');
  say(
    config.payload.cipher === 'none'
      ? t('▸ 工作流数据：未加密（PAYLOAD_CIPHER=none）', '▸ payloads: not encrypted (PAYLOAD_CIPHER=none)')
      : t(
          `▸ 工作流数据：${config.payload.cipher.toUpperCase()} 加密（密钥：${keySource}）`,
          `▸ payloads: ${config.payload.cipher} encrypted (${keySource})`,
        ),
  );
  const workerConnection = await connectWorker(temporal.address);
  cleanups.push({ name: t('工作进程连接', 'worker connection'), run: () => workerConnection.close() });
  say(t('▸ 工作进程：正在打包工作流…', '▸ worker: bundling workflows…'));
  const worker = await createProjectWorker({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: database.db,
    dataConverter,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    deadlineDates: options.deadlineDates,
  });
  const running = worker.run();
  running.catch((err) => void shutdown(`worker failed: ${(err as Error).message}`, 1));
  cleanups.push({
    name: t('工作进程', 'worker'),
    run: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
    },
  });

  const client = await connectClient(temporal.address, config.temporal.namespace, 60_000, dataConverter);
  cleanups.push({ name: t('Temporal 客户端', 'Temporal client'), run: () => client.connection.close() });
  const api = await serveApi({
    config: { ...config, adminApiKey: admin.key, temporal: { ...config.temporal, uiUrl: temporal.uiUrl } },
    database,
    temporal: client,
    log,
    payloadCodec: dataConverter?.payloadCodecs[0],
    documentKeys: documentKeyring(config, config.dataDir),
  });
  cleanups.push({ name: t('接口服务', 'API'), run: () => api.close() });

  // `npm run backup` (docs/BACKUP.md): the process owning PGlite's one connection takes the snapshot;
  // the socket in DATA_DIR is the owner's only. Only with the embedded Temporal dev server.
  if (!config.temporal.address) {
    const temporalDb = path.join(config.dataDir, 'temporal.sqlite');
    const socketPath = path.join(config.dataDir, CONTROL_SOCKET);
    try {
      const control = await serveBackupControl(socketPath, (out, settleMs) =>
        snapshotDatabases({ raw: database.raw, temporalDb, out, settleMs }),
      );
      cleanups.push({ name: t('备份控制端口', 'backup socket'), run: () => control.close() });
    } catch (err) {
      // A DATA_DIR path too long for a Unix socket (about 100 bytes), say: the system runs, backups wait for a stop.
      say(
        t(
          `▸ 在线备份不可用（${socketPath}：${(err as Error).message}）；停止后可离线备份`,
          `▸ online backup unavailable (${socketPath}: ${(err as Error).message}); back up while stopped`,
        ),
      );
    }
  }

  const webhooks = createWebhookDispatcher({
    store: webhookStore(database.db),
    log,
    policy: webhookPolicy({ ...config, temporal: { ...config.temporal, uiUrl: temporal.uiUrl } }),
  });
  webhooks.start();
  cleanups.push({ name: t('Webhook 推送', 'webhook delivery'), run: () => webhooks.stop() });

  // The banner, in one language (zh-CN; English with BDP_LANG=en). Scripts read its labels:
  // 已启动 / is running, 接口地址 / API, 管理员密钥 / Admin key; they wait for BANNER_LAST.
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const admins = (await listAccounts(database.db)).filter((a) => a.role === 'secadmin' && !a.revokedAt).length;
  // How to reach this instance from another terminal: the settings that differ from the defaults.
  const env = [
    config.dataDir !== '.data' ? `DATA_DIR=${config.dataDir}` : '',
    config.api.port !== 3000 ? `PORT=${config.api.port}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const createAdmin = `${env ? `${env} ` : ''}npm run accounts -- create-admin --login <${t('登录名', 'login')}> --name <${t('姓名', 'name')}>`;
  // One write, so a reader of the pipe never sees the first line without the rest (CI read
  // 已启动 before the admin key line had arrived).
  const banner: string[] = [''];
  const line = (text: string) => banner.push(text);
  if (en) {
    line(`✔ Jincheng big-data projects is running (${seconds} s)`);
    if (!consoleBuild.skipped) line(`  Console      ${api.url}/   (public notices: ${api.url}/public)`);
    line(`  API          ${api.url}   (OpenAPI: ${api.url}/openapi.json, docs: ${api.url}/docs)`);
    line(`  Temporal UI  ${temporal.uiUrl ?? '(set TEMPORAL_UI_URL to show it here)'}`);
    if (dataConverter)
      line(
        `               decrypted payloads: sign in at ${api.url}/codec/session; UI Codec Server: browser setting, ${api.url}/codec, "Include cross-origin credentials"`,
      );
    line(
      `  Temporal     ${temporal.address}  namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue}`,
    );
    line(adminKeyLine(admin, true));
    if (admins === 0)
      line(`  Next step: create the first security administrator (in another terminal): ${createAdmin}`);
    line(`  ${BANNER_LAST.en}`);
  } else {
    line(`✔ 晋城市政务大数据项目管理系统已启动（${seconds} 秒）`);
    if (!consoleBuild.skipped) line(`  网页控制台    ${api.url}/   （资金分配公示：${api.url}/public）`);
    line(`  接口地址      ${api.url}   （接口文档：${api.url}/docs）`);
    line(`  Temporal 界面 ${temporal.uiUrl ?? '（设置 TEMPORAL_UI_URL 后在此显示）'}`);
    if (dataConverter)
      line(
        `                查看解密的工作流数据：先在 ${api.url}/codec/session 登录；界面的 Codec Server 设置选“浏览器”，地址填 ${api.url}/codec，并勾选跨域凭据`,
      );
    line(
      `  Temporal 服务 ${temporal.address}（命名空间 ${config.temporal.namespace}，任务队列 ${config.temporal.taskQueue}）`,
    );
    line(adminKeyLine(admin, false));
    if (admins === 0) {
      line('  下一步：另开一个终端，创建第一个安全管理员账户：');
      line(`    ${createAdmin}`);
      line(
        `    命令显示初始密码和身份验证器密钥；用它们在 ${api.url}/ 登录，再在“安全管理”中创建系统管理员、审计管理员和各单位人员的账户（三员分立）。`,
      );
    }
    line(`  ${BANNER_LAST.zh}`);
  }
  process.stdout.write(`${banner.join('\n')}\n`);
}

/** Runs `npm start` in this process: stops everything in order on SIGINT/SIGTERM. */
export function runStart(options: StartOptions = {}): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutdown(signal, 0);
    });
  }

  main(options).catch((err) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error(`${t('启动失败', 'start failed')}: ${err instanceof Error ? err.message : err}`);
    void shutdown(t('启动失败', 'start failed'), 1);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runStart();
