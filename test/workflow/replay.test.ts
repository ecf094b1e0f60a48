/**
 * Versioning: every committed golden history (test/histories, recorded from the lifecycle tests with
 * UPDATE_HISTORIES=1) must replay on today's workflow code without nondeterminism. A change to
 * workflow logic that breaks this needs `patched()` (Temporal's versioning), not new histories.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { Project } from '../../domain/project.ts';
import * as patchIds from '../../workflows/patches.ts';
import { PATCHES } from '../../workflows/patches.ts';
import { makeInput } from '../domain/helpers.ts';
import { workflowBundle } from '../support/system.ts';
import { HISTORIES_DIR, loadGoldenHistory, patchesOf } from './support.ts';

const files = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('golden histories', () => {
  it('there are committed histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it('the histories cover both sides of each registered patch: runs recorded before it (its before-* files) and runs taking it', () => {
    const patchesOfFile = (file: string) => patchesOf(loadGoldenHistory(`${HISTORIES_DIR}${file}`));
    for (const { id, historiesBefore } of PATCHES) {
      const taking = files.filter((f) => patchesOfFile(f).includes(id));
      const before = files.filter((f) => f.startsWith(`${historiesBefore}-`));
      expect(taking.length, id).toBeGreaterThanOrEqual(2);
      expect(before.length, `${id}: test/histories/${historiesBefore}-*.json`).toBeGreaterThanOrEqual(2);
      for (const f of before) expect(patchesOfFile(f), `${f} was recorded before ${id}`).not.toContain(id);
    }
  });

  it('the register (workflows/patches.ts) names every patch the workflow code reads, once, and each first-run patch keeps its choice in the state', () => {
    const ids = PATCHES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const exported = Object.entries(patchIds)
      .filter(([name, v]) => typeof v === 'string' && name === name.toUpperCase())
      .map(([, v]) => v);
    expect([...exported].sort()).toEqual([...ids].sort());
    const code = ['project.ts', 'persistence.ts', 'handlers.ts', 'runner.ts', 'wake.ts', 'jobs.ts']
      .map((f) => readFileSync(new URL(`../../workflows/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    const read = [...code.matchAll(/patched\((\w+)\)/g)].map((m) => (patchIds as Record<string, unknown>)[m[1]!]);
    expect([...new Set(read)].sort()).toEqual([...ids].sort());
    const fresh = Project.create(makeInput()).state as unknown as Record<string, unknown>;
    for (const p of PATCHES.filter((p) => p.kind === 'first-run'))
      expect(fresh[p.stateFlag!], `${p.id} → state.${p.stateFlag}`).toBeDefined();
  });

  it('every committed history replays on the current workflow code', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: loadGoldenHistory(`${HISTORIES_DIR}${f}`),
    }));
    const results: Array<{ workflowId: string; error?: unknown }> = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), replayName: 'golden' },
      histories,
    )) {
      results.push(result);
    }
    expect(results.map((r) => r.workflowId)).toEqual(histories.map((h) => h.workflowId));
    for (const r of results) expect(r.error, `${r.workflowId}: ${String(r.error)}`).toBeUndefined();
  });
});
