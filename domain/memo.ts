/**
 * One value per key for the life of the process; in the workflow sandbox, of the worker thread.
 *
 * The sandbox evaluates every domain module anew for each project workflow it loads (a start, or a
 * cache miss that replays), so a zod schema built at module level or on first use was rebuilt for
 * each workflow: milliseconds of CPU per load and per first command (bench profile, BENCHMARKS.md).
 * This module alone is preloaded once per worker thread (worker.ts PRELOADED_MODULES): the schemas
 * it keeps are built by the first workflow that needs them and used by the others.
 *
 * Only pure, deterministic values belong here (schemas built from constants): the same key must
 * build the same value in every workflow, or sharing it would leak one workflow's state into another.
 * zod itself is not preloaded: the SDK freezes what it preloads, and zod writes to its own objects
 * (a regular expression's lastIndex, a schema's methods bound on first use). The map is private to
 * this module's closure, so that freezing does not reach the schemas kept in it.
 */
const values = new Map<string, unknown>();

export function memo<T>(key: string, build: () => T): T {
  if (values.has(key)) return values.get(key) as T;
  const value = build();
  values.set(key, value);
  return value;
}
