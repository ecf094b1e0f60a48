/**
 * 405 Method Not Allowed (RFC 9110 §15.5.6) for a known path asked with a method it does not have
 * (TRACE, PATCH, DELETE on a list, …): problem+json `method_not_allowed` with an `Allow` header,
 * before authentication, instead of a 404 that would say the resource does not exist. OPTIONS on a
 * known path answers 204 with `Allow` (CORS preflights on /codec are left to the CORS middleware).
 * Unknown paths go on to the 404 of app.notFound.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './problem.ts';

interface RouteEntry {
  method: string;
  path: string;
}

/** A Hono route path (`/v1/projects/:id/history`) as a regular expression; undefined for wildcards. */
function patternOf(path: string): RegExp | undefined {
  if (path.includes('*')) return undefined; // middleware mounts, not resources
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * `routes` is read at the first request (every route is registered by then): the app's own
 * `app.routes`, handlers and middleware alike; only concrete paths with concrete methods count.
 */
export function methodNotAllowed(
  routes: () => readonly RouteEntry[],
  passThrough: (method: string, path: string) => boolean,
): MiddlewareHandler {
  let table: Array<{ pattern: RegExp; methods: Set<string>; literal: boolean }> | undefined;
  const build = () => {
    const byPath = new Map<string, Set<string>>();
    for (const r of routes()) {
      if (r.method === 'ALL') continue;
      const methods = byPath.get(r.path) ?? new Set<string>();
      methods.add(r.method.toUpperCase());
      byPath.set(r.path, methods);
    }
    return [...byPath].flatMap(([path, methods]) => {
      const pattern = patternOf(path);
      return pattern ? [{ pattern, methods, literal: !path.includes(':') }] : [];
    });
  };
  return async (c, next) => {
    table ??= build();
    const path = c.req.path;
    const method = c.req.method.toUpperCase();
    // A literal path (`/v1/calendar/status`) is its own resource, not an instance of a template beside it (`/v1/calendar/:year`).
    const candidates = table.filter((t) => t.pattern.test(path));
    const literal = candidates.filter((t) => t.literal);
    const matches = literal.length > 0 ? literal : candidates;
    if (matches.length === 0 || passThrough(method, path)) return next();
    const allowed = new Set(matches.flatMap((m) => [...m.methods]));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.has(method)) return next();
    const allow = [...allowed, 'OPTIONS'].join(', ');
    if (method === 'OPTIONS') return c.body(null, 204, { Allow: allow });
    throw new ApiError(
      405,
      'method_not_allowed',
      'Method not allowed',
      `${method} is not allowed on ${path}; allowed: ${allow}.`,
      {},
      { Allow: allow },
    );
  };
}
