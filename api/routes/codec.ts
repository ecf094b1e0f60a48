/**
 * Temporal's remote codec protocol for the payload encryption of lib/codec.ts (Art. 28): POST
 * /codec/decode turns encrypted payloads into readable ones, /codec/encode the reverse. Only admin
 * keys may use it (the Temporal CLI: `temporal workflow show --codec-endpoint <api>/codec
 * --codec-auth "Bearer <admin key>"`; the Temporal UI with "pass access token" behind SSO); CORS
 * allows the Temporal UI's origin.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { requireRole } from '../auth.ts';
import { ApiError } from '../problem.ts';
import { createRouter, problem } from '../router.ts';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').max(4 * 1024 * 1024);
const jsonPayload = z.strictObject({ metadata: z.record(z.string().max(256), base64).optional(), data: base64.optional() });
const payloads = z.strictObject({ payloads: z.array(jsonPayload).max(1000) }).openapi('CodecPayloads');

const toPayload = (p: z.infer<typeof jsonPayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export function codecRoutes({ codec }: { codec: PayloadCodec }) {
  const app = createRouter();
  for (const direction of ['decode', 'encode'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/codec/${direction}`,
        tags: ['operations'],
        summary: `Temporal remote codec: ${direction} payloads (admin; Art. 28 payload encryption)`,
        security: [{ bearer: [] }],
        middleware: requireRole('admin'),
        request: { body: { content: { 'application/json': { schema: payloads } }, required: true } },
        responses: {
          200: { description: `The ${direction}d payloads, in order`, content: { 'application/json': { schema: payloads } } },
          400: problem('Invalid body, or a payload that fails authentication (tampered or unknown key)'),
          401: problem('No or unknown key'),
          403: problem('Not an admin key'),
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
