/**
 * API key administration (docs/API.md "Administration"): the security administrator (三员分立,
 * domain/admin-roles.ts; the auditor reads the list); the plaintext key is returned once.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/client.ts';
import { registerDepartmentInUse } from '../../db/queries/departments.ts';
import { insertKeyOnTrail, listKeys, revokeKeyOnTrail, type ApiKeyRow } from '../../db/queries/keys.ts';
import { requireJurisdiction } from './jurisdictions.ts';
import { generateKey } from '../../lib/api-keys.ts';
import { requireDuty, trailActor } from '../auth.ts';
import { assignmentRefusal } from '../../domain/admin-roles.ts';
import { ApiError, notFound } from '../problem.ts';
import { createRouter, json, problem, security } from '../router.ts';
import { apiKeyInfo, createApiKeyBody } from '../schemas/accounts.ts';

const info = (row: ApiKeyRow) => ({
  id: row.id,
  role: row.role,
  name: row.name,
  department: row.department,
  jurisdiction: row.jurisdiction,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

const guard = requireDuty('accounts');
const denied = {
  401: problem('No or unknown key'),
  403: problem('Not the security administrator (`secadmin`) or the start-up key'),
};

export function adminKeyRoutes({ db }: { db: Database }) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/api-keys',
      tags: ['admin'],
      summary: 'Create an API key (shown once)',
      description:
        'Roles: `secadmin`, the start-up key. 三员分立 (policy): keys for the administrator roles (`sysadmin`, `secadmin`, `auditadmin`) ' +
        'carry no second factor and belong to no person, so a `secadmin` cannot issue them (403 `reserved_role`); the start-up key and ' +
        "`npm run keys` can. Role `admin` is never a key's (it is the start-up key's alone).",
      security,
      middleware: guard,
      request: { body: { content: json(createApiKeyBody), required: true } },
      responses: {
        201: {
          description: 'Created; `key` is not retrievable later',
          content: json(apiKeyInfo.extend({ key: z.string() })),
        },
        400: problem('Invalid body'),
        422: problem('`unknown_jurisdiction`: `jurisdiction` is not in the registry (Art. 5, 12, 30)'),
        ...denied,
        403: problem(
          'Not the security administrator; `reserved_role`: a `secadmin` issuing a key for an administrator role',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      // 三员分立 (policy): nobody hands themselves a second administrator credential through the API.
      if (assignmentRefusal(c.get('actor').role, 'key', body.role)) {
        throw new ApiError(
          403,
          'reserved_role',
          'Forbidden',
          `A ${c.get('actor').role} cannot issue a key with the role ${body.role}: the start-up key or npm run keys does.`,
          { role: body.role },
          {},
          { kind: 'key', role: body.role },
        );
      }
      await requireJurisdiction(db, body.jurisdiction);
      const generated = generateKey();
      // On the administrators' trail, without the secret.
      const row = await insertKeyOnTrail(
        db,
        {
          id: generated.id,
          secretHash: generated.secretHash,
          role: body.role,
          name: body.name,
          department: body.department,
          jurisdiction: body.jurisdiction,
          createdBy: c.get('actor').keyId,
        },
        trailActor(c),
      );
      // A code the departments registry lacks is registered, named by its code until the admin names it.
      if (row.department) await registerDepartmentInUse(db, row.department, row.jurisdiction, c.get('actor').keyId);
      return c.json({ ...info(row), key: generated.key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/api-keys',
      tags: ['admin'],
      summary: 'List API keys (never their secrets)',
      description: 'Roles: `secadmin`, `auditadmin` (reads only), the start-up key.',
      security,
      middleware: requireDuty('accountReads'),
      responses: {
        200: { description: 'Keys, newest first', content: json(z.object({ items: z.array(apiKeyInfo) })) },
        401: problem('No or unknown key'),
        403: problem('Not the security or audit administrator, or the start-up key'),
      },
    }),
    async (c) => {
      return c.json({ items: (await listKeys(db)).map(info) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/admin/api-keys/{id}',
      tags: ['admin'],
      summary: 'Revoke an API key',
      description:
        'The key stops authenticating at once (its codec sessions end with it). Revoking is not repeated: ' +
        'a key that is already revoked answers 409 `already_revoked` with its `revokedAt`, and the first ' +
        'revocation time stays the one on record. Roles: `secadmin`, the start-up key.',
      security,
      middleware: guard,
      request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{12}$/, 'is not a key id') }) },
      responses: {
        204: { description: 'Revoked' },
        400: problem('Malformed id'),
        404: problem('No such key'),
        409: problem(
          '`already_revoked`: the key was revoked before (`revokedAt` says when); `cannot_revoke_self`: the key of this request',
        ),
        ...denied,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // A key that revokes itself leaves its holder (and a scripted run) without access.
      if (c.get('actor').keyId === id) {
        throw new ApiError(
          409,
          'cannot_revoke_self',
          'Cannot revoke itself',
          `API key ${id} is the key of this request: revoke it with another admin key or account.`,
          { id },
        );
      }
      const revoked = await revokeKeyOnTrail(db, id, trailActor(c));
      if (revoked.outcome === 'unknown') throw notFound(`No API key ${id}.`);
      if (revoked.outcome === 'already') {
        throw new ApiError(409, 'already_revoked', 'Already revoked', `API key ${id} was already revoked.`, {
          revokedAt: revoked.revokedAt?.toISOString() ?? null,
        });
      }
      return c.body(null, 204);
    },
  );

  return app;
}
