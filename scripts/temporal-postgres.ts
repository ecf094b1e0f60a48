/**
 * The production persistence without Docker: a real Temporal server (`temporal-server`, built by
 * scripts/temporal-bin.ts) on PostgreSQL, as docker-compose.yml runs it, for benchmarks, fault tests
 * and a machine without containers.
 *
 *   startTemporalPostgres({ databaseUrl })  → { address, ports, stop(), kill() }
 *
 * On the PostgreSQL server of `databaseUrl` it creates the default store and the visibility store
 * (`temporal`, `temporal_visibility` unless told otherwise) when missing, sets their schema up
 * (`temporal-sql-tool --plugin postgres12 … setup-schema -v 0.0`, only when there is none yet) and
 * migrates it (`update-schema -d <versioned dir>`: only the versions not yet applied), writes a server
 * config from the module's `config/development-postgres12.yaml` (every port chosen free unless given,
 * the persistence pointing at the URL), starts `temporal-server --root <dir> --config config --env
 * temporal --allow-no-auth start`, waits until the frontend answers, creates the namespace when
 * missing and registers the search attributes of workflows/search-attributes.ts through the operator
 * service. `stop()` sends SIGTERM and waits for the exit (SIGKILL after `stopGraceMs`).
 *
 * CLI (DATABASE_URL must be set; state, config and log in `.data/temporal-postgres`):
 *   npm run temporal:postgres -- start [--port 7233]   # runs in the background, prints the address
 *   npm run temporal:postgres -- stop
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import postgres from 'postgres';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';
import { resolveServerTools, type ServerTools } from './temporal-bin.ts';
import {
  choosePorts,
  DYNAMIC_CONFIG,
  parseUrl,
  renderConfig,
  type ServerPorts,
  type TemporalDatabases,
} from './temporal-postgres-config.ts';

const execFileAsync = promisify(execFile);

export interface TemporalPostgresOptions {
  /** postgres://user[:password]@host[:port]/db — the server whose databases Temporal uses. */
  databaseUrl: string;
  databases?: TemporalDatabases;
  /** Where the config and the server log go (default: a new directory in the OS temp dir, removed by stop()). */
  stateDir?: string;
  /** Fixed ports (a restart on the same address); the others are chosen free. */
  ports?: Partial<ServerPorts>;
  namespace?: string;
  /** Server log level (default warn). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait for the frontend and the namespace (default 120 s). */
  readyTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this long (default 30 s). */
  stopGraceMs?: number;
  /** Run the server in its own process group and let this process exit without it (the CLI). */
  detached?: boolean;
  log?: (line: string) => void;
  tools?: ServerTools;
}

export interface TemporalPostgres {
  /** host:port of the frontend (gRPC). */
  address: string;
  ports: ServerPorts;
  databases: TemporalDatabases;
  stateDir: string;
  logFile: string;
  pid: number;
  process: ChildProcess;
  /** SIGTERM, then waits until the server has exited. */
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL for a crash) and waits until the server has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export const DEFAULT_DATABASES: TemporalDatabases = { default: 'temporal', visibility: 'temporal_visibility' };
const defaultLog = (line: string) => process.stderr.write(`[temporal-postgres] ${line}\n`);
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const withDatabase = (databaseUrl: string, db: string) => {
  const u = new URL(databaseUrl);
  u.pathname = `/${db}`;
  return u.toString();
};

/** Creates the databases when missing and sets up or migrates their schema with temporal-sql-tool. */
export async function prepareTemporalDatabases(
  databaseUrl: string,
  databases: TemporalDatabases,
  tools: ServerTools,
  log: (line: string) => void = defaultLog,
): Promise<void> {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const db of [databases.default, databases.visibility]) {
      const [found] = await admin`select 1 as one from pg_database where datname = ${db}`;
      if (found) continue;
      try {
        await admin.unsafe(`create database ${quoteIdent(db)}`);
        log(`created database ${db}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by someone else
      }
    }
  } finally {
    await admin.end();
  }
  const { host, port, user, password } = parseUrl(databaseUrl);
  for (const [db, part] of [
    [databases.default, 'temporal'],
    [databases.visibility, 'visibility'],
  ] as const) {
    const sql = postgres(withDatabase(databaseUrl, db), { max: 1, onnotice: () => {} });
    let hasSchema: boolean;
    try {
      const [row] = await sql`select to_regclass('public.schema_version') is not null as present`;
      hasSchema = Boolean(row?.present);
    } finally {
      await sql.end();
    }
    const base = [
      '--plugin',
      'postgres12',
      '--endpoint',
      host,
      '--port',
      String(port),
      '--user',
      user,
      '--password',
      password,
      '--database',
      db,
    ];
    const tool = async (args: string[]) => {
      try {
        await execFileAsync(tools.sqlTool, [...base, ...args], { maxBuffer: 16 * 2 ** 20 });
      } catch (err) {
        const e = err as { stderr?: string; stdout?: string; message: string };
        throw new Error(
          `temporal-sql-tool ${args.join(' ')} on ${db} failed: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-5).join('\n')}`,
        );
      }
    };
    if (!hasSchema) await tool(['setup-schema', '-v', '0.0']);
    await tool(['update-schema', '-d', path.join(tools.postgresSchemaDir, part, 'versioned')]);
    log(`schema of ${db}: ${hasSchema ? 'migrated' : 'set up'} (${part}/versioned)`);
  }
}

/** Drops the databases (a benchmark's or a test's own); the server using them must be stopped. */
export async function dropTemporalDatabases(databaseUrl: string, databases: TemporalDatabases): Promise<void> {
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const db of [databases.default, databases.visibility])
      await admin.unsafe(`drop database if exists ${quoteIdent(db)} with (force)`);
  } finally {
    await admin.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const grpcCode = (err: unknown) => (err as { code?: number }).code;
const ALREADY_EXISTS = 6;

/** Creates the namespace when missing and registers the project's search attributes. */
async function prepareNamespace(
  connection: Connection,
  namespace: string,
  deadline: number,
  log: (l: string) => void,
): Promise<void> {
  const ws = connection.workflowService;
  try {
    await ws.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
    log(`namespace ${namespace} created`);
  } catch (err) {
    if (grpcCode(err) !== ALREADY_EXISTS) throw err;
  }
  const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
  const types = Object.fromEntries(
    PROJECT_SEARCH_ATTRIBUTES.map((k) => [
      k.name,
      IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}` as keyof typeof IndexedValueType],
    ]),
  );
  // The frontend knows a new namespace once its namespace cache refreshed (up to ~10 s).
  for (let attempt = 0; ; attempt++) {
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.fromEntries(
        Object.entries(types).filter(([name]) => customAttributes?.[name] === undefined),
      );
      if (Object.keys(missing).length) {
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
        log(`search attributes registered: ${Object.keys(missing).join(', ')}`);
      }
      // Usable in a visibility query (mapped to the store's columns) before anyone starts workflows.
      await ws.listWorkflowExecutions({
        namespace,
        pageSize: 1,
        query: PROJECT_SEARCH_ATTRIBUTES.map((k) => `${k.name} IS NULL`).join(' AND '),
      });
      return;
    } catch (err) {
      if (grpcCode(err) === ALREADY_EXISTS) continue;
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} not usable: ${(err as Error).message}`);
      if (attempt % 10 === 9) log(`waiting for namespace ${namespace}: ${(err as Error).message}`);
      await sleep(500);
    }
  }
}

export async function startTemporalPostgres(options: TemporalPostgresOptions): Promise<TemporalPostgres> {
  const log = options.log ?? defaultLog;
  const tools = options.tools ?? (await resolveServerTools({ log }));
  const databases = options.databases ?? DEFAULT_DATABASES;
  const namespace = options.namespace ?? 'default';
  const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-temporal-pg-'));
  const started = Date.now();
  await prepareTemporalDatabases(options.databaseUrl, databases, tools, log);
  const ports = await choosePorts(options.ports);
  const configDir = path.join(stateDir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfigFile, DYNAMIC_CONFIG);
  const config = renderConfig(fs.readFileSync(tools.postgresConfigTemplate, 'utf8'), {
    databaseUrl: options.databaseUrl,
    databases,
    ports,
    dynamicConfigFile,
    logLevel: options.logLevel ?? 'warn',
  });
  fs.writeFileSync(path.join(configDir, 'temporal.yaml'), config, { mode: 0o600 }); // holds the password
  const logFile = path.join(stateDir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    tools.server,
    ['--root', stateDir, '--config', 'config', '--env', 'temporal', '--allow-no-auth', 'start'],
    {
      stdio: ['ignore', out, out],
      detached: options.detached ?? false,
    },
  );
  fs.closeSync(out);
  const address = `127.0.0.1:${ports.frontend}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (isRunning()) child.kill(signal);
    await exited;
  };
  const stop = async () => {
    if (!isRunning()) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs ?? 30_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    if (!options.stateDir) fs.rmSync(stateDir, { recursive: true, force: true }); // our own temp dir
  };
  const tail = () =>
    fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .slice(-6)
      .map((l) => l.slice(0, 400))
      .join('\n');
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  try {
    let connection: Connection | undefined;
    while (!connection) {
      if (!isRunning())
        throw new Error(
          `temporal-server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail()}`,
        );
      if (Date.now() > deadline) throw new Error(`temporal-server did not answer on ${address}:\n${tail()}`);
      try {
        const c = await Connection.connect({ address, connectTimeout: 2_000 });
        try {
          await c.withDeadline(Date.now() + 2_000, () => c.workflowService.getSystemInfo({}));
          connection = c;
        } catch (err) {
          await c.close();
          throw err;
        }
      } catch {
        await sleep(250);
      }
    }
    try {
      await prepareNamespace(connection, namespace, deadline, log);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await kill('SIGKILL');
    throw err;
  }
  if (options.detached) child.unref();
  log(
    `Temporal server ${path.basename(tools.server)} on PostgreSQL (${databases.default}, ${databases.visibility}) at ${address}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s; log ${logFile}`,
  );
  return { address, ports, databases, stateDir, logFile, pid: child.pid!, process: child, stop, kill };
}

// ---- CLI ------------------------------------------------------------------------------------------

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function cli(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'state-dir': { type: 'string', default: path.resolve(process.env.DATA_DIR ?? '.data', 'temporal-postgres') },
      port: { type: 'string' },
      namespace: { type: 'string', default: 'default' },
    },
  });
  const stateDir = path.resolve(values['state-dir']);
  const pidFile = path.join(stateDir, 'server.pid');
  const command = positionals[0];
  if (command === 'start') {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl)
      throw new Error(
        'set DATABASE_URL (postgres://user:password@host:port/db) to the PostgreSQL server Temporal should use',
      );
    if (fs.existsSync(pidFile) && alive(Number(fs.readFileSync(pidFile, 'utf8')))) {
      console.log(
        `already running (pid ${fs.readFileSync(pidFile, 'utf8').trim()}); TEMPORAL_ADDRESS=${fs.readFileSync(path.join(stateDir, 'address'), 'utf8').trim()}`,
      );
      return;
    }
    fs.mkdirSync(stateDir, { recursive: true });
    const frontend = values.port ? Number(values.port) : (await portFree(7233)) ? 7233 : undefined;
    const server = await startTemporalPostgres({
      databaseUrl,
      stateDir,
      namespace: values.namespace,
      ports: frontend ? { frontend } : {},
      detached: true,
      log: (l) => console.log(`  ${l}`),
    });
    fs.writeFileSync(pidFile, `${server.pid}\n`);
    fs.writeFileSync(path.join(stateDir, 'address'), `${server.address}\n`);
    console.log(`✔ Temporal server on PostgreSQL running (pid ${server.pid}), namespace ${values.namespace}`);
    console.log(`  export TEMPORAL_ADDRESS=${server.address}`);
    console.log(`  log: ${server.logFile}; stop: npm run temporal:postgres -- stop`);
    process.exit(0);
  } else if (command === 'stop') {
    if (!fs.existsSync(pidFile)) {
      console.log(`not running (no ${pidFile})`);
      return;
    }
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    if (alive(pid)) {
      process.kill(pid, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (alive(pid) && Date.now() < deadline) await sleep(200);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      while (alive(pid)) await sleep(100);
    }
    fs.rmSync(pidFile, { force: true });
    console.log(`✔ stopped (pid ${pid})`);
  } else {
    console.error('usage: npm run temporal:postgres -- start [--port N] [--state-dir DIR] | stop [--state-dir DIR]');
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli().catch((err) => {
    console.error(`temporal-postgres: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
