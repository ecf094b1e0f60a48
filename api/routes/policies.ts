/**
 * Jurisdiction policies (Art. 30): the deadline settings of the city and of every county that issued
 * its own measures. A PUT adds a new version; projects keep the version they pinned at application.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { addPolicyVersion, latestPolicy, listPolicies } from '../../db/policies.ts';
import { actorNames } from '../../db/queries/actors.ts';
import { recordAdminChange } from '../../db/queries/admin-trail.ts';
import { requireDuty, trailActor } from '../auth.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { jurisdiction } from '../schemas/common.ts';
import { requireJurisdiction } from './jurisdictions.ts';
import { changedMeasuresPeriod, DEFAULT_POLICY_SWITCHES } from '../../domain/policy-defaults.ts';
import { POLICY_SWITCHES } from '../../domain/policy.ts';
import { ApiError } from '../problem.ts';

const duration = z.strictObject({
  unit: z.enum(['workingDays', 'calendarDays']),
  amount: z.number().int().min(1).max(366),
});

/** A deadline and its reminder; the reminder must fall after the deadline starts. */
const setting = z
  .strictObject({ duration, reminder: duration.nullable() })
  .refine((s) => s.reminder === null || s.reminder.unit !== s.duration.unit || s.reminder.amount < s.duration.amount, {
    message: 'reminder must be shorter than the deadline itself',
    path: ['reminder'],
  });

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');

export const policyDeadlines = z
  .strictObject({
    publicity: setting,
    contractFiling: setting,
    progressReport: z.strictObject({ period: z.literal('quarterly'), duration, reminder: duration.nullable() }),
    acceptanceDelay: setting,
    completionReport: setting,
    rectification: setting,
    annualEvaluation: z.strictObject({ dueMonthDay: monthDay, reminder: duration.nullable() }),
    /** Art. 29 (policy): the drill period; left out: yearly (365 calendar days, reminder 30 days before). */
    securityDrill: setting.optional(),
  })
  .openapi('PolicyDeadlines', {
    description:
      'In every setting a reminder in the same unit as its deadline must be shorter than the deadline (checked by the API; 400 otherwise).',
  });

/**
 * docs/MEASURES.md "Two kinds of rule": consequences the text does not name, off by default
 * (record + notify the BDB; a person decides), the city's few orders on. A switch left out of a PUT
 * takes its default (DEFAULT_POLICY_SWITCHES) in the new version.
 */
export const policySwitchesSchema = z
  .strictObject(
    Object.fromEntries(POLICY_SWITCHES.map((k) => [k, z.boolean().default(DEFAULT_POLICY_SWITCHES[k])])) as Record<
      (typeof POLICY_SWITCHES)[number],
      z.ZodDefault<z.ZodBoolean>
    >,
  )
  .openapi('PolicySwitches', {
    description:
      'lateFilingRectification (Art. 15 automatic late-filing order), missingReportRectification (Art. 16 automatic missing-report order), ' +
      'completionReportFreeze (Art. 21 freeze undisbursed construction money while the report is overdue), failedAcceptanceClearsOtherPass ' +
      "(Art. 18: a failed acceptance also wipes the other side's pass), unapprovedConstructionRectification (Art. 9 automatic order for a " +
      'contract signed before approval), acceptanceDelayRectification (Art. 22 automatic order when the acceptance period passes unexcused), ' +
      "planCeilingRefusal (Art. 6, 8: refuse an application whose estimate exceeds its plan item's ceilingFen; off: the ceiling is shown only), " +
      'technicalReviewEveryItem (Art. 7: a technical review passes only with every checklist item; default true), ' +
      'riskAssessmentBeforeTechnicalAcceptance (Art. 28: the joint risk assessment is recorded before technical acceptance; default true), ' +
      'emergencyPlanBeforeCompletionReport (Art. 29: the Art. 21 completion report waits for the emergency plan; default false), ' +
      "budgetIncreaseNeedsApprovalAgreement (Art. 10, 17: an approved budget increase raises the construction cap only with the approval bureau's agreement; default true). " +
      'Every switch is local policy (本地政策), not the text; a switch left out takes its default, and versions stored before a switch existed read it at its default.',
  });

export const policyBody = z
  .strictObject({ deadlines: policyDeadlines, switches: policySwitchesSchema.optional() })
  .openapi('PutPolicy');

export const policy = z
  .object({
    jurisdiction: z.string(),
    version: z.number().int(),
    deadlines: policyDeadlines,
    switches: policySwitchesSchema,
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    /** Who issued the version, as people read it (a personal account's or a key's name). */
    createdByName: z.string().nullable(),
  })
  .openapi('Policy');

export function policyRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/policies',
      tags: ['policies'],
      summary: 'Every version of every jurisdiction policy (any role, Art. 30)',
      description:
        'Ordered by jurisdiction, then version; the highest version of a jurisdiction is the one new projects pin. A county without its own policy follows the city.',
      security,
      request: { query: z.object({ jurisdiction: jurisdiction.optional() }) },
      responses: {
        200: { description: 'Policies', content: json(z.object({ items: z.array(policy) })) },
        400: problem('Invalid filter'),
        401: problem('No or unknown key'),
      },
    }),
    async (c) => {
      const { jurisdiction: j } = c.req.valid('query');
      const items = await listPolicies(db, j);
      const nameOf = await actorNames(
        db,
        items.map((p) => p.createdBy),
      );
      return c.json({ items: items.map((p) => ({ ...p, createdByName: nameOf(p.createdBy) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/policies/{jurisdiction}',
      tags: ['policies'],
      summary: "Issue a new version of a jurisdiction's deadline settings and policy switches (admin, Art. 30)",
      description:
        'Creates version n+1 (version 1 for a county issuing its own measures). Running projects keep the version they pinned. ' +
        "The periods the text fixes — contractFiling 5 working days (Art. 15) and completionReport 7 working days (Art. 21) — are not the city's to change " +
        "(422 `period_fixed_by_measures`); a county's own measures may set its own (Art. 30). Reminders are policy everywhere.",
      security,
      middleware: requireDuty('configuration'),
      request: {
        params: z.object({ jurisdiction: jurisdiction.openapi({ param: { name: 'jurisdiction', in: 'path' } }) }),
        body: { content: json(policyBody), required: true },
      },
      responses: {
        201: { description: 'The new version', content: json(policy) },
        400: problem('Invalid settings'),
        401: problem('No or unknown key'),
        403: problem('Not the system administrator (`sysadmin`) or the start-up key'),
        422: problem(
          '`unknown_jurisdiction`: not in the registry (Art. 5, 12, 30); `period_fixed_by_measures`: the city changing a period the text fixes (Art. 15, 21)',
        ),
      },
    }),
    async (c) => {
      const { jurisdiction: j } = c.req.valid('param');
      const { deadlines, switches } = c.req.valid('json');
      await requireJurisdiction(db, j);
      // Art. 15, 21 (measures): the 5 and 7 working days are the text's; only a county's own measures
      // (Art. 30) may set other periods, never the city's policy.
      const changed = j === 'city' ? changedMeasuresPeriod(deadlines) : null;
      if (changed) {
        const { unit, amount } = changed.duration;
        throw new ApiError(
          422,
          'period_fixed_by_measures',
          'Period fixed by the measures',
          `${changed.article}: ${changed.field} is ${amount} ${unit === 'workingDays' ? 'working' : 'calendar'} days by the measures; the city's policy cannot change it (a county's own measures may, Art. 30).`,
          { field: changed.field, article: changed.article, fixed: changed.duration },
          {},
          { field: changed.field, articleZh: changed.articleZh, amount },
        );
      }
      const stored = await recordAdminChange(db, trailActor(c), 'policy.version', async (tx) => {
        const before = await latestPolicy(tx, j);
        const added = await addPolicyVersion(tx, j, deadlines, c.get('actor').keyId, switches ?? {});
        return { result: added, target: j, before: before ?? null, after: added };
      });
      c.header('Location', `/v1/policies?jurisdiction=${j}`);
      const nameOf = await actorNames(db, [stored.createdBy]);
      return c.json({ ...stored, createdByName: nameOf(stored.createdBy) }, 201);
    },
  );

  return app;
}
