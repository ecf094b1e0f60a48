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
 * delivery happens later here. The storage is given as a `WebhookStore` (db/queries/webhooks.ts
 * `webhookStore`): this module sends, signs, retries and guards, and runs no SQL itself.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Logger } from './logger.ts';
import {
  createAddressGuard,
  WebhookAddressRefused,
  type AddressGuard,
  type WebhookAddressPolicy,
} from './webhook-address.ts';

/** A delivery as the dispatcher sees it (a `webhook_deliveries` row). */
export interface WebhookDelivery {
  id: number;
  /** Attempts so far, the claimed one included. */
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  notificationId: number;
}

/** A subscription as the dispatcher sees it (a `webhook_subscriptions` row). */
export interface WebhookSubscription {
  id: string;
  url: string;
  secret: string;
}

/** The notification a delivery sends (a `notifications` row). */
export interface WebhookNotification {
  eventId: string;
  kind: string;
  projectId: string;
  recipientRole: string;
  recipientDepartment: string | null;
  params: Record<string, string | number | boolean | null>;
  detail: string;
  dueAt: Date | null;
  basis: string;
  createdAt: Date;
}

/** Where the loop keeps its cursor, deliveries and attempts (db/queries/webhooks.ts `webhookStore`). */
export interface WebhookStore {
  /** Enqueues what matches each live subscription after its cursor; advances the cursor over rows settled `settleMs` ago. */
  enqueue(settleMs: number): Promise<number>;
  /** The oldest pending delivery per (live subscription, project), due or not. */
  pendingHeads(): Promise<Array<{ delivery: WebhookDelivery; subscription: WebhookSubscription }>>;
  /** Claims a due pending delivery for `leaseMs`, counting the attempt; undefined when it is not due (any more). */
  claim(id: number, leaseMs: number): Promise<WebhookDelivery | undefined>;
  notification(id: number): Promise<WebhookNotification | undefined>;
  recordAttempt(attempt: {
    deliveryId: number;
    subscriptionId: string;
    eventId: string;
    attempt: number;
    ok: boolean;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
  }): Promise<void>;
  delivered(id: number): Promise<void>;
  /** Tried again at `next`, or given up when `next` is undefined. */
  reschedule(id: number, next: Date | undefined): Promise<void>;
}

export interface WebhookDispatcherOptions {
  store: WebhookStore;
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
async function post(
  guard: AddressGuard,
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const refusal = await guard.refusalOf(host, port);
    if (refusal) throw new WebhookAddressRefused(refusal, host);
  }
  return new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guard.guardedLookup(port),
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () =>
      request.destroy(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** `sm3=<hex HMAC-SM3 of the raw body with the secret>` (docs/WEBHOOKS.md shows how to verify it). */
export const signBody = (secret: string, body: string): string =>
  `sm3=${createHmac('sm3', secret).update(body, 'utf8').digest('hex')}`;

/** Only http(s) URLs are accepted for subscriptions. */
export function isWebhookUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export function backoffMs(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const { store, log } = options;
  const base = options.baseDelayMs ?? 1_000;
  const cap = options.maxDelayMs ?? 3_600_000;
  const giveUp = options.giveUpAfterMs ?? 24 * 3_600_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 1_000;
  const settleMs = options.settleMs ?? 60_000;
  const guard = createAddressGuard(options.policy ?? { allowedNetworks: [], systemEndpoints: [] });
  /** A claimed delivery is not sent again before this (a crash mid-send: sent again after it). */
  const leaseMs = timeoutMs + 30_000;

  /** The oldest pending delivery per (subscription, project), when its time has come. */
  async function dueHeads() {
    const heads = await store.pendingHeads();
    const now = Date.now();
    return heads.filter((h) => h.delivery.nextAttemptAt.getTime() <= now);
  }

  async function attempt(delivery: WebhookDelivery, sub: WebhookSubscription): Promise<void> {
    // Claim it: another worker process (or an earlier pass still sending) leaves it alone until the lease ends.
    const d = await store.claim(delivery.id, leaseMs);
    if (!d) return;
    const n = await store.notification(d.notificationId);
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
      // A refused receiver: nothing was sent; the attempt says why, without internals.
      error =
        err instanceof WebhookAddressRefused
          ? `refused: ${err.refusal}${err.address ? ` ${err.address}` : ''}`
          : err instanceof Error
            ? `${err.name}: ${(err.cause as Error | undefined)?.message ?? err.message}`.slice(0, 500)
            : String(err);
    }
    const latencyMs = Math.round(performance.now() - started);
    const ok = error === null;
    await store.recordAttempt({
      deliveryId: d.id,
      subscriptionId: sub.id,
      eventId: n.eventId,
      attempt: d.attempts,
      ok,
      statusCode,
      latencyMs,
      error,
    });
    if (ok) {
      await store.delivered(d.id);
      return;
    }
    const next = Date.now() + backoffMs(d.attempts, base, cap);
    const expired = next > d.createdAt.getTime() + giveUp;
    await store.reschedule(d.id, expired ? undefined : new Date(next));
    log?.warn(
      { subscriptionId: sub.id, eventId: n.eventId, attempt: d.attempts, statusCode, error, gaveUp: expired },
      'webhook delivery failed',
    );
  }

  /** One pass: enqueue, then one attempt per due (subscription, project) head, in parallel. */
  async function runOnce(): Promise<{ enqueued: number; attempted: number }> {
    const enqueued = await store.enqueue(settleMs);
    const heads = await dueHeads();
    await Promise.all(heads.map((h) => attempt(h.delivery, h.subscription)));
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
