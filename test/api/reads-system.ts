/**
 * The system the read-endpoint tests (reads-*.test.ts) share within a describe: the real app on the
 * Temporal dev server with one database driver, and a key for each role they read as. `system` and
 * `keys` are live bindings: set by useReadSystem's beforeAll, read by the tests that import them
 * (a test file is a module of its own, and the drivers' describes run one after the other).
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { driverAvailable, type Driver } from '../support/database.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

export type Json = Record<string, any>;

export let system: TestSystem;
export let keys: Record<'bdb' | 'approval' | 'finance' | 'admin' | 'alpha' | 'beta', string>;

/** GET as the key: status, content type and the JSON body. */
export async function get(path: string, key?: string) {
  const res = await system.request('GET', path, { key });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
}

/** Starts the system before the enclosing describe's tests (when the driver is available), stops it after. */
export function useReadSystem(driver: Driver): void {
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    keys = {
      bdb: await createKey(system, 'bdb'),
      approval: await createKey(system, 'approval'),
      finance: await createKey(system, 'finance'),
      admin: ADMIN_KEY,
      alpha: await createKey(system, 'department', 'alpha'),
      beta: await createKey(system, 'department', 'beta'),
    };
  });
  afterAll(async () => {
    await system?.stop();
  });
}
