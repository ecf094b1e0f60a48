/**
 * Amounts and dates as the console shows them: the same formatting as the API's texts
 * (domain/labels/language.ts), yyyy年m月d日 everywhere. A due instant (`dueAt`, the end of its last day) shows
 * its own day through `dueOrDash`, never the next one.
 */
export {
  formatDate,
  formatDue,
  formatInstant,
  formatPeriod,
  formatYuan,
  formatYuanNumber,
} from '../../domain/labels/language.ts';
export { label } from '../../domain/labels/values.ts';
import { formatDate, formatDue, formatInstant } from '../../domain/labels/language.ts';

/** "2026年11月25日 14:30" for an instant (Asia/Shanghai). */
export const formatDateTime = (value: string | null | undefined) =>
  value ? `${formatDate(value)} ${formatInstant(value).slice(11)}` : '—';
/** A calendar date or the day of an instant (a start, a record's time). */
export const dateOrDash = (value: string | null | undefined) => (value ? formatDate(value) : '—');
/** The last day of a period from its due instant (deadlines, notices, pending actions). */
export const dueOrDash = (dueAt: string | null | undefined) => (dueAt ? formatDue(dueAt) : '—');
