/**
 * Finds (or makes) the two Temporal server binaries this project runs, without downloading
 * anything from outside the package registries:
 *
 * - dev server (`temporal server start-dev`: real server, SQLite persistence, Web UI):
 *   TEMPORAL_CLI_PATH → `temporal` on PATH → cached build → `go install` from the Go module proxy
 *   into the cache → the SDK's own download (needs internet; last resort).
 * - time-skipping test server (Java): TEMPORAL_TEST_SERVER_PATH → cached wrapper → Maven resolves
 *   io.temporal:temporal-test-server from scripts/temporal-test-server/pom.xml into the cache and a
 *   wrapper script is written → the SDK's own download.
 *
 * - production server on PostgreSQL (`temporal-server` and `temporal-sql-tool`, Temporal server
 *   TEMPORAL_SERVER_VERSION): TEMPORAL_SERVER_PATH / TEMPORAL_SQL_TOOL_PATH → cached build →
 *   `go install` from the Go module proxy into the cache, with the PostgreSQL schema and the config
 *   template copied from the module next to the binaries (scripts/temporal-postgres.ts runs them).
 *
 * `npm run temporal:setup` resolves both with progress output; tests and `npm start` call the
 * functions below. Binaries live in the cache (TEMPORAL_CACHE_DIR, default ~/.cache/jincheng-bdp/temporal),
 * never in the repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/**
 * The dev server's (`temporal server start-dev`) setting that differs from its own default: it
 * sets `system.forceSearchAttributesCacheRefreshOnRead` so that search attributes created while it
 * runs are usable at once, which makes every search-attribute read a database query — each
 * upsert a workflow task sends, each history page with an upsert event, each poll response. Ours
 * are registered when the server starts (`--search-attribute`), before any workflow runs, so the
 * cache can keep them: a command answered ~3-4 ms sooner (bench, BENCHMARKS.md).
 * temporal-server on PostgreSQL leaves it off too (scripts/temporal-postgres.ts).
 */
export const DEV_SERVER_ARGS = [
  '--dynamic-config-value',
  'system.forceSearchAttributesCacheRefreshOnRead=false',
] as const;

const here = path.dirname(fileURLToPath(import.meta.url));
const testServerPom = path.join(here, 'temporal-test-server', 'pom.xml');

/** What @temporalio/testing accepts as `server.executable`. */
export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines go here (default: stderr with a prefix). */
  log?: (line: string) => void;
  /** Build or fetch into the cache when nothing is found (default true). */
  allowInstall?: boolean;
}

const defaultLog = (line: string) => process.stderr.write(`[temporal-bin] ${line}\n`);

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_CACHE_DIR) return path.resolve(env.TEMPORAL_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'jincheng-bdp', 'temporal');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function hasCommand(command: string, args: string[], env: NodeJS.ProcessEnv): boolean {
  const result = spawnSync(command, args, { env, stdio: 'ignore' });
  return result.status === 0;
}

/** Runs a command, streaming its output as progress lines; rejects on a non-zero exit. */
function run(
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; log: (l: string) => void },
) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => {
      const text = chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      for (const line of text.split('\n')) if (line.trim()) opts.log(`  ${line}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

export async function resolveDevServer(options: ResolveOptions = {}): Promise<ServerExecutable> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    log(`dev server: TEMPORAL_CLI_PATH → ${env.TEMPORAL_CLI_PATH}`);
    return { type: 'existing-path', path: env.TEMPORAL_CLI_PATH };
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) {
    log(`dev server: temporal on PATH → ${fromPath}`);
    return { type: 'existing-path', path: fromPath };
  }
  const dir = path.join(cacheDir(env), `cli-${TEMPORAL_CLI_VERSION.replace(/^v/, '')}`);
  const cached = path.join(dir, 'temporal');
  if (isExecutable(cached)) {
    log(`dev server: cached build → ${cached}`);
    return { type: 'existing-path', path: cached };
  }
  if (options.allowInstall !== false && hasCommand('go', ['version'], env)) {
    log(`dev server: building Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (a few minutes, once)…`);
    fs.mkdirSync(cacheDir(env), { recursive: true });
    const staging = fs.mkdtempSync(path.join(cacheDir(env), '.cli-build-'));
    try {
      const started = Date.now();
      await run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
        env: { ...env, GOBIN: staging },
        cwd: staging, // outside any module, so go install uses the pinned version
        log,
      });
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(path.join(staging, 'temporal'), cached); // atomic: never a half-written binary
      log(`dev server: built in ${((Date.now() - started) / 1000).toFixed(0)} s → ${cached}`);
      return { type: 'existing-path', path: cached };
    } catch (err) {
      log(`dev server: go install failed (${(err as Error).message}); falling back to the SDK download`);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  log('dev server: using the SDK download (needs internet access)');
  return { type: 'cached-download' };
}

export async function resolveTestServer(options: ResolveOptions = {}): Promise<ServerExecutable> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  if (env.TEMPORAL_TEST_SERVER_PATH) {
    if (!isExecutable(env.TEMPORAL_TEST_SERVER_PATH)) {
      throw new Error(`TEMPORAL_TEST_SERVER_PATH=${env.TEMPORAL_TEST_SERVER_PATH} is not an executable file`);
    }
    log(`test server: TEMPORAL_TEST_SERVER_PATH → ${env.TEMPORAL_TEST_SERVER_PATH}`);
    return { type: 'existing-path', path: env.TEMPORAL_TEST_SERVER_PATH };
  }
  const dir = path.join(cacheDir(env), `test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
  const wrapper = path.join(dir, 'temporal-test-server');
  if (isExecutable(wrapper)) {
    log(`test server: cached → ${wrapper}`);
    return { type: 'existing-path', path: wrapper };
  }
  if (options.allowInstall !== false && hasCommand('mvn', ['-v'], env) && hasCommand('java', ['-version'], env)) {
    log(`test server: resolving io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION} with Maven (once)…`);
    fs.mkdirSync(cacheDir(env), { recursive: true });
    const staging = fs.mkdtempSync(path.join(cacheDir(env), '.test-server-'));
    try {
      const started = Date.now();
      await run(
        'mvn',
        [
          '-B',
          '-q',
          '-f',
          testServerPom,
          `-Dtemporal.test-server.version=${TEMPORAL_TEST_SERVER_VERSION}`,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${path.join(staging, 'lib')}`,
        ],
        { env, log },
      );
      // `<exe> <port> --enable-time-skipping` is how @temporalio/testing starts the server.
      fs.writeFileSync(
        path.join(staging, 'temporal-test-server'),
        [
          '#!/bin/sh',
          '# Written by scripts/temporal-bin.ts: Temporal Java time-skipping test server.',
          'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)',
          'java_bin=java',
          'if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_bin="$JAVA_HOME/bin/java"; fi',
          'exec "$java_bin" ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xmx512m} -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"',
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(staging, dir);
      log(`test server: ready in ${((Date.now() - started) / 1000).toFixed(0)} s → ${wrapper}`);
      return { type: 'existing-path', path: wrapper };
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      log(`test server: Maven resolution failed (${(err as Error).message}); falling back to the SDK download`);
    }
  }
  log('test server: using the SDK download (needs internet access)');
  return { type: 'cached-download' };
}

/** The production Temporal server and its schema tool, with what they need from the Go module. */
export interface ServerTools {
  /** `temporal-server` (go.temporal.io/server/cmd/server). */
  server: string;
  /** `temporal-sql-tool` (go.temporal.io/server/cmd/tools/sql). */
  sqlTool: string;
  /** `schema/postgresql/v12` of the module: `temporal/versioned`, `visibility/versioned`. */
  postgresSchemaDir: string;
  /** `config/development-postgres12.yaml` of the module. */
  postgresConfigTemplate: string;
}

/** Copies a read-only tree of the Go module cache and makes the copy writable (so it can be removed). */
function copyWritable(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
  const walk = (p: string) => {
    const st = fs.statSync(p);
    fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(to);
}

/**
 * Finds or builds `temporal-server` and `temporal-sql-tool` (TEMPORAL_SERVER_VERSION) in
 * `<cache>/server-<version>/`, like the CLI: GOBIN is a staging directory in the cache, the result is
 * renamed into place, so a half-built binary is never found. The schema and the config template are
 * copied from the module (`$(go env GOMODCACHE)/go.temporal.io/server@<version>`) into the same
 * directory, so the cache does not depend on the Go module cache afterwards. Throws when nothing is
 * found and Go is missing: there is no SDK download of the production server.
 */
export async function resolveServerTools(options: ResolveOptions = {}): Promise<ServerTools> {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  const dir = path.join(cacheDir(env), `server-${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`);
  const tools: ServerTools = {
    server: env.TEMPORAL_SERVER_PATH || path.join(dir, 'temporal-server'),
    sqlTool: env.TEMPORAL_SQL_TOOL_PATH || path.join(dir, 'temporal-sql-tool'),
    postgresSchemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
    postgresConfigTemplate: path.join(dir, 'config', 'development-postgres12.yaml'),
  };
  const builds = [
    {
      file: tools.server,
      pkg: 'go.temporal.io/server/cmd/server',
      out: 'server',
      what: 'temporal-server (about 2 minutes of CPU, once)',
    },
    { file: tools.sqlTool, pkg: 'go.temporal.io/server/cmd/tools/sql', out: 'sql', what: 'temporal-sql-tool' },
  ];
  const missing = builds.filter((b) => !isExecutable(b.file));
  const haveModuleFiles =
    fs.existsSync(path.join(tools.postgresSchemaDir, 'temporal', 'versioned')) &&
    fs.existsSync(tools.postgresConfigTemplate);
  if (!missing.length && haveModuleFiles) {
    log(`production server: cached → ${dir}`);
    return tools;
  }
  for (const [name, file] of [
    ['TEMPORAL_SERVER_PATH', env.TEMPORAL_SERVER_PATH],
    ['TEMPORAL_SQL_TOOL_PATH', env.TEMPORAL_SQL_TOOL_PATH],
  ] as const) {
    if (file && !isExecutable(file)) throw new Error(`${name}=${file} is not an executable file`);
  }
  if (options.allowInstall === false || !hasCommand('go', ['version'], env)) {
    throw new Error(
      `Temporal server ${TEMPORAL_SERVER_VERSION} is not in ${dir} and Go is not available to build it (go install ${builds[0]!.pkg}@${TEMPORAL_SERVER_VERSION})`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const b of missing) {
    log(`production server: building ${b.what} ${TEMPORAL_SERVER_VERSION} with go install…`);
    const staging = fs.mkdtempSync(path.join(cacheDir(env), '.server-build-'));
    try {
      const started = Date.now();
      await run('go', ['install', `${b.pkg}@${TEMPORAL_SERVER_VERSION}`], {
        env: { ...env, GOBIN: staging },
        cwd: staging,
        log,
      });
      fs.renameSync(path.join(staging, b.out), b.file); // atomic: never a half-written binary
      log(`production server: built in ${((Date.now() - started) / 1000).toFixed(0)} s → ${b.file}`);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  if (!haveModuleFiles) {
    const gomodcache = spawnSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).stdout.trim();
    const moduleDir = path.join(gomodcache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`);
    if (!fs.existsSync(moduleDir)) {
      // Binaries given by path, module not downloaded yet: `go mod download` fetches the source only.
      await run('go', ['mod', 'download', `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`], { env, cwd: dir, log });
    }
    for (const part of [path.join('schema', 'postgresql', 'v12'), 'config']) {
      const target = path.join(dir, part);
      const staging = `${target}.tmp-${process.pid}`;
      fs.rmSync(staging, { recursive: true, force: true });
      copyWritable(path.join(moduleDir, part), staging);
      fs.rmSync(target, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(staging, target);
    }
    log(`production server: PostgreSQL schema and config template copied from ${moduleDir}`);
  }
  return tools;
}

// `npm run temporal:setup`: resolve both up front so the first test or start does not wait.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dev = await resolveDevServer();
  const test = await resolveTestServer();
  // `--server` (or TEMPORAL_SETUP_SERVER=1) also builds the production server for the PostgreSQL persistence.
  if (process.argv.includes('--server') || process.env.TEMPORAL_SETUP_SERVER === '1') {
    const tools = await resolveServerTools();
    console.log(`production server: ${tools.server}\nsql tool:          ${tools.sqlTool}`);
  }
  const show = (e: ServerExecutable) => (e.type === 'existing-path' ? e.path : 'SDK download at first use');
  console.log(`dev server:  ${show(dev)}\ntest server: ${show(test)}`);
}
