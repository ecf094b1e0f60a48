/**
 * docs/CONFIGURATION.md lists the environment variables; lib/config.ts reads them (issue 29). The
 * doc's first table ("The app's variables (lib/config.ts)") must name every variable of
 * CONFIG_ENV_NAMES, and name nothing else in its first column; the variables read elsewhere (the
 * binaries' resolvers, `npm start`'s language, the tests) go in the section headed "Read outside
 * lib/config.ts", and none of them may be one the config module reads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV_NAMES } from '../lib/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const doc = readFileSync(path.join(ROOT, 'docs/CONFIGURATION.md'), 'utf8');

/** The `## ` sections of the doc, each with its heading and its lines. */
const sections = doc
  .split(/^## /m)
  .slice(1)
  .map((text) => {
    const [heading = '', ...lines] = text.split('\n');
    return { heading, lines };
  });

/** The `UPPER_CASE` names in backticks in the first column of each table row of a section (header and rule rows left out). */
function firstColumnNames(lines: string[]): string[] {
  const rows = lines.filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l) && !/^\|\s*variable\b/.test(l));
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

const main = sections.find((s) => s.heading.includes('lib/config.ts') && !s.heading.startsWith('Read outside'));
const outside = sections.filter((s) => s.heading.startsWith('Read outside lib/config.ts'));
const documented = firstColumnNames(main?.lines ?? []);
const exempt = outside.flatMap((s) => firstColumnNames(s.lines));
const known: readonly string[] = CONFIG_ENV_NAMES;

describe('docs/CONFIGURATION.md against lib/config.ts (issue 29)', () => {
  it('has the main table and the table of variables read outside lib/config.ts', () => {
    expect(main, 'a "## " section whose heading names lib/config.ts').toBeDefined();
    expect(documented.length).toBeGreaterThan(20);
    expect(exempt.length).toBeGreaterThan(0);
  });

  it('every variable lib/config.ts reads is a row of the main table', () => {
    expect(CONFIG_ENV_NAMES.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('every variable of the main table is one lib/config.ts reads', () => {
    expect(documented.filter((name) => !known.includes(name))).toEqual([]);
  });

  it('no variable of the "read outside" table is one lib/config.ts reads', () => {
    expect(exempt.filter((name) => known.includes(name))).toEqual([]);
  });
});
