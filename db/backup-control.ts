/**
 * The control socket of a running `npm start`: `npm run backup` asks the process that owns PGlite's
 * one connection to take the consistent snapshot (db/backup-snapshot.ts).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BackupError } from './backup-manifest.ts';
import type { SnapshotResult } from './backup-snapshot.ts';

/** The control socket `npm start` listens on in DATA_DIR while it runs the embedded PGlite. */
export const CONTROL_SOCKET = 'backup.sock';

/**
 * The control socket of a running `npm start` (DATA_DIR/backup.sock, owner-only): one request per
 * connection, `{"op":"snapshot","out":…,"settleMs":…}` → one JSON line with the result or the error.
 * The snapshot runs in the process that owns PGlite's one connection.
 */
export async function serveBackupControl(
  socketPath: string,
  snapshot: (out: string, settleMs: number | undefined) => Promise<SnapshotResult>,
): Promise<{ close(): Promise<void> }> {
  if (fs.existsSync(socketPath)) {
    if (await controlAnswers(socketPath))
      throw new BackupError(`${socketPath}：另一个 npm start 正在使用这个 DATA_DIR`);
    fs.rmSync(socketPath, { force: true }); // left by a process that was killed
  }
  let busy = false;
  const server = net.createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      input += chunk;
      const newline = input.indexOf('\n');
      if (newline < 0) return;
      const reply = (body: unknown) => socket.end(`${JSON.stringify(body)}\n`);
      let request: { op?: unknown; out?: unknown; settleMs?: unknown };
      try {
        request = JSON.parse(input.slice(0, newline)) as typeof request;
      } catch {
        return reply({ ok: false, error: '请求不是 JSON' });
      }
      if (request.op === 'ping') return reply({ ok: true });
      if (request.op !== 'snapshot' || typeof request.out !== 'string' || !path.isAbsolute(request.out))
        return reply({ ok: false, error: '未知的请求' });
      if (busy) return reply({ ok: false, error: '另一次备份正在进行' });
      busy = true;
      snapshot(request.out, typeof request.settleMs === 'number' ? request.settleMs : undefined)
        .then((result) => reply({ ok: true, result }))
        .catch((err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }))
        .finally(() => (busy = false));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(socketPath, { force: true });
      }),
  };
}

/** Sends one request to the control socket and answers its reply; undefined when nothing listens. */
export function controlRequest(
  socketPath: string,
  request: Record<string, unknown>,
  timeoutMs = 300_000,
): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(socketPath)) return resolve(undefined);
    const socket = net.connect(socketPath);
    let input = '';
    let connected = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new BackupError(`${socketPath}：${timeoutMs / 1000} 秒内没有回答`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => (input += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected && (err.code === 'ECONNREFUSED' || err.code === 'ENOENT')) resolve(undefined);
      else reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!connected) return;
      try {
        resolve(JSON.parse(input.trim()) as Record<string, unknown>);
      } catch {
        reject(new BackupError(`${socketPath}：回答无法解析：${input.slice(0, 200)}`));
      }
    });
  });
}

/** Whether a running `npm start` answers on the socket. */
export async function controlAnswers(socketPath: string): Promise<boolean> {
  return (await controlRequest(socketPath, { op: 'ping' }, 5_000).catch(() => undefined))?.ok === true;
}
