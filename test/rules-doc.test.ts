/**
 * docs/RULES.md is the map from an article to its rule, code and tests; issue 27 found rows the code
 * contradicted. This keeps the map honest where a machine can check it: every test a row cites
 * exists, rows of the text (measures) name no automatic sanction, and the articles cited are the
 * ones the rule rests on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const rules = readFileSync(path.join(ROOT, 'docs/RULES.md'), 'utf8');
const rows = rules
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| Art.') && !l.startsWith('|---') && !l.startsWith('| Deadline'));

function filesOf(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return name === 'histories' ? [] : filesOf(relative);
    return /\.ts$/.test(name) ? [relative] : [];
  });
}

/** The test sources with their string escapes undone, so a cited name is found as written. */
const testSources = filesOf('test')
  .map((f) => readFileSync(path.join(ROOT, f), 'utf8'))
  .join('\n')
  .replace(/\\(['"`])/g, '$1');

describe('docs/RULES.md (issue 27: every row true to the code)', () => {
  it('Art. 3-30: every test a row cites exists (up to its …)', () => {
    const cited = [...rules.matchAll(/"([^"\n]{12,}?)"/g)]
      .map((m) => m[1]!.split('…')[0]!.trim())
      .filter((name) => /^[A-Za-z]/.test(name) && !name.startsWith('Art. N'));
    expect(cited.length).toBeGreaterThan(80);
    const missing = cited.filter((name) => !testSources.includes(name));
    expect(missing).toEqual([]);
  });

  it("Art. 15, 16, 21, 22 (measures vs policy): no row gives an automatic sanction as the text's; every automatic order is a policy switch", () => {
    const automatic = rows.filter(
      (r) =>
        /(?<!no )automatic (`[a-z-]+` )?(rectification|order)|→ (remaining )?construction (money|funds) frozen/.test(
          r,
        ) && !/\*Policy|switch `/.test(r),
    );
    expect(automatic).toEqual([]);
  });

  it('Art. 22: the GB/T 39786 security logs are not cited as Art. 22; Art. 6, 8: the plan ceiling is policy', () => {
    const logs = rows.filter((r) => r.includes('GB/T 39786 logs'));
    expect(logs.length).toBe(1);
    expect(logs[0]!.split('|')[1]).not.toMatch(/\b22\b/);
    const ceiling = rows.filter((r) => r.includes('exceeds_plan_ceiling'));
    expect(ceiling.length).toBeGreaterThan(0);
    for (const r of ceiling) expect(r, r.slice(0, 120)).toMatch(/\*Policy/);
  });
});
