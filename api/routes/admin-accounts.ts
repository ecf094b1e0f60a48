/**
 * Personal account administration (issue 16; shared/API.md "Additions"): admin only. The initial
 * password (and, for an admin account, the authenticator secret) is answered once. Revoking ends
 * the account's sessions in the same transaction.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { listAccounts, revokeAccount } from '../../db/queries/accounts.ts';
import { requireRole } from '../auth.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { accountInfo as accountSchema, createAccountBody, createdAccount } from '../schemas.ts';
import { accountInfo, type AccountService } from '../sessions.ts';
import { requireJurisdiction } from './jurisdictions.ts';

const guard = requireRole('admin');
const denied = { 401: problem('No or unknown key or session'), 403: problem('Not an admin') };

export function adminAccountRoutes({ db, accounts }: { db: Database; accounts: AccountService }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/accounts',
      tags: ['admin'],
      summary: 'Create a personal account (initial password shown once)',
      description:
        'Answers the account with a one-time `initialPassword`, to be changed at the first sign-in. For role `admin` also ' +
        '`totpEnrolment`: the person adds it to an authenticator app; their first sign-in needs one of its codes.',
      security,
      middleware: guard,
      request: { body: { content: json(createAccountBody), required: true } },
      responses: {
        201: { description: 'Created; `initialPassword` and `totpEnrolment` are not retrievable later', content: json(createdAccount) },
        400: problem('Invalid body'),
        ...denied,
        409: problem('`already_exists`: the login name is taken'),
        422: problem('`unknown_jurisdiction`: `jurisdiction` is not in the registry (Art. 5, 12, 30)'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // Art. 5, 12, 30 (measures): an account acts for a jurisdiction of the registry, like a key.
      await requireJurisdiction(db, body.jurisdiction ?? undefined);
      const created = await accounts.createAccount(body, c.get('actor').keyId);
      c.header('Cache-Control', 'no-store');
      return c.json({ ...accountInfo(created.account), initialPassword: created.initialPassword, totpEnrolment: created.totpEnrolment }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/accounts',
      tags: ['admin'],
      summary: 'List personal accounts (never their passwords or secrets)',
      security,
      middleware: guard,
      responses: { 200: { description: 'Accounts, newest first', content: json(z.object({ items: z.array(accountSchema) })) }, ...denied },
    }),
    async (c) => c.json({ items: (await listAccounts(db)).map(accountInfo) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/accounts/{id}',
      tags: ['admin'],
      summary: 'Revoke a personal account (its sessions end at once)',
      description: 'An account already revoked answers 409 `already_revoked` with its `revokedAt`.',
      security,
      middleware: guard,
      request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/, 'is not an account id') }) },
      responses: {
        204: { description: 'Revoked; every session of the account ended' },
        400: problem('Malformed id'),
        404: problem('No such account'),
        409: problem('`already_revoked`'),
        ...denied,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const revoked = await revokeAccount(db, id, accounts.now());
      if (revoked.outcome === 'unknown') throw notFound(`No account ${id}.`);
      if (revoked.outcome === 'already') {
        throw new ApiError(409, 'already_revoked', 'Already revoked', `Account ${id} was already revoked.`, { revokedAt: revoked.revokedAt?.toISOString() ?? null }, {}, { kind: 'account' });
      }
      return c.body(null, 204);
    },
  );

  return app;
}
