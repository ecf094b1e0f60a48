/**
 * Finds (or builds) the S3-compatible server the document store's S3 backend is tested against
 *, without downloading anything from outside the package registries — like
 * scripts/temporal-bin.ts does for Temporal:
 *
 *   S3_SERVER_PATH → cached build (<cache>/s3/gofakes3-<version>/gofakes3) → `go install` from the
 *   Go module proxy into the cache (seconds: a small module) → absent (the S3 tests skip, saying why).
 *
 * The server is gofakes3 (github.com/johannesboyne/gofakes3, cmd/gofakes3): an S3 protocol server in
 * Go with a file-system backend — buckets, ranged and conditional GETs, CopyObject, multipart
 * uploads (create, parts, complete, abort, list) — the S3 operations lib/document-s3.ts uses. It was
 * chosen over SeaweedFS because it builds in seconds on two cores, where `weed` (≈500 modules) takes
 * many minutes and cannot be `go install`ed at all (its go.mod has replace directives).
 *
 * `npm run s3:setup` builds it once (CI runs it next to `npm run temporal:setup`); tests call
 * startS3Server(). Binaries live in the cache (S3_CACHE_DIR, default ~/.cache/jincheng-bdp/s3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const S3_SERVER_MODULE = 'github.com/johannesboyne/gofakes3';
export const S3_SERVER_VERSION = 'v1.2.0';

const defaultLog = (line: string) => process.stderr.write(`[s3-server] ${line}\n`);

export function s3CacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.S3_CACHE_DIR) return path.resolve(env.S3_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'jincheng-bdp', 's3');
}

const isExecutable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The server binary, or `{ missing: reason }` when it is not there and cannot be built. */
export function resolveS3Server(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void; allowInstall?: boolean } = {},
): { path: string } | { missing: string } {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  if (env.S3_SERVER_PATH) {
    if (!isExecutable(env.S3_SERVER_PATH))
      return { missing: `S3_SERVER_PATH=${env.S3_SERVER_PATH} is not an executable file` };
    return { path: env.S3_SERVER_PATH };
  }
  const dir = path.join(s3CacheDir(env), `gofakes3-${S3_SERVER_VERSION.replace(/^v/, '')}`);
  const cached = path.join(dir, 'gofakes3');
  if (isExecutable(cached)) {
    log(`cached → ${cached}`);
    return { path: cached };
  }
  if (options.allowInstall === false) return { missing: `${cached} is not built (npm run s3:setup)` };
  const go = spawnSync('go', ['version'], { env, encoding: 'utf8' });
  if (go.status !== 0)
    return {
      missing: `${cached} is not built and Go is not available to build it (go install ${S3_SERVER_MODULE}/cmd/gofakes3@${S3_SERVER_VERSION})`,
    };
  log(`building ${S3_SERVER_MODULE}/cmd/gofakes3@${S3_SERVER_VERSION} with go install (once)…`);
  fs.mkdirSync(s3CacheDir(env), { recursive: true });
  const staging = fs.mkdtempSync(path.join(s3CacheDir(env), '.build-'));
  try {
    const started = Date.now();
    // Outside any module (cwd: staging), so go install uses the pinned version.
    const built = spawnSync('go', ['install', `${S3_SERVER_MODULE}/cmd/gofakes3@${S3_SERVER_VERSION}`], {
      env: { ...env, GOBIN: staging },
      cwd: staging,
      encoding: 'utf8',
    });
    if (built.status !== 0)
      return {
        missing: `go install ${S3_SERVER_MODULE}/cmd/gofakes3@${S3_SERVER_VERSION} failed: ${(built.stderr || built.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`,
      };
    fs.mkdirSync(dir, { recursive: true });
    fs.renameSync(path.join(staging, 'gofakes3'), cached); // atomic: never a half-written binary
    log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s → ${cached}`);
    return { path: cached };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export interface RunningS3Server {
  endpoint: string;
  /** Where the server keeps the buckets' files. */
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the server on a free loopback port with its buckets under `dir` (files, kept across restarts). */
export async function startS3Server(binary: string, dir: string): Promise<RunningS3Server> {
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn(binary, ['-backend', 'fs', '-fs.path', dir, '-fs.create', '-host', '127.0.0.1:0', '-quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the S3 server did not start within 20 s: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /using port: (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the S3 server exited with ${code ?? signal}: ${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    dir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// `npm run s3:setup`: build it up front (CI), so the first test does not wait.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = resolveS3Server();
  if ('missing' in found) {
    // Not fatal: the S3 tests then skip, printing this reason.
    console.warn(`S3 test server unavailable (the S3 document-store tests will skip): ${found.missing}`);
  } else {
    console.log(`S3 test server: ${found.path}`);
  }
}
