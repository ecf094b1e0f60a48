/**
 * The house's floors (docs/ARCHITECTURE.md "Floors"): domain/ is the ground floor — the measures as
 * pure code and the shared vocabulary — and imports nothing of the project outside itself; db/ (all
 * the SQL) and lib/ (what the entry points share) stand on it side by side and never import each
 * other; activities/ builds on both; workflows/ imports no I/O at run time; api/ calls db/queries and
 * lib/, never activities/; scripts/ and the entry points are the top. db/, activities/ and api/ reach
 * into workflows/ only for the definitions its clients share (messages and search attributes). No
 * module imports itself back through others.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function filesOf(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(ROOT, relative)).isDirectory())
      return name === 'migrations' || name === 'temporal-test-server' ? [] : filesOf(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

/** Every import and re-export of a file: the specifier as written, and whether it is `import type` only. */
function specifiersOf(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const out: Array<{ specifier: string; typeOnly: boolean }> = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier)
      continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    const typeOnly = ts.isImportDeclaration(statement)
      ? Boolean(statement.importClause?.isTypeOnly)
      : statement.isTypeOnly;
    out.push({ specifier, typeOnly });
  }
  return out;
}

/** Project-relative imports of a file: where each goes, and whether it is `import type` only. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  return specifiersOf(file)
    .filter((i) => i.specifier.startsWith('.'))
    .map((i) => ({
      target: path.relative(ROOT, path.resolve(ROOT, path.dirname(file), i.specifier)),
      typeOnly: i.typeOnly,
    }));
}

const violations = (folders: string[], allowed: (target: string, typeOnly: boolean) => boolean) =>
  folders.flatMap(filesOf).flatMap((file) =>
    importsOf(file)
      .filter((i) => !allowed(i.target, i.typeOnly))
      .map((i) => `${file} → ${i.target}`),
  );

/** The workflow definitions its clients share. */
const CLIENT_DEFINITIONS = new Set(['workflows/messages.ts', 'workflows/search-attributes.ts']);

/** Every TypeScript module of the app (the console and the tests aside). */
const APP_FOLDERS = ['domain', 'db', 'lib', 'activities', 'workflows', 'api', 'scripts'];
const appFiles = () => [...APP_FOLDERS.flatMap(filesOf), 'worker.ts'];

/**
 * What scripts/ may still take from api/, each for its reason: `npm start` runs the API in its own
 * process (`server.ts`, the API's entry point); the CLIs validate with the API's request schemas
 * (`schemas.ts`: the same rules as the HTTP API) and `npm run accounts` acts through the account
 * service (`sessions.ts`: the same checks and security trail as the API's admin routes). Nothing else.
 */
const SCRIPTS_FROM_API = new Set([
  'scripts/start.ts → api/server.ts',
  'scripts/keys.ts → api/schemas/accounts.ts',
  'scripts/accounts.ts → api/schemas/accounts.ts',
  'scripts/accounts.ts → api/sessions.ts',
]);

/** The packages that speak SQL: drizzle-orm's query builders and `sql`, and the two drivers. */
const SQL_PACKAGE = /^(drizzle-orm|postgres|@electric-sql\/pglite)(\/|$)/;

/**
 * Imports that could run SQL outside db/: an SQL package, or a table of db/schema.ts as a value (a
 * `db.select().from(table)` needs one). Type-only imports run nothing. scripts/temporal-postgres.ts
 * creates Temporal's own databases (not the app's: no table of ours), so it may open a driver.
 */
const sqlImportsOf = (file: string): string[] => [
  ...specifiersOf(file)
    .filter((i) => SQL_PACKAGE.test(i.specifier) && !i.typeOnly)
    .map((i) => `${file} → ${i.specifier}`),
  ...importsOf(file)
    .filter((i) => i.target === 'db/schema.ts' && !i.typeOnly)
    .map((i) => `${file} → ${i.target}`),
];
const SQL_OUTSIDE_DB_ALLOWED = new Set(['scripts/temporal-postgres.ts → postgres']);

/** The import cycles among `files` (strongly connected groups of more than one module, or a module importing itself). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return out;
}

describe('layering', () => {
  it('domain/ imports nothing of the project outside domain/', () => {
    expect(filesOf('domain').length).toBeGreaterThan(5);
    expect(violations(['domain'], (target) => target.startsWith('domain/'))).toEqual([]);
  });

  it('db/, activities/ and api/ import workflows/ only for the definitions clients share', () => {
    expect(
      violations(
        ['db', 'activities', 'api'],
        (target) => !target.startsWith('workflows/') || CLIENT_DEFINITIONS.has(target),
      ),
    ).toEqual([]);
  });

  it('db/ and activities/ never import api/; workflows/ imports activities/ for types only, and never db/ or api/', () => {
    expect(violations(['db', 'activities'], (target) => !target.startsWith('api/'))).toEqual([]);
    expect(
      violations(
        ['workflows'],
        (target, typeOnly) =>
          !target.startsWith('db/') && !target.startsWith('api/') && (!target.startsWith('activities/') || typeOnly),
      ),
    ).toEqual([]);
  });

  it('db/ and lib/ stand side by side on domain/: neither imports the other (nor anything above)', () => {
    expect(violations(['db'], (target) => target.startsWith('db/') || target.startsWith('domain/'))).toEqual([]);
    expect(violations(['lib'], (target) => target.startsWith('lib/') || target.startsWith('domain/'))).toEqual([]);
  });

  it('api/ never imports activities/ (it calls db/queries); scripts/ import api/ only for the listed pieces', () => {
    expect(violations(['api'], (target) => !target.startsWith('activities/'))).toEqual([]);
    const fromApi = filesOf('scripts').flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target.startsWith('api/'))
        .map((i) => `${file} → ${i.target}`),
    );
    expect(fromApi.filter((edge) => !SCRIPTS_FROM_API.has(edge))).toEqual([]);
  });

  it('no SQL outside db/: no SQL package and no table of db/schema.ts is imported as a value elsewhere', () => {
    const found = appFiles()
      .filter((file) => !file.startsWith('db/'))
      .flatMap(sqlImportsOf);
    expect(found.filter((edge) => !SQL_OUTSIDE_DB_ALLOWED.has(edge))).toEqual([]);
  });

  it('no import cycles among the modules of the app (type-only imports included)', () => {
    const graph = new Map(appFiles().map((file) => [file, importsOf(file).map((i) => i.target)]));
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the check sees a violation when there is one (a file of the test itself)', () => {
    expect(importsOf('test/layering.test.ts')).toEqual([]);
    expect(importsOf('workflows/persistence.ts')).toContainEqual({ target: 'activities/index.ts', typeOnly: true });
    // The SQL rule sees SQL where there is some, and only value imports of a table.
    expect(sqlImportsOf('db/queries/audit.ts')).toEqual([
      'db/queries/audit.ts → drizzle-orm',
      'db/queries/audit.ts → db/schema.ts',
    ]);
    expect(sqlImportsOf('api/routes/documents.ts')).toEqual([]);
    expect(importsOf('api/routes/documents.ts')).toContainEqual({ target: 'db/schema.ts', typeOnly: true });
    // The cycle rule finds a cycle of three and a module importing itself, and nothing in a chain.
    const cycle = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(cyclesOf(cycle)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    expect(
      cyclesOf(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
