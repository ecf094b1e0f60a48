/**
 * Webhook subscriptions (docs/API.md "Webhooks"): the system administrator (三员分立) only. The secret is stored to sign with
 * and never shown again; delivery runs in the worker process (lib/webhooks.ts).
 */
import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import {
  attemptsOf,
  deleteSubscription,
  insertSubscription,
  liveSubscriptions,
  subscriptionExists,
  type WebhookSubscriptionRow,
} from '../../db/queries/webhooks.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import { storableString } from '../../domain/field-schemas.ts';
import { isWebhookUrl } from '../../lib/webhooks.ts';
import { createAddressGuard, type WebhookAddressPolicy } from '../../lib/webhook-address.ts';
import { requireDuty, trailActor } from '../auth.ts';
import { recordAdminChange } from '../../db/queries/admin-trail.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';

const createBody = z
  .strictObject({
    // The storable-text schema of every other text (domain/field-schemas.ts): NUL or a lone surrogate → 400.
    url: storableString()
      .max(2048)
      .refine(isWebhookUrl, { message: 'must be an http(s) URL without credentials' })
      .meta({ example: 'https://bureau.example/hooks/bdp' }),
    secret: storableString().min(16, 'must be at least 16 characters').max(256),
    role: z.enum(ROLES).optional(),
    department: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'is not a department code')
      .optional(),
    kinds: z
      .array(z.string().regex(/^[a-z-]{1,64}$/, 'is not a notification kind'))
      .max(100)
      .optional(),
  })
  .meta({ id: 'WebhookSubscriptionInput' });

const subscription = z
  .object({
    id: z.string(),
    url: z.string(),
    role: z.enum(ROLES).nullable(),
    department: z.string().nullable(),
    kinds: z.array(z.string()).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookSubscription' });

const attempt = z
  .object({
    eventId: z.string(),
    attempt: z.number().int(),
    ok: z.boolean(),
    status: z.number().int().nullable().describe('HTTP status of the answer; null when none came'),
    latencyMs: z.number().int(),
    error: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'WebhookAttempt' });

const idParam = z.object({ id: z.string().regex(/^wh_[0-9a-f]{16}$/, 'is not a webhook id') });

const view = (row: WebhookSubscriptionRow) => ({
  id: row.id,
  url: row.url,
  role: row.role as (typeof ROLES)[number] | null,
  department: row.department,
  kinds: row.kinds ?? null,
  createdAt: row.createdAt.toISOString(),
});

const adminOnly = requireDuty('configuration');
const denied = {
  401: problem('No or unknown key'),
  403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
};

export function webhookRoutes({ db, policy }: { db: Database; policy?: WebhookAddressPolicy | undefined }) {
  const app = createRouter();
  const guard = createAddressGuard(policy ?? { allowedNetworks: [], systemEndpoints: [] });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/webhooks',
      tags: ['admin'],
      summary: 'Subscribe a URL to notifications (the secret is never shown again)',
      description:
        'Every notification written after the subscription that matches `role`, `department` and `kinds` (each absent: any) ' +
        'is POSTed to `url` at least once, in order per project, with `X-Event-Id`, `X-Timestamp` and ' +
        '`X-Signature: sm3=<hex HMAC-SM3 of the raw body with the secret>`; failures are retried with exponential backoff for 24 h. ' +
        'The receiver is judged by the addresses its host resolves to, now and at every delivery: loopback, link-local, unspecified, ' +
        "multicast, this machine's own addresses and the system's own endpoints (Temporal, PostgreSQL, S3, the API) are refused; " +
        'private ranges only inside WEBHOOK_ALLOWED_NETWORKS (422 `webhook_address_refused` with `reason`).',
      security,
      middleware: adminOnly,
      request: { body: { content: json(createBody), required: true } },
      responses: {
        201: { description: 'Subscribed', content: json(subscription) },
        400: problem('Invalid body'),
        ...denied,
        422: problem(
          '`webhook_address_refused`: the URL resolves to an address webhooks may not reach (`reason`: loopback, link-local, unspecified, multicast, own-address, system-endpoint, private, unresolvable)',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // SSRF: judged by what the host resolves to; nothing is sent to it here.
      const refused = await guard.checkUrl(body.url);
      if (refused) {
        throw new ApiError(
          422,
          'webhook_address_refused',
          'Receiver address refused',
          `The webhook URL resolves to ${refused.address ?? 'no address'} (${refused.refusal}); webhooks may not be sent there.`,
          {
            reason: refused.refusal,
            address: refused.address,
          },
        );
      }
      const row = await recordAdminChange(db, trailActor(c), 'webhook.create', async (tx) => {
        const created = await insertSubscription(tx, {
          id: `wh_${randomBytes(8).toString('hex')}`,
          url: body.url,
          secret: body.secret,
          role: body.role ?? null,
          department: body.department ?? null,
          kinds: body.kinds && body.kinds.length > 0 ? body.kinds : null,
          createdBy: c.get('actor').keyId,
        });
        // Never the secret: only that one is set.
        return { result: created, target: created.id, before: null, after: { ...view(created), secret: 'set' } };
      });
      return c.json(view(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/webhooks',
      tags: ['admin'],
      summary: 'List webhook subscriptions (never their secrets)',
      security,
      middleware: adminOnly,
      responses: {
        200: {
          description: 'Live subscriptions, newest first',
          content: json(z.object({ items: z.array(subscription) })),
        },
        ...denied,
      },
    }),
    async (c) => {
      const rows = await liveSubscriptions(db);
      return c.json({ items: rows.map(view) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/webhooks/{id}',
      tags: ['admin'],
      summary: 'Delete a webhook subscription (no further deliveries; its attempts stay readable)',
      security,
      middleware: adminOnly,
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        400: problem('Malformed id'),
        404: problem('No such subscription'),
        ...denied,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await recordAdminChange(db, trailActor(c), 'webhook.delete', async (tx) => {
        const deleted = await deleteSubscription(tx, id, new Date());
        if (!deleted) throw notFound(`No webhook subscription ${id}.`);
        return { result: undefined, target: id, before: view(deleted), after: null };
      });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/webhooks/{id}/deliveries',
      tags: ['admin'],
      summary: 'Delivery attempts of a subscription, newest first (at most 500)',
      security,
      middleware: adminOnly,
      request: { params: idParam },
      responses: {
        200: { description: 'Attempts', content: json(z.object({ items: z.array(attempt) })) },
        400: problem('Malformed id'),
        404: problem('No such subscription'),
        ...denied,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await subscriptionExists(db, id))) throw notFound(`No webhook subscription ${id}.`);
      const rows = await attemptsOf(db, id, 500);
      return c.json(
        {
          items: rows.map((r) => ({
            eventId: r.eventId,
            attempt: r.attempt,
            ok: r.ok,
            status: r.statusCode,
            latencyMs: r.latencyMs,
            error: r.error,
            at: r.at.toISOString(),
          })),
        },
        200,
      );
    },
  );

  return app;
}
