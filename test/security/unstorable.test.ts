/**
 * Durable before visible (issue: one bad character must not wedge a project): text PostgreSQL
 * cannot hold — NUL, a lone UTF-16 surrogate — is refused at the door in every string field of every
 * operation of the OpenAPI document, in query strings, and in Updates and signals sent straight to a
 * workflow; nothing changes, and the system goes on serving other projects.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog, projects } from '../../db/schema.ts';
import { commandSignal, commandUpdate, projectWorkflowId, viewQuery } from '../../workflows/messages.ts';
import {
  ADMIN_KEY,
  addPlanItems,
  createKey,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';

type Json = Record<string, any>;
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  anyOf?: Schema[];
};

const POISONS = { NUL: 'bad\u0000byte', 'lone surrogate': 'bad\ud800half' };

describe('unstorable text is refused everywhere', () => {
  let system: TestSystem;
  let document: Json;
  let keys: Record<string, string>;
  let projectId: string;

  beforeAll(async () => {
    system = await startSystem('pglite', inject('temporalAddress'));
    await addPlanItems(system, [{ department: 'health' }]);
    keys = {
      department: await createKey(system, 'department', 'health'),
      bdb: await createKey(system, 'bdb'),
      approval: await createKey(system, 'approval'),
      finance: await createKey(system, 'finance'),
      admin: ADMIN_KEY,
    };
    document = (await (await system.request('GET', '/openapi.json')).json()) as Json;
    const created = await system.request('POST', '/v1/projects', { key: keys.department, body: sampleApplication() });
    expect(created.status).toBe(201);
    projectId = ((await created.json()) as Json).id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const resolve = (schema: Schema): Schema =>
    schema.$ref ? resolve(document.components.schemas[schema.$ref.split('/').pop()!]) : schema;

  /** Every path to a string inside a body schema (objects and arrays followed). */
  function stringPaths(schema: Schema, prefix: string[] = []): string[][] {
    const s = resolve(schema);
    const parts = [...(s.allOf ?? []), ...(s.anyOf ?? [])];
    if (parts.length > 0) return parts.flatMap((p) => stringPaths(p, prefix));
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes('string')) return [prefix];
    if (types.includes('array') && s.items) return stringPaths(s.items, [...prefix, '0']);
    if (s.properties) return Object.entries(s.properties).flatMap(([k, v]) => stringPaths(v, [...prefix, k]));
    return [];
  }

  function bodyWith(path: string[], value: string): unknown {
    if (path.length === 0) return value;
    const [head, ...rest] = path;
    return head === '0' ? [bodyWith(rest, value)] : { [head!]: bodyWith(rest, value) };
  }

  /** The answer to the first role allowed to call the operation (403 for the others). */
  async function asAllowedRole(method: string, path: string, body: unknown): Promise<Response> {
    let last: Response | undefined;
    for (const key of Object.values(keys)) {
      last = await system.request(method, path, { key, body });
      if (last.status !== 403) return last;
    }
    return last!;
  }

  it('every string field of every JSON body: NUL or a lone surrogate → 400 validation_failed naming the field', async () => {
    let checked = 0;
    for (const [template, item] of Object.entries(document.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        // /codec carries Temporal payloads (base64 bytes for the admin's UI), never stored as text.
        if (!schema || template.startsWith('/codec')) continue;
        const path = template
          .replace('{id}', projectId)
          .replace(/\{(\w+)\}/g, (_, name: string) => (name === 'year' ? '2026' : 'x-1'));
        for (const field of stringPaths(schema)) {
          for (const [what, poison] of Object.entries(POISONS)) {
            const res = await asAllowedRole(method.toUpperCase(), path, bodyWith(field, poison));
            const problem = (await res.json()) as Json;
            const label = `${method.toUpperCase()} ${template} ${field.join('.')} (${what})`;
            expect(res.status, label).toBe(400);
            expect(problem.code, label).toBe('validation_failed');
            expect(
              problem.errors.map((e: Json) => e.path),
              label,
            ).toContain(['json', ...field].join('.'));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    // Nothing reached the project: its trail still holds the application alone.
    const trail = await system.database.db.select().from(auditLog).where(eq(auditLog.projectId, projectId));
    expect(trail.map((r) => r.action)).toEqual(['application']);
  });

  it('query strings: NUL in q → 400 naming the parameter, not a 500', async () => {
    for (const q of ['%00', 'a%00b']) {
      const res = await system.request('GET', `/v1/projects?q=${q}`, { key: keys.bdb });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).errors.map((e: Json) => e.path)).toContain('query.q');
    }
  });

  it('an Update sent straight to the workflow with NUL is refused by its validator; a signal is recorded as rejected; the state is unchanged', async () => {
    const handle = system.client.workflow.getHandle(projectWorkflowId(projectId));
    const before = await handle.query(viewQuery);
    const bdb = { keyId: 'k-bdb', role: 'bdb' as const, name: 'BDB reviewer' };
    const checklist = {
      resourceCatalog: true,
      dataSharing: true,
      intensiveConstruction: true,
      cloudDeployment: true,
      securityControllable: true,
    };
    await expect(
      handle.executeUpdate(commandUpdate('technicalReview'), {
        args: [{ payload: { decision: 'pass', opinion: POISONS.NUL, checklist }, actor: bdb }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/cannot be stored/) } });
    await handle.signal(commandSignal('technicalReview'), {
      payload: { decision: 'pass', opinion: POISONS['lone surrogate'], checklist },
      actor: bdb,
    });
    // A signal naming a poisoned actor is recorded against an unknown actor.
    await handle.signal(commandSignal('termination'), {
      payload: { reason: 'x' },
      actor: { ...bdb, name: POISONS.NUL },
    });
    const rejected = await eventually(async () => {
      const rows = await system.database.db.select().from(auditLog).where(eq(auditLog.projectId, projectId));
      return rows.filter((r) => r.action.endsWith('-rejected')).length === 2 ? rows : undefined;
    });
    expect(rejected.map((r) => r.action)).toEqual(['application', 'technical-review-rejected', 'termination-rejected']);
    expect(rejected[2]!.actorName).toMatch(/unknown/);
    const after = await handle.query(viewQuery);
    expect(after.stage).toBe(before.stage);
    expect(after.decisions).toEqual(before.decisions);
  });

  it('30 poisoned requests in a burst: all refused, and a clean command on another project still answers', async () => {
    const other = (
      (await (
        await system.request('POST', '/v1/projects', {
          key: keys.department,
          body: sampleApplication({ title: 'clean project' }),
        })
      ).json()) as Json
    ).id as string;
    const poisoned = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        system.request('POST', '/v1/projects', {
          key: keys.department,
          body: sampleApplication({ title: `poison ${i} ${POISONS.NUL}` }),
        }),
      ),
    );
    expect(poisoned.map((r) => r.status)).toEqual(Array(30).fill(400));
    const clean = await system.request('POST', `/v1/projects/${other}/technical-review`, {
      key: keys.bdb,
      body: {
        decision: 'pass',
        opinion: 'fine',
        checklist: {
          resourceCatalog: true,
          dataSharing: true,
          intensiveConstruction: true,
          cloudDeployment: true,
          securityControllable: true,
        },
      },
    });
    expect(clean.status).toBe(200);
    expect(((await clean.json()) as Json).stage).toBe('establishment_review');
    expect((await system.request('GET', '/readyz')).status).toBe(200);
    const rows = await system.database.db.select().from(projects).where(eq(projects.department, 'health'));
    expect(rows.every((r) => !r.title.includes('poison'))).toBe(true);
  });
});
