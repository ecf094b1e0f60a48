/**
 * The bare Temporal baseline of the benchmarks: a workflow that does nothing but wait, with an
 * Update that does nothing. Same server, same worker settings, same payload codec as the project
 * workflow, so ours ÷ baseline isolates what the lifecycle adds. A second Update runs one local
 * activity that does nothing: what Temporal's local-activity machinery alone costs (the project
 * workflow persists each batch of effects in one local activity). A third is the design floor: an
 * Update whose handler runs one local activity writing the same rows as a technical review (audit
 * entry, notification, read model) in one PostgreSQL transaction — the least any durable-before-
 * visible command can cost.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { EffectWrites } from '../activities/index.ts';

export const noopUpdate = defineUpdate<number, [unknown]>('noop');
export const noopLocalActivityUpdate = defineUpdate<number, [unknown]>('noopLocalActivity');
export const designFloorUpdate = defineUpdate<number, [EffectWrites]>('designFloor');

/** The baseline worker's activities (bench/run.ts adds `persistEffects`, the project worker's own). */
export interface BaselineActivities {
  noop(): Promise<void>;
  persistEffects(writes: EffectWrites): Promise<unknown>;
}

const { noop, persistEffects } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(): Promise<void> {
  let count = 0;
  setHandler(noopUpdate, () => ++count);
  setHandler(noopLocalActivityUpdate, async () => {
    await noop();
    return ++count;
  });
  setHandler(designFloorUpdate, async (writes) => {
    await persistEffects(writes);
    return ++count;
  });
  await condition(() => false);
}
