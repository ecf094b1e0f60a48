/**
 * Issue 16's budget of the project list (≤ 300 ms a page at 100,000 projects): the embedded PGlite
 * has no autovacuum, so db/client.ts analyzeStale gives its planner statistics (every minute, as
 * PostgreSQL's autovacuum would). Without them the keyword filter (ILIKE) was planned as a
 * sequential scan and sort of the whole read model; with them it walks the (created_at, id) index.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStale } from '../../db/client.ts';
import { listProjects } from '../../db/queries/projects.ts';
import { projects } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('the project list on the embedded database (issue 16 performance budget)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    const now = Date.now();
    for (let from = 0; from < 20_000; from += 1000) {
      await database.db.insert(projects).values(
        Array.from({ length: 1000 }, (_, k) => {
          const i = from + k;
          return {
            id: `PLAN-${i}`,
            title: `基准项目 bench project ${i}`,
            department: `d${i % 50}`,
            jurisdiction: 'city',
            kind: 'new',
            year: 2026,
            stage: 'construction',
            awaitingRoles: ['bdb'],
            pendingActions: [],
            overdue: i % 7 === 0,
            fundsSuspended: false,
            view: {},
            version: 1,
            createdAt: new Date(now - i * 1000),
          };
        }),
      );
    }
    // The inserts' statistics reach pg_stat_user_tables at most once a second, whenever the backend
    // next goes idle; flush them now, so that analyzeStale below sees all of them at once.
    await database.db.execute(sql`select pg_stat_force_next_flush()`);
    await database.db.execute(sql`select 1`);
  }, 120_000);
  afterAll(async () => {
    await database?.destroy();
  });

  const plan = async () => {
    const answer: unknown = await database.db.execute(
      sql`explain select id from projects where title ilike '%bench project 1%' order by created_at desc, id desc limit 21`,
    );
    const result = answer as { rows: Array<Record<string, string>> };
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  it('(policy) list ≤ 300 ms a page: analyzeStale analyses the tables changed since their last analysis, once; the keyword page then walks the (created_at, id) index', async () => {
    expect(await analyzeStale(database.db)).toContain('projects');
    expect(await analyzeStale(database.db)).not.toContain('projects');
    // A common term walks the list order (or the title trigrams); never the whole table.
    expect(await plan()).toMatch(/Index Scan Backward using projects_created_idx|projects_title_trgm_idx/);
    expect(await plan()).not.toMatch(/Seq Scan/);
    const page = await listProjects(database.db, { q: 'bench project 1', limit: 21 });
    expect(page.map((r) => r.id).slice(0, 3)).toEqual(['PLAN-1', 'PLAN-10', 'PLAN-11']);
  });

  it('(policy) issue 17, list p99 ≤ 20 ms at 100,000 rows: an absent keyword reads the title trigrams, overdue=true and fundsSuspended=true their partial indexes, not the whole list', async () => {
    await analyzeStale(database.db);
    // Sequential scans off: at 20,000 rows a scan is cheap enough to win; the plan then shows which index each predicate can use (at 100,000 rows, BENCHMARKS.md).
    const explain = (query: Parameters<typeof sql>[1]) =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const answer: unknown = await tx.execute(sql`explain ${query}`);
        return (answer as { rows: Array<Record<string, string>> }).rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    expect(await explain(listProjects(database.db, { q: 'nowhere-to-be-found', limit: 51 }))).toMatch(
      /projects_title_trgm_idx/,
    );
    expect(await explain(listProjects(database.db, { overdue: true, limit: 51 }))).toMatch(
      /projects_overdue_created_idx/,
    );
    expect(await explain(listProjects(database.db, { fundsSuspended: true, limit: 51 }))).toMatch(
      /projects_suspended_created_idx/,
    );
    expect(await listProjects(database.db, { q: 'nowhere-to-be-found', limit: 51 })).toEqual([]);
    const overdue = await listProjects(database.db, { overdue: true, limit: 3 });
    expect(overdue.map((r) => r.id)).toEqual(['PLAN-0', 'PLAN-7', 'PLAN-14']);
    expect((await listProjects(database.db, { overdue: false, limit: 2 })).map((r) => r.id)).toEqual([
      'PLAN-1',
      'PLAN-2',
    ]);
  });
});
