/**
 * Temporal's remote codec protocol for the payload encryption of lib/codec.ts (Art. 28): POST
 * /codec/decode turns encrypted payloads into readable ones, /codec/encode the reverse. Only admin
 * keys may use it; CORS allows the Temporal UI's origin only.
 * - The Temporal CLI sends the key: `temporal workflow show --codec-endpoint <api>/codec
 *   --codec-auth "Bearer <admin key>"`.
 * - The Temporal UI cannot send an API key; it sends cookies when its codec setting "include
 *   credentials" is on. An administrator opens <api>/codec/session once, signs in with the admin
 *   key, and the API sets an HttpOnly, SameSite=Strict session cookie for /codec (8 hours, tied to
 *   the key: revoking the key ends it).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { deleteCookie, setCookie } from 'hono/cookie';
import { CODEC_SESSION_COOKIE, requireDuty, type KeyStore } from '../auth.ts';
import { ApiError, unauthenticated } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';

const base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
  .max(4 * 1024 * 1024);
const jsonPayload = z.strictObject({
  metadata: z.record(z.string().max(256), base64).optional(),
  data: base64.optional(),
});
const payloads = z.strictObject({ payloads: z.array(jsonPayload).max(1000) }).openapi('CodecPayloads');

const toPayload = (p: z.infer<typeof jsonPayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/** How long a codec session lasts: one working day. */
export const CODEC_SESSION_TTL_MS = 8 * 3_600_000;

/** The sign-in page: the key goes in an Authorization header, never in a URL or a form post. */
const SIGN_IN_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Codec session</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Temporal UI: decrypted payloads</h1>
<p>Sign in with an <b>admin</b> API key. The API sets a session cookie for <code>/codec</code>; in the
Temporal UI's Codec Server settings choose the browser setting, enter this API's <code>/codec</code> and tick
"Include cross-origin credentials".</p>
<form id="f"><input id="k" type="password" autocomplete="off" size="60" placeholder="bdp_…" required>
<button>Sign in</button> <button type="button" id="out">Sign out</button></form><p id="r" role="status"></p>
<script>
const say = (t) => (document.getElementById('r').textContent = t);
document.getElementById('f').onsubmit = async (e) => {
  e.preventDefault();
  const res = await fetch('session', { method: 'POST', headers: { Authorization: 'Bearer ' + document.getElementById('k').value } });
  const body = await res.json();
  say(res.ok ? 'Signed in until ' + body.expiresAt : body.title + ': ' + body.detail);
};
document.getElementById('out').onclick = async () => { await fetch('session', { method: 'DELETE' }); say('Signed out.'); };
</script></body></html>`;

const session = z.object({ keyId: z.string(), expiresAt: z.string().datetime() }).openapi('CodecSession');

export function codecRoutes({ codec, keys }: { codec: PayloadCodec; keys: KeyStore }) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/codec/session',
      tags: ['operations'],
      summary: 'The codec sign-in page for administrators (HTML; no key needed to load it)',
      responses: { 200: { description: 'The sign-in page', content: { 'text/html': { schema: z.string() } } } },
    }),
    (c) => c.html(SIGN_IN_PAGE, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/codec/session',
      tags: ['operations'],
      summary:
        'Start a codec session for the Temporal UI (a `sysadmin` or the start-up key in the Authorization header; sets an HttpOnly cookie)',
      security,
      middleware: requireDuty('configuration'),
      responses: {
        200: { description: 'The session cookie is set', content: json(session) },
        401: problem('No or unknown key (a session cannot renew itself)'),
        403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
      },
    }),
    async (c) => {
      if (!c.req.header('authorization')) throw unauthenticated('Present the admin key itself to start a session.');
      const actor = c.get('actor');
      const { token, expiresAt } = await keys.issueSession(actor, CODEC_SESSION_TTL_MS);
      const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
      setCookie(c, CODEC_SESSION_COOKIE, token, {
        path: '/codec',
        httpOnly: true,
        sameSite: 'Strict',
        secure,
        maxAge: CODEC_SESSION_TTL_MS / 1000,
      });
      return c.json({ keyId: actor.keyId, expiresAt: expiresAt.toISOString() }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/codec/session',
      tags: ['operations'],
      summary: 'End the codec session of this browser (clears the cookie; no key needed)',
      responses: { 204: { description: 'The session cookie is cleared' } },
    }),
    (c) => {
      deleteCookie(c, CODEC_SESSION_COOKIE, { path: '/codec' });
      return c.body(null, 204);
    },
  );

  for (const direction of ['decode', 'encode'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/codec/${direction}`,
        tags: ['operations'],
        summary: `Temporal remote codec: ${direction} payloads (\`sysadmin\`, start-up key; Art. 28 payload encryption)`,
        security,
        middleware: requireDuty('configuration'),
        request: { body: { content: json(payloads), required: true } },
        responses: {
          200: { description: `The ${direction}d payloads, in order`, content: json(payloads) },
          400: problem('Invalid body, or a payload that fails authentication (tampered or unknown key)'),
          401: problem('No or unknown key'),
          403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
        },
      }),
      async (c) => {
        const input = c.req.valid('json').payloads.map(toPayload);
        let output: Payload[];
        try {
          output = direction === 'decode' ? await codec.decode(input) : await codec.encode(input);
        } catch (err) {
          throw new ApiError(400, 'undecodable', 'Payload not decodable', (err as Error).message);
        }
        return c.json({ payloads: output.map(toJson) }, 200);
      },
    );
  }
  return app;
}
