/**
 * The web console (console/) served by the API process at `/`: the built files of
 * console/dist and, for the console's own routes, its index.html (single-page app fallback). It is
 * asked only after no API route matched (app.notFound), so it never shadows /v1, /docs,
 * /openapi.json, /healthz, /readyz, /metrics or /codec; those prefixes are refused here as well.
 *
 * Every console answer carries a strict Content-Security-Policy: everything from this origin only,
 * no inline script, no asset from the internet. Ant Design writes its styles into <style> elements
 * at run time; they carry a per-response nonce that index.html hands to the app
 * (`<meta name="csp-nonce">`), so no `'unsafe-inline'` is needed for style elements either.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

/** Where `npm start` (scripts/start.ts) builds the console. */
export const CONSOLE_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'console', 'dist');

/** The console's routes (console/src/routes.ts): their paths answer index.html. */
export const CONSOLE_ROUTES = [
  'login',
  'password',
  'inbox',
  'projects',
  'funds',
  'statistics',
  'plans',
  'plan-filings',
  'public',
  'admin',
  'account',
  'existing-systems',
  'cloud-platform',
] as const;

/** Prefixes that belong to the API, never to the console. */
const RESERVED = ['/v1', '/docs', '/openapi.json', '/healthz', '/readyz', '/metrics', '/codec'];

const NONCE_PLACEHOLDER = '__CSP_NONCE__';

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A handler for app.notFound: the console's answer, or undefined when the path is not the console's. */
export function consoleAssets(dir: string = CONSOLE_DIST) {
  let index: { text: string; mtimeMs: number } | undefined;
  return (c: Context): Response | undefined => {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    const p = c.req.path;
    if (RESERVED.some((r) => p === r || p.startsWith(`${r}/`))) return undefined;
    const first = p.split('/')[1] ?? '';
    if (p === '/' || (CONSOLE_ROUTES as readonly string[]).includes(first)) {
      // Re-read after a rebuild (console/scripts/build.ts) while the API runs.
      const file = path.join(dir, 'index.html');
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat) return undefined;
      if (index?.mtimeMs !== stat.mtimeMs) index = { text: fs.readFileSync(file, 'utf8'), mtimeMs: stat.mtimeMs };
      const nonce = randomBytes(16).toString('base64');
      c.header('Content-Security-Policy', contentSecurityPolicy(nonce));
      c.header('Cache-Control', 'no-store');
      return c.html(index.text.replaceAll(NONCE_PLACEHOLDER, nonce));
    }
    // Built files: hashed names under /assets (cached for good), a few at the top level.
    const resolved = path.resolve(dir, `.${p}`);
    if (!resolved.startsWith(`${dir}${path.sep}`) || resolved.endsWith('index.html')) return undefined;
    const type = TYPES[path.extname(resolved)];
    if (!type || !fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) return undefined;
    c.header('Content-Security-Policy', contentSecurityPolicy(randomBytes(16).toString('base64')));
    c.header('Cache-Control', p.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(new Uint8Array(fs.readFileSync(resolved)), 200, { 'Content-Type': type });
  };
}
