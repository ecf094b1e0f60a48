/**
 * The web console's serving (api/console.ts, issue 16) and its generated inputs
 * (console/scripts/openapi.ts): index.html for the console's routes with a strict CSP and a fresh
 * nonce, built assets, and never an answer for the API's own paths; the form schemas cover every
 * command route with its roles.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { COMMAND_ROUTES } from '../../api/routes/commands.ts';
import type { DatabaseHandle } from '../../db/client.ts';
import { COMMAND_ACTIONS, COMMAND_ROLES } from '../../domain/commands.ts';
import { createLogger } from '../../lib/logger.ts';
import { formsOf, openApiDocument } from '../../console/scripts/openapi.ts';

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'console-dist-'));
fs.mkdirSync(path.join(dist, 'assets'));
fs.writeFileSync(
  path.join(dist, 'index.html'),
  '<!doctype html><meta name="csp-nonce" content="__CSP_NONCE__"><script type="module" src="/assets/index-abc.js"></script>',
);
fs.writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

// Routing only: no request here reaches the database or Temporal.
const stub: object = new Proxy(function stub() {}, {
  get: (_t, k) => (k === 'then' ? undefined : stub),
  apply: () => {
    throw new Error('dependency used');
  },
});
const app = createApp({
  database: stub as DatabaseHandle,
  temporal: stub as Client,
  taskQueue: 't',
  adminApiKey: undefined,
  log: createLogger('silent', 'test'),
  consoleDir: dist,
});

describe('the console at / (issue 16)', () => {
  it('answers index.html for its routes with a strict CSP whose nonce is fresh each time and written into the page', async () => {
    const nonces = new Set<string>();
    for (const p of ['/', '/login', '/inbox', '/projects', '/projects/JC2026-ABCDEFGH', '/public', '/admin']) {
      const res = await app.request(p);
      expect(res.status, p).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      expect(await res.text()).toContain(`content="${nonce}"`);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(7);
  });

  it('serves built assets (cached for good) and nothing outside the build', async () => {
    const res = await app.request('/assets/index-abc.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toContain('immutable');
    for (const p of ['/assets/missing.js', '/assets/../../etc/passwd', '/index.html', '/somewhere'])
      expect((await app.request(p)).status, p).toBe(404);
  });

  it('never shadows the API: /v1, /docs, /openapi.json, /healthz, /metrics and /codec keep their own answers', async () => {
    const unknown = await app.request('/v1/nothing-here');
    expect(unknown.status).toBe(401); // the API's authentication, not the console's page
    expect(unknown.headers.get('content-type')).toContain('problem+json');
    const deep = await app.request('/codec/nothing');
    expect(deep.headers.get('content-type') ?? '').not.toContain('text/html');
    expect((await app.request('/openapi.json')).headers.get('content-type')).toContain('application/json');
    expect((await app.request('/healthz')).headers.get('content-security-policy') ?? '').not.toContain('nonce-');
    expect((await app.request('/v1/projects', { method: 'POST' })).headers.get('content-type')).toContain(
      'problem+json',
    );
    // A write to a console path is not the console's either.
    expect((await app.request('/inbox', { method: 'POST' })).status).toBe(404);
  });
});

describe('the console is typed and its forms made from the OpenAPI document', () => {
  it('has the request schema, path, roles and action name of every command route', async () => {
    const forms = formsOf(await openApiDocument());
    for (const r of COMMAND_ROUTES) {
      const f = forms.commands[COMMAND_ACTIONS[r.command]]!;
      expect(f.path).toBe(`/v1/projects/{id}${r.path}`);
      expect(f.roles).toEqual(COMMAND_ROLES[r.command]);
      expect((f.schema as { type: string }).type).toBe('object');
      expect(JSON.stringify(f.schema)).not.toContain('$ref');
    }
    expect(Object.keys(forms.bodies)).toEqual(
      expect.arrayContaining([
        'POST /v1/projects',
        'POST /v1/allocation-plans',
        'PUT /v1/annual-plans/{year}',
        'POST /v1/admin/api-keys',
      ]),
    );
  });
});
