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
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { serveApi } from '../api/server.ts';
import { ensureConsoleBuilt } from '../console/scripts/build.ts';
import { openDatabase } from '../db/client.ts';
import { warnCalendarCoverage } from '../db/calendar.ts';
import { prepareDatabase } from '../db/seed.ts';
import { adminKeyLine } from './banner.ts';
import { ConfigError, documentKeyring, loadConfig, payloadConverter, webhookPolicy, type Config } from '../lib/config.ts';
import { createLogger } from '../lib/logger.ts';
import { connectClient, connectWorker } from '../lib/temporal.ts';
import { createProjectWorker } from '../worker.ts';
import { createWebhookDispatcher } from '../lib/webhooks.ts';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { DEV_SERVER_ARGS, resolveDevServer } from './temporal-bin.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);
let stopping = false;

/** Cleanup steps, run in reverse order of registration on shutdown. */
const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];

function adminKey(config: Config): { key: string; source: string } {
  if (config.adminApiKey) return { key: config.adminApiKey, source: 'ADMIN_API_KEY' };
  // Kept in DATA_DIR so the key survives restarts; readable by the owner only.
  const file = path.join(config.dataDir, 'admin-api-key');
  if (fs.existsSync(file)) return { key: fs.readFileSync(file, 'utf8').trim(), source: file };
  const key = `admin_${randomBytes(32).toString('base64url')}`;
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, source: `${file} (new)` };
}

const searchAttributeArgs = () =>
  PROJECT_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`]);

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
  ];
  say(`▸ Temporal dev server: ${cli} ${args.slice(0, 10).join(' ')} …`);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => {
    if (stopping) return; // its shutdown chatter (closed pollers) is expected and not news
    for (const line of chunk.toString().split('\n')) if (line.trim()) process.stderr.write(`[temporal] ${line}\n`);
  };
  child.stdout!.on('data', forward);
  child.stderr!.on('data', forward);
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
    say(`▸ Temporal: using TEMPORAL_ADDRESS=${config.temporal.address}`);
    return { address: config.temporal.address, uiUrl: config.temporal.uiUrl };
  }
  const executable = await resolveDevServer({ log: (l) => say(`  ${l}`) });
  const uiUrl = `http://127.0.0.1:${config.temporal.uiPort}`;
  if (executable.type === 'existing-path') {
    const child = spawnDevServer(executable.path, config);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`the Temporal dev server exited (${code ?? signal}) before it was ready; is port ${config.temporal.port} or ${config.temporal.uiPort} in use?`)),
      ),
    );
    exited.catch(() => {}); // only raced below
    cleanups.push({ name: 'Temporal dev server', run: () => stopChild(child) });
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
      extraArgs: [...DEV_SERVER_ARGS],
    },
  });
  cleanups.push({ name: 'Temporal dev server', run: () => env.teardown() });
  return { address: `127.0.0.1:${config.temporal.port}`, uiUrl };
}

/** Whatever the workflows are doing, the process is gone this long after a stop was asked for. */
const SHUTDOWN_LIMIT_MS = 25_000;

async function shutdown(reason: string, code: number): Promise<never> {
  say(`\n▸ stopping (${reason})…`);
  setTimeout(() => {
    say(`  still stopping after ${SHUTDOWN_LIMIT_MS / 1000} s: exiting now`);
    process.exit(code || 1);
  }, SHUTDOWN_LIMIT_MS).unref();
  for (const step of cleanups.reverse()) {
    try {
      await step.run();
      say(`  stopped ${step.name}`);
    } catch (err) {
      say(`  ${step.name}: ${(err as Error).message}`);
    }
  }
  process.exit(code);
}

async function main() {
  const started = Date.now();
  const config = loadConfig();
  fs.mkdirSync(config.dataDir, { recursive: true });
  // This script orchestrates shutdown itself, in order; the SDK must not react to signals on its own.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const log = createLogger(config.logLevel, 'bdp');
  const admin = adminKey(config);

  // The web console (console/): built when missing or out of date (sources hashed), served at `/`.
  const consoleBuild = await ensureConsoleBuilt({ log: (l) => say(`▸ ${l}`) }).catch((err: unknown) => ({ built: false, skipped: `build failed: ${err instanceof Error ? err.message : String(err)}` }));
  if (consoleBuild.skipped) say(`▸ console: not available (${consoleBuild.skipped})`);

  const temporal = await startTemporal(config);

  say(`▸ database: ${config.database.url ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.database.dataDir}`}`);
  const database = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  cleanups.push({ name: 'database', run: () => database.close() });
  await prepareDatabase(database);
  // shared/DOMAIN.md "Working days": warns from November while next year's notice is missing.
  const calendar = await warnCalendarCoverage(database.db, log);
  if (calendar.warning) say(`▸ calendar: ${calendar.warning}`);

  // Art. 28: payloads encrypted in Temporal; the keyring is generated once into DATA_DIR if unset.
  const dataConverter = payloadConverter(config, config.dataDir);
  say(`▸ payloads: ${config.payload.cipher === 'none' ? 'not encrypted (PAYLOAD_CIPHER=none)' : `${config.payload.cipher} encrypted (${config.payload.keys ? 'PAYLOAD_KEYS' : path.join(config.dataDir, 'payload-keys')})`}`);
  const workerConnection = await connectWorker(temporal.address);
  cleanups.push({ name: 'worker connection', run: () => workerConnection.close() });
  say('▸ worker: bundling workflows…');
  const worker = await createProjectWorker({
    connection: workerConnection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    db: database.db,
    dataConverter,
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
  });
  const running = worker.run();
  running.catch((err) => void shutdown(`worker failed: ${(err as Error).message}`, 1));
  cleanups.push({
    name: 'worker',
    run: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => {});
    },
  });

  const client = await connectClient(temporal.address, config.temporal.namespace, 60_000, dataConverter);
  cleanups.push({ name: 'Temporal client', run: () => client.connection.close() });
  const api = await serveApi({ config: { ...config, adminApiKey: admin.key, temporal: { ...config.temporal, uiUrl: temporal.uiUrl } }, database, temporal: client, log, payloadCodec: dataConverter?.payloadCodecs[0], documentKeys: documentKeyring(config, config.dataDir) });
  cleanups.push({ name: 'API', run: () => api.close() });

  const webhooks = createWebhookDispatcher({ db: database.db, log, policy: webhookPolicy({ ...config, temporal: { ...config.temporal, uiUrl: temporal.uiUrl } }) });
  webhooks.start();
  cleanups.push({ name: 'webhook delivery', run: () => webhooks.stop() });

  // The banner's user-facing lines: zh-CN by default, English with BDP_LANG=en. The labels (API,
  // Temporal UI, Temporal, Admin key) stay as they are: scripts read them.
  const en = (process.env.BDP_LANG ?? '').toLowerCase().startsWith('en');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say('');
  say(en ? `✔ Jincheng big-data projects is running (${seconds} s)` : `✔ 晋城市政务大数据项目管理系统已启动 is running（${seconds} 秒）`);
  say(`  API          ${api.url}   (OpenAPI: ${api.url}/openapi.json)`);
  if (!consoleBuild.skipped) say(`  Console      ${api.url}/   (${en ? 'web console, zh-CN; public notices at' : '网页控制台；资金分配公示'} ${api.url}/public)`);
  say(`  Temporal UI  ${temporal.uiUrl ?? (en ? '(set TEMPORAL_UI_URL to show it here)' : '（设置 TEMPORAL_UI_URL 后在此显示）')}`);
  if (dataConverter) {
    say(
      en
        ? `               decrypted payloads: sign in at ${api.url}/codec/session; UI Codec Server settings: browser setting, ${api.url}/codec, "Include cross-origin credentials"`
        : `               查看解密数据：先在 ${api.url}/codec/session 登录；UI 的 Codec Server 设置选浏览器方式，填 ${api.url}/codec，勾选 "Include cross-origin credentials"`,
    );
  }
  say(`  Temporal     ${temporal.address}  namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue}`);
  say(adminKeyLine(admin, en));
  say(en ? '  Ctrl-C stops everything.' : '  按 Ctrl-C 停止全部服务。');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void shutdown(signal, 0);
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(`start failed: ${err instanceof Error ? err.message : err}`);
  void shutdown('start failed', 1);
});
