/**
 * Every sub-app is an OpenAPIHono whose zod schemas are at once the validator, the TypeScript type
 * and the OpenAPI document. A failed validation becomes a 400 validation_failed problem.
 */
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { AuthEnv } from './auth.ts';
import { misleadingText } from '../domain/field-schemas.ts';
import { ApiError, validationError } from './problem.ts';

/** Secrets are compared, not read: any character is theirs (the password rules count visible ones). */
const SECRET_FIELDS = new Set(['password', 'currentPassword', 'newPassword', 'secret', 'totp', 'code']);

/**
 * Every string of a valid JSON body that would mislead a reader (domain/field-schemas.ts misleadingText:
 * blank-looking, or bidi override/isolate controls), with its path — after the schema, so one rule
 * covers titles, names, descriptions and opinions alike. At the API only: the workflow's own checks
 * (replayed) are unchanged.
 */
function misleadingStrings(value: unknown, path: string[]): Array<{ path: string; message: string }> {
  if (typeof value === 'string') {
    const problem = SECRET_FIELDS.has(path.at(-1) ?? '') ? undefined : misleadingText(value);
    return problem ? [{ path: path.join('.'), message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => misleadingStrings(v, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => misleadingStrings(v, [...path, k]));
  return [];
}

export function createRouter<E extends Env = AuthEnv>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
      if (result.target !== 'json') return;
      const errors = misleadingStrings((result as { data?: unknown }).data, ['json']);
      if (errors.length > 0)
        throw new ApiError(
          400,
          'validation_failed',
          'Validation failed',
          'The request json is not valid.',
          { errors },
          {},
          { where: '请求体' },
        );
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

/** Routes behind the bearer API key or a personal account's session cookie. */
export const security: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];

/** Routes for a personal account's session only (/v1/auth/*). */
export const sessionSecurity: Array<Record<string, string[]>> = [{ session: [] }];

/** The request reached us over TLS, or a TLS-terminating proxy says so (X-Forwarded-Proto). */
export function overHttps(url: string, forwardedProto: string | undefined): boolean {
  if (new URL(url).protocol === 'https:') return true;
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}
