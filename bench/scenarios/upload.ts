import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from '../setup.ts';
import { quick } from '../options.ts';
import { results, row } from '../machinery.ts';

export async function upload(ctx: BenchContext): Promise<void> {
  const { documentsDir, app, keys } = ctx;
  // A 50 MiB PDF sent by curl (another process, reading a file) to this process's API
  // over real HTTP; the upload is hashed (SM3), encrypted (SM4) and written as it streams in, so
  // the RSS growth must stay far below the file's size (target < 64 MiB).
  const size = (quick ? 8 : 50) * 2 ** 20;
  const file = path.join(documentsDir, 'bench-upload.pdf');
  const fd = openSync(file, 'w');
  const hash = createHash('sm3');
  for (let at = 0; at < size; at += 2 ** 20) {
    const chunk =
      at === 0
        ? Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2 ** 20 - 9)])
        : randomBytes(Math.min(2 ** 20, size - at));
    hash.update(chunk);
    writeSync(fd, chunk);
  }
  closeSync(fd);
  const digest = hash.digest('hex');
  const { serve } = await import('@hono/node-server');
  const server = await new Promise<{ close(cb: () => void): void; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ close: (cb) => s.close(cb), port: info.port }),
    );
  });
  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  const answer = await new Promise<string>((resolve, reject) => {
    const curl = spawn(
      'curl',
      [
        '-sS',
        '-X',
        'POST',
        '--data-binary',
        `@${file}`,
        '-H',
        `Authorization: Bearer ${keys.dept}`,
        '-H',
        'Content-Type: application/pdf',
        '-H',
        'X-File-Name: bench.pdf',
        `http://127.0.0.1:${server.port}/v1/documents`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    curl.stdout.on('data', (d) => (out += String(d)));
    curl.on('error', reject);
    curl.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl exited ${code}: ${out}`))));
  });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await new Promise<void>((r) => server.close(() => r()));
  const stored = JSON.parse(answer) as { sm3?: string; size?: number };
  if (stored.sm3 !== digest || stored.size !== size) throw new Error(`upload answered ${answer.slice(0, 300)}`);
  const growth = peak - before;
  results.upload = {
    bytes: size,
    seconds,
    rssBeforeBytes: before,
    rssPeakBytes: peak,
    rssGrowthBytes: growth,
    sm3Equal: true,
    targets: { rssGrowthBytes: 64 * 2 ** 20 },
  };
  row(
    'upload',
    `POST /v1/documents, ${(size / 2 ** 20).toFixed(0)} MiB PDF over HTTP (SM3 + SM4, folder backend)`,
    `${seconds.toFixed(1)} s, RSS +${(growth / 2 ** 20).toFixed(1)} MiB`,
    'target < 64 MiB RSS growth',
  );
}
