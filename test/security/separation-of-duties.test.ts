/**
 * 三员分立 (policy; GB/T 22239-2019 level 3, 8.1.4.2 c and 8.1.10.1-8.1.10.3; Art. 24-25 and 28,
 * *measures*: every action traceable to a person, a secure and controllable system): the
 * administrator is split into 系统管理员 (sysadmin: configuration), 安全管理员 (secadmin: accounts and
 * keys) and 审计管理员 (auditadmin: reads the trails, changes nothing); `admin` is the start-up key's
 * alone (domain/admin-roles.ts, docs/ACCOUNTS.md "三员分立"). Nobody grants themselves a right, the
 * roles exclude each other, every administrator signs in with TOTP, the trails only grow, and
 * migration 0024 turns the existing `admin` accounts and keys into secadmin and sysadmin.
 * Real app and Temporal; PGlite and PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '../../db/queries/audit.ts';
import { MIGRATIONS_DIR } from '../../db/client.ts';
import { accountEvents, accounts, adminEvents, apiKeys, auditLog } from '../../db/schema.ts';
import { ADMIN_ROLES } from '../../domain/admin-roles.ts';
import { createAccount, login, signedIn, type Session } from '../support/accounts.ts';
import { ADMIN_KEY, createKey, startSystem, type TestSystem } from '../support/system.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import { tamper } from '../support/tamper.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('三员分立 (policy, GB/T 22239-2019 level 3) with %s', (driver) => {
  const run = it.skipIf(!driverAvailable(driver));
  let system: TestSystem;
  let keys: Record<'sysadmin' | 'secadmin' | 'auditadmin', string>;
  let security: Session;
  let auditor: Session;
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'));
    keys = {
      sysadmin: await createKey(system, 'sysadmin'),
      secadmin: await createKey(system, 'secadmin'),
      auditadmin: await createKey(system, 'auditadmin'),
    };
    security = await signedIn(system, { role: 'secadmin', displayName: '王安全' });
    auditor = await signedIn(system, { role: 'auditadmin', displayName: '李审计' });
  });
  afterAll(async () => {
    await system?.stop();
  });
  const call = async (method: string, url: string, who: string | Session, body?: unknown) => {
    const options = body === undefined ? {} : { body };
    const res =
      typeof who === 'string'
        ? await system.request(method, url, { key: who, ...options })
        : await who.request(method, url, options);
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (text ? JSON.parse(text) : null) as Json,
    };
  };
  const count = async (
    table: typeof accounts | typeof apiKeys | typeof adminEvents | typeof accountEvents | typeof auditLog,
  ) => (await system.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

  run(
    'each administrator does their own duty only: configuration (sysadmin), accounts and keys (secadmin), the trail (auditadmin)',
    async () => {
      expect(
        (await call('POST', '/v1/admin/departments', keys.sysadmin, { code: 'sod-dep', name: '三员测试局' })).status,
      ).toBe(201);
      expect(
        (await call('POST', '/v1/admin/api-keys', keys.sysadmin, { role: 'bdb', name: '系统管理员签发' })).status,
      ).toBe(403);
      expect(
        (
          await call('POST', '/v1/admin/accounts', keys.sysadmin, {
            loginName: 'sod.by-sys',
            displayName: '甲',
            role: 'bdb',
          })
        ).status,
      ).toBe(403);
      expect((await call('GET', '/v1/admin/trail', keys.sysadmin)).status).toBe(403);
      expect((await call('GET', '/v1/admin/accounts', keys.sysadmin)).status).toBe(403);

      expect(
        (await call('POST', '/v1/admin/api-keys', keys.secadmin, { role: 'bdb', name: '安全管理员签发' })).status,
      ).toBe(201);
      expect(
        (
          await call('POST', '/v1/admin/accounts', security, {
            loginName: 'sod.by-sec',
            displayName: '乙',
            role: 'bdb',
          })
        ).status,
      ).toBe(201);
      expect(
        (await call('POST', '/v1/admin/departments', security, { code: 'sod-dep2', name: '另一个局' })).status,
      ).toBe(403);
      expect(
        (
          await call('PUT', '/v1/calendar/2031', keys.secadmin, {
            days: [{ date: '2031-05-06', workday: false, name: '调休' }],
          })
        ).status,
      ).toBe(403);
      expect((await call('GET', '/v1/admin/trail', security)).status).toBe(403);

      // The auditor reads the administrators' trail, the accounts, the keys and each account's security trail.
      const trail = await call('GET', '/v1/admin/trail?limit=200', auditor);
      expect(trail.status).toBe(200);
      expect(trail.body.items.map((e: Json) => e.action)).toEqual(
        expect.arrayContaining(['department.create', 'api-key.create']),
      );
      expect(trail.body.items.find((e: Json) => e.action === 'department.create')).toMatchObject({
        actorRole: 'sysadmin',
        target: 'sod-dep',
      });
      const listed = await call('GET', '/v1/admin/accounts', auditor);
      expect(listed.status).toBe(200);
      const person = listed.body.items.find((a: Json) => a.loginName === 'sod.by-sec');
      expect(
        (await call('GET', `/v1/admin/accounts/${person.id}/events`, auditor)).body.items.map((e: Json) => e.event),
      ).toContain('account-create');
      expect((await call('GET', '/v1/admin/api-keys', keys.auditadmin)).status).toBe(200);
      // The configuration is the system administrator's: the auditor reads it on the trail, not the registries' admin views.
      expect((await call('GET', '/v1/admin/jurisdictions', auditor)).status).toBe(403);
    },
  );

  run(
    'the auditor changes nothing: every write of the OpenAPI document but the own /v1/auth/* → 403 problem+json in Chinese, by key and by session',
    async () => {
      const doc = (await (await system.request('GET', '/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const writes = Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => !['get', 'head', 'options'].includes(m))
          .map((m) => ({ method: m.toUpperCase(), path: p })),
      );
      const guarded = writes.filter(
        (w) => !w.path.startsWith('/v1/auth/') && !w.path.startsWith('/v1/public/') && w.path.startsWith('/v1/'),
      );
      expect(guarded.length).toBeGreaterThan(40);
      const before = await Promise.all([count(accounts), count(apiKeys), count(adminEvents)]);
      const failures: string[] = [];
      for (const { method, path: template } of guarded) {
        const url = template.replace(/\{[^}]+\}/g, (name) =>
          name === '{year}' ? '2031' : name === '{jurisdiction}' ? 'city' : 'abcdef012345',
        );
        for (const who of [keys.auditadmin, auditor]) {
          const res = await call(method, url, who, {});
          if (
            res.status !== 403 ||
            res.body?.code !== 'read_only_role' ||
            !res.type?.includes('application/problem+json') ||
            !/审计管理员/.test(res.body.detail)
          ) {
            failures.push(
              `${method} ${template} (${typeof who === 'string' ? 'key' : 'session'}): ${res.status} ${res.body?.code}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
      expect(await Promise.all([count(accounts), count(apiKeys), count(adminEvents)])).toEqual(before);
      // The codec (a write outside /v1) is the system administrator's: the auditor's key is refused there too.
      expect((await call('POST', '/codec/session', keys.auditadmin)).status).toBe(403);
      // Their own password and authenticator stay theirs.
      expect((await call('POST', '/v1/auth/totp', auditor, { code: '000000' })).status).not.toBe(403);
    },
  );

  run(
    "nobody grants themselves a right: a secadmin creates no secadmin and issues no administrator key; admin is nobody's; no route changes an account's role, department or jurisdiction",
    async () => {
      const before = await Promise.all([count(accounts), count(apiKeys), count(adminEvents)]);
      const raised = await call('POST', '/v1/admin/accounts', security, {
        loginName: 'sod.second-sec',
        displayName: '王安全（第二个账户）',
        role: 'secadmin',
      });
      expect([raised.status, raised.body.code]).toEqual([403, 'reserved_role']);
      expect(raised.type).toContain('application/problem+json');
      expect(raised.body.detail).toBe(
        '三员分立（本地政策）：安全管理员不能创建“安全管理员”账户；安全管理员账户由服务器运维人员用启动配置的管理员密钥或 npm run accounts 创建。',
      );
      for (const role of ADMIN_ROLES) {
        const issued = await call('POST', '/v1/admin/api-keys', security, { role, name: `自签 ${role}` });
        expect([role, issued.status, issued.body.code]).toEqual([role, 403, 'reserved_role']);
        expect(issued.body.detail).toMatch(
          /^三员分立（本地政策）：不能通过接口签发“(系统|安全|审计)管理员”角色的 API 密钥/,
        );
      }
      // `admin` (the start-up key's) is no account's and no key's, whoever asks.
      for (const who of [security, ADMIN_KEY]) {
        expect(
          (
            await call('POST', '/v1/admin/accounts', who, {
              loginName: 'sod.admin',
              displayName: '全能',
              role: 'admin',
            })
          ).status,
        ).toBe(400);
        expect((await call('POST', '/v1/admin/api-keys', who, { role: 'admin', name: '全能' })).status).toBe(400);
      }
      expect(await Promise.all([count(accounts), count(apiKeys), count(adminEvents)])).toEqual(before);
      // An account's role, department and jurisdiction are fixed at creation: no route changes them, own or not.
      const me = security.account.id;
      for (const method of ['PATCH', 'PUT']) {
        const res = await call(method, `/v1/admin/accounts/${me}`, security, {
          role: 'sysadmin',
          jurisdiction: 'zezhou',
        });
        expect([404, 405]).toContain(res.status);
      }
      const doc = (await (await system.request('GET', '/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      expect(Object.keys(doc.paths['/v1/admin/accounts/{id}'] ?? {}).sort()).toEqual(['delete']);
      expect(
        (await system.database.db.select({ role: accounts.role }).from(accounts).where(eq(accounts.id, me)))[0]!.role,
      ).toBe('secadmin');
      // The operator of the server (the start-up key; `npm run accounts` in test/api/accounts-cli.test.ts) creates security administrators and administrator keys.
      expect(
        (
          await call('POST', '/v1/admin/accounts', ADMIN_KEY, {
            loginName: 'sod.sec2',
            displayName: '赵安全',
            role: 'secadmin',
          })
        ).status,
      ).toBe(201);
      expect((await call('POST', '/v1/admin/api-keys', ADMIN_KEY, { role: 'sysadmin', name: '运维脚本' })).status).toBe(
        201,
      );
    },
  );

  run(
    'the roles exclude each other: one role per account (admin refused by the database too); a person with two duties has two accounts, both on the trail; TOTP for all three',
    async () => {
      const sys = await call('POST', '/v1/admin/accounts', security, {
        loginName: 'zhou.sys',
        displayName: '周敏',
        role: 'sysadmin',
      });
      const aud = await call('POST', '/v1/admin/accounts', security, {
        loginName: 'zhou.audit',
        displayName: '周敏',
        role: 'auditadmin',
      });
      expect([sys.status, aud.status]).toEqual([201, 201]);
      for (const created of [sys.body, aud.body]) {
        expect(created.totpEnrolment?.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
        const without = await login(system, { loginName: created.loginName, password: created.initialPassword });
        expect([without.status, ((await without.json()) as Json).code]).toEqual([401, 'totp_required']);
      }
      const sec = await createAccount(system, { role: 'secadmin' });
      expect(sec.totpEnrolment).not.toBeNull();
      for (const id of [sys.body.id, aud.body.id]) {
        const events = await call('GET', `/v1/admin/accounts/${id}/events`, auditor);
        expect(events.body.items.find((e: Json) => e.event === 'account-create')).toMatchObject({
          actorName: '王安全',
        });
      }
      // The database holds one role per row and never the start-up key's.
      await expect(
        system.database.db.execute(sql`update accounts set role = 'admin' where id = ${sys.body.id}`),
      ).rejects.toThrow();
      await expect(
        system.database.db.execute(sql`update api_keys set role = 'admin' where created_by = 'env-admin'`),
      ).rejects.toThrow();
    },
  );

  run(
    'the trails only grow: no route writes or erases an entry of any trail, and the database refuses it to everyone; the auditor verifies the chains',
    async () => {
      const doc = (await (await system.request('GET', '/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const trails = Object.keys(doc.paths).filter((p) => /\/(trail|events|history)$/.test(p));
      expect(trails).toEqual(
        expect.arrayContaining([
          '/v1/admin/trail',
          '/v1/admin/accounts/{id}/events',
          '/v1/projects/{id}/history',
          '/v1/cloud-platform/history',
        ]),
      );
      for (const p of trails) expect([p, Object.keys(doc.paths[p]!)]).toEqual([p, ['get']]);
      const before = await count(adminEvents);
      for (const method of ['DELETE', 'PUT', 'PATCH', 'POST']) {
        const res = await call(method, '/v1/admin/trail', ADMIN_KEY, {});
        expect([404, 405]).toContain(res.status);
      }
      expect(await count(adminEvents)).toBe(before);
      // Migration 0024: UPDATE, DELETE and TRUNCATE of every trail are refused by the database itself.
      const db = system.database.db;
      // A project trail's entries (this system has no project): the row triggers fire on rows.
      await appendAudit(
        db,
        'JC2026-SOD00001',
        [1, 2].map((n) => ({
          eventId: `sod:${n}`,
          at: '2026-03-02T02:00:00.000Z',
          action: `a${n}`,
          actor: { keyId: 'k-bdb', role: 'bdb' as const, name: 'BDB' },
          detail: { n },
        })),
      );
      for (const [trail, table] of [
        ['audit_log', auditLog],
        ['account_events', accountEvents],
        ['admin_events', adminEvents],
      ] as const) {
        expect(await count(table)).toBeGreaterThan(0);
        for (const statement of [`update ${trail} set hash = hash`, `delete from ${trail}`, `truncate ${trail}`]) {
          // drizzle wraps the database's error ("Failed query: …"); its cause is PostgreSQL's own.
          const refusal = await db.execute(sql.raw(statement)).then(
            () => 'accepted',
            (e: Error & { cause?: Error }) => String(e.cause ?? e),
          );
          expect(refusal, statement).toMatch(/the trail \w+ is append-only: (UPDATE|DELETE|TRUNCATE) refused/);
        }
      }
      expect(await count(adminEvents)).toBe(before);
      // The auditor verifies the chains now; a row changed behind the system's back (by the tables' owner) is named.
      const intact = await call('GET', '/v1/admin/trail/verification', auditor);
      expect(intact.status).toBe(200);
      expect(intact.body).toMatchObject({ adminTrail: [], accountTrail: [], project: null });
      expect((await call('GET', '/v1/admin/trail/verification', security)).status).toBe(403);
      const [first] = await db.select({ seq: adminEvents.seq }).from(adminEvents).orderBy(adminEvents.seq).limit(1);
      await tamper(db, 'admin_events', () =>
        db.execute(sql`update admin_events set ip = '203.0.113.9' where seq = ${first!.seq}`),
      );
      const broken = await call('GET', '/v1/admin/trail/verification', keys.auditadmin);
      expect(broken.body.adminTrail).toEqual([{ seq: first!.seq, problem: 'hash does not match the row content' }]);
    },
  );
});

describe('migration 0024: the existing admin accounts and keys (三员分立, docs/ACCOUNTS.md)', () => {
  it("admin accounts become secadmin, admin keys sysadmin, the administrators' notices the sysadmin's; nothing else changes", async () => {
    // The migrations up to 0023 (a copy of the folder with the journal cut there), then rows of that time.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sod-migrations-'));
    try {
      fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const journalPath = path.join(dir, 'meta', '_journal.json');
      const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
      const cut = journal.entries.findIndex((e) => e.tag === '0024_separation_of_duties');
      expect(cut).toBe(24);
      fs.writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
      const { PGlite } = await import('@electric-sql/pglite');
      const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
      const { drizzle } = await import('drizzle-orm/pglite');
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      const client = await PGlite.create('memory://', { extensions: { pg_trgm } });
      const db = drizzle(client);
      try {
        await migrate(db, { migrationsFolder: dir });
        await db.execute(
          sql`insert into accounts (id, login_name, display_name, role, password_hash) values ('a00000000001', 'old.admin', '老管理员', 'admin', 'x'), ('a00000000002', 'old.bdb', '老审核', 'bdb', 'x')`,
        );
        await db.execute(
          sql`insert into api_keys (id, secret_hash, role, name) values ('k00000000001', 'h', 'admin', 'old admin key'), ('k00000000002', 'h', 'finance', 'old finance key')`,
        );
        await db.execute(
          sql`insert into notifications (event_id, project_id, recipient_role, kind, detail, created_at) values ('calendar:notice-missing:2031', 'calendar', 'admin', 'calendar-notice-missing', '…', now()), ('n2', 'JC2026-X', 'bdb', 'reminder', '…', now())`,
        );
        await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
        const rows = async (q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: Json[] }).rows;
        expect(await rows(sql`select id, role from accounts order by id`)).toEqual([
          { id: 'a00000000001', role: 'secadmin' },
          { id: 'a00000000002', role: 'bdb' },
        ]);
        expect(await rows(sql`select id, role from api_keys order by id`)).toEqual([
          { id: 'k00000000001', role: 'sysadmin' },
          { id: 'k00000000002', role: 'finance' },
        ]);
        expect(await rows(sql`select event_id, recipient_role from notifications order by event_id`)).toEqual([
          { event_id: 'calendar:notice-missing:2031', recipient_role: 'sysadmin' },
          { event_id: 'n2', recipient_role: 'bdb' },
        ]);
        await expect(
          db.execute(
            sql`insert into accounts (id, login_name, display_name, role, password_hash) values ('a00000000003', 'new.admin', '新', 'admin', 'x')`,
          ),
        ).rejects.toThrow();
      } finally {
        await client.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
