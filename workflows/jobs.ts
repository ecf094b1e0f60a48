/**
 * The project workflow's job queue: every change — the application, a command sent as an Update or
 * a signal, a deadline falling due — is a job run one at a time by the workflow's loop; a handler
 * waiting for its job gets the outcome. Deterministic workflow code only.
 */
import { ApplicationFailure, condition } from '@temporalio/workflow';
import type { Rejection } from '../domain/errors.ts';
import type { Change } from '../domain/project.ts';
import type { ProjectView } from '../domain/view-shapes.ts';
import type { Actor } from '../domain/vocabulary.ts';
import type { RejectionDetails } from './messages.ts';

/** A change to make durable; `update` jobs answer a waiting handler, the others run in the background. */
export interface Job {
  ticket: number;
  /** Prepares the change against the state committed when the job runs; throws a Rejection to refuse. */
  prepare: () => Change | null;
  update?: { acceptedAt: number; attempt: string | undefined; label: string };
}

export type Outcome = { ok: true; view: ProjectView } | { ok: false; failure: ApplicationFailure };

export const failure = (type: string, message: string, details: RejectionDetails) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });

export const toFailure = (rejection: Rejection, attempt?: string) =>
  failure(rejection.code, rejection.message, { ...rejection.details, status: rejection.status, attempt });

/** Messages carry `{payload, actor, attempt?}`; histories from before carry the payload with `actor` merged in. */
export function unpack(message: unknown): { payload: unknown; actor: Actor; attempt: string | undefined } {
  const m = (message ?? {}) as Record<string, unknown>;
  if (
    typeof m.payload === 'object' &&
    m.payload !== null &&
    Object.keys(m).every((k) => k === 'payload' || k === 'actor' || k === 'attempt')
  ) {
    return {
      payload: m.payload,
      actor: m.actor as Actor,
      attempt: typeof m.attempt === 'string' ? m.attempt : undefined,
    };
  }
  const { actor, ...payload } = m;
  return { payload, actor: actor as Actor, attempt: undefined };
}

/** The workflow clock as an ISO instant (deterministic: Temporal's time, not the machine's). */
export const now = () => new Date(Date.now()).toISOString();

/** Jobs in order, and the outcomes handlers wait for. */
export class JobQueue {
  readonly queue: Job[] = [];
  private readonly outcomes = new Map<number, Outcome>();
  /** Tickets a handler waits for: only their outcomes are kept. */
  private readonly awaited = new Set<number>();
  private issued = 0;
  /** The job storing the application, while it waits or runs: until it is stored the project does not exist for anyone. */
  startTicket: number | null = null;

  submit(job: Omit<Job, 'ticket'>): number {
    this.queue.push({ ...job, ticket: ++this.issued });
    return this.issued;
  }

  /** Queues the job storing the application. */
  submitStart(prepare: Job['prepare']): number {
    this.startTicket = this.submit({ prepare });
    return this.startTicket;
  }

  /** A job ended for good (stored, or refused): if it stored the application, no start waits any more. */
  ended(ticket: number): void {
    if (ticket === this.startTicket) this.startTicket = null;
  }

  /** Waits for the job's outcome: the view after it was committed, or its failure thrown. */
  async settled(ticket: number): Promise<ProjectView> {
    this.awaited.add(ticket);
    await condition(() => this.outcomes.has(ticket));
    const outcome = this.outcomes.get(ticket)!;
    this.outcomes.delete(ticket);
    this.awaited.delete(ticket);
    if (!outcome.ok) throw outcome.failure;
    return outcome.view;
  }

  isAwaited(ticket: number): boolean {
    return this.awaited.has(ticket);
  }

  /** Hands a job's outcome to the handler waiting for it (none waits for background jobs). */
  answer(ticket: number, outcome: Outcome): void {
    if (this.awaited.has(ticket)) this.outcomes.set(ticket, outcome);
  }
}
