/**
 * What keeps the service running: HTTP idempotency records, rate-limit counters and worker heartbeats.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * HTTP idempotency (docs/API.md "Idempotency"): the first response to a (key, Idempotency-Key) pair, with the
 * request's hash so a reuse with another body is refused (422 idempotency_conflict).
 */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    apiKeyId: text('api_key_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The Temporal Update the request sent (api/idempotency.ts), noted just before it was sent: a
     * retry finding the record still pending asks Temporal what became of it instead of waiting.
     */
    workflowId: text('workflow_id'),
    updateId: text('update_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] })],
);

/**
 * Abuse limits' counters (api/rate-limit.ts): one fixed window per bucket — `write:<key id>`,
 * `upload:<key id>`, `sign-in:<address>` — counted by one atomic upsert, so every API process on
 * the database enforces one limit (in memory, two processes let twice the limit through).
 * Rows of windows long past are swept.
 */
export const rateCounters = pgTable(
  'rate_counters',
  {
    bucket: text('bucket').primaryKey(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [index('rate_counters_window_idx').on(t.windowStart)],
);

/**
 * Worker processes that are alive (api/routes/health.ts): each worker writes its row every few
 * seconds while it runs and deletes it when it stops. Temporal's poller list cannot say this in
 * seconds: an idle worker's long poll is renewed only once a minute, and a dead one's last poll
 * looks just as recent. Keyed by the worker's Temporal identity, which /readyz matches against the
 * task queue's pollers.
 */
export const workerHeartbeats = pgTable(
  'worker_heartbeats',
  {
    taskQueue: text('task_queue').notNull(),
    identity: text('identity').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskQueue, t.identity] })],
);
