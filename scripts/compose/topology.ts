/**
 * Step 4 of `npm run compose:test` (scripts/compose-up.ts): the secrets, and waiting for the
 * topology's containers (podman's own health-check timers need systemd).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { log, PROJECT, run, sleep } from './shell.ts';

// --- 4. secrets and the topology ------------------------------------------------------------------

export function makeSecrets(dir: string, caddyImage: string): { admin: string; uiUser: string; uiPassword: string } {
  fs.mkdirSync(dir, { mode: 0o700 });
  const write = (name: string, value: string) => fs.writeFileSync(path.join(dir, name), `${value}\n`, { mode: 0o644 });
  const pg = randomBytes(18).toString('hex');
  const admin = `compose-admin-${randomBytes(24).toString('hex')}`;
  write('postgres_password', pg);
  write('database_url', `postgres://bdp:${pg}@postgresql:5432/bdp`);
  write('payload_keys', `k1:${randomBytes(32).toString('base64')}`);
  write('admin_api_key', admin);
  write('s3_secret_access_key', randomBytes(24).toString('hex'));
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    path.join(dir, 'tls_key'),
    '-out',
    path.join(dir, 'tls_cert'),
  ]);
  fs.chmodSync(path.join(dir, 'tls_key'), 0o644);
  const uiPassword = randomBytes(12).toString('hex');
  const hash = run('podman', [
    'run',
    '--rm',
    '--pull=never',
    caddyImage,
    'caddy',
    'hash-password',
    '--plaintext',
    uiPassword,
  ]).stdout.trim();
  write('ui_users', `admin ${hash}`);
  return { admin, uiUser: 'admin', uiPassword };
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const containersOf = (service: string): string[] =>
  run('podman', [
    'ps',
    '-a',
    '--filter',
    `label=io.podman.compose.project=${PROJECT}`,
    '--filter',
    `label=com.docker.compose.service=${service}`,
    '--format',
    '{{.Names}}',
  ])
    .stdout.split('\n')
    .filter(Boolean)
    .sort();

/** Runs each container's health check until it passes (podman's own timers need systemd). */
export async function waitHealthy(service: string, count: number, timeoutMs = 300_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = containersOf(service);
    const healthy = names.filter((n) => run('podman', ['healthcheck', 'run', n], { allowFail: true }).status === 0);
    if (healthy.length >= count) {
      log(`${service}: ${healthy.length} healthy (${healthy.join(', ')})`);
      return healthy;
    }
    if (Date.now() > deadline) {
      const logs = names
        .map(
          (n) =>
            `--- ${n}\n${run('podman', ['logs', '--tail', '40', n], { allowFail: true }).stdout}${run('podman', ['logs', '--tail', '40', n], { allowFail: true }).stderr}`,
        )
        .join('\n');
      throw new Error(`${service}: ${healthy.length} of ${count} healthy after ${timeoutMs / 1000} s\n${logs}`);
    }
    await sleep(2_000);
  }
}

/** Waits for a one-shot job's container to exit 0. */
export async function waitCompleted(service: string): Promise<void> {
  const [name] = containersOf(service);
  if (!name) throw new Error(`${service}: no container`);
  const code = Number(run('podman', ['wait', name]).stdout.trim());
  if (code !== 0)
    throw new Error(
      `${service} exited ${code}\n${run('podman', ['logs', name], { allowFail: true }).stdout}${run('podman', ['logs', name], { allowFail: true }).stderr}`,
    );
  log(`${service}: completed`);
}
