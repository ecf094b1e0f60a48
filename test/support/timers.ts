/** What a project workflow's history says of its durable timers. */
import type { Client } from '@temporalio/client';
import { projectWorkflowId } from '../../workflows/messages.ts';

/** Timers started and neither fired nor cancelled: timer id → due instant (ms). */
export async function pendingTimers(client: Client, projectId: string): Promise<Map<string, number>> {
  const history = await client.workflow.getHandle(projectWorkflowId(projectId)).fetchHistory();
  const pending = new Map<string, number>();
  for (const e of history.events ?? []) {
    const started = e.timerStartedEventAttributes;
    if (started)
      pending.set(
        started.timerId!,
        Number(e.eventTime!.seconds) * 1000 + Number(started.startToFireTimeout!.seconds) * 1000,
      );
    const done = e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes;
    if (done) pending.delete(done.timerId!);
  }
  return pending;
}
