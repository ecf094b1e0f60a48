/** Amounts and dates as the console shows them: the same formatting as the API's texts (domain/texts.ts). */
export { formatDate, formatInstant, formatPeriod, formatYuan, formatYuanNumber, label } from '../../domain/texts.ts';
import { formatDate, formatInstant } from '../../domain/texts.ts';

/** "2026年11月25日 14:30" for an instant (Asia/Shanghai). */
export const formatDateTime = (value: string | null | undefined) => (value ? `${formatDate(value)} ${formatInstant(value).slice(11)}` : '—');
export const dateOrDash = (value: string | null | undefined) => (value ? formatDate(value) : '—');
