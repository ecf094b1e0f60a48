/**
 * The Java time-skipping test server, started through the wrapper scripts/temporal-bin.ts writes
 * (or the SDK download where there is internet), skips a month in an instant.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTimeSkipping, testDateInstant } from './support/time-skipping.ts';

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkipping(inject('testServerExecutable'));
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

  it('BDP_TEST_DATE: read as 10:00 Asia/Shanghai of the day (or the given time); a run with it set starts on that day', async () => {
    expect(testDateInstant('2026-12-12')).toBe(Date.parse('2026-12-12T02:00:00Z'));
    expect(testDateInstant('2026-12-31T23:30')).toBe(Date.parse('2026-12-31T15:30:00Z'));
    expect(testDateInstant('')).toBeUndefined();
    expect(() => testDateInstant('12/12/2026')).toThrow(/BDP_TEST_DATE/);
    const target = testDateInstant();
    if (target !== undefined) {
      const fresh = await createTimeSkipping(inject('testServerExecutable'));
      try {
        const now = await fresh.currentTimeMs();
        expect(now).toBeGreaterThanOrEqual(target);
        expect(now - target).toBeLessThan(3_600_000);
      } finally {
        await fresh.teardown();
      }
    }
  });
});
