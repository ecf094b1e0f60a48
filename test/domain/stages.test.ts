/**
 * The stage table (domain/stages.ts): one definition of where each command is accepted, which the
 * domain checks and the console offers by (issue 29).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_ROLES } from '../../domain/commands.ts';
import { acceptedIn, BUDGET_STAGES, COMMAND_STAGES } from '../../domain/stages.ts';
import { actors, Harness } from './helpers.ts';

const source = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

describe('the stage table', () => {
  it('names commands only, and domain/rules/ checks each entry (no stage list of its own beside the table)', () => {
    const commands = Object.keys(COMMAND_ROLES);
    for (const name of Object.keys(COMMAND_STAGES)) expect(commands, name).toContain(name);
    const rules = readdirSync(new URL('../../domain/rules/', import.meta.url))
      .map((f) => source(`../../domain/rules/${f}`))
      .join('\n');
    for (const name of Object.keys(COMMAND_STAGES).filter((n) => n !== 'budget')) {
      expect(
        rules.includes(`ctx.requireStage(...STAGES.${name})`) ||
          rules.includes(`ctx.requireStage(...(ctx.secondReading ? STAGES.${name} :`),
        name,
      ).toBe(true);
    }
    expect(rules).toContain('ctx.requireStage(...BUDGET_STAGES.construction)');
    expect(rules).toContain('ctx.requireStage(...BUDGET_STAGES.om)');
    expect(COMMAND_STAGES.budget).toEqual([...BUDGET_STAGES.construction, ...BUDGET_STAGES.om]);
  });

  it('the console offers actions by the table, not by lists of its own', () => {
    const panel = source('../../console/src/pages/project/ActionPanel.tsx');
    expect(panel).toContain("from '../../../../domain/stages.ts'");
    expect(panel).not.toMatch(/v\.stage === '/);
  });

  it('Art. 18-23: a command outside its stages is refused as the table says; inside, it is not refused for the stage', () => {
    const h = new Harness().toOperating();
    expect(acceptedIn('preliminaryAcceptance', 'operating')).toBe(false);
    const refused = h.refuse(
      'preliminaryAcceptance',
      { reportRef: 'r', completedOn: h.project.state.input.createdAt.slice(0, 10) },
      actors.department,
    );
    expect([refused.code, refused.message]).toEqual([
      'invalid_transition',
      'Not possible in stage operating; needs construction.',
    ]);
    expect(acceptedIn('securityDrill', 'operating')).toBe(true);
    expect(acceptedIn('leaderChange', 'operating')).toBe(true); // no list of its own
  });
});
