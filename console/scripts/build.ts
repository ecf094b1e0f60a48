/**
 * Builds the console (Vite) when console/dist is missing or out of date, and reports the initial
 * JavaScript size. "Out of date" is a SHA-256 over every input of the bundle: the console's
 * sources, the generated OpenAPI types and form schemas (so an API change rebuilds it), the domain
 * files the bundle imports, the Vite config and package-lock.json. The hash is kept in
 * console/dist/.source-hash. `npm start` (scripts/start.ts) calls ensureConsoleBuilt; run directly
 * (`tsx console/scripts/build.ts [--force]`) it builds and prints the size report.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONSOLE_ROOT = path.resolve(here, '..');
const REPO = path.resolve(CONSOLE_ROOT, '..');
export const CONSOLE_DIST = path.join(CONSOLE_ROOT, 'dist');
const STAMP = path.join(CONSOLE_DIST, '.source-hash');

/** Performance budget: the JavaScript a first visit loads, gzip. */
export const INITIAL_JS_BUDGET_BYTES = 600 * 1024;

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** The bundle's inputs, hashed. */
export function sourceHash(): string {
  const inputs = [
    ...files(path.join(CONSOLE_ROOT, 'src')),
    ...files(path.join(CONSOLE_ROOT, 'public')),
    path.join(CONSOLE_ROOT, 'index.html'),
    path.join(CONSOLE_ROOT, 'vite.config.ts'),
    ...files(path.join(REPO, 'domain')),
    path.join(REPO, 'package-lock.json'),
  ];
  const hash = createHash('sha256');
  for (const f of inputs) {
    hash.update(path.relative(REPO, f)).update('\0');
    if (fs.existsSync(f)) hash.update(fs.readFileSync(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface SizeReport {
  initialJsGzipBytes: number;
  initialFiles: string[];
  totalJsGzipBytes: number;
  chunks: number;
}

/** What index.html loads before any route: its module script and the chunks it preloads. */
export function sizeReport(dist = CONSOLE_DIST): SizeReport {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const gz = (rel: string) => gzipSync(fs.readFileSync(path.join(dist, rel.replace(/^\//, '')))).length;
  const all = files(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    initialJsGzipBytes: initial.reduce((n, f) => n + gz(f), 0),
    initialFiles: initial,
    totalJsGzipBytes: all.reduce((n, f) => n + gzipSync(fs.readFileSync(f)).length, 0),
    chunks: all.length,
  };
}

/** Builds unless the stamp matches; returns what it did. */
export async function ensureConsoleBuilt(
  opts: { force?: boolean; log?: (line: string) => void } = {},
): Promise<{ built: boolean; skipped?: string; report?: SizeReport }> {
  const log = opts.log ?? (() => {});
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    return { built: false, skipped: 'vite is not installed (npm install without --omit=dev builds the console)' };
  }
  // Loaded here, not at the top: openapi-typescript is a development dependency like Vite, and
  // scripts/start.ts imports this module in every installation.
  const { generate } = await import('./openapi.ts');
  await generate();
  const hash = sourceHash();
  if (
    !opts.force &&
    fs.existsSync(STAMP) &&
    fs.readFileSync(STAMP, 'utf8').trim() === hash &&
    fs.existsSync(path.join(CONSOLE_DIST, 'index.html'))
  ) {
    return { built: false, report: sizeReport() };
  }
  log('console: building (Vite)…');
  const started = Date.now();
  await vite.build({ configFile: path.join(CONSOLE_ROOT, 'vite.config.ts'), root: CONSOLE_ROOT, logLevel: 'warn' });
  fs.writeFileSync(STAMP, `${hash}\n`);
  const report = sizeReport();
  log(
    `console: built in ${((Date.now() - started) / 1000).toFixed(1)} s; initial JavaScript ${(report.initialJsGzipBytes / 1024).toFixed(1)} KiB gzip`,
  );
  return { built: true, report };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await ensureConsoleBuilt({
    force: process.argv.includes('--force'),
    log: (l) => process.stdout.write(`${l}\n`),
  });
  if (result.skipped) process.stdout.write(`console: not built: ${result.skipped}\n`);
  if (result.report) {
    const r = result.report;
    process.stdout.write(
      `console: initial JavaScript ${(r.initialJsGzipBytes / 1024).toFixed(1)} KiB gzip (budget ${INITIAL_JS_BUDGET_BYTES / 1024} KiB) in ${r.initialFiles.join(', ')}; all ${r.chunks} chunks ${(r.totalJsGzipBytes / 1024).toFixed(1)} KiB gzip\n`,
    );
    if (r.initialJsGzipBytes > INITIAL_JS_BUDGET_BYTES) process.exitCode = 1;
  }
}
