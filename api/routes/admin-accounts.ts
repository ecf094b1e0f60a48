/**
 * Personal account administration (docs/API.md "Administration"): the security
 * administrator (三员分立, domain/admin-roles.ts; the auditor reads). The initial password (and, for
 * an administrator's account, the authenticator secret) is answered once. Revoking ends the
 * account's sessions in the same transaction. An account's role, department and jurisdiction are
 * fixed when it is created: no route changes them, so nobody can raise their own account.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { accountEventsOf, chainedEvent } from '../../db/queries/account-events.ts';
import { findAccount, listAccounts } from '../../db/queries/accounts.ts';
import { registerDepartmentInUse } from '../../db/queries/departments.ts';
import { requestOrigin } from '../logging.ts';
import { cursorParam, decodeCursor, limitParam, page } from '../pagination.ts';
import { requireDuty } from '../auth.ts';
import { assignmentRefusal } from '../../domain/admin-roles.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import {
  accountEventList,
  accountInfo as accountSchema,
  createAccountBody,
  createdAccount,
} from '../schemas/accounts.ts';
import { accountInfo, type AccountService } from '../sessions.ts';
import { requireJurisdiction } from './jurisdictions.ts';

const guard = requireDuty('accounts');
const reads = requireDuty('accountReads');
const accountId = z.string().regex(/^[0-9a-f]{12}$/, 'is not an account id');
/** The actor of an admin's action, for the trail. */
const adminActor = (actor: { keyId: string; name: string }) => ({ keyId: actor.keyId, name: actor.name });
const denied = {
  401: problem('No or unknown key or session'),
  403: problem('Not the security administrator (`secadmin`) or the start-up key'),
};
const deniedReads = {
  401: problem('No or unknown key or session'),
  403: problem('Not the security or audit administrator (`secadmin`, `auditadmin`) or the start-up key'),
};

export function adminAccountRoutes({ db, accounts }: { db: Database; accounts: AccountService }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/accounts',
      tags: ['admin'],
      summary: 'Create a personal account (initial password shown once)',
      description:
        'Answers the account with a one-time `initialPassword`, to be changed at the first sign-in. For the administrator roles ' +
        '(`sysadmin`, `secadmin`, `auditadmin`) also `totpEnrolment`: the person adds it to an authenticator app; their first sign-in ' +
        'needs one of its codes. Roles: `secadmin`, the start-up key. 三员分立 (policy): a `secadmin` cannot create a `secadmin` ' +
        "account (403 `reserved_role`; the start-up key and `npm run accounts` can); role `admin` is never an account's.",
      security,
      middleware: guard,
      request: { body: { content: json(createAccountBody), required: true } },
      responses: {
        201: {
          description: 'Created; `initialPassword` and `totpEnrolment` are not retrievable later',
          content: json(createdAccount),
        },
        400: problem('Invalid body'),
        ...denied,
        403: problem('Not the security administrator; `reserved_role`: a `secadmin` creating a `secadmin` account'),
        409: problem('`already_exists`: the login name is taken'),
        422: problem('`unknown_jurisdiction`: `jurisdiction` is not in the registry (Art. 5, 12, 30)'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // 三员分立 (policy): creating security administrators is reserved to whoever operates the server.
      if (assignmentRefusal(c.get('actor').role, 'account', body.role)) {
        throw new ApiError(
          403,
          'reserved_role',
          'Forbidden',
          `A ${c.get('actor').role} cannot create an account with the role ${body.role}: the start-up key or npm run accounts does.`,
          { role: body.role },
          {},
          { kind: 'account', role: body.role },
        );
      }
      // Art. 5, 12, 30 (measures): an account acts for a jurisdiction of the registry, like a key.
      await requireJurisdiction(db, body.jurisdiction ?? undefined);
      const created = await accounts.createAccount(body, adminActor(c.get('actor')), requestOrigin(c));
      // A code the departments registry lacks is registered, named by its code until the admin names it.
      if (body.department)
        await registerDepartmentInUse(db, body.department, body.jurisdiction ?? 'city', c.get('actor').keyId);
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          ...accountInfo(created.account),
          initialPassword: created.initialPassword,
          totpEnrolment: created.totpEnrolment,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/accounts',
      tags: ['admin'],
      summary: 'List personal accounts (never their passwords or secrets)',
      description: 'Roles: `secadmin`, `auditadmin` (reads only), the start-up key.',
      security,
      middleware: reads,
      responses: {
        200: { description: 'Accounts, newest first', content: json(z.object({ items: z.array(accountSchema) })) },
        ...deniedReads,
      },
    }),
    async (c) => c.json({ items: (await listAccounts(db)).map(accountInfo) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/accounts/{id}',
      tags: ['admin'],
      summary: 'Revoke a personal account (its sessions end at once)',
      description:
        'An account already revoked answers 409 `already_revoked` with its `revokedAt`. Roles: `secadmin`, the start-up key.',
      security,
      middleware: guard,
      request: { params: z.object({ id: accountId }) },
      responses: {
        204: { description: 'Revoked; every session of the account ended' },
        400: problem('Malformed id'),
        404: problem('No such account'),
        409: problem('`already_revoked`; `cannot_revoke_self`: the account of this request'),
        ...denied,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (c.get('actor').accountId === id) {
        throw new ApiError(
          409,
          'cannot_revoke_self',
          'Cannot revoke itself',
          `Account ${id} is the account of this request: another administrator revokes it.`,
          { id },
          {},
          { kind: 'account' },
        );
      }
      const revoked = await accounts.revoke(id, adminActor(c.get('actor')), requestOrigin(c));
      if (revoked.outcome === 'unknown') throw notFound(`No account ${id}.`);
      if (revoked.outcome === 'already') {
        throw new ApiError(
          409,
          'already_revoked',
          'Already revoked',
          `Account ${id} was already revoked.`,
          { revokedAt: revoked.revokedAt?.toISOString() ?? null },
          {},
          { kind: 'account' },
        );
      }
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/accounts/{id}/events',
      tags: ['admin'],
      summary:
        "An account's security trail, newest first (sign-ins, failures, lockouts, sign-outs, password and TOTP changes, admin actions)",
      description:
        'Art. 24-25 (measures) trace every action to a person and Art. 28 asks for a secure system; GB/T 39786 asks for these logs. Append-only, one SM3 hash chain over the ' +
        'whole trail (`npm run audit:verify` checks it). Failed sign-ins with a login name no account has are in the trail too ' +
        'but belong to no account, so they are not listed here. Keyset pagination: pass `nextCursor` as `cursor`. ' +
        'Roles: `secadmin`, `auditadmin`, the start-up key.',
      security,
      middleware: reads,
      request: { params: z.object({ id: accountId }), query: z.object({ limit: limitParam, cursor: cursorParam }) },
      responses: {
        200: { description: 'Events, newest first', content: json(accountEventList) },
        400: problem('Malformed id, limit or cursor'),
        404: problem('No such account'),
        ...deniedReads,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      if (!(await findAccount(db, id))) throw notFound(`No account ${id}.`);
      const position = query.cursor ? decodeCursor(query.cursor) : undefined;
      if (position && !/^\d{1,10}$/.test(position.id)) {
        throw new ApiError(400, 'validation_failed', 'Validation failed', 'cursor: is not a cursor of this list', {
          errors: [{ path: 'cursor', message: 'is not a cursor of this list' }],
        });
      }
      const beforeSeq = position ? Number(position.id) : undefined;
      const rows = await accountEventsOf(db, id, query.limit + 1, beforeSeq);
      const cut = page(
        rows.map((r) => ({ ...r.row, id: String(r.row.seq), cursorMicros: r.cursorMicros })),
        query.limit,
      );
      const items = cut.rows.map((r) => ({
        ...chainedEvent(r),
        detail: r.detail as Record<string, unknown>,
        hash: r.hash,
      }));
      return c.json({ items, nextCursor: cut.nextCursor }, 200);
    },
  );

  return app;
}
