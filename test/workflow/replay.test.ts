/**
 * Versioning: every committed golden history (test/histories, recorded from the lifecycle tests with
 * UPDATE_HISTORIES=1) must replay on today's workflow code without nondeterminism. A change to
 * workflow logic that breaks this needs `patched()` (Temporal's versioning), not new histories.
 */
import { readdirSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { FINANCE_JURISDICTION, MEASURES_AS_WRITTEN, MEASURES_RECORDS, MEASURES_SECOND_READING, ONE_LOCAL_ACTIVITY, ONE_WAKE_TIMER, PERSIST_IN_ONE_TRANSACTION, RISK_AND_EMERGENCY } from '../../workflows/project.ts';
import { workflowBundle } from '../support/system.ts';
import { HISTORIES_DIR, loadGoldenHistory } from './support.ts';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();

describe('golden histories', () => {
  it('there are committed histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it('the histories cover both sides of each patch: runs recorded before it and runs taking it', () => {
    const patchesOf = (file: string) =>
      (loadGoldenHistory(`${HISTORIES_DIR}${file}`).events ?? [])
        .map((e) => e.markerRecordedEventAttributes)
        .filter((m) => m?.markerName === 'core_patch')
        .map((m) => JSON.parse(Buffer.from(m!.details!['patch-data']!.payloads![0]!.data!).toString('utf8')).id as string);
    for (const patch of [PERSIST_IN_ONE_TRANSACTION, MEASURES_AS_WRITTEN, ONE_WAKE_TIMER, RISK_AND_EMERGENCY, MEASURES_RECORDS, ONE_LOCAL_ACTIVITY, MEASURES_SECOND_READING, FINANCE_JURISDICTION]) {
      const taking = files.filter((f) => patchesOf(f).includes(patch));
      expect(taking.length, patch).toBeGreaterThanOrEqual(2);
      expect(files.filter((f) => !taking.includes(f)).length, patch).toBeGreaterThanOrEqual(2);
    }
  });

  it('every committed history replays on the current workflow code', async () => {
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: loadGoldenHistory(`${HISTORIES_DIR}${f}`) }));
    const results: Array<{ workflowId: string; error?: unknown }> = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), replayName: 'golden' }, histories)) {
      results.push(result);
    }
    expect(results.map((r) => r.workflowId)).toEqual(histories.map((h) => h.workflowId));
    for (const r of results) expect(r.error, `${r.workflowId}: ${String(r.error)}`).toBeUndefined();
  });
});
