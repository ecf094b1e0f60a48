/**
 * HTTP idempotency for every authenticated POST (docs/API.md "Idempotency").
 *
 * With an `Idempotency-Key` header, the first request with that key (per API key) runs and its
 * response is stored; a retry with the same method, path and body gets that response again
 * (`Idempotent-Replayed: true`) and changes nothing. The same key with another request → 422
 * `idempotency_conflict`; while the first is still running → 409 `idempotency_in_progress`.
 *
 * The record is inserted before the handler runs (insert … on conflict do nothing), so of two
 * concurrent requests exactly one runs. 2xx and 4xx responses are stored; after a 5xx (or a 202
 * pending: the outcome is not known yet) the record is deleted so a retry can run again. The key is put on the context for command handlers, which
 * use it as the Temporal update id, and the Update about to be sent is noted on the record, so a
 * retry after the API died mid-request asks Temporal what became of it (pending(), below).
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Database } from '../db/client.ts';
import {
  claimRecord,
  dropRecord,
  findRecord,
  noteUpdate,
  reclaim,
  storeResponse,
  type RecordId,
} from '../db/queries/idempotency.ts';
import { projectWorkflowId } from '../workflows/messages.ts';
import type { AuthEnv } from './auth.ts';
import {
  applicationUpdateId,
  commandUpdateId,
  OUTCOME_WAIT_MS,
  QUERY_DEADLINE_MS,
  type ProjectGateway,
  type UpdateState,
} from './gateway.ts';
import { ApiError, unavailable } from './problem.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's Idempotency-Key, when it sent one (set by the idempotency middleware). */
    idempotencyKey: string | undefined;
  }
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1-128 printable ASCII characters. */
const KEY_PATTERN = /^[\x20-\x7E]{1,128}$/;

/** The Idempotency-Key of this request, if any. */
export const idempotencyKeyOf = (c: Context): string | undefined => c.get('idempotencyKey');

type StoredRecord = { requestHash: string; status: number | null; response: unknown };

/** The SM3 digest a record keeps of its request: method, raw path and body. */
export function requestDigest(method: string, path: string, body: ArrayBuffer | Uint8Array): string {
  const hash = createHash('sm3');
  hash.update(`${method}\n${path}\n`, 'utf8');
  hash.update(new Uint8Array(body));
  return hash.digest('hex');
}

/**
 * A pending record that names no Temporal Update and is older than this belongs to a request whose
 * process died: no request without an Update lives this long.
 */
export const STALE_AFTER_MS = 30_000;

/**
 * An API waits this long for an Update before it answers (503, or 202 pending after asking for the
 * outcome) and drops the record (api/gateway.ts runUpdate, settle), plus a margin.
 */
const OWNER_DEADLINE_MS = QUERY_DEADLINE_MS + OUTCOME_WAIT_MS + 1_000;

/** A pending request younger than this is taken to be running still (most answer within it). */
const RUNNING_AFTER_MS = 2_000;

export interface IdempotencyOptions {
  staleAfterMs?: number;
  /** What Temporal knows of a pending record's Update (the gateway's updateState). */
  updateState?: (workflowId: string, updateId: string) => Promise<UpdateState>;
}

export function idempotency(db: Database, options: IdempotencyOptions = {}) {
  const { staleAfterMs = STALE_AFTER_MS, updateState } = options;

  /**
   * A retry found the record of an earlier attempt still pending: was that attempt's API killed?
   * When it noted the Update it sent, Temporal says: done, or never there → this retry takes the
   * record over at once and runs again (the same Update id attaches to the first attempt's Update or
   * sends it anew, so the command happens once); still running → wait until the first attempt's
   * own deadline, after which its API, if alive, would have answered and let the record go. Without
   * an Update (the attempt had not reached Temporal, or the route sends none) only time tells.
   * Retry-After says when asking again will find an answer, not "1" thirty times.
   */
  async function pending(
    record: RecordId,
    existing: NonNullable<Awaited<ReturnType<typeof findRecord>>>,
  ): Promise<{ reclaim: true } | { retryAfterMs: number }> {
    const now = Date.now();
    if (existing.workflowId && existing.updateId && existing.sentAt && updateState) {
      const ownerGone = now - existing.sentAt.getTime() > OWNER_DEADLINE_MS;
      let state: UpdateState;
      try {
        state = await updateState(existing.workflowId, existing.updateId);
      } catch {
        throw unavailable('Temporal did not answer in time; try again shortly.');
      }
      if (state !== 'in-flight' || ownerGone)
        return (await reclaim(db, record, existing.createdAt)) ? { reclaim: true } : { retryAfterMs: 1_000 };
      return { retryAfterMs: expectedIn(existing.sentAt.getTime(), existing.sentAt.getTime() + OWNER_DEADLINE_MS) };
    }
    const staleAt = existing.createdAt.getTime() + staleAfterMs;
    if (now > staleAt)
      return (await reclaim(db, record, existing.createdAt)) ? { reclaim: true } : { retryAfterMs: 1_000 };
    return { retryAfterMs: expectedIn(existing.createdAt.getTime(), staleAt) };
  }

  /**
   * When the answer is to be expected: a request that started a moment ago is most likely running
   * (answered within a second); one that has taken longer is likely dead, and its record is free
   * at `freeAt`.
   */
  const expectedIn = (startedAt: number, freeAt: number) =>
    Date.now() - startedAt < RUNNING_AFTER_MS ? 1_000 : freeAt - Date.now();

  return createMiddleware<AuthEnv>(async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      c.set('idempotencyKey', undefined);
      return next();
    }
    if (!KEY_PATTERN.test(key)) {
      throw new ApiError(
        400,
        'validation_failed',
        'Validation failed',
        `${IDEMPOTENCY_HEADER} must be 1-128 printable ASCII characters.`,
        {
          errors: [{ path: `header.${IDEMPOTENCY_HEADER}`, message: 'must be 1-128 printable ASCII characters' }],
        },
      );
    }
    const apiKeyId = c.get('actor').keyId;
    const method = c.req.method;
    // The raw, still percent-encoded path: a decoded one may hold characters (e.g. NUL) that a
    // PostgreSQL text column refuses, and the raw form identifies the request just as well.
    const path = new URL(c.req.url).pathname.slice(0, 2048);
    // Read through HonoRequest so the body stays cached for the route's validator.
    const requestHash = requestDigest(method, path, await c.req.arrayBuffer());
    const thisRecord = { apiKeyId, idempotencyKey: key };

    if (!(await claimRecord(db, thisRecord, { method, path, requestHash }))) {
      const existing = await findRecord(db, thisRecord);
      // Deleted in between (the first attempt failed with a 5xx): ask the client to retry.
      if (!existing) throw inProgress(key, 1_000);
      if (existing.requestHash !== requestHash || existing.status !== null)
        return replay(c, key, requestHash, existing);
      const outcome = await pending(thisRecord, existing);
      if ('retryAfterMs' in outcome) throw inProgress(key, outcome.retryAfterMs);
    }

    c.set('idempotencyKey', key);
    let stored = false;
    try {
      await next();
      const status = c.res.status;
      // 202 pending (api/gateway.ts OutcomePending) is no outcome: a retry with the key asks again.
      if (status < 500 && status !== 202) {
        const text = await c.res.clone().text();
        await storeResponse(db, thisRecord, status, parseJson(text));
        stored = true;
      }
    } finally {
      // A 5xx (or a failure while storing): forget the attempt so a retry runs the command again.
      if (!stored) await dropRecord(db, thisRecord);
    }
  });
}

function replay(c: Context, key: string, requestHash: string, existing: StoredRecord): Response {
  if (existing.requestHash !== requestHash) {
    throw new ApiError(
      422,
      'idempotency_conflict',
      'Idempotency key reused',
      `${IDEMPOTENCY_HEADER} "${key}" was already used for a different request (method, path or body).`,
    );
  }
  const status = existing.status as ContentfulStatusCode;
  const headers: Record<string, string> = { [REPLAYED_HEADER]: 'true' };
  if (existing.response === null) return c.body(null, status as 200, headers);
  headers['Content-Type'] = status >= 400 ? 'application/problem+json' : 'application/json';
  return c.body(JSON.stringify(existing.response), status, headers);
}

const inProgress = (key: string, retryAfterMs: number) =>
  new ApiError(
    409,
    'idempotency_in_progress',
    'Request in progress',
    `A request with ${IDEMPOTENCY_HEADER} "${key}" is still being processed; retry after the time Retry-After gives.`,
    {},
    { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  );

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The gateway with every keyed creation and command noting, on its idempotency record, the Update
 * it is about to send (workflow id, Update id, when), so that a retry after this API died can ask
 * Temporal what became of it (above).
 */
export function withUpdateNotes<G extends Pick<ProjectGateway, 'create' | 'execute'>>(gateway: G, db: Database): G {
  return {
    ...gateway,
    async create(input, idempotencyKey) {
      if (idempotencyKey) {
        const keyId = input.createdBy.keyId;
        await noteUpdate(
          db,
          { apiKeyId: keyId, idempotencyKey },
          { workflowId: projectWorkflowId(input.id), updateId: applicationUpdateId(keyId, idempotencyKey) },
        );
      }
      return gateway.create(input, idempotencyKey);
    },
    async execute(projectId, command) {
      if (command.idempotencyKey) {
        const keyId = command.actor.keyId;
        await noteUpdate(
          db,
          { apiKeyId: keyId, idempotencyKey: command.idempotencyKey },
          { workflowId: projectWorkflowId(projectId), updateId: commandUpdateId(keyId, command.idempotencyKey) },
        );
      }
      return gateway.execute(projectId, command);
    },
  };
}
