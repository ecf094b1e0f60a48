/**
 * Webhook delivery from the notifications outbox (docs/API.md "Webhooks").
 *
 * A loop in the worker process (docs/WEBHOOKS.md says why not a Temporal workflow): each pass
 * 1. enqueues, per live subscription, the notifications after its cursor that match its role,
 *    department and kinds into `webhook_deliveries` (once per subscription and notification);
 * 2. sends, per subscription and project, the oldest pending delivery whose time has come — a later
 *    notification of a project waits until the earlier one is delivered or given up (order per project);
 * 3. logs every attempt in `webhook_attempts`; a failure is retried with exponential backoff
 *    (1 s, 2 s, 4 s, … at most 1 h between attempts) until 24 h after the notification was enqueued.
 *
 * Everything lives in the database (cursor, deliveries, attempts, the next attempt's time), so a
 * restart carries on where it stopped; a crash mid-send re-sends after the claim's lease (at least
 * once). Commands never wait for it: notifications are written by the command's transaction, the
 * delivery happens later here.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { and, asc, eq, gt, inArray, isNull, lte, max, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { notifications, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../db/schema.ts';
import type { Logger } from './logger.ts';
import { createAddressGuard, WebhookAddressRefused, type AddressGuard, type WebhookAddressPolicy } from './webhook-address.ts';

export interface WebhookDispatcherOptions {
  db: Database;
  log?: Logger | undefined;
  /** Delay after the first failed attempt; doubles per attempt (default 1 s). */
  baseDelayMs?: number;
  /** Longest delay between attempts (default 1 h). */
  maxDelayMs?: number;
  /** Attempts stop this long after the delivery was enqueued (default 24 h). */
  giveUpAfterMs?: number;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Between passes of the loop (default 1 s). */
  intervalMs?: number;
  /** A notification row is settled (no earlier id can still commit) this long after it was written (default 60 s). */
  settleMs?: number;
  /** Where receivers may be (lib/webhook-address.ts; lib/config.ts webhookPolicy). Default: public addresses only. */
  policy?: WebhookAddressPolicy | undefined;
}

/**
 * POSTs `body` to `url` and answers the status: node:http(s) with the guard's lookup, so the socket
 * connects only to an address the policy allows (a name is judged by what it resolves to now; an
 * address literal before any connection is made). No redirects are followed.
 */
async function post(guard: AddressGuard, url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const refusal = await guard.refusalOf(host, port);
    if (refusal) throw new WebhookAddressRefused(refusal, host);
  }
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, lookup: guard.guardedLookup(port) as never, agent: false, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })));
    request.on('error', reject);
    request.end(body);
  });
}

/** `sm3=<hex HMAC-SM3 of the raw body with the secret>` (docs/WEBHOOKS.md shows how to verify it). */
export const signBody = (secret: string, body: string): string => `sm3=${createHmac('sm3', secret).update(body, 'utf8').digest('hex')}`;

/** Only http(s) URLs are accepted for subscriptions. */
export function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** The highest notification id now: a new subscription receives what comes after it. */
export async function currentOutboxPosition(db: Database): Promise<number> {
  const [row] = await db.select({ id: max(notifications.id) }).from(notifications);
  return Number(row?.id ?? 0);
}

export function backoffMs(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const { db, log } = options;
  const base = options.baseDelayMs ?? 1_000;
  const cap = options.maxDelayMs ?? 3_600_000;
  const giveUp = options.giveUpAfterMs ?? 24 * 3_600_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 1_000;
  const settleMs = options.settleMs ?? 60_000;
  const guard = createAddressGuard(options.policy ?? { allowedNetworks: [], systemEndpoints: [] });
  /** A claimed delivery is not sent again before this (a crash mid-send: sent again after it). */
  const leaseMs = timeoutMs + 30_000;

  async function enqueue(): Promise<number> {
    const subs = await db.select().from(webhookSubscriptions).where(isNull(webhookSubscriptions.deletedAt));
    let enqueued = 0;
    for (const sub of subs) {
      const conditions = [gt(notifications.id, sub.cursor)];
      if (sub.role) conditions.push(eq(notifications.recipientRole, sub.role));
      if (sub.department) conditions.push(eq(notifications.recipientDepartment, sub.department));
      if (sub.kinds && sub.kinds.length > 0) conditions.push(inArray(notifications.kind, sub.kinds));
      const rows = await db
        .select({ id: notifications.id, eventId: notifications.eventId, projectId: notifications.projectId })
        .from(notifications)
        .where(and(...conditions))
        .orderBy(asc(notifications.id));
      if (rows.length > 0) {
        const inserted = await db
          .insert(webhookDeliveries)
          .values(rows.map((n) => ({ subscriptionId: sub.id, notificationId: n.id, eventId: n.eventId, projectId: n.projectId })))
          .onConflictDoNothing()
          .returning({ id: webhookDeliveries.id });
        enqueued += inserted.length;
      }
      // Advance over rows written long enough ago that no lower id can still commit (ids are taken
      // at insert, commits may come in another order); newer ones are looked at again next pass.
      const [settled] = await db
        .select({ id: max(notifications.id) })
        .from(notifications)
        .where(and(gt(notifications.id, sub.cursor), lte(notifications.recordedAt, new Date(Date.now() - settleMs))));
      if (settled?.id) {
        await db
          .update(webhookSubscriptions)
          .set({ cursor: sql`greatest(${webhookSubscriptions.cursor}, ${Number(settled.id)})` })
          .where(eq(webhookSubscriptions.id, sub.id));
      }
    }
    return enqueued;
  }

  /** The oldest pending delivery per (subscription, project), when its time has come. */
  async function dueHeads() {
    const heads = await db
      .selectDistinctOn([webhookDeliveries.subscriptionId, webhookDeliveries.projectId])
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId), isNull(webhookSubscriptions.deletedAt)))
      .where(eq(webhookDeliveries.status, 'pending'))
      .orderBy(webhookDeliveries.subscriptionId, webhookDeliveries.projectId, asc(webhookDeliveries.notificationId));
    const now = Date.now();
    return heads.filter((h) => h.webhook_deliveries.nextAttemptAt.getTime() <= now);
  }

  async function attempt(delivery: typeof webhookDeliveries.$inferSelect, sub: typeof webhookSubscriptions.$inferSelect): Promise<void> {
    // Claim it: another worker process (or an earlier pass still sending) leaves it alone until the lease ends.
    const claimed = await db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() + leaseMs), attempts: sql`${webhookDeliveries.attempts} + 1` })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, new Date())))
      .returning();
    const d = claimed[0];
    if (!d) return;
    const [n] = await db.select().from(notifications).where(eq(notifications.id, d.notificationId));
    if (!n) return;
    const timestamp = new Date().toISOString();
    const body = JSON.stringify({
      eventId: n.eventId,
      timestamp,
      kind: n.kind,
      projectId: n.projectId,
      recipient: { role: n.recipientRole, department: n.recipientDepartment },
      params: n.params,
      detail: n.detail,
      dueAt: n.dueAt?.toISOString() ?? null,
      basis: n.basis,
      createdAt: n.createdAt.toISOString(),
    });
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const status = await post(
        guard,
        new URL(sub.url),
        {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'jincheng-bdp-webhooks/1',
          'X-Event-Id': n.eventId,
          'X-Timestamp': timestamp,
          'X-Signature': signBody(sub.secret, body),
        },
        body,
        timeoutMs,
      );
      statusCode = status;
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (err) {
      // A refused receiver: nothing was sent (issue 28); the attempt says why, without internals.
      error =
        err instanceof WebhookAddressRefused
          ? `refused: ${err.refusal}${err.address ? ` ${err.address}` : ''}`
          : err instanceof Error
            ? `${err.name}: ${(err.cause as Error | undefined)?.message ?? err.message}`.slice(0, 500)
            : String(err);
    }
    const latencyMs = Math.round(performance.now() - started);
    const ok = error === null;
    await db.insert(webhookAttempts).values({ deliveryId: d.id, subscriptionId: sub.id, eventId: n.eventId, attempt: d.attempts, ok, statusCode, latencyMs, error });
    if (ok) {
      await db.update(webhookDeliveries).set({ status: 'delivered', deliveredAt: new Date() }).where(eq(webhookDeliveries.id, d.id));
      return;
    }
    const next = Date.now() + backoffMs(d.attempts, base, cap);
    const expired = next > d.createdAt.getTime() + giveUp;
    await db
      .update(webhookDeliveries)
      .set(expired ? { status: 'failed' } : { nextAttemptAt: new Date(next) })
      .where(eq(webhookDeliveries.id, d.id));
    log?.warn({ subscriptionId: sub.id, eventId: n.eventId, attempt: d.attempts, statusCode, error, gaveUp: expired }, 'webhook delivery failed');
  }

  /** One pass: enqueue, then one attempt per due (subscription, project) head, in parallel. */
  async function runOnce(): Promise<{ enqueued: number; attempted: number }> {
    const enqueued = await enqueue();
    const heads = await dueHeads();
    await Promise.all(heads.map((h) => attempt(h.webhook_deliveries, h.webhook_subscriptions)));
    return { enqueued, attempted: heads.length };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const loop = () => {
    running = runOnce()
      .catch((err) => log?.warn({ err }, 'webhook pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };

  return {
    runOnce,
    /** Starts the loop (the worker process and `npm start`). */
    start(): void {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    /** Stops the loop and waits for the pass in flight. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
