/**
 * The generated OpenAPI document, finished in one place with what every operation of a kind shares
 * (docs/API.md "Conventions"), so no route has to repeat it and none can forget it:
 * - every operation with a request body may answer 413 `payload_too_large` (bodies over 256 KiB) and
 *   415 `unsupported_media_type` (a body that is not application/json);
 * - every write operation (POST, PUT, DELETE) under /v1 may answer 429 `rate_limited` with
 *   Retry-After (api/rate-limit.ts; /codec is not rate limited);
 * - every write operation under /v1 but the person's own /v1/auth/* answers the audit administrator
 *   403 `read_only_role` (三员分立, api/auth.ts readOnlyRoles), unless it documents a 403 of its own.
 */
import { problemContent } from './router.ts';

type Operation = { requestBody?: unknown; responses?: Record<string, unknown> };
type Document = {
  paths?: Record<string, Record<string, unknown>>; // an Operation per method, and other keys
  components?: { responses?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const WRITES = new Set(['post', 'put', 'delete']);
/** The methods the audit administrator may not use (api/auth.ts readOnlyRoles: all but GET, HEAD, OPTIONS). */
const CHANGES = new Set(['post', 'put', 'delete', 'patch']);

/** Shared responses, referenced from the operations as `#/components/responses/<name>`. */
export const SHARED_RESPONSES = {
  PayloadTooLarge: {
    description:
      '`payload_too_large`: the request body is over 256 KiB (docs/API.md "Conventions"); the connection is closed after this answer',
    content: problemContent,
  },
  UnsupportedMediaType: {
    description: '`unsupported_media_type`: the request body is not sent as `application/json`',
    content: problemContent,
  },
  RateLimited: {
    description:
      '`rate_limited`: more write requests this minute than the API key may send (RATE_LIMIT_WRITES_PER_MINUTE)',
    headers: {
      'Retry-After': { description: 'Seconds until the key may write again', schema: { type: 'integer', minimum: 1 } },
    },
    content: problemContent,
  },
  ReadOnlyRole: {
    description:
      '`read_only_role`: the audit administrator (`auditadmin`, 三员分立) reads and changes nothing; or `forbidden`: the role may not call this operation',
    content: problemContent,
  },
} as const;

const ref = (name: keyof typeof SHARED_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

/** Adds the shared responses to every operation they apply to (returns the same document). */
export function finishDocument<T extends object>(generated: T): T {
  const doc = generated as Document;
  doc.components ??= {};
  doc.components.responses = { ...doc.components.responses, ...SHARED_RESPONSES };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const responses = (operation.responses ??= {});
      if (operation.requestBody) {
        responses['413'] ??= ref('PayloadTooLarge');
        responses['415'] ??= ref('UnsupportedMediaType');
      }
      if (WRITES.has(method) && path.startsWith('/v1/')) responses['429'] ??= ref('RateLimited');
      if (
        CHANGES.has(method) &&
        path.startsWith('/v1/') &&
        !path.startsWith('/v1/auth/') &&
        !path.startsWith('/v1/public/')
      )
        responses['403'] ??= ref('ReadOnlyRole');
    }
  }
  return generated;
}
