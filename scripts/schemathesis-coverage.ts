/**
 * `SCHEMATHESIS_KEYS='{"role":"key",…}' tsx scripts/schemathesis-coverage.ts OPENAPI_JSON ROLE=HAR_FILE…`
 *
 * Reads the HAR reports of scripts/schemathesis.sh (one per role's credential) and fails when the
 * run was hollow: a check that "passed" on answers that never got past authentication says nothing
 * about the API. Exits 1 when
 *  - an operation the bearer credentials may call was answered only 401/403 over the whole run
 *    (every role's key): no credential of the run ever reached it, or
 *  - one role's key was answered 401 on a bearer operation where that role otherwise got through,
 *    i.e. the key stopped holding during the run (revoked, expired), or only ever 401 on one.
 * Only the requests that carried the role's own key count (the HAR reports are written unsanitised
 * for that; the keys are the run's throw-away ones): requests without a key or with a wrong one are
 * the tool's own authentication probes, and a 401 is their right answer. Operations for a personal
 * account's session only (/v1/auth/*: their `security` names no bearer key) are listed, not
 * counted: a key cannot reach them by design.
 */
import { readFileSync } from 'node:fs';

type Operation = { method: string; path: string; pattern: RegExp; params: number; bearer: boolean; secured: boolean };
type Har = {
  log: {
    entries: Array<{
      request: { method: string; url: string; headers: Array<{ name: string; value: string }> };
      response: { status: number };
    }>;
  };
};

const [openapiFile, ...roleFiles] = process.argv.slice(2);
const keys = JSON.parse(process.env.SCHEMATHESIS_KEYS ?? '{}') as Record<string, string>;
const partial = process.env.SCHEMATHESIS_PARTIAL === '1';
if (!openapiFile || roleFiles.length === 0) {
  console.error(
    'usage: SCHEMATHESIS_KEYS=\'{"role":"key"}\' tsx scripts/schemathesis-coverage.ts OPENAPI_JSON ROLE=HAR_FILE…',
  );
  process.exit(2);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const doc = JSON.parse(readFileSync(openapiFile, 'utf8')) as {
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
};
const operations: Operation[] = [];
for (const [p, item] of Object.entries(doc.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const security = op.security ?? doc.security ?? [];
    const source = p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    operations.push({
      method: method.toUpperCase(),
      path: p,
      pattern: new RegExp(`^${source}$`),
      params: (p.match(/\{/g) ?? []).length,
      bearer: security.some((s) => 'bearer' in s),
      secured: security.length > 0,
    });
  }
}
// A literal segment wins over a template (`/v1/projects/export.xlsx` is not `/v1/projects/{id}`).
operations.sort((a, b) => a.params - b.params);
const key = (op: Operation) => `${op.method} ${op.path}`;
const operationOf = (method: string, url: string) => {
  const pathname = decodeURI(new URL(url).pathname);
  return operations.find((op) => op.method === method && op.pattern.test(pathname));
};

/** statuses[operation][role] = the statuses that role's run got, with their counts. */
const statuses = new Map<string, Map<string, Map<number, number>>>();
for (const arg of roleFiles) {
  const at = arg.indexOf('=');
  const role = arg.slice(0, at);
  const har = JSON.parse(readFileSync(arg.slice(at + 1), 'utf8')) as Har;
  const own = `Bearer ${keys[role] ?? ''}`;
  if (!keys[role]) throw new Error(`SCHEMATHESIS_KEYS names no key for ${role}`);
  for (const { request, response } of har.log.entries) {
    const authorization = request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value;
    if (authorization !== own) continue; // the tool's own probe without the key or with a wrong one
    const op = operationOf(request.method, request.url);
    if (!op || !response.status) continue;
    const byRole = statuses.get(key(op)) ?? new Map<string, Map<number, number>>();
    const counts = byRole.get(role) ?? new Map<number, number>();
    counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
    byRole.set(role, counts);
    statuses.set(key(op), byRole);
  }
}

const denied = (s: number) => s === 401 || s === 403;
const show = (counts: Map<number, number>) => [...counts].map(([s, n]) => `${s}×${n}`).join(' ');
const problems: string[] = [];
const sessionOnly: string[] = [];
const notCalled: string[] = [];
for (const op of operations) {
  const byRole = statuses.get(key(op));
  if (!byRole) {
    notCalled.push(key(op));
    continue;
  }
  if (op.secured && !op.bearer) {
    sessionOnly.push(key(op));
    continue;
  }
  const all = [...byRole.values()].flatMap((c) => [...c.keys()]);
  // A run with some of the keys only (ST_KEYS) cannot reach every operation; each key must still hold.
  if (op.secured && all.every(denied) && !partial) {
    problems.push(
      `${key(op)}: only ever 401/403 (${[...byRole].map(([r, c]) => `${r}: ${show(c)}`).join('; ')}) — no credential of the run reached it`,
    );
  }
  for (const [role, counts] of byRole) {
    if (op.secured && counts.has(401))
      problems.push(
        `${key(op)}: the ${role} key was answered 401 (${show(counts)}) — a key of the run stopped holding`,
      );
  }
}

const called = operations.length - notCalled.length;
console.log(
  `schemathesis coverage: ${called} of ${operations.length} operations called by ${roleFiles.length} credentials`,
);
if (sessionOnly.length) console.log(`  session only (a key cannot reach them by design): ${sessionOnly.join(', ')}`);
if (notCalled.length)
  console.log(`  not called (left out after a crash of the tool, or no example): ${notCalled.join(', ')}`);
for (const p of problems) console.log(`  HOLLOW: ${p}`);
process.exit(problems.length ? 1 : 0);
