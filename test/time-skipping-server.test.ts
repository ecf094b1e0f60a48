/**
 * The Java time-skipping test server, started through the wrapper scripts/temporal-bin.ts writes
 * (or the SDK download where there is internet), skips a month in an instant.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: inject('testServerExecutable') } });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('starts and advances its clock by 30 days on request', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    await env.sleep('30 days');
    const after = await env.currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
  });
});
