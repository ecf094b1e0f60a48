/**
 * docs/MEASURES.md "Words" (issue 27): every label and message uses the text's own terms — 投资概算 /
 * 批复概算 (Art. 8), 对照分析 (Art. 16), 竣工验收报告 (Art. 21), 评估 (Art. 23) — names the measures in
 * full, and a message resting on local policy says 本地政策 instead of citing an article as if the
 * text said it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEASURES_TITLE, type NotificationParams } from '../../domain/labels/language.ts';
import { NOTIFICATION_TEXTS, renderNotification } from '../../domain/labels/notifications.ts';
import { PROBLEM_DETAILS, PROBLEM_TITLES, STATUS_TITLES } from '../../domain/labels/problems.ts';
import { label } from '../../domain/labels/values.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const filesOf = (folder: string): string[] =>
  readdirSync(path.join(ROOT, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return filesOf(relative);
    return /\.(ts|tsx)$/.test(name) && !name.includes('generated') && name !== 'api-types.ts' ? [relative] : [];
  });

/** Words the text does not use for its own terms (Art. 8, 16, 21, 23) and the wrong name of the measures. */
const NOT_THE_TEXTS_WORDS = [
  '估算',
  '竣工报告',
  '竣工备案',
  '进度报告',
  '绩效评价',
  '《晋城市政务大数据项目管理办法》',
  '升级改造',
];

/** Every zh-CN text of the catalogue, rendered with params that switch on each branch. */
function everyText(): string[] {
  const params: NotificationParams[] = [
    {},
    {
      article: true,
      resubmitted: true,
      year: 2026,
      status: 'held',
      p: 1,
      planId: 'AP',
      after: 'joint',
      frozen: true,
      late: true,
      automatic: true,
      by: 'establishment',
      agrees: true,
    },
  ];
  const texts: string[] = [];
  for (const kind of Object.keys(NOTIFICATION_TEXTS)) {
    for (const role of ['bdb', 'approval', 'finance', 'department'])
      for (const p of params) texts.push(renderNotification('zh-CN', kind, p, role));
  }
  for (const [code, detail] of Object.entries(PROBLEM_DETAILS)) {
    texts.push(
      `${code}: ${detail({ lockedUntil: '2026-01-01T00:00:00Z' })}`,
      `${code}: ${detail({ approvedVersion: null, session: true, lockedUntil: '2026-01-01T00:00:00Z', unagreedIncreasesFen: 1 })}`,
    );
  }
  for (const [code, [zh]] of Object.entries(PROBLEM_TITLES)) texts.push(`${code}: ${zh}`);
  for (const [, [zh]] of Object.entries(STATUS_TITLES)) texts.push(zh);
  for (const group of ['stage', 'reason', 'acceptance', 'fundType', 'checklist'] as const) {
    for (const value of ['completion_filing', 'missing-report', 'technical', 'construction', 'resourceCatalog'])
      texts.push(label(group, value));
  }
  return texts;
}

describe('Words (docs/MEASURES.md "Words"): the text\'s own terms', () => {
  it('Art. 8, 16, 21, 23 (measures): the catalogue says 投资概算, 对照分析, 竣工验收报告 (the stage label too) and 评估; the measures are named in full', () => {
    expect(MEASURES_TITLE).toBe('《晋城市政务大数据项目建设应用管理办法》');
    expect(label('stage', 'completion_filing')).toBe('竣工验收报告备案');
    expect(label('reason', 'missing-report')).toContain('对照分析');
    expect(renderNotification('zh-CN', 'completion-report-due', { deadlineId: 'dl-9' }, 'department')).toContain(
      '竣工验收报告',
    );
    expect(renderNotification('zh-CN', 'progress-report', { period: '2026Q1', progressPercent: 5 }, 'bdb')).toContain(
      '对照分析',
    );
    expect(renderNotification('zh-CN', 'annual-evaluation-reminder', { year: '2026' }, 'bdb')).toContain('评估');
    expect(PROBLEM_TITLES.exceeds_plan_ceiling![0]).toContain('投资概算');
    // Art. 3: 新建、扩建或改造升级、运行维护
    expect(['new', 'expansion', 'upgrade'].map((k) => label('kind', k))).toEqual(['新建', '扩建', '改造升级']);
    const offending = everyText().filter((t) => NOT_THE_TEXTS_WORDS.some((w) => t.includes(w)));
    expect(offending).toEqual([]);
  });

  it('Art. 6-8, 16, 22 (policy): a message resting on local policy says 本地政策 and cites no article as if the text set it', () => {
    for (const role of ['bdb', 'department']) {
      expect(renderNotification('zh-CN', 'missing-report', { period: '2026Q1', article: true }, role), role).toContain(
        '本地政策',
      );
      expect(
        renderNotification('zh-CN', 'acceptance-delay', { plannedCompletionDate: '2026-06-30' }, role),
        role,
      ).toContain('本地政策');
    }
    for (const kind of [
      'acceptance-delay-reminder',
      'acceptance-delay-excused',
      'annual-evaluation-overdue',
      'annual-evaluation-reminder',
      'progress-report-reminder',
    ]) {
      expect(renderNotification('zh-CN', kind, { year: '2026', period: '2026Q1' }, 'bdb'), kind).toContain('本地政策');
    }
    expect(
      renderNotification(
        'zh-CN',
        'rectification-order',
        { rectificationId: 'rect-1', reason: 'late-filing', automatic: true },
        'bdb',
      ),
    ).toContain('本地政策');
    // Art. 7 names what is reviewed; "every item must pass" is the city's rule.
    const checklist = PROBLEM_DETAILS.checklist_incomplete!({ missing: ['dataSharing'] });
    expect(checklist).toContain('本地政策');
    expect(checklist.startsWith('第七条')).toBe(false);
    expect(PROBLEM_TITLES.checklist_incomplete![0]).toContain('本地政策');
    // The text sets no ceiling of a plan item (Art. 6, 8): the refusal is the city's switch.
    const ceiling = PROBLEM_DETAILS.exceeds_plan_ceiling!({
      estimateFen: 2,
      ceilingFen: 1,
      year: 2026,
      annualPlanItem: 'X',
    });
    expect(ceiling).toContain('本地政策');
    expect(ceiling).not.toContain('第六条、第八条：');
    expect(PROBLEM_TITLES.exceeds_plan_ceiling![0]).toContain('本地政策');
  });

  it("Words: the console names the measures in full and uses the text's terms (console/src)", () => {
    const files = filesOf('console/src');
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((f) => {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      return NOT_THE_TEXTS_WORDS.filter((w) => text.includes(w)).map((w) => `${f}: ${w}`);
    });
    expect(offending).toEqual([]);
    expect(readFileSync(path.join(ROOT, 'console/src/pages/Public.tsx'), 'utf8')).toContain('建设应用管理办法');
  });
});
