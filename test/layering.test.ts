/**
 * The house's floors: domain/ is the ground floor — the measures as pure
 * code and the shared vocabulary — and imports nothing of the project outside itself; db/,
 * activities/ and api/ build on it and reach into workflows/ only for the definitions its clients
 * share (messages and search attributes); workflows/ imports no I/O at run time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function filesOf(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return name === 'migrations' ? [] : filesOf(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

/** Project-relative imports of a file: where each goes, and whether it is `import type` only. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const out: Array<{ target: string; typeOnly: boolean }> = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!specifier.startsWith('.')) continue;
    const typeOnly = ts.isImportDeclaration(statement) ? Boolean(statement.importClause?.isTypeOnly) : statement.isTypeOnly;
    out.push({ target: path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)), typeOnly });
  }
  return out;
}

const violations = (folders: string[], allowed: (target: string, typeOnly: boolean) => boolean) =>
  folders.flatMap(filesOf).flatMap((file) => importsOf(file).filter((i) => !allowed(i.target, i.typeOnly)).map((i) => `${file} → ${i.target}`));

/** The workflow definitions its clients share. */
const CLIENT_DEFINITIONS = new Set(['workflows/messages.ts', 'workflows/search-attributes.ts']);

describe('layering', () => {
  it('domain/ imports nothing of the project outside domain/', () => {
    expect(filesOf('domain').length).toBeGreaterThan(5);
    expect(violations(['domain'], (target) => target.startsWith('domain/'))).toEqual([]);
  });

  it('db/, activities/ and api/ import workflows/ only for the definitions clients share', () => {
    expect(violations(['db', 'activities', 'api'], (target) => !target.startsWith('workflows/') || CLIENT_DEFINITIONS.has(target))).toEqual([]);
  });

  it('db/ and activities/ never import api/; workflows/ imports activities/ for types only, and never db/ or api/', () => {
    expect(violations(['db', 'activities'], (target) => !target.startsWith('api/'))).toEqual([]);
    expect(
      violations(['workflows'], (target, typeOnly) => !target.startsWith('db/') && !target.startsWith('api/') && (!target.startsWith('activities/') || typeOnly)),
    ).toEqual([]);
  });

  it('the check sees a violation when there is one (a file of the test itself)', () => {
    expect(importsOf('test/layering.test.ts')).toEqual([]);
    expect(importsOf('workflows/persistence.ts')).toContainEqual({ target: 'activities/index.ts', typeOnly: true });
  });
});
