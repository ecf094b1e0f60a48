/**
 * The system the annual-plan and calendar tests (plans-calendar-*.test.ts) share within a describe:
 * the real app on the Temporal dev server with one database driver and the keys they call with.
 * `system`, `bdb`, `finance` and `health` are live bindings: set by usePlansCalendarSystem's
 * beforeAll, read by the tests that import them (a test file is a module of its own, and the
 * drivers' describes run one after the other).
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { driverAvailable, type Driver } from '../support/database.ts';
import { createKey, startSystem, type TestSystem } from '../support/system.ts';

export type Json = Record<string, any>;

export let system: TestSystem;
export let bdb: string;
export let finance: string;
export let health: string;

/** A request as the key: status, content type and the JSON body. */
export async function call(method: string, path: string, key?: string, body?: unknown) {
  const res = await system.request(method, path, { key, body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
}

/** Starts the system before the enclosing describe's tests (when the driver is available), stops it after. */
export function usePlansCalendarSystem(driver: Driver): void {
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    bdb = await createKey(system, 'bdb');
    finance = await createKey(system, 'finance');
    health = await createKey(system, 'department', 'health');
  });
  afterAll(async () => {
    await system?.stop();
  });
}
