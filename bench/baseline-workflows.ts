/**
 * The bare Temporal baseline of the benchmarks: a workflow that does nothing but wait, with an
 * Update that does nothing. Same server, same worker settings, same payload codec as the project
 * workflow, so ours ÷ baseline isolates what the lifecycle adds. A second Update runs one local
 * activity that does nothing: what Temporal's local-activity machinery alone costs (the project
 * workflow persists each batch of effects in one local activity).
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [unknown]>('noop');
export const noopLocalActivityUpdate = defineUpdate<number, [unknown]>('noopLocalActivity');

/** The baseline worker's activities. */
export const baselineActivities = {
  async noop(): Promise<void> {},
};

const { noop } = proxyLocalActivities<typeof baselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function baselineWorkflow(): Promise<void> {
  let count = 0;
  setHandler(noopUpdate, () => ++count);
  setHandler(noopLocalActivityUpdate, async () => {
    await noop();
    return ++count;
  });
  await condition(() => false);
}
