import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { PRELOADED_MODULES, WORKFLOWS_PATH } from '../../worker.ts';
import type { BenchContext } from '../setup.ts';
import { ROOT } from '../options.ts';
import { results, row, ms } from '../machinery.ts';

export async function replay(_ctx: BenchContext): Promise<void> {
  const dir = path.join(ROOT, 'test/histories');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const { loadGoldenHistory } = await import('../../test/workflow/support.ts');
  const histories = files.map((f) => ({ workflowId: f, history: loadGoldenHistory(path.join(dir, f)) }));
  const t = performance.now();
  let failures = 0;
  for await (const r of Worker.runReplayHistories(
    { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_MODULES }, replayName: 'bench' },
    histories,
  ))
    if (r.error) failures++;
  const took = performance.now() - t;
  const events = histories.reduce((n, h) => n + (h.history.events?.length ?? 0), 0);
  results.replay = { histories: histories.length, events, ms: took, failures };
  row(
    'replay',
    `${histories.length} golden histories (${events} events)`,
    ms(took),
    `${failures} failures (includes bundling)`,
  );
}
