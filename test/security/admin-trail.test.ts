/**
 * The administrators' trail (issue 28; GB/T 22239-2019 8.1.4.3 security audit; Art. 24-25): every
 * change to API keys, jurisdictions, policies, the calendar and webhooks is recorded — who, when,
 * from where, before and after, never a secret — on one SM3 chain written with the change, readable
 * at GET /v1/admin/trail and checked by `npm run audit:verify`, which names a row altered behind the
 * system's back. A refused change records nothing. Real app and Temporal; PGlite and PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';
import { verifyAdminEvents } from '../../db/queries/admin-trail.ts';
import { adminEvents } from '../../db/schema.ts';
import { DEFAULT_CITY_POLICY } from '../../domain/policy-defaults.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { tamper } from '../support/tamper.ts';

type Json = Record<string, any>;
const exec = promisify(execFile);

describe.each(DRIVERS)("the administrators' trail (issue 28) with %s", (driver) => {
  const run = it.skipIf(!driverAvailable(driver));
  let system: TestSystem;
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'), { webhookAllowedNetworks: ['127.0.0.1/32'] });
  });
  afterAll(async () => {
    await system?.stop();
  });
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await system.request(method, path, { key, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
  };

  run(
    'keys, jurisdictions, departments, policies, calendar and webhooks: who, when, before and after, chained; no secret; refusals not recorded',
    async () => {
      // 三员分立: keys are the security administrator's, the rest the system administrator's.
      const security = await createKey(system, 'secadmin'); // itself on the trail (by ADMIN_API_KEY)
      const securityId = /^bdp_([0-9a-f]{12})_/.exec(security)![1]!;
      const admin = await createKey(system, 'sysadmin');
      const adminId = /^bdp_([0-9a-f]{12})_/.exec(admin)![1]!;
      const bdb = await call('POST', '/v1/admin/api-keys', security, { role: 'bdb', name: '审核岗' });
      expect((await call('DELETE', `/v1/admin/api-keys/${bdb.body.id}`, security)).status).toBe(204);
      expect((await call('DELETE', `/v1/admin/api-keys/${bdb.body.id}`, security)).status).toBe(409); // not recorded
      expect((await call('POST', '/v1/admin/jurisdictions', admin, { code: 'kaifaqu', name: '开发区' })).status).toBe(
        201,
      );
      expect((await call('PATCH', '/v1/admin/jurisdictions/kaifaqu', admin, { name: '经济技术开发区' })).status).toBe(
        200,
      );
      expect((await call('DELETE', '/v1/admin/jurisdictions/city', admin)).status).toBe(409); // in use: not recorded
      expect((await call('DELETE', '/v1/admin/jurisdictions/kaifaqu', admin)).status).toBe(204);
      expect((await call('POST', '/v1/admin/departments', admin, { code: 'shuiwu', name: '市水务局' })).status).toBe(
        201,
      );
      expect((await call('POST', '/v1/admin/departments', admin, { code: 'shuiwu', name: '另一个' })).status).toBe(409); // not recorded
      expect((await call('PATCH', '/v1/admin/departments/shuiwu', admin, { name: '晋城市水务局' })).status).toBe(200);
      expect((await call('PATCH', '/v1/admin/departments/nosuch', admin, { name: '无' })).status).toBe(404); // not recorded
      const deadlines = {
        ...DEFAULT_CITY_POLICY.deadlines,
        rectification: {
          ...DEFAULT_CITY_POLICY.deadlines.rectification,
          duration: { amount: 25, unit: 'workingDays' },
        },
      };
      expect((await call('PUT', '/v1/policies/city', admin, { deadlines })).status).toBe(201);
      expect(
        (
          await call('PUT', '/v1/calendar/2031', admin, {
            days: [{ date: '2031-05-06', workday: false, name: '调休' }],
          })
        ).status,
      ).toBe(200);
      const hook = await call('POST', '/v1/admin/webhooks', admin, {
        url: 'http://127.0.0.1:9/hook',
        secret: 'a-webhook-secret-never-on-the-trail',
      });
      expect((await call('DELETE', `/v1/admin/webhooks/${hook.body.id}`, admin)).status).toBe(204);

      const auditor = await createKey(system, 'auditadmin');
      const trail = await call('GET', '/v1/admin/trail?limit=200', auditor);
      expect(trail.status).toBe(200);
      const entries = [...trail.body.items].reverse().slice(0, -1) as Json[]; // without the auditor's key, created last
      expect(entries.map((e) => `${e.action} ${e.target}`)).toEqual([
        `api-key.create ${securityId}`,
        `api-key.create ${adminId}`,
        `api-key.create ${bdb.body.id}`,
        `api-key.revoke ${bdb.body.id}`,
        'jurisdiction.create kaifaqu',
        'jurisdiction.rename kaifaqu',
        'jurisdiction.delete kaifaqu',
        'department.create shuiwu',
        'department.change shuiwu',
        'policy.version city',
        'calendar.override 2031',
        `webhook.create ${hook.body.id}`,
        `webhook.delete ${hook.body.id}`,
      ]);
      expect(entries[0]).toMatchObject({
        actor: 'env-admin',
        actorRole: 'admin',
        before: null,
        after: { id: securityId, role: 'secadmin' },
      });
      expect(entries[1]).toMatchObject({
        actor: 'env-admin',
        actorRole: 'admin',
        before: null,
        after: { id: adminId, role: 'sysadmin' },
      });
      expect(entries[2]).toMatchObject({
        actor: securityId,
        actorRole: 'secadmin',
        after: { id: bdb.body.id, role: 'bdb', name: '审核岗', revokedAt: null },
      });
      expect(entries[3]!.after.revoked).toBe(true);
      expect(entries[5]).toMatchObject({
        actor: adminId,
        actorRole: 'sysadmin',
        before: { name: '开发区' },
        after: { name: '经济技术开发区' },
      });
      expect(entries[7]).toMatchObject({
        before: null,
        after: { code: 'shuiwu', name: '市水务局', jurisdiction: 'city' },
      });
      expect(entries[8]).toMatchObject({
        before: { name: '市水务局' },
        after: { name: '晋城市水务局', jurisdiction: 'city' },
      });
      expect(entries[9]!.before.version).toBe(1);
      expect(entries[9]!.after).toMatchObject({
        version: 2,
        deadlines: { rectification: { duration: { amount: 25 } } },
      });
      expect(entries[10]!.after).toEqual([
        { date: '2031-05-06', workday: false, name: '调休', source: 'admin', reference: null },
      ]);
      expect(entries[11]!.after).toMatchObject({ url: 'http://127.0.0.1:9/hook', secret: 'set' });
      for (const e of entries) expect(new Date(e.at).getTime()).toBeGreaterThan(0);
      // Chained, and no secret anywhere.
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      const text = JSON.stringify(trail.body);
      expect(text).not.toContain('a-webhook-secret-never-on-the-trail');
      expect(text).not.toContain(admin);
      expect(text).not.toContain(security);
      expect(text).not.toContain(bdb.body.key);
      expect(await verifyAdminEvents(system.database.db)).toEqual([]);
      // 三员分立 (policy): the auditor and the start-up key read it; the administrators it records do not.
      expect((await call('GET', '/v1/admin/trail', ADMIN_KEY)).status).toBe(200);
      for (const key of [admin, security, await createKey(system, 'bdb')])
        expect((await call('GET', '/v1/admin/trail', key)).status).toBe(403);
    },
  );

  run(
    'an entry altered behind the system’s back is named by seq (verifyAdminEvents; npm run audit:verify on PostgreSQL exits 1)',
    async () => {
      const db = system.database.db;
      // The third key's entry (the bdb key's creation) made to say it created an admin key.
      const [altered] = await db
        .select({ seq: adminEvents.seq })
        .from(adminEvents)
        .where(eq(adminEvents.action, 'api-key.create'))
        .orderBy(adminEvents.seq)
        .offset(2)
        .limit(1);
      await tamper(db, 'admin_events', () =>
        db.execute(
          sql`update admin_events set after = jsonb_set(after, '{role}', '"admin"') where seq = ${altered!.seq}`,
        ),
      );
      expect(await verifyAdminEvents(db)).toEqual([
        { seq: altered!.seq, problem: 'hash does not match the row content' },
      ]);
      if (driver === 'postgres') {
        const result = await exec('npx', ['tsx', 'scripts/audit-verify.ts'], {
          env: { ...process.env, DATABASE_URL: system.database.url! },
          timeout: 120_000,
        }).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
        );
        expect(result.code).toBe(1);
        expect(result.out).toContain("BROKEN  administrators' trail");
        expect(result.out).toContain(`seq ${altered!.seq}: hash does not match the row content`);
      }
    },
  );
});
