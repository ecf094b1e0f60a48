/**
 * Errors as application/problem+json (RFC 9457), docs/API.md "Errors":
 * `{type, title, status, detail, code, ...}`. Handlers throw ApiError; app.onError renders it.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { negotiateLanguage, type Language } from '../domain/labels/language.ts';
import { problemDetail, problemTitle } from '../domain/labels/problems.ts';
import { validationMessage, type ValidationIssue } from '../domain/validation-texts.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    /** What the zh-CN detail is rendered from (domain/labels/problems.ts); by default the problem's extra members. */
    readonly params: Record<string, unknown> = extra,
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }
}

export const problemType = (code: string) => `/problems/${code}`;

/**
 * The field errors of a problem in a language: each `{path, message}` of `extra.errors` with its
 * message from the catalogue (domain/validation-texts.ts validationMessage), read from the zod issue when the
 * error kept it (`params.issues`, same order), else from the English message.
 */
function localizedErrors(err: ApiError, lang: Language): unknown {
  const errors = err.extra.errors;
  if (lang === 'en' || !Array.isArray(errors)) return errors;
  const issues = Array.isArray(err.params.issues) ? (err.params.issues as ValidationIssue[]) : [];
  return errors.map((e: { path?: unknown; message?: string }, i) => ({
    ...e,
    message: validationMessage(issues[i] ?? { message: String(e.message ?? '') }, lang),
  }));
}

/**
 * Renders the problem in the caller's language (docs/API.md "Language": zh-CN by default, English on
 * `Accept-Language: en`): title and detail from the catalogue (domain/labels/problems.ts); `code` stays English.
 * The English title and detail are the ones the code wrote (and the logs show).
 */
export function problemResponse(c: Context, err: ApiError): Response {
  for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
  const lang = negotiateLanguage(c.req.header('accept-language'));
  c.header('Content-Language', lang);
  c.header('Vary', 'Accept-Language', { append: true });
  return c.body(
    JSON.stringify({
      type: problemType(err.code),
      title: problemTitle(lang, err.code, err.status, err.title),
      status: err.status,
      detail: problemDetail(lang, err.code, err.params, err.message),
      code: err.code,
      ...err.extra,
      ...(err.extra.errors !== undefined ? { errors: localizedErrors(err, lang) } : {}),
    }),
    err.status,
    { 'Content-Type': 'application/problem+json' },
  );
}

const WHERE_ZH: Record<string, string> = {
  body: '请求体',
  query: '查询参数',
  param: '路径参数',
  header: '请求头',
  json: '请求体',
};

export function validationError(error: ZodError, where: string): ApiError {
  const errors = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  // The issues themselves (code, bounds, values) let the zh-CN messages say what is wrong in Chinese.
  const issues = error.issues.map(({ path: _path, input: _input, ...rest }) => rest as ValidationIssue);
  return new ApiError(
    400,
    'validation_failed',
    'Validation failed',
    `The request ${where} is not valid.`,
    { errors },
    {},
    { where: WHERE_ZH[where] ?? where, count: errors.length, issues },
  );
}

/** `params.session`: a session cookie was presented (the zh-CN detail then asks to sign in again). */
export const unauthenticated = (
  detail = 'A valid API key is required: Authorization: Bearer <key>.',
  params: Record<string, unknown> = {},
) => new ApiError(401, 'unauthenticated', 'Unauthenticated', detail, {}, { 'WWW-Authenticate': 'Bearer' }, params);

export const forbidden = (detail: string) => new ApiError(403, 'forbidden', 'Forbidden', detail);

export const notFound = (detail: string) => new ApiError(404, 'not_found', 'Not found', detail);

export const unavailable = (detail: string, retryAfterSeconds = 5) =>
  new ApiError(503, 'unavailable', 'Service unavailable', detail, {}, { 'Retry-After': String(retryAfterSeconds) });

/** An error and its causes (drizzle and the Temporal client wrap the driver's or gRPC's error). */
export function* causeChain(err: unknown, depth = 5): Generator<unknown> {
  for (let e = err, i = 0; e && i < depth; e = (e as { cause?: unknown }).cause, i++) yield e;
}
