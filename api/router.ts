/**
 * Every sub-app is an OpenAPIHono whose zod schemas are at once the validator, the TypeScript type
 * and the OpenAPI document. A failed validation becomes a 400 validation_failed problem.
 */
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { AuthEnv } from './auth.ts';
import { validationError } from './problem.ts';

export function createRouter<E extends Env = AuthEnv>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

/** The problem+json response every route documents for its errors. */
export const problemContent = {
  'application/problem+json': {
    schema: {
      type: 'object' as const,
      required: ['type', 'title', 'status', 'code'],
      properties: {
        type: { type: 'string' as const },
        title: { type: 'string' as const },
        status: { type: 'integer' as const },
        detail: { type: 'string' as const },
        code: { type: 'string' as const },
      },
    },
  },
};

export const problem = (description: string) => ({ description, content: problemContent });

/** A JSON request or response body for an OpenAPI route. */
export const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** Routes behind the bearer API key or a personal account's session cookie (issue 16). */
export const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];

/** Routes for a personal account's session only (/v1/auth/*). */
export const sessionSecurity: Array<Record<string, string[]>> = [{ session: [] }];

/** The request reached us over TLS, or a TLS-terminating proxy says so (X-Forwarded-Proto). */
export function overHttps(url: string, forwardedProto: string | undefined): boolean {
  if (new URL(url).protocol === 'https:') return true;
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}
