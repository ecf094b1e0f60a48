/**
 * What the steps of `npm run compose:test` (scripts/compose-up.ts) share: its options, the log with
 * the time since the start, running commands, and the work directory of this run.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STANDINS = path.join(ROOT, 'deploy', 'standins');
export const { values: options } = parseArgs({
  options: { keep: { type: 'boolean', default: false }, project: { type: 'string', default: 'bdp-compose-test' } },
  strict: true,
});
export const PROJECT = options.project;
const started = Date.now();
export const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
export const log = (line: string) => console.log(`[compose ${elapsed()}] ${line}`);

/** Runs a command; its output is returned (and shown when it fails). */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; allowFail?: boolean } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const result = { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (result.status !== 0 && !opts.allowFail) {
    throw new Error(
      `${cmd} ${args.join(' ')} → exit ${result.status}\n${(result.stdout + result.stderr).trim().split('\n').slice(-40).join('\n')}`,
    );
  }
  return result;
}
/** Runs a long command with its output streamed to a log file; the tail is shown when it fails. */
export async function runLogged(
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', out, out] });
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  fs.closeSync(out);
  if (code !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 6).join(' ')} … → exit ${code}\n${fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-40).join('\n')}`,
    );
}
export const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-compose-'));
export const logFile = path.join(workDir, 'build.log');
