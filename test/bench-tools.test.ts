/**
 * The bench's profile summary (bench/profile.ts, issue 30) and the Schemathesis coverage check
 * (scripts/schemathesis-coverage.ts, issue 28) on small hand-made inputs whose answers are known.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { partOf, summarise, type ProfileWindow } from '../bench/profile.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bdp-bench-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

describe('profile summary', () => {
  it('names the part of a frame by its script; a builtin has none of its own', () => {
    expect(partOf(frame('parse', '/work/x/node_modules/zod/v4/core/core.js'))).toBe('validation (zod)');
    expect(partOf(frame('encode', 'file:///work/x/lib/codec.ts'))).toBe('payload codec (SM4, HMAC-SM3)');
    expect(partOf(frame('prepare', 'sandbox:webpack:///./domain/project.ts'))).toBe(
      'sandbox: domain/ (rules, views, state copies)',
    );
    // A package's own lib/ is the package's, not our lib/ (webpack bundling the workflow code).
    expect(partOf(frame('seal', 'file:///work/x/lib/api-keys.ts'))).toBe('lib/ (other)');
    expect(partOf(frame('build', 'file:///work/x/node_modules/webpack/lib/Compilation.js'))).toBe('other packages');
    expect(partOf(frame('(garbage collector)', ''))).toBe('garbage collection');
    expect(partOf(frame('constructor', ''))).toBeUndefined(); // not Object.prototype's
    expect(partOf(frame('stringify', ''))).toBeUndefined();
  });

  it('sums self time by part, a builtin into its caller, only inside the window', async () => {
    // root → route (api/) → JSON.stringify (builtin); root → GC. Samples every 1,000 µs from 0.
    const profile = {
      startTime: 0,
      endTime: 6_000,
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
        { id: 2, callFrame: frame('route', 'file:///w/api/routes/projects.ts'), children: [3] },
        { id: 3, callFrame: frame('stringify', '') },
        { id: 4, callFrame: frame('(garbage collector)', '') },
      ],
      samples: [2, 3, 3, 4, 2, 4],
      timeDeltas: [1_000, 1_000, 1_000, 1_000, 1_000, 1_000],
    };
    writeFileSync(path.join(dir, 'CPU.1.cpuprofile'), JSON.stringify(profile));
    const whole = await summarise(dir);
    expect(Object.fromEntries(whole.byPart)).toEqual({ 'api/ (auth, routes, gateway)': 4, 'garbage collection': 2 });
    // A sample is taken at the end of its delta: inside 2,500-4,500 µs are the one at 3,000 (stringify,
    // in the route) and the one at 4,000 (GC).
    const window: ProfileWindow = { name: 'w', label: 'w', fromUs: 2_500, toUs: 4_500, units: 1, unit: 'x' };
    const part = await summarise(dir, window);
    expect(Object.fromEntries(part.byPart)).toEqual({ 'api/ (auth, routes, gateway)': 1, 'garbage collection': 1 });
  });
});

describe('Schemathesis coverage check', () => {
  const openapi = {
    openapi: '3.1.0',
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/v1/projects': { get: {} },
      '/v1/projects/{id}': { get: {} },
      '/v1/projects/export.xlsx': { get: {} },
      '/v1/admin/api-keys': { post: {} },
      '/v1/auth/me': { get: { security: [{ session: [] }] } },
      '/healthz': { get: { security: [] } },
    },
  };
  const spec = path.join(dir, 'openapi.json');
  writeFileSync(spec, JSON.stringify(openapi));
  const har = (name: string, entries: Array<[string, string, number, string | undefined]>) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        log: {
          entries: entries.map(([method, p, status, key]) => ({
            request: {
              method,
              url: `http://127.0.0.1:1${p}`,
              headers: key ? [{ name: 'Authorization', value: `Bearer ${key}` }] : [],
            },
            response: { status },
          })),
        },
      }),
    );
    return file;
  };
  const run = (files: string[], keys: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/schemathesis-coverage.ts', spec, ...files], {
      env: { ...process.env, SCHEMATHESIS_KEYS: JSON.stringify(keys) },
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it('passes when every operation was reached by some key; the tool’s own probes do not count', async () => {
    const r = await run(
      [
        `bdb=${har('ok-bdb.json', [
          ['GET', '/v1/projects', 200, 'kb'],
          ['GET', '/v1/projects', 401, undefined],
          ['GET', '/v1/projects', 401, 'wrong'],
          ['GET', '/v1/projects/p1', 404, 'kb'],
          ['GET', '/v1/projects/export.xlsx', 200, 'kb'],
          ['POST', '/v1/admin/api-keys', 403, 'kb'],
          ['GET', '/v1/auth/me', 401, 'kb'],
        ])}`,
        `admin=${har('ok-admin.json', [['POST', '/v1/admin/api-keys', 201, 'ka']])}`,
      ],
      { bdb: 'kb', admin: 'ka' },
    );
    expect(r.out).toContain('session only (a key cannot reach them by design): GET /v1/auth/me');
    expect(r.out).not.toContain('HOLLOW');
    expect(r.code).toBe(0);
  });

  it('fails when an operation was only ever refused, or a key stopped holding', async () => {
    const r = await run(
      [
        `bdb=${har('bad-bdb.json', [
          ['GET', '/v1/projects', 200, 'kb'],
          ['GET', '/v1/projects/p1', 401, 'kb'],
          ['POST', '/v1/admin/api-keys', 403, 'kb'],
        ])}`,
        `admin=${har('bad-admin.json', [
          ['POST', '/v1/admin/api-keys', 401, 'ka'],
          ['GET', '/v1/projects', 200, 'ka'],
        ])}`,
      ],
      { bdb: 'kb', admin: 'ka' },
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('HOLLOW: POST /v1/admin/api-keys: only ever 401/403');
    expect(r.out).toContain('HOLLOW: GET /v1/projects/{id}: the bdb key was answered 401');
    expect(r.out).toContain(
      'not called (left out after a crash of the tool, or no example): GET /v1/projects/export.xlsx',
    );
  });
});
