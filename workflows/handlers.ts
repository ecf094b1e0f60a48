/**
 * The project workflow's message handlers: the view query, every command as an Update (validated
 * before it is accepted) and as a signal, and the application Update of creation. A handler only
 * queues a job (./jobs.ts); the workflow's loop runs it through the persistence pipeline and hands
 * the outcome back. Deterministic workflow code only.
 */
import { ApplicationFailure, currentUpdateInfo, log, setHandler } from '@temporalio/workflow';
import { COMMAND_NAMES, type Command, type CommandName } from '../domain/commands.ts';
import { isRejection, Rejection } from '../domain/errors.ts';
import type { Change, Project } from '../domain/project.ts';
import type { Actor } from '../domain/vocabulary.ts';
import {
  applicationUpdate,
  commandSignal,
  commandUpdate,
  UNAVAILABLE,
  viewQuery,
  type RejectionDetails,
} from './messages.ts';
import { failure, now, toFailure, unpack, type JobQueue } from './jobs.ts';
import type { JobRunner } from './runner.ts';

/** Queues the job storing the application (Art. 8): the first job of a new project. */
export const submitStart = (project: Project, jobs: JobQueue) => jobs.submitStart(() => project.prepareStart(now()));

/**
 * `direct()`: the runner, once the run takes UPDATES_RUN_THEMSELVES — an Update then runs its own
 * job when nothing else is queued or running, instead of queuing it and waiting for the loop.
 */
export function setProjectHandlers(project: Project, jobs: JobQueue, direct: () => JobRunner | undefined): void {
  const projectId = project.state.input.id;
  const commandOf = (name: CommandName, payload: unknown) => ({ name, payload }) as Command;
  /** Until the application is stored the project does not exist for anyone. */
  const prepare = (name: CommandName, payload: unknown, actor: Actor) => {
    if (!project.started) throw new Rejection(404, 'not_found', `Project ${projectId} does not exist yet.`);
    return project.prepare(commandOf(name, payload), actor, now());
  };
  /**
   * An Update's validator prepares the change already; its handler reuses it when nothing was
   * committed in between and the clock has not moved (validators do not run on replay: the handler
   * then prepares the same change itself). Keyed by the Update's id: the SDK decodes the arguments
   * anew for the handler, so the validator's message object is not the handler's.
   */
  const validated = new Map<string, { version: number; at: number; change: Change }>();
  const updateId = () => currentUpdateInfo()?.id;
  const prepareUpdate = (id: string | undefined, name: CommandName, payload: unknown, actor: Actor) => {
    const cached = id === undefined ? undefined : validated.get(id);
    if (id !== undefined) validated.delete(id);
    if (cached && cached.version === project.state.version && cached.at === Date.now()) return cached.change;
    return prepare(name, payload, actor);
  };

  setHandler(viewQuery, () => project.view());

  for (const name of COMMAND_NAMES) {
    setHandler(
      commandUpdate(name),
      (message) => {
        const { payload, actor, attempt } = unpack(message);
        const id = updateId();
        const job = {
          prepare: () => prepareUpdate(id, name, payload, actor),
          update: { acceptedAt: Date.now(), attempt, label: name },
        };
        const runner = direct();
        return runner?.idle() ? runner.runNow(job) : jobs.settled(jobs.submit(job));
      },
      {
        validator: (message) => {
          const { payload, actor, attempt } = unpack(message);
          // While the application is still being stored the command waits in the queue behind it.
          if (!project.started && jobs.startTicket !== null) return;
          try {
            const change = prepare(name, payload, actor);
            const id = updateId();
            if (id !== undefined) validated.set(id, { version: project.state.version, at: Date.now(), change });
          } catch (err) {
            throw isRejection(err) ? toFailure(err, attempt) : err;
          }
        },
      },
    );
    // Signals cannot answer: an invalid one is logged and put on the audit trail as rejected.
    setHandler(commandSignal(name), (message) => {
      jobs.submit({
        prepare: () => {
          const { payload, actor } = unpack(message);
          try {
            return prepare(name, payload, actor);
          } catch (err) {
            const reason = isRejection(err) ? `${err.code}: ${err.message}` : String(err);
            log.warn('signal rejected', { projectId, signal: name, reason });
            return project.prepareRejection(name, actor, reason, now());
          }
        },
      });
    });
  }

  // Creation: answered once the application's audit entry and read-model row are durable.
  setHandler(applicationUpdate, async ({ attempt } = {}) => {
    if (project.started) return project.view();
    const ticket = jobs.startTicket ?? submitStart(project, jobs);
    try {
      return await jobs.settled(ticket);
    } catch (err) {
      if (err instanceof ApplicationFailure)
        throw failure(err.type ?? UNAVAILABLE, err.message, { ...(err.details?.[0] as RejectionDetails), attempt });
      throw err;
    }
  });
}
