/**
 * The project workflow's one durable timer: the loop's next wake-up (the next deadline event, a
 * retry after a failed write, the next Asia/Shanghai new year), kept while that instant stays the
 * same. Waiting with `condition(fn, timeout)` instead starts a timer on every pass of the loop and
 * cancels it when a command arrives first: two history events and two server commands per command
 * (TimerStarted, TimerCanceled) that change nothing. Deterministic workflow code only.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

export class WakeTimer {
  private at = Infinity;
  private scope: CancellationScope | null = null;
  /** True once the timer for the current instant fired (until the next `set`). */
  fired = false;

  /** Wakes the workflow at `at` (epoch ms; Infinity: never); the running timer stays when `at` is unchanged. */
  set(at: number): void {
    if (at === this.at && !this.fired) return;
    this.scope?.cancel();
    this.scope = null;
    this.fired = false;
    this.at = at;
    if (!Number.isFinite(at)) return;
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(Math.max(1, at - Date.now())))
      .then(
        () => {
          if (this.scope === scope) this.fired = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
}
