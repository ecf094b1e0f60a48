/**
 * 统计分析: what the statistics group by, in the measures' own terms. Counts and sums are made by
 * the database (db/queries/statistics.ts); this file holds the vocabulary they are labelled with.
 */
import type { RectificationReason } from './records.ts';

/** A deadline's status as the ProjectView shows it (domain/deadline-kinds.ts DeadlineView). */
export const DEADLINE_STATUSES = ['open', 'met', 'missed', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export const DEADLINE_STATUS_TEXTS: Record<DeadlineStatus, string> = {
  open: '未到期',
  met: '按期完成',
  missed: '逾期',
  cancelled: '已取消',
};

/**
 * The article each ground of a rectification order rests on: the text names the ground there (the
 * automatic orders of domain/rules/ cite the same articles); Art. 22 is the order's own article and
 * the ground of the grounds it lists itself (construction against the approval, unauthorised change,
 * acceptance delay) and of any other.
 */
export const RECTIFICATION_GROUNDS: Record<RectificationReason, string> = {
  'unapproved-construction': 'Art. 9',
  'unauthorized-change': 'Art. 22',
  'acceptance-delay': 'Art. 22',
  'late-filing': 'Art. 15',
  'missing-report': 'Art. 16',
  'sharing-noncompliance': 'Art. 9',
  'disguised-packaging': 'Art. 9', // 变相包装: a ground the BDB cites under Art. 9
  other: 'Art. 22',
};

/** Article references in the measures' order: "Art. 9" before "Art. 15"; anything else after, by text. */
export function byArticle(a: string, b: string): number {
  const n = (s: string) => Number(/^Art\.\s*(\d+)/.exec(s)?.[1] ?? Number.POSITIVE_INFINITY);
  return n(a) - n(b) || a.localeCompare(b);
}
