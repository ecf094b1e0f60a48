/**
 * The domain's zod schemas are built once per worker thread, not once per workflow load
 * (worker.ts PRELOADED_MODULES, domain/memo.ts): the bundle really preloads the cache, and the
 * cache hands every workflow the same schema.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_BODIES, COMMAND_SCHEMAS } from '../../domain/commands.ts';
import { memo } from '../../domain/memo.ts';
import { documentRef } from '../../domain/field-schemas.ts';
import { PRELOADED_MODULES } from '../../worker.ts';
import { workflowBundle } from '../support/system.ts';

describe('schemas shared between project workflows', () => {
  it('memo builds a key once and returns the same value after', () => {
    let builds = 0;
    const first = memo('test.once', () => ({ built: ++builds }));
    const second = memo('test.once', () => ({ built: ++builds }));
    expect(second).toBe(first);
    expect(builds).toBe(1);
  });

  it('command schemas and field schemas come from the cache', () => {
    expect(COMMAND_BODIES.technicalReview).toBe(memo('body.technicalReview', () => null));
    expect(COMMAND_SCHEMAS.contractFiling).toBe(memo('payload.contractFiling', () => null));
    expect(documentRef).toBe(memo('text.documentRef', () => null));
  });

  it('the workflow bundle preloads the cache module (a module the bundler drops as side-effect free would not be)', async () => {
    const { code } = await workflowBundle();
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    expect(PRELOADED_MODULES.map((p) => p.replace(/.*\/domain\//, './domain/'))).toEqual(['./domain/memo.ts']);
    expect(preload).toContain('"./domain/memo.ts"');
  }, 60_000);
});
