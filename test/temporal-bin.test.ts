/**
 * The binary resolver's order (scripts/temporal-bin.ts), checked without building or downloading:
 * installation is disabled, and a temporary cache and PATH stand in for the machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  resolveDevServer,
  resolveTestServer,
  TEMPORAL_CLI_VERSION,
  TEMPORAL_TEST_SERVER_VERSION,
} from '../scripts/temporal-bin.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bdp-bin-'));
  dirs.push(dir);
  return dir;
};
const executable = (file: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const quiet = () => {};

describe('Temporal binary resolution', () => {
  it('dev server: TEMPORAL_CLI_PATH, then PATH, then the cache, then the SDK download', async () => {
    const cache = tempDir();
    const bin = tempDir();
    const explicit = executable(path.join(tempDir(), 'my-temporal'));
    const base = { TEMPORAL_CACHE_DIR: cache, PATH: '' };
    const resolve = (env: NodeJS.ProcessEnv) => resolveDevServer({ env, log: quiet, allowInstall: false });

    expect(await resolve(base)).toEqual({ type: 'cached-download' });
    const cached = executable(path.join(cache, `cli-${TEMPORAL_CLI_VERSION.slice(1)}`, 'temporal'));
    expect(await resolve(base)).toEqual({ type: 'existing-path', path: cached });
    const onPath = executable(path.join(bin, 'temporal'));
    expect(await resolve({ ...base, PATH: bin })).toEqual({ type: 'existing-path', path: onPath });
    expect(await resolve({ ...base, PATH: bin, TEMPORAL_CLI_PATH: explicit })).toEqual({
      type: 'existing-path',
      path: explicit,
    });
  });

  it('test server: TEMPORAL_TEST_SERVER_PATH, then the cached wrapper, then the SDK download', async () => {
    const cache = tempDir();
    const base = { TEMPORAL_CACHE_DIR: cache, PATH: '' };
    const resolve = (env: NodeJS.ProcessEnv) => resolveTestServer({ env, log: quiet, allowInstall: false });

    expect(await resolve(base)).toEqual({ type: 'cached-download' });
    const wrapper = executable(path.join(cache, `test-server-${TEMPORAL_TEST_SERVER_VERSION}`, 'temporal-test-server'));
    expect(await resolve(base)).toEqual({ type: 'existing-path', path: wrapper });
    const explicit = executable(path.join(tempDir(), 'ts'));
    expect(await resolve({ ...base, TEMPORAL_TEST_SERVER_PATH: explicit })).toEqual({
      type: 'existing-path',
      path: explicit,
    });
  });

  it('refuses an explicit path that is not an executable', async () => {
    await expect(resolveDevServer({ env: { TEMPORAL_CLI_PATH: '/nonexistent/temporal' }, log: quiet })).rejects.toThrow(
      /TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not an executable/,
    );
  });
});
