/**
 * Personal accounts through the real app, on PGlite and PostgreSQL, with the real Temporal dev
 * server (issue 16; Art. 22 and 24-25: a person, not a shared key, is recorded for every action):
 * sign-in, the session cookie, CSRF, the password-change gate, lockout, TOTP for admins, revocation,
 * and a command made through a session that names the person in the audit trail, the decisions and
 * the ledger.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyAuditChain } from '../../db/queries/audit.ts';
import { auditLog, sessions } from '../../db/schema.ts';
import { LOCKOUT_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../domain/accounts.ts';
import { totpCode } from '../../lib/totp.ts';
import { createAccount, login, NEW_PASSWORD, sessionCookieOf, sessionOf, signedIn } from '../support/accounts.ts';
import { DRIVERS, driverAvailable } from '../support/database.ts';
import {
  addPlanItems,
  ADMIN_KEY,
  eventually,
  sampleApplication,
  startSystem,
  type TestSystem,
} from '../support/system.ts';
import { tamper } from '../support/tamper.ts';

type Json = Record<string, any>;

describe.each(DRIVERS)('personal accounts (issue 16) with %s', (driver) => {
  let system: TestSystem;
  /** The API's clock: real time plus `skew`, moved forward to expire sessions and locks. */
  let skew = 0;
  const now = () => new Date(Date.now() + skew);
  beforeAll(async () => {
    if (!driverAvailable(driver)) return;
    system = await startSystem(driver, inject('temporalAddress'), { clock: now });
  });
  afterAll(async () => {
    await system?.stop();
  });
  const run = it.skipIf(!driverAvailable(driver));

  run(
    '(policy) sign-in: initial password → cookie, CSRF token, must change the password first; /v1 refused until then',
    async () => {
      const account = await createAccount(system, { role: 'bdb', displayName: '王审核' });
      expect(account.initialPassword).toMatch(/^.{16}$/);
      expect(account.totpEnrolment).toBeNull();
      expect(account).toMatchObject({ role: 'bdb', organization: 'bdb', mustChangePassword: true, totpEnabled: false });

      const res = await login(system, { loginName: account.loginName, password: account.initialPassword });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^bdp_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({
        mustChangePassword: true,
        account: { id: account.id, displayName: '王审核', loginName: account.loginName },
      });
      expect(body.account.passwordHash).toBeUndefined();
      // Only the SM3 digest of the token is stored.
      const token = sessionCookieOf(res)!.slice('bdp_session='.length);
      const stored = await system.database.db.select().from(sessions).where(eq(sessions.accountId, account.id));
      expect(stored).toHaveLength(1);
      expect(stored[0]!.id).not.toContain(token);
      expect(stored[0]!.id).toMatch(/^[0-9a-f]{64}$/);

      const session = sessionOf(system, sessionCookieOf(res)!, body.csrfToken, account, account.initialPassword);
      const me = await session.request('GET', '/v1/auth/me');
      expect(me.status).toBe(200);
      expect(((await me.json()) as Json).csrfToken).toBe(body.csrfToken);

      const blocked = await session.request('GET', '/v1/projects');
      expect(blocked.status).toBe(403);
      expect(((await blocked.json()) as Json).code).toBe('password_change_required');

      // The password rules, each named (zh-CN by default, English on request).
      const weak = async (newPassword: string, lang?: string) =>
        (
          await session.request('POST', '/v1/auth/password', {
            body: { currentPassword: account.initialPassword, newPassword },
            headers: lang ? { 'accept-language': lang } : {},
          })
        ).json() as Promise<Json>;
      expect(await weak('Short-1a')).toMatchObject({
        status: 422,
        code: 'weak_password',
        rule: 'length',
        detail: '新密码至少 12 个字符。',
      });
      expect(await weak('alllowercaseletters1', 'en')).toMatchObject({
        code: 'weak_password',
        rule: 'classes',
        detail: expect.stringContaining('three of'),
      });
      expect(await weak(account.initialPassword)).toMatchObject({ code: 'weak_password', rule: 'reused' });
      const wrongCurrent = await session.request('POST', '/v1/auth/password', {
        body: { currentPassword: 'not-it-at-all-1A', newPassword: NEW_PASSWORD },
      });
      expect(wrongCurrent.status).toBe(403);
      expect(((await wrongCurrent.json()) as Json).code).toBe('invalid_credentials');

      expect(
        (
          await session.request('POST', '/v1/auth/password', {
            body: { currentPassword: account.initialPassword, newPassword: NEW_PASSWORD },
          })
        ).status,
      ).toBe(204);
      const list = await session.request('GET', '/v1/projects');
      expect(list.status).toBe(200);
      const after = (await (await session.request('GET', '/v1/auth/me')).json()) as Json;
      expect(after.mustChangePassword).toBe(false);
    },
  );

  run(
    '(policy) CSRF: a write with the cookie but without the right X-CSRF-Token is refused, nothing changed; a key needs none',
    async () => {
      const session = await signedIn(system, { role: 'department', department: 'health' });
      await addPlanItems(system, [{ department: 'health' }]);
      for (const csrf of [null, 'wrong-token']) {
        const res = await session.request('POST', '/v1/projects', { body: sampleApplication(), csrf });
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as Json).code).toBe('csrf_failed');
      }
      const list = (await (await session.request('GET', '/v1/projects')).json()) as Json;
      expect(list.items).toHaveLength(0);
      // A bearer key's request sends no CSRF token and is not asked for one.
      expect((await system.request('GET', '/v1/admin/accounts', { key: ADMIN_KEY })).status).toBe(200);
    },
  );

  run(
    'Art. 22, 24-25: a command made through a session records the person in the audit trail, the decisions and the ledger',
    async () => {
      await addPlanItems(system, [{ department: 'water' }]);
      const officer = await signedIn(system, { role: 'department', department: 'water', displayName: '李申报' });
      const created = await officer.request('POST', '/v1/projects', {
        body: sampleApplication({ annualPlanItem: '2026-WATER-01' }),
      });
      expect(created.status).toBe(201);
      const view = (await created.json()) as Json;
      expect(view.decisions[0]).toMatchObject({
        action: 'application',
        role: 'department',
        by: '李申报',
        accountId: officer.account.id,
        organization: 'department/water',
      });

      const reviewer = await signedIn(system, { role: 'bdb', displayName: '王审核' });
      const reviewed = await reviewer.request('POST', `/v1/projects/${view.id}/technical-review`, {
        body: {
          decision: 'pass',
          opinion: '符合要求',
          checklist: {
            resourceCatalog: true,
            dataSharing: true,
            intensiveConstruction: true,
            cloudDeployment: true,
            securityControllable: true,
          },
        },
      });
      expect(reviewed.status).toBe(200);
      const afterReview = (await reviewed.json()) as Json;
      expect(afterReview.decisions.at(-1)).toMatchObject({
        action: 'technical-review',
        by: '王审核',
        accountId: reviewer.account.id,
        organization: 'bdb',
      });

      const history = await eventually(async () => {
        const items = ((await (await officer.request('GET', `/v1/projects/${view.id}/history`)).json()) as Json)
          .items as Json[];
        return items.some((e) => e.action === 'technical-review') ? items : undefined;
      });
      const review = history.find((e) => e.action === 'technical-review')!;
      expect(review.actor).toEqual({
        keyId: `account:${reviewer.account.id}`,
        role: 'bdb',
        department: null,
        name: '王审核',
        accountId: reviewer.account.id,
        organization: 'bdb',
      });
      expect(history.find((e) => e.action === 'application')?.actor).toMatchObject({
        name: '李申报',
        accountId: officer.account.id,
        organization: 'department/water',
      });

      // Art. 8 approval and Art. 10 budget by two more persons: the allocation movement names the accountant.
      const officer2 = await signedIn(system, { role: 'approval', displayName: '赵审批' });
      expect(
        (
          await officer2.request('POST', `/v1/projects/${view.id}/establishment`, {
            body: {
              decision: 'approve',
              approvalNo: '晋审批〔2026〕1号',
              opinion: '同意',
              approvedEstimateFen: 1_200_000_00,
            },
          })
        ).status,
      ).toBe(200);
      const accountant = await signedIn(system, { role: 'finance', displayName: '钱会计' });
      const budgeted = await accountant.request('POST', `/v1/projects/${view.id}/budget`, {
        body: {
          fundType: 'construction',
          year: 2026,
          amountFen: 5_000_000,
          cityShareFen: 5_000_000,
          countyShareFen: 0,
        },
      });
      expect(budgeted.status).toBe(200);
      // Each decision by its own person (the budget is a ledger movement, not a decision).
      expect(((await budgeted.json()) as Json).decisions.map((d: Json) => [d.action, d.by])).toEqual([
        ['application', '李申报'],
        ['technical-review', '王审核'],
        ['establishment', '赵审批'],
      ]);
      const ledger = (await (await accountant.request('GET', `/v1/projects/${view.id}/ledger`)).json()) as Json;
      expect(ledger.movements).toHaveLength(1);
      expect(ledger.movements[0]).toMatchObject({
        kind: 'allocate',
        actorName: '钱会计',
        actorAccountId: accountant.account.id,
        actorOrganization: 'finance',
        actorKeyId: `account:${accountant.account.id}`,
      });
      // The person fields are inside the SM3 chain: the trail still verifies, and altering them would not.
      expect(await verifyAuditChain(system.database.db, view.id)).toEqual([]);
      await tamper(system.database.db, 'audit_log', () =>
        system.database.db
          .update(auditLog)
          .set({ actorOrganization: 'bdb/forged' })
          .where(and(eq(auditLog.projectId, view.id), eq(auditLog.action, 'technical-review'))),
      );
      expect((await verifyAuditChain(system.database.db, view.id)).map((p) => p.problem)).toContain(
        'hash does not match the row content',
      );
    },
  );

  run(
    '(policy) the cookie is Secure behind HTTPS; a sign-in is never replayed by Idempotency-Key (it would hand out the same session)',
    async () => {
      const account = await createAccount(system, { role: 'bdb' });
      const body = { loginName: account.loginName, password: account.initialPassword };
      const headers = { 'x-forwarded-proto': 'https', 'idempotency-key': `login-${account.id}` };
      const first = await system.request('POST', '/v1/auth/login', { body, headers });
      const second = await system.request('POST', '/v1/auth/login', { body, headers });
      expect(first.status).toBe(200);
      expect(first.headers.get('set-cookie')).toMatch(/; Secure/);
      expect(second.headers.get('idempotent-replayed')).toBeNull();
      expect(sessionCookieOf(second)).not.toBe(sessionCookieOf(first));
      expect(((await first.json()) as Json).csrfToken).not.toBe(((await second.json()) as Json).csrfToken);
      expect(first.headers.get('cache-control')).toBe('no-store');
    },
  );

  run(
    '(policy) 5 failed sign-ins lock the login name 15 minutes (423 with Retry-After), an unknown name answers alike',
    async () => {
      const account = await createAccount(system, { role: 'finance', jurisdiction: 'zezhou' });
      for (const loginName of [account.loginName, 'nobody.here']) {
        for (let i = 1; i <= 4; i++) {
          const res = await login(system, { loginName, password: `wrong-password-${i}` });
          expect(res.status).toBe(401);
          const problem = (await res.json()) as Json;
          expect(problem).toMatchObject({ code: 'invalid_credentials', detail: '登录名或密码错误。' });
        }
        const fifth = await login(system, { loginName, password: 'wrong-password-5' });
        expect(fifth.status).toBe(423);
        expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(LOCKOUT_MS / 1000 - 5);
        expect(((await fifth.json()) as Json).code).toBe('account_locked');
      }
      // Locked: even the right password is refused, without being checked.
      const locked = await login(system, { loginName: account.loginName, password: account.initialPassword });
      expect(locked.status).toBe(423);
      skew += LOCKOUT_MS;
      const open = await login(system, { loginName: account.loginName, password: account.initialPassword });
      expect(open.status).toBe(200);
      expect(((await open.json()) as Json).account.organization).toBe('finance@zezhou');
    },
  );

  run(
    '(policy) an administrator cannot sign in without TOTP; the first code confirms the enrolment; a code is not accepted twice',
    async () => {
      const admin = await createAccount(system, { role: 'sysadmin', displayName: '系统管理员' });
      expect(admin.totpEnrolment?.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.+secret=/);
      const without = await login(system, { loginName: admin.loginName, password: admin.initialPassword });
      expect(without.status).toBe(401);
      expect(without.headers.get('set-cookie')).toBeNull();
      expect(((await without.json()) as Json).code).toBe('totp_required');
      const wrong = await login(system, {
        loginName: admin.loginName,
        password: admin.initialPassword,
        totp: '000000' === totpCode(admin.totpEnrolment!.secret, now()) ? '111111' : '000000',
      });
      expect(((await wrong.json()) as Json).code).toBe('totp_invalid');
      const code = totpCode(admin.totpEnrolment!.secret, now());
      const ok = await login(system, { loginName: admin.loginName, password: admin.initialPassword, totp: code });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as Json).account.totpEnabled).toBe(true);
      const replay = await login(system, { loginName: admin.loginName, password: admin.initialPassword, totp: code });
      expect(replay.status).toBe(401);
      expect(((await replay.json()) as Json).code).toBe('totp_invalid');
    },
  );

  run('(policy) optional TOTP for other roles: enrol, confirm, then sign-in needs the code', async () => {
    const session = await signedIn(system, { role: 'approval' });
    const started = await session.request('POST', '/v1/auth/totp', { body: { password: session.password } });
    expect(started.status).toBe(200);
    const { secret } = (await started.json()) as Json;
    const bad = await session.request('POST', '/v1/auth/totp', {
      body: { code: totpCode(secret, new Date(now().getTime() - 600_000)) },
    });
    expect(bad.status).toBe(422);
    expect((await session.request('POST', '/v1/auth/totp', { body: { code: totpCode(secret, now()) } })).status).toBe(
      204,
    );
    const without = await login(system, { loginName: session.account.loginName, password: session.password });
    expect(((await without.json()) as Json).code).toBe('totp_required');
    skew += 30_000; // the next time step: the confirming code is not accepted again
    const withCode = await login(system, {
      loginName: session.account.loginName,
      password: session.password,
      totp: totpCode(secret, now()),
    });
    expect(withCode.status).toBe(200);
  });

  run(
    '(policy) sessions end after 30 minutes idle and 8 hours absolute; sign-out and sign-out everywhere',
    async () => {
      const session = await signedIn(system, { role: 'bdb' });
      skew += SESSION_IDLE_MS - 60_000;
      expect((await session.request('GET', '/v1/auth/me')).status).toBe(200); // still alive, and touched
      skew += SESSION_IDLE_MS - 60_000;
      expect((await session.request('GET', '/v1/auth/me')).status).toBe(200);
      skew += SESSION_IDLE_MS;
      const idle = await session.request('GET', '/v1/auth/me');
      expect(idle.status).toBe(401);
      expect(((await idle.json()) as Json).detail).toBe('会话已超时（30 分钟无操作），请重新登录。');

      const signIn = async () => {
        const res = await login(system, { loginName: session.account.loginName, password: session.password });
        const body = (await res.json()) as Json;
        return sessionOf(system, sessionCookieOf(res)!, body.csrfToken, session.account, session.password);
      };
      const long = await signIn();
      for (let t = 0; t < SESSION_ABSOLUTE_MS - 20 * 60_000; t += 20 * 60_000) {
        skew += 20 * 60_000;
        expect((await long.request('GET', '/v1/auth/me')).status).toBe(200);
      }
      skew += 20 * 60_000;
      const absolute = await long.request('GET', '/v1/auth/me', { headers: { 'accept-language': 'en' } });
      expect(absolute.status).toBe(401);
      expect(((await absolute.json()) as Json).detail).toContain('8 hours');

      const a = await signIn();
      const b = await signIn();
      const c = await signIn();
      expect((await a.request('POST', '/v1/auth/logout', { body: {} })).status).toBe(204);
      expect((await a.request('GET', '/v1/auth/me')).status).toBe(401);
      expect((await b.request('GET', '/v1/auth/me')).status).toBe(200);
      expect((await b.request('POST', '/v1/auth/logout', { body: { everywhere: true } })).status).toBe(204);
      expect((await c.request('GET', '/v1/auth/me')).status).toBe(401);
    },
  );

  run('(policy) revoking an account ends its sessions at once; its name cannot sign in again', async () => {
    const session = await signedIn(system, { role: 'finance' });
    expect((await session.request('GET', '/v1/funds')).status).toBe(200);
    const revoked = await system.request('DELETE', `/v1/admin/accounts/${session.account.id}`, { key: ADMIN_KEY });
    expect(revoked.status).toBe(204);
    const after = await session.request('GET', '/v1/funds');
    expect(after.status).toBe(401);
    expect(((await after.json()) as Json).code).toBe('unauthenticated');
    expect((await login(system, { loginName: session.account.loginName, password: session.password })).status).toBe(
      401,
    );
    const again = await system.request('DELETE', `/v1/admin/accounts/${session.account.id}`, { key: ADMIN_KEY });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).code).toBe('already_revoked');
    const listed = ((await (await system.request('GET', '/v1/admin/accounts', { key: ADMIN_KEY })).json()) as Json)
      .items as Json[];
    expect(listed.find((a) => a.id === session.account.id)?.revokedAt).toEqual(expect.any(String));
    for (const a of listed) expect(Object.keys(a)).not.toContain('passwordHash');
  });

  run(
    '(policy) account administration: the security administrator, also through a session; a taken login name → 409; keys cannot use /v1/auth/me',
    async () => {
      const admin = await signedIn(system, { role: 'secadmin' }, now());
      const body = { loginName: `dup.${driver}`, displayName: '重复', role: 'bdb' };
      const first = await admin.request('POST', '/v1/admin/accounts', { body });
      expect(first.status).toBe(201);
      const second = await admin.request('POST', '/v1/admin/accounts', { body });
      expect(second.status).toBe(409);
      expect(((await second.json()) as Json).detail).toBe('该登录名已被使用。');
      const bdb = await signedIn(system, { role: 'bdb' });
      expect((await bdb.request('GET', '/v1/admin/accounts')).status).toBe(403);
      const invalid = await admin.request('POST', '/v1/admin/accounts', {
        body: { loginName: 'x', displayName: 'd', role: 'department' },
      });
      expect(invalid.status).toBe(400);
      const keyMe = await system.request('GET', '/v1/auth/me', { key: ADMIN_KEY });
      expect(keyMe.status).toBe(403);
      expect(((await keyMe.json()) as Json).code).toBe('session_required');
    },
  );
  run(
    "Art. 24-25, 28 (GB/T 39786 logs): GET /v1/admin/accounts/{id}/events — the person's trail with time, event, outcome, client IP and user agent, paged; admin only",
    async () => {
      const person = await signedIn(system, { role: 'finance', displayName: '周会计' }, now());
      // A sign-in over a socket: the client address is the one the API's socket saw.
      const viaSocket = await system.app.request(
        '/v1/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Chromium-test' },
          body: JSON.stringify({ loginName: person.account.loginName, password: 'Not-the-password-1' }),
        },
        { incoming: { socket: { remoteAddress: '192.0.2.44', remotePort: 50000, remoteFamily: 'IPv4' } } },
      );
      expect(viaSocket.status).toBe(401);

      const read = async (query = '') => {
        const res = await system.request('GET', `/v1/admin/accounts/${person.account.id}/events${query}`, {
          key: ADMIN_KEY,
        });
        expect(res.status).toBe(200);
        return (await res.json()) as { items: Json[]; nextCursor: string | null };
      };
      const all = await read();
      expect(all.items.map((e) => [e.event, e.outcome])).toEqual([
        ['sign-in', 'failure'],
        ['password-change', 'success'],
        ['sign-in', 'success'],
        ['account-create', 'success'],
      ]);
      expect(all.items[0]).toMatchObject({
        ip: '192.0.2.44',
        userAgent: 'Chromium-test',
        accountId: person.account.id,
        actor: `account:${person.account.id}`,
        actorName: '周会计',
        detail: { reason: 'password', knownAccount: true },
      });
      expect(all.items[3]).toMatchObject({ actor: expect.any(String), detail: { role: 'finance' } });
      expect(all.items[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(all.nextCursor).toBeNull();

      // Paged newest first: two pages of 2, nothing repeated or skipped.
      const first = await read('?limit=2');
      expect(first.items).toHaveLength(2);
      const second = await read(`?limit=2&cursor=${first.nextCursor}`);
      expect([...first.items, ...second.items].map((e) => e.seq)).toEqual(all.items.map((e) => e.seq));

      // Refusals: not an admin, unknown account, malformed id or cursor — problem+json.
      const other = await signedIn(system, { role: 'bdb' });
      expect((await other.request('GET', `/v1/admin/accounts/${person.account.id}/events`)).status).toBe(403);
      const missing = await system.request('GET', '/v1/admin/accounts/000000000000/events', { key: ADMIN_KEY });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect((await system.request('GET', '/v1/admin/accounts/xyz/events', { key: ADMIN_KEY })).status).toBe(400);
      const badCursor = await system.request(
        'GET',
        `/v1/admin/accounts/${person.account.id}/events?cursor=${Buffer.from(JSON.stringify(['1', 'JC-not-a-seq'])).toString('base64url')}`,
        { key: ADMIN_KEY, headers: { 'accept-language': 'en' } },
      );
      expect(badCursor.status).toBe(400);
      expect(((await badCursor.json()) as Json).code).toBe('validation_failed');
    },
  );
  run(
    'Art. 5, 12, 30 (measures): an account acts for a jurisdiction of the registry; an unknown code → 422 and no account',
    async () => {
      const loginName = `nowhere.${process.pid}.${Date.now()}`;
      const res = await system.request('POST', '/v1/admin/accounts', {
        key: ADMIN_KEY,
        body: { loginName, displayName: '无辖区', role: 'finance', jurisdiction: 'atlantis' },
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as Json).code).toBe('unknown_jurisdiction');
      const list = (await (await system.request('GET', '/v1/admin/accounts', { key: ADMIN_KEY })).json()) as {
        items: Array<{ loginName: string }>;
      };
      expect(list.items.map((a) => a.loginName)).not.toContain(loginName);
      const county = await createAccount(system, { role: 'finance', jurisdiction: 'gaoping' });
      expect(county.organization).toBe('finance@gaoping');
    },
  );
});
