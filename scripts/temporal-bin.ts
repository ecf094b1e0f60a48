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
function run(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; log: (l: string) => void }) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => {
      // eslint-disable-next-line no-control-regex
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

// `npm run temporal:setup`: resolve both up front so the first test or start does not wait.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dev = await resolveDevServer();
  const test = await resolveTestServer();
  const show = (e: ServerExecutable) => (e.type === 'existing-path' ? e.path : 'SDK download at first use');
  console.log(`dev server:  ${show(dev)}\ntest server: ${show(test)}`);
}
