/** Request and response schemas shared by the routes (shared/API.md). Unknown fields are rejected. */
import { z } from '@hono/zod-openapi';
import { PROJECT_KINDS, ROLES, STAGES } from '../workflows/core/types.ts';

/** Integer fen (分): money is never a float (shared/DOMAIN.md "Money"). */
export const fen = z.number().int('must be integer fen').min(0).max(Number.MAX_SAFE_INTEGER);

/** A calendar date in Asia/Shanghai, YYYY-MM-DD, that exists. */
export const calendarDate = z.iso.date('must be a calendar date YYYY-MM-DD');

/** Jurisdiction: `city` or a county code (Art. 5, 30). */
export const jurisdiction = z.string().regex(/^(city|[a-z0-9-]{2,32})$/, 'must be `city` or a county code');

export const departmentCode = z.string().regex(/^[A-Za-z0-9_-]{2,64}$/, 'must be a department code (2-64 letters, digits, - or _)');

/** A document reference (URL or content hash); the system stores no files (shared/DOMAIN.md). */
export const documentRef = z.string().trim().min(1).max(2048);

export const projectId = z
  .string()
  .regex(/^[A-Z0-9-]{4,40}$/, 'is not a project id')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'JC2026-7F3K9Q2M' });

export const createProjectBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().max(4000).default(''),
    kind: z.enum(PROJECT_KINDS),
    jurisdiction,
    year: z.number().int().min(2019).max(2100),
    annualPlanItem: z.string().trim().min(1).max(64),
    estimate: z
      .strictObject({ totalFen: fen, cityShareFen: fen, countyShareFen: fen })
      .refine((e) => e.cityShareFen + e.countyShareFen === e.totalFen, {
        message: 'cityShareFen + countyShareFen must equal totalFen (Art. 12)',
      }),
    plannedCompletionDate: calendarDate,
    documents: z.strictObject({
      proposal: documentRef,
      feasibilityStudy: documentRef,
      preliminaryDesign: documentRef,
      investmentEstimate: documentRef,
    }),
    classified: z.boolean(),
  })
  .openapi('CreateProject');

const fundBalance = z.object({
  allocatedFen: fen,
  heldFen: fen,
  availableFen: fen,
  frozenFen: fen,
  disbursedFen: fen,
  cancelledFen: fen,
});

export const projectView = z
  .object({
    id: z.string(),
    title: z.string(),
    department: z.string(),
    jurisdiction: z.string(),
    kind: z.enum(PROJECT_KINDS),
    stage: z.enum(STAGES),
    createdAt: z.string(),
    policy: z.object({ jurisdiction: z.string(), version: z.number().int() }),
    plannedCompletionDate: z.string(),
    pendingActions: z.array(
      z.object({ role: z.enum(ROLES), action: z.string(), dueAt: z.string().optional(), overdue: z.boolean() }),
    ),
    deadlines: z.array(z.object({ kind: z.string(), ref: z.string().optional(), startsAt: z.string(), dueAt: z.string(), status: z.enum(['open', 'met', 'missed', 'cancelled']) })),
    funds: z.object({ suspended: z.boolean(), construction: fundBalance, om: fundBalance }),
    violations: z.array(z.object({ kind: z.string(), article: z.string(), at: z.string(), detail: z.string() })),
    decisions: z.array(
      z.object({
        action: z.string(),
        role: z.enum(ROLES),
        by: z.string(),
        at: z.string(),
        decision: z.string().optional(),
        opinion: z.string().optional(),
      }),
    ),
  })
  .passthrough()
  .openapi('ProjectView');

export const createApiKeyBody = z
  .strictObject({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(200),
    department: departmentCode.optional(),
  })
  .refine((b) => (b.role === 'department') === (b.department !== undefined), {
    message: 'department is required for role `department` and not allowed for other roles',
    path: ['department'],
  })
  .openapi('CreateApiKey');

export const apiKeyInfo = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    department: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');
