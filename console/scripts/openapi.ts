/**
 * Writes the API's OpenAPI document (what GET /openapi.json answers) to console/openapi.json and
 * generates console/src/api-types.ts (types) and console/src/forms.generated.json (form schemas) from it with openapi-typescript: the console is typed against
 * the document the API itself produces, never against hand-copied types.
 *
 * No Temporal and no database are started: the routes only register their schemas when the app is
 * built; the document is asked for once, in memory, before any handler touches a dependency.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import openapiTS, { astToString } from 'openapi-typescript';
import type { DatabaseHandle } from '../../db/client.ts';
import type { DocumentStore } from '../../lib/documents.ts';
import { createApp } from '../../api/app.ts';
import { COMMAND_ROUTES } from '../../api/routes/commands.ts';
import { COMMAND_ACTIONS, COMMAND_ROLES } from '../../domain/commands.ts';
import { createLogger } from '../../lib/logger.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/** The document exactly as the running API serves it. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  // Any property of a dependency may be read while routes are wired; calling one is an error.
  const unused: object = new Proxy(function unused() {}, {
    get: (_target, key) => (key === 'then' ? undefined : unused),
    apply: () => {
      throw new Error('openapi: a dependency was called while generating the document');
    },
  });
  const app = createApp({
    database: unused as DatabaseHandle,
    temporal: unused as Client,
    taskQueue: 'openapi',
    adminApiKey: undefined,
    log: createLogger('silent', 'openapi'),
    // The document store's routes (uploads, downloads, a project's documents) are part of the API `npm start` serves.
    documents: unused as DocumentStore,
  });
  const res = await app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`openapi: GET /openapi.json answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** A request body's JSON Schema with every `$ref` into components replaced by its target. */
function inline(schema: unknown, document: Json, depth = 0): unknown {
  if (depth > 20 || schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => inline(s, document, depth + 1));
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
    return inline(target, document, depth + 1);
  }
  return Object.fromEntries(Object.entries(schema as Json).map(([k, v]) => [k, inline(v, document, depth + 1)]));
}

function requestSchema(document: Json, method: string, route: string): unknown {
  const op = ((document.paths as Json)[route] as Json | undefined)?.[method] as Json | undefined;
  const body = (op?.requestBody as Json | undefined)?.content as Json | undefined;
  const schema = (body?.['application/json'] as Json | undefined)?.schema;
  return schema === undefined ? undefined : inline(schema, document);
}

/** Bodies of the console's other forms, by `METHOD path` (those the document has). */
const OTHER_FORMS = [
  'POST /v1/projects',
  'POST /v1/allocation-plans',
  'PUT /v1/annual-plans/{year}',
  'POST /v1/admin/api-keys',
  'POST /v1/admin/accounts',
  'POST /v1/auth/login',
  'POST /v1/auth/password',
  'PUT /v1/policies/{jurisdiction}',
  'PUT /v1/calendar/{year}',
  'POST /v1/admin/departments',
  'POST /v1/admin/jurisdictions',
  'POST /v1/annual-plans/{year}/approval',
  'POST /v1/plan-filings',
  'POST /v1/existing-systems',
  'POST /v1/cloud-platform/evaluations',
] as const;

/**
 * What the console's forms are made of, from the same document: per command (by its action name,
 * the one pendingActions uses) its path, roles and request-body schema; and the other forms' bodies.
 * Labels come from the console's catalogue and domain/labels/, rules only from these schemas.
 */
export function formsOf(document: Json) {
  const commands = Object.fromEntries(
    COMMAND_ROUTES.map((r) => [
      COMMAND_ACTIONS[r.command],
      {
        command: r.command,
        action: COMMAND_ACTIONS[r.command],
        path: `/v1/projects/{id}${r.path}`,
        roles: COMMAND_ROLES[r.command],
        summary: r.summary,
        schema: requestSchema(document, 'post', `/v1/projects/{id}${r.path}`),
      },
    ]),
  );
  const bodies = Object.fromEntries(
    OTHER_FORMS.flatMap((key) => {
      const [method, route] = key.split(' ') as [string, string];
      const schema = requestSchema(document, method.toLowerCase(), route);
      return schema === undefined ? [] : [[key, schema]];
    }),
  );
  return { commands, bodies };
}

/** Writes console/openapi.json and console/src/api-types.ts; returns whether either changed. */
export async function generate(): Promise<boolean> {
  const document = await openApiDocument();
  const json = `${JSON.stringify(document, null, 2)}\n`;
  const types = `/* Generated by console/scripts/openapi.ts from the API's OpenAPI document (openapi-typescript). Do not edit. */\n${astToString(await openapiTS(document as never))}`;
  const forms = `${JSON.stringify(formsOf(document), null, 1)}\n`;
  let changed = false;
  for (const [file, text] of [
    [path.join(root, 'openapi.json'), json],
    [path.join(root, 'src', 'api-types.ts'), types],
    [path.join(root, 'src', 'forms.generated.json'), forms],
  ] as const) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
    fs.writeFileSync(file, text);
    changed = true;
  }
  return changed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const changed = await generate();
  process.stdout.write(
    `console: openapi.json, src/api-types.ts and src/forms.generated.json ${changed ? 'written' : 'up to date'}\n`,
  );
}
