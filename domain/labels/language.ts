/**
 * The languages of what people read (docs/API.md "Language": zh-CN by default, English with
 * `Accept-Language: en`; code values stay English), the negotiation of one, and the formats of
 * amounts (integer fen → "1,200,000.00 元"), dates ("2026年11月25日", Asia/Shanghai) and periods.
 * Pure and deterministic (the workflow sandbox runs it): no Intl, no clock, no I/O.
 */
import { dueDate, SHANGHAI_OFFSET_MS, shanghaiDate } from '../calendar/dates.ts';

export type Language = 'zh-CN' | 'en';
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** The measures' own title (晋市政办〔2019〕44号), wherever a text names them in full. */
export const MEASURES_TITLE = '《晋城市政务大数据项目建设应用管理办法》';

/** What a notification carries besides its kind: plain JSON values only (stored as jsonb). */
export type NotificationParams = Record<string, string | number | boolean | null>;

// --- formatting -------------------------------------------------------------------------------

/** Integer fen as yuan with two decimals and thousands separators: 120000000 → "1,200,000.00". */
export function formatYuanNumber(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}.${String(cents).padStart(2, '0')}`;
}

/** "1,200,000.00 元" (zh-CN) or "1,200,000.00 yuan" (en). */
export const formatYuan = (fen: number, lang: Language = DEFAULT_LANGUAGE): string =>
  `${formatYuanNumber(fen)} ${lang === 'en' ? 'yuan' : '元'}`;

/** A calendar date (YYYY-MM-DD) or an instant (its Asia/Shanghai day): "2026年11月25日" or "2026-11-25". */
export function formatDate(value: string, lang: Language = DEFAULT_LANGUAGE): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? value
    : /^\d{4}-\d{2}-\d{2}T/.test(value)
      ? shanghaiDate(value)
      : null;
  if (date === null) return value;
  if (lang === 'en') return date;
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/**
 * The day a deadline ends, from its due instant (`dueAt`, 24:00 Asia/Shanghai of that day):
 * "2026年12月11日" for 2026-12-11T16:00:00Z. Every due date a person reads goes through this.
 */
export const formatDue = (dueAt: string, lang: Language = DEFAULT_LANGUAGE): string => formatDate(dueDate(dueAt), lang);

/** An instant as Asia/Shanghai wall time to the minute: "2026-11-25 14:30" (UTC+8, no daylight saving). */
export function formatInstant(value: string | Date): string {
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** "2026Q3" → "2026年第3季度" / "2026 Q3". */
export function formatPeriod(period: string, lang: Language = DEFAULT_LANGUAGE): string {
  const m = /^(\d{4})Q([1-4])$/.exec(period);
  if (!m) return period;
  return lang === 'en' ? `${m[1]} Q${m[2]}` : `${m[1]}年第${m[2]}季度`;
}

/**
 * The language an Accept-Language header asks for: English when an `en` tag outranks every `zh`
 * tag, zh-CN otherwise (also for no header, `*` or languages we do not have).
 */
export function negotiateLanguage(header: string | undefined | null): Language {
  if (!header) return DEFAULT_LANGUAGE;
  let best: { lang: Language; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag = '', ...attrs] = part.trim().toLowerCase().split(';');
    const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
    const q = qAttr ? Number(qAttr.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Language | null =
      tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'zh' || tag.startsWith('zh-') ? 'zh-CN' : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? DEFAULT_LANGUAGE;
}
