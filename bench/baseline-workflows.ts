/**
 * The bare Temporal baseline of the benchmarks: a workflow that does nothing but wait, with an
 * Update that does nothing. Same server, same worker settings, same payload codec as the project
 * workflow, so ours ÷ baseline isolates what the lifecycle adds.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [unknown]>('noop');

export async function baselineWorkflow(): Promise<void> {
  let count = 0;
  setHandler(noopUpdate, () => ++count);
  await condition(() => false);
}
