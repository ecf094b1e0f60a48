/**
 * Schemas of API keys, personal accounts and sign-in (api/routes/admin-keys.ts, admin-accounts.ts,
 * auth.ts; Art. 24-25: every action traceable to a person) and of the administrators' trail
 * (api/routes/admin-trail.ts).
 */
import { z } from '@hono/zod-openapi';
import { ACCOUNT_EVENT_OUTCOMES, ACCOUNT_EVENTS } from '../../domain/accounts.ts';
import { storableString, requiredText as text } from '../../domain/field-schemas.ts';
import { ASSIGNABLE_ROLES } from '../../domain/admin-roles.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import { departmentCode, jurisdiction } from './common.ts';

export const createApiKeyBody = z
  .strictObject({
    /** 三员分立 (policy): `admin` is the start-up key's alone (domain/admin-roles.ts). */
    role: z.enum(ASSIGNABLE_ROLES),
    name: text(200),
    department: departmentCode.optional(),
    /** Art. 5, 12, 30 (measures): the jurisdiction the key acts for (default `city`; 422 when not in the registry). */
    jurisdiction: jurisdiction.optional(),
  })
  .refine((b) => (b.role === 'department') === (b.department !== undefined), {
    message: 'department is required for role `department` and not allowed for other roles',
    path: ['department'],
  })
  .openapi('CreateApiKey', {
    description:
      '`department` is required when `role` is `department` and must be absent for every other role (checked by the API; 400 otherwise). ' +
      '`jurisdiction` (Art. 5, 12, 30): a code of GET /v1/admin/jurisdictions, default `city`; an unknown code → 422 `unknown_jurisdiction`.',
  });

export const apiKeyInfo = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    department: z.string().nullable(),
    jurisdiction: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

// ---------------------------------------------------------------------------------------------
// Personal accounts and sign-in (api/routes/auth.ts, api/routes/admin-accounts.ts)
// ---------------------------------------------------------------------------------------------

/** A login name: 3-64 lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export const loginName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'must be 3-64 lower-case letters, digits, ., _ or -');

export const createAccountBody = z
  .strictObject({
    loginName,
    displayName: text(100),
    /** 三员分立 (policy): `admin` is the start-up key's alone (domain/admin-roles.ts). */
    role: z.enum(ASSIGNABLE_ROLES),
    department: departmentCode.optional(),
    jurisdiction: jurisdiction.optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'must be a phone number (digits, spaces, -, optional leading +)')
      .optional(),
  })
  .refine((b) => (b.role === 'department') === (b.department !== undefined), {
    message: 'department is required for role `department` and not allowed for other roles',
    path: ['department'],
  })
  .openapi('CreateAccount', {
    description:
      'As for API keys, `department` is required when `role` is `department` and must be absent otherwise. `jurisdiction` names a county (finance of a county, Art. 12) or `city`.',
  });

export const accountInfo = z
  .object({
    id: z.string(),
    loginName: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    department: z.string().nullable(),
    jurisdiction: z.string().nullable(),
    phone: z.string().nullable(),
    organization: z.string().openapi({
      description: 'Role, then `/department` or `@jurisdiction`: what the audit trail records beside the name',
    }),
    totpEnabled: z.boolean(),
    mustChangePassword: z.boolean(),
    lastSignInAt: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Account');

export const totpEnrolment = z
  .object({
    secret: z.string().openapi({ description: 'Base32 secret (HMAC-SHA1, 6 digits, 30 s), for entering by hand' }),
    otpauthUrl: z.string().openapi({ description: '`otpauth://totp/…` URI for an authenticator app (QR code)' }),
  })
  .openapi('TotpEnrolment');

export const createdAccount = accountInfo
  .extend({
    initialPassword: z
      .string()
      .openapi({ description: 'One-time initial password, shown once; it must be changed at the first sign-in' }),
    totpEnrolment: z.union([totpEnrolment, z.null()]).openapi({
      description:
        'For role admin: the authenticator secret; the first sign-in needs one of its codes (and so confirms it)',
    }),
  })
  .openapi('CreatedAccount');

/** Art. 24-25, 28; GB/T 39786 logs: one entry of the accounts' security trail (db/schema/accounts.ts account_events). */
export const accountEvent = z
  .object({
    seq: z.number().int().openapi({ description: 'Position in the one SM3 hash chain of the whole trail (1, 2, 3…)' }),
    at: z.string(),
    event: z.enum(ACCOUNT_EVENTS),
    outcome: z
      .enum(ACCOUNT_EVENT_OUTCOMES)
      .openapi({ description: '`refused`: a sign-in while the login name was locked (not counted as a failure)' }),
    accountId: z.string().nullable(),
    loginName: z.string(),
    actor: z
      .string()
      .nullable()
      .openapi({ description: 'Who acted: `account:<id>` (the person), an API key id, `cli:<user>`' }),
    actorName: z.string().nullable(),
    ip: z.string().nullable().openapi({ description: "The client's address as the API's socket saw it" }),
    userAgent: z.string().nullable(),
    detail: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'e.g. `reason` of a failure, `sessionsEnded`, `lockedUntil`' }),
    hash: z.string().openapi({ description: 'SM3(previous hash ‖ "\\n" ‖ canonical JSON of the entry), hex' }),
  })
  .openapi('AccountEvent');

export const accountEventList = z
  .object({
    items: z.array(accountEvent),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('AccountEventList');

export const loginBody = z
  .strictObject({
    loginName: storableString().min(1).max(64).openapi({ description: 'Compared in lower case' }),
    password: storableString().min(1).max(1024),
    totp: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit code')
      .optional(),
  })
  .openapi('Login');

export const authSession = z
  .object({
    account: accountInfo,
    csrfToken: z
      .string()
      .openapi({ description: 'Send as `X-CSRF-Token` on every write made with the session cookie' }),
    mustChangePassword: z.boolean(),
  })
  .openapi('AuthSession');

export const logoutBody = z.strictObject({ everywhere: z.boolean().optional() }).openapi('Logout');

export const changePasswordBody = z
  .strictObject({ currentPassword: storableString().min(1).max(1024), newPassword: storableString().min(1).max(1024) })
  .openapi('ChangePassword');

export const totpBody = z
  .strictObject({
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit code')
      .optional(),
    password: storableString().min(1).max(1024).optional(),
    currentCode: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit code')
      .optional(),
  })
  .refine((b) => (b.code === undefined) !== (b.password === undefined && b.currentCode === undefined), {
    message: 'send {password, currentCode?} to start an enrolment, or {code} to confirm it',
    path: ['code'],
  })
  .openapi('TotpStep', {
    description:
      '`{password}` starts an enrolment (answers the secret) — with `currentCode`, a current code of the authenticator in force, when one is; `{code}` confirms it with a code of the new secret.',
  });

/** The administrators' trail: one entry, as chained. */
export const adminEvent = z
  .object({
    seq: z.number().int().openapi({ description: 'Position in the one SM3 hash chain of the trail (1, 2, 3…)' }),
    at: z.string(),
    action: z.string().openapi({ example: 'policy.version' }),
    target: z.string(),
    actor: z.string().openapi({ description: 'An API key id, `account:<id>`, `env-admin`' }),
    actorName: z.string().nullable(),
    actorRole: z.string().nullable(),
    ip: z.string().nullable(),
    before: z.unknown().openapi({ description: 'The record before the change (null for a creation); never a secret' }),
    after: z.unknown().openapi({ description: 'The record after the change (null for a removal); never a secret' }),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AdminEvent');

export const adminEventList = z
  .object({
    items: z.array(adminEvent),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('AdminEventList');
