/** Articles as the measures number them (第N条) and in their order, for 统计分析 and its Excel export. */
import { describe, expect, it } from 'vitest';
import { byArticle, RECTIFICATION_GROUNDS } from '../../domain/statistics.ts';
import { articleLabel, chineseNumber } from '../../domain/labels/values.ts';
import { RECTIFICATION_REASONS } from '../../domain/records.ts';

describe('articles', () => {
  it('are written in Chinese numerals as the text writes them', () => {
    expect([1, 9, 10, 11, 15, 20, 22, 30, 31].map(chineseNumber)).toEqual([
      '一',
      '九',
      '十',
      '十一',
      '十五',
      '二十',
      '二十二',
      '三十',
      '三十一',
    ]);
    expect(articleLabel('Art. 9')).toBe('第九条');
    expect(articleLabel('Art. 22')).toBe('第二十二条');
    expect(articleLabel('Art. 10, 12')).toBe('第十条、第十二条');
    expect(articleLabel('Art. 26-29')).toBe('第二十六条至第二十九条');
    expect(articleLabel('Art. 15', 'en')).toBe('Art. 15');
    expect(articleLabel('本地政策')).toBe('本地政策');
  });

  it('sort in the order of the measures, not of the text', () => {
    expect(['Art. 22', 'Art. 9', 'Art. 15', 'Art. 10, 12'].sort(byArticle)).toEqual([
      'Art. 9',
      'Art. 10, 12',
      'Art. 15',
      'Art. 22',
    ]);
  });

  it('every ground of a rectification order names the article it rests on', () => {
    for (const reason of RECTIFICATION_REASONS) expect(RECTIFICATION_GROUNDS[reason]).toMatch(/^Art\. \d+$/);
  });
});
