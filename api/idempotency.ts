/**
 * HTTP idempotency for every authenticated POST (shared/API.md "Idempotency").
 *
 * With an `Idempotency-Key` header, the first request with that key (per API key) runs and its
 * response is stored; a retry with the same method, path and body gets that response again
 * (`Idempotent-Replayed: true`) and changes nothing. The same key with another request → 422
 * `idempotency_conflict`; while the first is still running → 409 `idempotency_in_progress`.
 *
 * The record is inserted before the handler runs (insert … on conflict do nothing), so of two
 * concurrent requests exactly one runs. 2xx and 4xx responses are stored; after a 5xx (or a 202
 * pending: the outcome is not known yet) the record is deleted so a retry can run again. The key is put on the context for command handlers, which
 * use it as the Temporal update id.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Database } from '../db/client.ts';
import { claimRecord, dropRecord, findRecord, storeResponse, takeOverStale } from '../db/queries/idempotency.ts';
import type { AuthEnv } from './auth.ts';
import { ApiError } from './problem.ts';

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

function sm3Request(method: string, path: string, body: ArrayBuffer): string {
  const hash = createHash('sm3');
  hash.update(`${method}\n${path}\n`, 'utf8');
  hash.update(new Uint8Array(body));
  return hash.digest('hex');
}

/** A pending record older than this belongs to a request whose process died (see below). */
export const STALE_AFTER_MS = 30_000;

export function idempotency(db: Database, staleAfterMs = STALE_AFTER_MS) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      c.set('idempotencyKey', undefined);
      return next();
    }
    if (!KEY_PATTERN.test(key)) {
      throw new ApiError(400, 'validation_failed', 'Validation failed', `${IDEMPOTENCY_HEADER} must be 1-128 printable ASCII characters.`, {
        errors: [{ path: `header.${IDEMPOTENCY_HEADER}`, message: 'must be 1-128 printable ASCII characters' }],
      });
    }
    const apiKeyId = c.get('actor').keyId;
    const method = c.req.method;
    // The raw, still percent-encoded path: a decoded one may hold characters (e.g. NUL) that a
    // PostgreSQL text column refuses, and the raw form identifies the request just as well.
    const path = new URL(c.req.url).pathname.slice(0, 2048);
    // Read through HonoRequest so the body stays cached for the route's validator.
    const requestHash = sm3Request(method, path, await c.req.arrayBuffer());
    const thisRecord = { apiKeyId, idempotencyKey: key };

    if (!(await claimRecord(db, thisRecord, { method, path, requestHash }))) {
      const existing = await findRecord(db, thisRecord);
      // Deleted in between (the first attempt failed with a 5xx): ask the client to retry.
      if (!existing) throw inProgress(key);
      // The first attempt's process died before answering (or is still waiting for Temporal's
      // outcome, api/gateway.ts settle): this retry takes the record over, once, and runs again —
      // commands are Temporal Updates with the key as update id, so running again attaches to the
      // same update and returns the original result.
      const stale = existing.status === null && existing.requestHash === requestHash && Date.now() - existing.createdAt.getTime() > staleAfterMs;
      const takenOver = stale && (await takeOverStale(db, thisRecord, staleAfterMs));
      if (!takenOver) return replay(c, key, requestHash, existing);
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
  if (existing.status === null) throw inProgress(key);
  const status = existing.status as ContentfulStatusCode;
  const headers: Record<string, string> = { [REPLAYED_HEADER]: 'true' };
  if (existing.response === null) return c.body(null, status as 200, headers);
  headers['Content-Type'] = status >= 400 ? 'application/problem+json' : 'application/json';
  return c.body(JSON.stringify(existing.response), status, headers);
}

const inProgress = (key: string) =>
  new ApiError(
    409,
    'idempotency_in_progress',
    'Request in progress',
    `A request with ${IDEMPOTENCY_HEADER} "${key}" is still being processed; retry shortly.`,
    {},
    { 'Retry-After': '1' },
  );

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
