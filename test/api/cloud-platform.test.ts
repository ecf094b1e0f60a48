/**
 * Art. 23 (issue 15): the BDB evaluates the city cloud platform yearly — a subject of its own, not a
 * project. Stored with an audit entry on the SM3-chained trail of `cloud-platform`; read by every
 * signed-in role; the BDB only records. Real Hono app, real database (PGlite), real Temporal.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyAuditChain } from '../../db/queries/audit.ts';
import { sql, type SQLWrapper } from 'drizzle-orm';
import {
  CLOUD_PLATFORM_SUBJECT,
  evaluatedProjectsOf,
  priorEvaluationsOf,
  priorEvaluationsOfProject,
  selfAndEvaluatedProjects,
} from '../../db/queries/evaluations.ts';
import { evaluationFixture, insertProject } from './fixtures.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';

type Json = Record<string, any>;
let system: TestSystem;
let keys: Record<'bdb' | 'approval' | 'finance' | 'department', string>;

beforeAll(async () => {
  system = await startSystem('pglite', inject('temporalAddress'));
  keys = {
    bdb: await createKey(system, 'bdb'),
    approval: await createKey(system, 'approval'),
    finance: await createKey(system, 'finance'),
    department: await createKey(system, 'department', 'health'),
  };
});
afterAll(async () => {
  await system?.stop();
});

const call = async (
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
  expected = 200,
  headers: Record<string, string> = {},
): Promise<Json> => {
  const res = await system.request(method, path, {
    ...(key ? { key } : {}),
    ...(body === undefined ? {} : { body }),
    headers,
  });
  const json = (await res.json()) as Json;
  expect(res.status, `${method} ${path}: ${JSON.stringify(json)}`).toBe(expected);
  return json;
};

const evaluation = {
  year: 2025,
  score: 86,
  result: '良好',
  opinion: '运行稳定，资源利用率偏低',
  documentRef: 'sha256:cloud-2025',
};

/**
 * The plan PostgreSQL picks for a query with sequential scans off: whatever the table's size, it
 * shows which index the query's predicate matches.
 */
async function planOf(db: TestSystem['database']['db'], query: SQLWrapper): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const answer: unknown = await tx.execute(sql`explain ${query}`);
    const res = answer as { rows?: Json[] } | Json[];
    return (Array.isArray(res) ? res : (res.rows ?? [])).map((r) => Object.values(r).join(' ')).join('\n');
  });
}

describe('city cloud platform evaluations (Art. 23, measures)', () => {
  it("Art. 23: the BDB records a year's evaluation with an audit entry; every role reads it; a second one for the year is 409", async () => {
    const created = await call('POST', '/v1/cloud-platform/evaluations', keys.bdb, evaluation, 201);
    expect(created).toEqual({
      ...evaluation,
      documentId: null,
      evaluatedBy: expect.any(String),
      evaluatedAt: expect.any(String),
    });
    for (const key of Object.values(keys)) {
      expect((await call('GET', '/v1/cloud-platform/evaluations', key)).items).toEqual([created]);
    }
    const again = await call('POST', '/v1/cloud-platform/evaluations', keys.bdb, { ...evaluation, score: 10 }, 409);
    expect(again.code).toBe('already_exists');
    expect((await call('GET', '/v1/cloud-platform/evaluations', keys.finance)).items).toEqual([created]);
    // Art. 24-25: one audit entry, chained and verifiable, under the subject `cloud-platform`.
    const history = await call('GET', '/v1/cloud-platform/history', keys.approval);
    expect(history.subject).toBe('cloud-platform');
    expect(history.items).toEqual([
      expect.objectContaining({
        seq: 1,
        action: 'cloud-platform-evaluation',
        actor: expect.objectContaining({ role: 'bdb' }),
        detail: { payload: evaluation },
      }),
    ]);
    expect(await verifyAuditChain(system.database.db, CLOUD_PLATFORM_SUBJECT)).toEqual([]);
  });

  it('Art. 23: only the BDB records (403 for approval, finance, department, admin; 401 without a key); nothing stored', async () => {
    const body = { ...evaluation, year: 2024 };
    for (const key of [keys.approval, keys.finance, keys.department, ADMIN_KEY]) {
      expect((await call('POST', '/v1/cloud-platform/evaluations', key, body, 403)).code).toBe('forbidden');
    }
    await call('POST', '/v1/cloud-platform/evaluations', undefined, body, 401);
    await call('GET', '/v1/cloud-platform/evaluations', undefined, undefined, 401);
    expect(
      (await call('GET', '/v1/cloud-platform/evaluations', keys.bdb)).items.map((e: Json) => e.year),
    ).not.toContain(2024);
  });

  it('Art. 23: bad input is a problem in zh-CN (English on request) and changes nothing: future year 422, score out of range or both references 400', async () => {
    const future = await call('POST', '/v1/cloud-platform/evaluations', keys.bdb, { ...evaluation, year: 2099 }, 422);
    expect(future.code).toBe('year_not_started');
    expect(future.detail).toBe('该年度尚未开始。');
    const en = await call('POST', '/v1/cloud-platform/evaluations', keys.bdb, { ...evaluation, year: 2099 }, 422, {
      'Accept-Language': 'en',
    });
    expect(en.detail).toContain('Art. 23');
    expect(
      (await call('POST', '/v1/cloud-platform/evaluations', keys.bdb, { ...evaluation, year: 2023, score: 101 }, 400))
        .code,
    ).toBe('validation_failed');
    const both = await call(
      'POST',
      '/v1/cloud-platform/evaluations',
      keys.bdb,
      { ...evaluation, year: 2023, documentId: 'doc_000000000000000000000000' },
      400,
    );
    expect(both.code).toBe('validation_failed');
    const unknown = await call(
      'POST',
      '/v1/cloud-platform/evaluations',
      keys.bdb,
      { year: 2023, score: 80, result: '合格', documentId: 'doc_000000000000000000000000' },
      422,
    );
    expect(unknown.code).toBe('document_unknown');
    expect((await call('GET', '/v1/cloud-platform/evaluations', keys.bdb)).items.map((e: Json) => e.year)).toEqual([
      2025,
    ]);
  });
});

describe('prior evaluations from the read model (Art. 23, measures)', () => {
  it("Art. 23: an application is shown its department's evaluations of other projects from two years before its application year on, newest first; other departments' and its own are not", async () => {
    const db = system.database.db;
    await insertProject(db, {
      id: 'JC2024-PRIOR0001',
      title: 'Old hospital system',
      department: 'prior-dept',
      stage: 'operating',
      evaluations: [
        evaluationFixture(2023),
        evaluationFixture(2024),
        evaluationFixture(2025, '2026-02-01T02:00:00.000Z', false),
      ],
    });
    await insertProject(db, {
      id: 'JC2025-PRIOR0002',
      title: 'Clinic booking',
      department: 'prior-dept',
      stage: 'operating',
      evaluations: [evaluationFixture(2025, '2026-03-01T02:00:00.000Z')],
    });
    await insertProject(db, {
      id: 'JC2025-PRIOR0003',
      title: 'Other bureau',
      department: 'other-dept',
      stage: 'operating',
      evaluations: [evaluationFixture(2025)],
    });
    await insertProject(db, {
      id: 'JC2026-PRIOR0004',
      title: 'The new application',
      department: 'prior-dept',
      evaluations: [evaluationFixture(2025)],
    });
    const prior = await priorEvaluationsOf(db, {
      id: 'JC2026-PRIOR0004',
      department: 'prior-dept',
      applicationYear: 2026,
    });
    expect(prior.map((p) => [p.projectId, p.year, p.date])).toEqual([
      ['JC2025-PRIOR0002', 2025, '2026-03-01T02:00:00.000Z'],
      ['JC2024-PRIOR0001', 2025, '2026-02-01T02:00:00.000Z'],
      ['JC2024-PRIOR0001', 2024, '2025-01-15T02:00:00.000Z'],
    ]);
    expect(prior[1]).toEqual({
      projectId: 'JC2024-PRIOR0001',
      title: 'Old hospital system',
      year: 2025,
      result: {
        fundUseScore: 80,
        outputScore: 81,
        effectScore: 82,
        satisfactionScore: 83,
        sharingCompliant: false,
        summary: 'evaluation 2025',
      },
      date: '2026-02-01T02:00:00.000Z',
    });
    expect(
      await priorEvaluationsOf(db, { id: 'JC2026-PRIOR0005', department: 'nobody', applicationYear: 2026 }),
    ).toEqual([]);
    // The same read from the project's id alone (its read-model row gives department and application
    // year), which the API runs while a command to the project is in flight; no row: undefined.
    expect(await priorEvaluationsOfProject(db, 'JC2026-PRIOR0004')).toEqual(prior);
    expect(await priorEvaluationsOfProject(db, 'JC2026-NOROW0000')).toBeUndefined();
  });

  it("Art. 23: the prior evaluations are read through the department's evaluated projects only (a partial index), not every view of the department", async () => {
    const db = system.database.db;
    for (let i = 0; i < 300; i++)
      await insertProject(db, { id: `JC2026-BULK${String(i).padStart(4, '0')}`, department: 'big-dept' });
    await insertProject(db, {
      id: 'JC2025-BULKEVAL',
      department: 'big-dept',
      stage: 'operating',
      evaluations: [evaluationFixture(2025)],
    });
    const plan = await planOf(db, evaluatedProjectsOf(db, 'big-dept', 'JC2026-BULK0001'));
    expect(plan).toContain('projects_department_evaluated_idx');
    expect((await evaluatedProjectsOf(db, 'big-dept', 'JC2026-BULK0001')).map((r) => r.id)).toEqual([
      'JC2025-BULKEVAL',
    ]);
    // The API's read by the project's id alone (one statement: its own row joined to the others)
    // goes through the same index.
    const joined = await planOf(db, selfAndEvaluatedProjects(db, 'JC2026-BULK0001'));
    expect(joined).toContain('projects_department_evaluated_idx');
    expect((await priorEvaluationsOfProject(db, 'JC2026-BULK0001'))?.map((p) => p.projectId)).toEqual([
      'JC2025-BULKEVAL',
    ]);
  });
});
