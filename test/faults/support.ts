/**
 * Fault injection helpers: real worker and API processes (spawned as `tsx worker.ts` /
 * `tsx api/server.ts`, killed with SIGKILL), a throwaway PostgreSQL cluster that can be stopped
 * and started, and a shared payload keyring so the test's client reads what the processes write.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EncryptionCodec, generateKeyringSpec, parseKeyring } from '../../lib/codec.ts';
import { BANNER_LAST } from '../../scripts/banner.ts';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const KEYRING = generateKeyringSpec('faults');
export const CODEC = new EncryptionCodec('sm4', parseKeyring(KEYRING));
export const dataConverter = { payloadCodecs: [CODEC] };

/** Every injected fault and what was observed, for the closing summary line. */
export const faults: Array<{ fault: string; survived: boolean; observed: string }> = [];
export function record(fault: string, survived: boolean, observed: string): void {
  faults.push({ fault, survived, observed });
  console.log(`fault: ${fault} → ${survived ? 'survived' : 'NOT survived'}: ${observed}`);
}

export interface Child {
  process: ChildProcess;
  output: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** `npm start` has printed its whole banner (its last line; the first can arrive alone). */
export const STARTED = new RegExp(BANNER_LAST.zh.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** Spawns `tsx <entry>` with the given environment and waits until `ready` appears in its output. */
export async function spawnEntry(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 90_000,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', PAYLOAD_KEYS: KEYRING, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!ready.test(out)) {
    if (child.exitCode !== null) throw new Error(`${entry} exited early:\n${out.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${entry} not ready after ${timeoutMs} ms:\n${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    output: () => out,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A throwaway PostgreSQL cluster of its own (never the shared test server), stoppable at will. */
export class ThrowawayPostgres {
  constructor(readonly port: number) {}
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  private get root() {
    return `/tmp/bdp-postgres-${this.port}`;
  }
  async start(): Promise<void> {
    await run('bash', [path.join(ROOT, 'scripts/ci-postgres.sh'), 'start'], {
      env: { ...process.env, PGPORT: String(this.port) },
    });
  }
  private async pgCtl(...args: string[]): Promise<void> {
    const bin = (await run('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | head -1'])).stdout.trim();
    const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
    const cmd = [...asPostgres, `${bin}/pg_ctl`, '-D', `${this.root}/data`, ...args];
    await run(cmd[0]!, cmd.slice(1));
  }
  /** Stops the server immediately (connections are cut). */
  pause(): Promise<void> {
    return this.pgCtl('stop', '-m', 'immediate', '-w');
  }
  resume(): Promise<void> {
    return this.pgCtl(
      '-l',
      `${this.root}/server.log`,
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -k ${this.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    );
  }
  async destroy(): Promise<void> {
    await run('bash', [path.join(ROOT, 'scripts/ci-postgres.sh'), 'stop'], {
      env: { ...process.env, PGPORT: String(this.port) },
    }).catch(() => undefined);
  }
}

/** The closing line of a fault file: `faults: N injected, M survived`. */
export function printSummary(): void {
  console.log(`faults: ${faults.length} injected, ${faults.filter((f) => f.survived).length} survived`);
}
