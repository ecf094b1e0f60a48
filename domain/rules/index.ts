/**
 * The rules of 晋市政办〔2019〕44号, one handler per command and one consequence per deadline kind.
 * Every payload reaching a handler has passed its schema (COMMAND_SCHEMAS, checked by Project.run);
 * a handler first refuses (throws Rejection) and only then changes the draft state, citing its
 * article. Order of refusals: 400 payload → 409 stage → 404 id → 422 business.
 *
 * One file an article group, each opening with the articles it holds: application.ts (Art. 7-9),
 * budget.ts (Art. 10-12), contracts.ts (Art. 13-17), acceptance.ts (Art. 18-21), rectification.ts
 * (Art. 22), operation.ts (Art. 23, 28-29), deadlines.ts (reminders and expiry); common.ts holds
 * the refusals they share. Search `Art. N` in this folder to find a rule.
 */
import { deadlineRescheduling } from '../rescheduling.ts';
import { ACCEPTANCE_HANDLERS } from './acceptance.ts';
import { APPLICATION_HANDLERS } from './application.ts';
import { BUDGET_HANDLERS } from './budget.ts';
import type { Handlers } from './common.ts';
import { CONTRACT_HANDLERS } from './contracts.ts';
import { OPERATION_HANDLERS } from './operation.ts';
import { RECTIFICATION_HANDLERS } from './rectification.ts';

export { consultedRoles } from './contracts.ts';
export { expire, remind } from './deadlines.ts';

export const HANDLERS: Handlers = {
  ...APPLICATION_HANDLERS,
  ...BUDGET_HANDLERS,
  ...CONTRACT_HANDLERS,
  ...ACCEPTANCE_HANDLERS,
  ...RECTIFICATION_HANDLERS,
  ...OPERATION_HANDLERS,
  deadlineRescheduling, // docs/MEASURES.md "Working days": domain/rescheduling.ts
};
