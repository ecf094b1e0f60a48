/**
 * Search attributes the project workflow keeps current, so administrators can filter projects in
 * the Temporal UI (e.g. `ProjectStage = "construction" AND FundsSuspended = true`). The dev server
 * is started with exactly these (scripts/start.ts, test setup); docker-compose registers them too.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ProjectStage = defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD);
export const Department = defineSearchAttributeKey('Department', SearchAttributeType.KEYWORD);
export const Jurisdiction = defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD);
export const AwaitingRole = defineSearchAttributeKey('AwaitingRole', SearchAttributeType.KEYWORD_LIST);
export const FundsSuspended = defineSearchAttributeKey('FundsSuspended', SearchAttributeType.BOOL);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);

export const PROJECT_SEARCH_ATTRIBUTES = [
  ProjectStage,
  Department,
  Jurisdiction,
  AwaitingRole,
  FundsSuspended,
  NextDeadline,
] as const;
