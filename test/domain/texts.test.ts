/**
 * The text catalogue (domain/labels/): zh-CN by default, English on request; amounts in 元 with two
 * decimals and thousands separators, dates as 2026年11月25日; the core emits kind + params and keeps
 * the zh-CN text as `detail`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDate, formatYuan, negotiateLanguage } from '../../domain/labels/language.ts';
import { NOTIFICATION_TEXTS, renderNotification } from '../../domain/labels/notifications.ts';
import { PROBLEM_DETAIL_CODES, problemDetail, problemTitle } from '../../domain/labels/problems.ts';
import { actors, construction, Harness } from './helpers.ts';

describe('formatting for people', () => {
  it('amounts: integer fen as 元 with two decimals and thousands separators', () => {
    expect(formatYuan(120_000_000)).toBe('1,200,000.00 元');
    expect(formatYuan(5)).toBe('0.05 元');
    expect(formatYuan(-123_456_789)).toBe('-1,234,567.89 元');
    expect(formatYuan(100_000_000_000_000)).toBe('1,000,000,000,000.00 元');
    expect(formatYuan(120_000_000, 'en')).toBe('1,200,000.00 yuan');
  });

  it('dates: 2026年11月25日 (an instant counts on its Asia/Shanghai day); ISO in English', () => {
    expect(formatDate('2026-11-25')).toBe('2026年11月25日');
    expect(formatDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatDate('2026-11-24T16:30:00.000Z')).toBe('2026年11月25日');
    expect(formatDate('2026-11-25', 'en')).toBe('2026-11-25');
  });

  it('Accept-Language: zh-CN unless an en tag outranks every zh tag', () => {
    expect(negotiateLanguage(undefined)).toBe('zh-CN');
    expect(negotiateLanguage('en')).toBe('en');
    expect(negotiateLanguage('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(negotiateLanguage('fr, en;q=0.5')).toBe('en');
    expect(negotiateLanguage('fr')).toBe('zh-CN');
    expect(negotiateLanguage('*')).toBe('zh-CN');
  });
});

describe('notifications: kind + params, zh-CN detail', () => {
  it('Art. 10-11: the budget notification carries kind and params; its detail is zh-CN with 元; English renders from the same params', () => {
    const h = new Harness({
      estimate: { totalFen: 150_000_000, cityShareFen: 150_000_000, countyShareFen: 0 },
    }).toBudgeting();
    const effects = h.run('budget', construction(120_000_000), actors.finance);
    const [toBdb, toDepartment] = h.effectsOf(effects, 'notify');
    expect(toBdb).toMatchObject({
      kind: 'allocation-publication',
      params: { allocationId: 'alloc-1', fundType: 'construction', amountFen: 120_000_000 },
    });
    expect(toBdb!.detail).toBe(
      '资金分配 alloc-1（建设资金，1,200,000.00 元）已安排：请列入拟分配计划公示（第十一条）。',
    );
    expect(toDepartment!.detail).toContain('1,200,000.00 元');
    expect(renderNotification('en', toBdb!.kind, toBdb!.params!, 'bdb')).toBe(
      'Allocation alloc-1 (construction, 1,200,000.00 yuan) is budgeted: publish it in an allocation plan.',
    );
  });

  it('Art. 22: an extended rectification order names its new date as 年月日', () => {
    const h = new Harness().toConstruction();
    h.run('rectificationOrder', { reason: 'other', description: '补充材料' }, actors.bdb);
    const rid = h.state.rectifications.at(-1)!.id;
    const effects = h.run('rectificationExtension', { rid, dueOn: '2030-11-25', reason: '需要时间' }, actors.bdb);
    const n = h.effectsOf(effects, 'notify').find((e) => e.kind === 'rectification-extended')!;
    expect(n.params).toEqual({ rectificationId: rid, dueOn: '2030-11-25' });
    expect(n.detail).toBe(`整改 ${rid} 期限延长至 2030年11月25日。`);
  });

  it('every notification kind the core emits has a zh-CN and an English template', () => {
    const rules = readdirSync(new URL('../../domain/rules/', import.meta.url)).map((f) => `rules/${f}`);
    const source = ['context.ts', 'project.ts', ...rules]
      .map((f) => readFileSync(new URL(`../../domain/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    const kinds = new Set(
      [...source.matchAll(/notify\([^,]+, (?:[^,]+ \? )?'([a-z-]+)'(?: : '([a-z-]+)')?/g)].flatMap((m) =>
        [m[1]!, m[2]].filter((k): k is string => !!k),
      ),
    );
    for (const stage of ['terminated', 'decommissioned', 'withdrawn']) kinds.add(stage);
    expect(kinds.size).toBeGreaterThan(50);
    for (const kind of kinds) {
      expect(NOTIFICATION_TEXTS[kind], kind).toBeDefined();
      expect(renderNotification('zh-CN', kind, {}, 'department')).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('problems', () => {
  it('titles per code in both languages; details from templates in zh-CN, the English message in English', () => {
    expect(problemTitle('zh-CN', 'exceeds_approved_estimate', 422, 'Refused by the measures')).toBe(
      '依《管理办法》不予办理',
    );
    expect(problemTitle('en', 'exceeds_approved_estimate', 422, 'Refused by the measures')).toBe(
      'Refused by the measures',
    );
    const details = {
      limitFen: 100_000_000,
      allocatedFen: 80_000_000,
      amountFen: 30_000_000,
      availableFen: 20_000_000,
    };
    expect(problemDetail('zh-CN', 'exceeds_approved_estimate', details, 'Art. 10: …')).toBe(
      '第十条：已安排 800,000.00 元，再安排 300,000.00 元 建设资金将超过批复概算 1,000,000.00 元（尚可安排 200,000.00 元）。',
    );
    expect(problemDetail('en', 'exceeds_approved_estimate', details, 'Art. 10: …')).toBe('Art. 10: …');
    // A code without a template keeps the English message.
    expect(PROBLEM_DETAIL_CODES).not.toContain('allocation_not_publishable');
    expect(problemDetail('zh-CN', 'allocation_not_publishable', {}, 'English only')).toBe('English only');
  });
});
