/**
 * The project's specs live in the repository (issue 29): docs/MEASURES.md (the reading of the
 * measures, article by article) and docs/API.md (the HTTP contract). No source file points to the
 * specs that used to live outside it, every section a comment cites in those two documents is one
 * of their headings, and MEASURES.md has a section for every article docs/RULES.md maps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The outside specs, spelled so that this file does not mention them itself. */
const OUTSIDE = ['DOMAIN', 'API', 'STYLE'].map((name) => `shared/${name}.md`);

/**
 * Mentions left on purpose, each exactly as it stands. The English validation message of an amount
 * over 10^12 fen is what an API client reads (`errors[].message` with `Accept-Language: en`), not a
 * comment; it changes with its own decision, not with the comments.
 */
const LEFT_ON_PURPOSE = [{ file: 'domain/field-schemas.ts', text: `fen (${OUTSIDE[0]} "Money")` }];

/** Folders that are not the project's sources: installed packages, builds, data, tool caches. */
const SKIP = new Set(['node_modules', 'dist', 'coverage', 'secrets']);

/** Source, test, script and configuration files below the root, relative to it. */
function sourceFiles(extensions: readonly string[], folder = ''): string[] {
  return readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory())
      return entry.name.startsWith('.') || SKIP.has(entry.name) ? [] : sourceFiles(extensions, relative);
    return extensions.some((ext) => entry.name.endsWith(ext)) ? [relative.split(path.sep).join('/')] : [];
  });
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The headings of a Markdown file, without their `#`s. */
const headingsOf = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) => /^#{1,6}\s+(.+?)\s*$/.exec(line)?.[1])
    .filter((h): h is string => h !== undefined);

/** A citation names a heading when it is the heading, or the heading's start before a space (`Art. 15 — 合同备案`). */
const names = (headings: readonly string[], cited: string) =>
  headings.some((h) => h === cited || h.startsWith(`${cited} `));

const DOCS = { 'MEASURES.md': headingsOf(read('docs/MEASURES.md')), 'API.md': headingsOf(read('docs/API.md')) };

/** `docs/MEASURES.md "Working days"`, `docs/API.md "Idempotency"`, … in a text. */
const CITATION = /docs\/(MEASURES\.md|API\.md) "([^"\n]+)"/g;

/** Article numbers in a first cell of the RULES.md table: `5, 12`, `13-15`, `24-25, 28 (persons; …)`. */
function articlesOf(cell: string): number[] {
  const bare = cell.replace(/\([^)]*\)/g, '');
  return [...bare.matchAll(/(\d+)(?:-(\d+))?/g)].flatMap(([, from, to]) => {
    const first = Number(from);
    const last = to === undefined ? first : Number(to);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  });
}

describe('the specs are in the repository (issue 29)', () => {
  it('no .ts, .tsx, .sh, .yml or .yaml file mentions the specs outside the repository', () => {
    const files = sourceFiles(['.ts', '.tsx', '.sh', '.yml', '.yaml']);
    expect(files).toContain('test/docs-specs.test.ts');
    const hits = files.flatMap((file) => {
      const text = read(file);
      const left = LEFT_ON_PURPOSE.filter((l) => l.file === file).reduce((t, l) => t.split(l.text).join(''), text);
      return OUTSIDE.filter((spec) => left.includes(spec)).map((spec) => `${file}: ${spec}`);
    });
    expect(hits).toEqual([]);
    // What is left on purpose is still there; once it changes, drop it from the list.
    for (const l of LEFT_ON_PURPOSE) expect(read(l.file), l.file).toContain(l.text);
  });

  it('every docs/MEASURES.md and docs/API.md section a source file cites is a heading of that document', () => {
    const citations = sourceFiles(['.ts', '.tsx', '.sh', '.yml', '.yaml', '.toml']).flatMap((file) =>
      [...read(file).matchAll(CITATION)].map(([, doc, section]) => ({
        file,
        doc: doc as keyof typeof DOCS,
        section: section!,
      })),
    );
    expect(citations.length).toBeGreaterThan(100);
    const missing = citations
      .filter((c) => !names(DOCS[c.doc], c.section))
      .map((c) => `${c.file}: docs/${c.doc} "${c.section}"`);
    expect(missing).toEqual([]);
  });

  it('docs/MEASURES.md has a section for every article docs/RULES.md maps', () => {
    const lines = read('docs/RULES.md').split('\n');
    const header = lines.findIndex((line) => /^\|\s*Art\.\s*\|/.test(line));
    expect(header).toBeGreaterThan(0);
    const rows: string[] = [];
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(line);
    }
    const mapped = new Set(rows.flatMap((row) => articlesOf(row.split('|')[1] ?? '')));
    expect(mapped.size).toBeGreaterThan(20);
    const sections = new Set(
      DOCS['MEASURES.md']
        .map((h) => /^Art\. (\d+)(?:\s|$)/.exec(h)?.[1])
        .filter(Boolean)
        .map(Number),
    );
    expect([...mapped].filter((article) => !sections.has(article)).sort((a, b) => a - b)).toEqual([]);
  });

  it('the checks see what they look for (a citation, a range, a missing heading)', () => {
    expect([...'x docs/API.md "Outcomes" y'.matchAll(CITATION)].map((m) => m[2])).toEqual(['Outcomes']);
    expect(articlesOf(' 13-15 ')).toEqual([13, 14, 15]);
    expect(articlesOf(' 24-25, 28 (GB/T 39786 logs) ')).toEqual([24, 25, 28]);
    expect(names(DOCS['MEASURES.md'], 'Art. 15')).toBe(true);
    expect(names(DOCS['MEASURES.md'], 'Art. 1')).toBe(true);
    expect(names(DOCS['API.md'], 'Additions')).toBe(false);
  });
});
