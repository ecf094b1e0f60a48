/**
 * Art. 12 (measures): 需县级承担的建设资金、运维经费列入同级财政预算 — who among the finance bureaus acts
 * on a project's money. One rule for the core (domain/rules/budget.ts: disbursement and the
 * finance opinion on a change request) and the API (commands, funds overview, ledgers).
 */
import { Rejection } from './errors.ts';

/**
 * Art. 12 (measures): the refusal of a finance actor of `actorJurisdiction` (absent: the city's)
 * acting on a project of `projectJurisdiction`, or undefined when it may: the city finance acts on
 * every project (the city's money, and the city share of a county's project); a county's finance
 * only on its own county's projects (its county share, 列入同级财政预算). The API asks it before sending
 * the command, so runs recorded before the patch `finance-jurisdiction` are refused too.
 */
export function financeJurisdictionRefusal(
  actorJurisdiction: string | undefined,
  projectJurisdiction: string,
): Rejection | undefined {
  const own = actorJurisdiction ?? 'city';
  if (own === 'city' || own === projectJurisdiction) return undefined;
  return new Rejection(
    403,
    'other_jurisdiction_finance',
    `Art. 12: the finance of ${own} acts only on its own county's share; this project belongs to ${projectJurisdiction}.`,
    {
      jurisdiction: projectJurisdiction,
      actorJurisdiction: own,
    },
  );
}
