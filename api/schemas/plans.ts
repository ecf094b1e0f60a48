/**
 * Schemas of the BDB's annual plans (Art. 6; api/routes/plans.ts): items, versions and the plan of a year.
 */
import { z } from '@hono/zod-openapi';
import { fen, requiredText as text } from '../../domain/field-schemas.ts';
import { departmentCode, instant } from './common.ts';

/** Art. 6: the fields of an item of the BDB's annual plan. */
const annualPlanItemFields = {
  code: text(64),
  title: text(200),
  department: departmentCode,
  ceilingFen: fen,
};

/** Art. 6: an item of the BDB's annual plan, as PUT. */
export const annualPlanItemInput = z.strictObject(annualPlanItemFields).openapi('AnnualPlanItemInput');

export const annualPlanBody = z
  .strictObject({ items: z.array(annualPlanItemInput).max(2000) })
  .refine((b) => new Set(b.items.map((i) => i.code)).size === b.items.length, {
    message: 'item codes must be unique within a year',
    path: ['items'],
  })
  .openapi('AnnualPlanInput', {
    description: 'Item codes must be unique within the body (checked by the API; 400 otherwise).',
  });

/**
 * An item as stored: one schema with every field. Not `annualPlanItemInput.extend(...)`, which the
 * generator emits as allOf of two closed schemas (additionalProperties: false each) that no stored
 * item can match.
 */
export const annualPlanItem = z
  .object({
    ...annualPlanItemFields,
    updatedAt: instant,
    updatedBy: z.string().nullable(),
    /** The person's (or key's) name people read instead of the `updatedBy` id. */
    updatedByName: z.string().nullable(),
  })
  .openapi('AnnualPlanItem');

/** Art. 6 (measures): a version of a year's plan — the draft, the approved version in force, or an older approved one. */
export const PLAN_VERSION_STATUS = ['draft', 'in-force', 'superseded'] as const;
const planVersionFields = {
  version: z.number().int(),
  status: z.enum(PLAN_VERSION_STATUS),
  /** The city government's approval (Art. 6): its date and document number; null while a draft. */
  approvedOn: z.string().nullable(),
  documentNo: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** The names people read instead of the `approvedBy` and `createdBy` ids (a personal account's name, a key's name). */
  approvedByName: z.string().nullable(),
  createdByName: z.string().nullable(),
};
export const annualPlanVersionInfo = z.object(planVersionFields).openapi('AnnualPlanVersionInfo');

export const annualPlan = z
  .object({
    year: z.number().int(),
    version: z.number().int().nullable(),
    status: z.enum(PLAN_VERSION_STATUS).nullable(),
    approvedOn: z.string().nullable(),
    documentNo: z.string().nullable(),
    approvedAt: z.string().nullable(),
    approvedBy: z.string().nullable(),
    createdAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    approvedByName: z.string().nullable(),
    createdByName: z.string().nullable(),
    items: z.array(annualPlanItem),
  })
  .openapi('AnnualPlan', {
    description:
      "A version of a year's plan (Art. 6) with its items. GET /v1/annual-plans/{year} shows the version in force, or the draft while none is approved " +
      '(`version` and the other version fields null when the year has no plan at all).',
  });
