/**
 * The pieces notification texts are made of (domain/labels/notifications.ts): values as text,
 * amounts, dates, allocations and the article or policy a period comes from, in either language.
 * Pure and deterministic (the workflow sandbox runs it): no Intl, no clock, no I/O.
 */
import { formatDate, formatYuan, type Language, type NotificationParams } from './language.ts';
import { label } from './values.ts';

export type P = NotificationParams;
/** A template: the params and the recipient role (some kinds read differently for each recipient). */
export type Template = (p: P, role: string) => string;
export interface Texts {
  zh: Template;
  en: Template;
}

/** A detail value as text: nothing for a missing one, a record as its JSON (never "[object Object]"). */
export const s = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
};
export const yuan = (v: unknown, lang: Language) => formatYuan(Number(v), lang);
export const date = (v: unknown, lang: Language) => formatDate(s(v), lang);
export const alloc = (p: P, lang: Language) =>
  lang === 'en'
    ? `Allocation ${s(p.allocationId)} (${label('fundType', p.fundType, 'en')}, ${yuan(p.amountFen, 'en')})`
    : `资金分配 ${s(p.allocationId)}（${label('fundType', p.fundType)}，${yuan(p.amountFen, 'zh-CN')}）`;
export const art = (p: P, zh: string) => (p.article ? `（${zh}）` : '');
/** Art. 9 (measures): the grounds a review cites (comma-separated codes in `grounds`). */
export const grounds = (p: P, lang: Language) => {
  if (!p.grounds) return '';
  const names = String(p.grounds)
    .split(',')
    .map((g) => label('art9Ground', g, lang));
  return lang === 'en' ? ` (Art. 9: ${names.join('; ')})` : `（第九条：${names.join('；')}）`;
};
/**
 * Art. 15, 21, 30: the period a late filing missed, as the deadline had it: the text's (measures), a
 * county's own measures (Art. 30), or a city policy period stored before the text's were fixed.
 */
export const filingPeriod = (p: P, lang: Language) => {
  if (p.periodAmount === undefined) return '';
  const n = s(p.periodAmount);
  if (lang === 'en') return ` within ${n} ${p.periodUnit === 'calendarDays' ? 'calendar' : 'working'} days of signing`;
  return `签订后 ${n} 个${p.periodUnit === 'calendarDays' ? '自然日' : '工作日'}内`;
};
export const periodSource = (p: P, lang: Language, article: [zh: string, en: string]) => {
  if (p.basis !== 'policy') return lang === 'en' ? ` (${article[1]})` : `（${article[0]}）`;
  if (p.jurisdiction)
    return lang === 'en'
      ? ` (${article[1]}; the period of the county's own measures, Art. 30)`
      : `（${article[0]}；期限依县级管理办法，第三十条，本地政策）`;
  return lang === 'en' ? ` (${article[1]}; the period is local policy)` : `（${article[0]}；期限为本地政策）`;
};
