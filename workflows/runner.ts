/**
 * Runs the project workflow's jobs one at a time (durable before visible): the core prepares the
 * change on a copy, the persistence pipeline (./persistence.ts) makes its effects durable, and only
 * then is it committed and answered. A change the database cannot store is refused and leaves the
 * state as it was; a background change is tried again after a pause. Deterministic workflow code only.
 */
import { log } from '@temporalio/workflow';
import { isRejection } from '../domain/errors.ts';
import type { Change, Project } from '../domain/project.ts';
import type { ProjectView } from '../domain/view-shapes.ts';
import { PERSISTENCE_FAILED, UNAVAILABLE } from './messages.ts';
import { failure, toFailure, type Job, type JobQueue, type Outcome } from './jobs.ts';
import { AttributeMirror, persist, recordReadModel, type Persisted, type PersistPath } from './persistence.ts';

/** An Update that waited this long behind others is refused unapplied: its caller is about to give up. */
const UPDATE_QUEUE_LIMIT_MS = 5_000;
/** After a background change (deadline, signal) failed to persist: first and longest pause. */
const BACKOFF_MS = { first: 10_000, max: 600_000 };

export class JobRunner {
  private backoffMs = 0;
  /** Until then background jobs wait (a failed write is retried after a pause); Updates never do. */
  retryAt = 0;
  /** The search attributes and Temporal UI details, following the committed state. */
  private readonly mirror: AttributeMirror;

  constructor(
    private readonly project: Project,
    private readonly jobs: JobQueue,
    /** How this run persists (the patches it started with, ./persistence.ts). */
    private readonly path: PersistPath,
  ) {
    this.mirror = new AttributeMirror(path === 'one-local');
  }

  /** Writes the read model of the committed state alone (first run of a continued project, old starts). */
  recordCommitted(): Promise<unknown> {
    return recordReadModel(this.project.readModel(), this.path, this.mirror);
  }

  /** Whether the next queued job may run now (never while another runs). */
  ready(): boolean {
    const next = this.jobs.queue[0];
    return !this.running && next !== undefined && !(Date.now() < this.retryAt && !next.update);
  }

  /** Whether nothing is queued or running: an Update may run its own job (UPDATES_RUN_THEMSELVES). */
  idle(): boolean {
    return !this.running && this.jobs.queue.length === 0;
  }

  /** Runs the queued jobs that may run now. */
  async drain(): Promise<void> {
    while (this.ready()) {
      const job = this.jobs.queue.shift()!;
      await this.run(
        job,
        (outcome) => this.jobs.answer(job.ticket, outcome),
        () => this.jobs.isAwaited(job.ticket),
      );
    }
  }

  /**
   * Runs an Update's job at once, in its handler (UPDATES_RUN_THEMSELVES; only when `idle()`): the
   * same steps as a queued job, without the loop's hand-offs. Returns the committed view or throws
   * the refusal, as a queued job's waiting handler does.
   */
  async runNow(job: Omit<Job, 'ticket'>): Promise<ProjectView> {
    let outcome: Outcome | undefined;
    await this.run(
      { ...job, ticket: 0 },
      (o) => (outcome = o),
      () => true,
    );
    this.afterRunNow();
    if (!outcome) throw new Error('an Update job ended without an outcome');
    if (!outcome.ok) throw outcome.failure;
    return outcome.view;
  }

  /** Set by the loop (project.ts): what must follow a job run in a handler (wake the loop, or re-arm its timer). */
  afterRunNow: () => void = () => undefined;

  /** True while a job runs: one at a time, whether the loop or an Update's handler runs it. */
  private running = false;

  /**
   * Runs one job: prepare, persist, then commit and answer — or refuse with the state unchanged.
   * `answer` hands the outcome over; `awaited()`: someone waits for it (an Update), so a failed
   * write is refused rather than tried again later — asked when the write failed, as a handler may
   * start waiting for a job (the application's) after it began. `running` is set meanwhile,
   * whoever runs it (the loop's drain or an Update's handler).
   */
  private async run(job: Job, answer: (outcome: Outcome) => void, awaited: () => boolean): Promise<void> {
    this.running = true;
    try {
      const { project, jobs, path, mirror } = this;
      const projectId = project.state.input.id;
      const attempt = job.update?.attempt;
      if (job.update && Date.now() - job.update.acceptedAt > UPDATE_QUEUE_LIMIT_MS) {
        answer({
          ok: false,
          failure: failure(UNAVAILABLE, 'The project was busy; nothing was applied, try again.', {
            status: 503,
            attempt,
          }),
        });
        return;
      }
      let change: Change | null;
      try {
        change = job.prepare();
      } catch (err) {
        if (!isRejection(err)) throw err;
        answer({ ok: false, failure: toFailure(err, attempt) });
        return;
      }
      const persisted = change
        ? await persist(projectId, change, { path, mirror, isLast: () => jobs.queue.length === 0 })
        : ({ ok: true } as Persisted);
      if (persisted.ok) {
        if (change) project.commit(change);
        this.backoffMs = 0;
        jobs.ended(job.ticket);
        // The read model just written is the committed state's view ('one-local').
        answer({ ok: true, view: persisted.model?.view ?? project.view() });
        // Runs from before PERSIST_IN_ONE_TRANSACTION wrote the read model after answering.
        if (path === 'activities' && jobs.queue.length === 0) await this.recordCommitted();
        return;
      }
      // Nothing is committed (the transaction rolled back): the search attributes follow the committed
      // state again (the 'one-local' path shows them only after a change is stored).
      if (path !== 'one-local') mirror.show(project.readModel());
      if (persisted.permanent)
        log.error('the database refused a change; nothing applied', {
          projectId,
          job: job.update?.label ?? 'background',
          error: persisted.message,
        });
      else
        log.warn('the database is unavailable; nothing applied', {
          projectId,
          job: job.update?.label ?? 'background',
          error: persisted.message,
        });
      if (awaited()) {
        answer({
          ok: false,
          failure: persisted.permanent
            ? failure(PERSISTENCE_FAILED, 'The database refused to store this change; nothing was applied.', {
                status: 500,
                attempt,
              })
            : failure(UNAVAILABLE, 'The database is unavailable; nothing was applied, try again.', {
                status: 503,
                attempt,
              }),
        });
        jobs.ended(job.ticket);
        return;
      }
      // A background change (deadline, signal, a start nobody awaits) is tried again after a pause.
      if (!persisted.permanent) jobs.queue.unshift(job);
      else jobs.ended(job.ticket);
      this.backoffMs = Math.min(BACKOFF_MS.max, this.backoffMs ? this.backoffMs * 2 : BACKOFF_MS.first);
      this.retryAt = Date.now() + this.backoffMs;
    } finally {
      this.running = false;
    }
  }
}
