/**
 * The web console (issue 16) end to end in Debian's Chromium: `npm start` on free ports and an empty
 * data directory (it builds console/ when needed), personal accounts created through the admin API,
 * then each step of a project by a different person through the console's forms:
 *
 *   department officer applies (Art. 6, 8) → BDB reviewer passes the technical review (Art. 7) →
 *   approval officer approves (Art. 8-9) → finance allocates (Art. 10, 12) → a second BDB officer
 *   publishes the allocation plan (Art. 11) → the public 公示 page, without sign-in, lists it;
 *
 * each person's name then shows in the audit timeline (Art. 24-25) with the chain intact. Also: an
 * officer of another department cannot open the project (docs/MEASURES.md "Actors"); 5 wrong passwords lock
 * an account; an administrator cannot sign in without the TOTP code. Every page is screenshotted at
 * 1366×768 into .artifacts/screenshots/, no request leaves the API's origin, the Content-Security-Policy
 * reports no violation, and the first load stays within the 600 KiB gzip JavaScript budget.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_JS_BUDGET_BYTES, sizeReport } from '../../console/scripts/build.ts';
import { freePort } from '../support/net.ts';
import { ROOT, spawnEntry, STARTED, type Child } from '../faults/support.ts';
import { pickDate, submitAndFollow } from './support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, '.artifacts', 'screenshots');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-console-'));
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
const PLAN_ITEM = `${YEAR}-CONSOLE-1`;
const TITLE = `政务服务一网通办平台 ${process.pid}`;
const NEW_PASSWORD = 'Jincheng-2026-secure!';

/**
 * What the administrator's authenticator app shows: RFC 6238 (HMAC-SHA1, 30 s, 6 digits) computed
 * here on its own from the base32 secret, as an app would, not with the server's code.
 */
function totpCode(base32: string, at: Date): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at.getTime() / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

let system: Child;
let browser: Browser;
let api: string;
let admin: string;
const outside: string[] = [];
const violations: string[] = [];

async function call(method: string, p: string, key: string, body?: unknown) {
  const res = await fetch(`${api}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface Person {
  loginName: string;
  displayName: string;
  password: string;
  totpSecret?: string;
}

async function createPerson(
  loginName: string,
  displayName: string,
  role: string,
  extra: Record<string, string> = {},
): Promise<Person> {
  const created = (await call('POST', '/v1/admin/accounts', admin, { loginName, displayName, role, ...extra })) as {
    initialPassword: string;
    totpEnrolment: { secret: string } | null;
  };
  return {
    loginName,
    displayName,
    password: created.initialPassword,
    ...(created.totpEnrolment ? { totpSecret: created.totpEnrolment.secret } : {}),
  };
}

/** A fresh browser profile at 1366×768 that may reach nothing but the API, recording CSP violations. */
async function profile(): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${api}/`) || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));",
  });
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('CSP violation')) violations.push(m.text());
  });
  return page;
}

const shot = async (page: Page, name: string) => {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400); // Ant Design's transitions (tab ink bar, fades) settle
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
};

/** Signs in through the login page; at the first sign-in changes the one-time password. */
async function signIn(
  person: Person,
  opts: { screenshots?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await profile();
  const page = await newPage(context);
  await page.goto(`${api}/`);
  await page.locator('#login-name').fill(person.loginName);
  await page.locator('#login-password').fill(person.password);
  if (opts.screenshots) await shot(page, '01-login');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  if (person.totpSecret) {
    await page.locator('#login-totp').waitFor();
    if (opts.screenshots) await shot(page, '02-login-totp');
    await page.locator('#login-totp').fill(totpCode(person.totpSecret, new Date()));
    await page.getByRole('button', { name: '验证并登录' }).click();
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
  if (new URL(page.url()).pathname === '/password') {
    await page.locator('#pw-current').fill(person.password);
    await page.locator('#pw-new').fill(NEW_PASSWORD);
    await page.locator('#pw-confirm').fill(NEW_PASSWORD);
    if (opts.screenshots) await shot(page, '03-password');
    await page.getByRole('button', { name: '修改密码' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/password', { timeout: 30_000 });
    person.password = NEW_PASSWORD;
  }
  await expect.poll(() => page.getByTestId('who').innerText(), { timeout: 15_000 }).toContain(person.displayName);
  return { context, page };
}

/** The project page, waiting for its stage tag to read `stage`. */
async function openProject(page: Page, id: string, stage?: string) {
  await page.goto(`${api}/projects/${id}`);
  await page.getByRole('heading', { level: 3 }).first().waitFor();
  if (stage)
    await expect
      .poll(() => page.getByRole('heading', { level: 3 }).first().innerText(), { timeout: 30_000 })
      .toContain(stage);
}

/** Submits an action card's form and waits for the project to move to `next`. */
async function submitAction(page: Page, action: string, next: string) {
  const card = page.getByTestId(`action-${action}`);
  await card.getByRole('button', { name: /^提交|发布/ }).click();
  await expect
    .poll(
      async () =>
        (await page.locator('.problem').count())
          ? await page.locator('.problem').first().innerText()
          : await page.getByRole('heading', { level: 3 }).first().innerText(),
      { timeout: 60_000 },
    )
    .toContain(next);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${port}`;
  system = await spawnEntry(
    'scripts/start.ts',
    {
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      TEMPORAL_UI_URL: '',
      ADMIN_API_KEY: '',
    },
    STARTED,
    300_000,
  );
  expect(system.output()).toMatch(/网页控制台\s+http:\/\/127\.0\.0\.1:\d+\//);
  // The banner shows only the key's first characters (issue 28); the whole key is in DATA_DIR.
  expect(system.output()).toMatch(/管理员密钥\s+admin_/);
  admin = readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  });
}, 360_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`console-ui: screenshots in ${SHOTS}`);
});

describe('the web console', () => {
  it('Art. 6-12, 24-25: apply → technical review → approval → allocation → publicity, each by a different person named in the audit timeline; the public page lists it', async () => {
    const bdbKey = (await call('POST', '/v1/admin/api-keys', admin, { role: 'bdb', name: 'plan setup' })).key as string;
    await call('PUT', `/v1/annual-plans/${YEAR}`, bdbKey, {
      items: [{ code: PLAN_ITEM, title: '一网通办', department: 'zwfw', ceilingFen: 500_000_00 }],
    });
    // Art. 6: applications name an item of the plan the city government approved.
    await call('POST', `/v1/annual-plans/${YEAR}/approval`, bdbKey, {
      approvedOn: `${YEAR}-01-10`,
      documentNo: '晋市政函〔2026〕1号',
    });
    const officer = await createPerson('zhang.wei', '张伟', 'department', { department: 'zwfw' });
    const stranger = await createPerson('li.na', '李娜', 'department', { department: 'jtj' });
    const reviewer = await createPerson('wang.fang', '王芳', 'bdb');
    const approver = await createPerson('liu.yang', '刘洋', 'approval');
    const accountant = await createPerson('chen.jing', '陈静', 'finance');
    const publisher = await createPerson('zhao.lei', '赵磊', 'bdb');

    // The department officer applies through the form (first sign-in: the one-time password is changed).
    const dept = await signIn(officer, { screenshots: true });
    await shot(dept.page, '04-inbox-department');
    await dept.page.goto(`${api}/projects/new`);
    const f = (id: string) => dept.page.locator(`#f-${id}`);
    await f('title').fill(TITLE);
    await f('summary').fill('整合各部门政务服务事项，实现一网通办。');
    await f('annualPlanItem').fill(PLAN_ITEM);
    await f('estimate-totalFen').fill('300000');
    await f('estimate-cityShareFen').fill('300000');
    await f('estimate-countyShareFen').fill('0');
    await pickDate(dept.page, '#f-plannedCompletionDate', `${YEAR + 1}-06-30`);
    expect(await f('plannedCompletionDate').inputValue()).toBe(`${YEAR + 1}年6月30日`);
    // Art. 14: the project leader.
    await f('leader-name').fill('张伟');
    await f('leader-post').fill('信息科科长');
    await f('leader-contact').fill('0356-1234567');
    // Art. 8: the four documents, each chosen from disk and uploaded (POST /v1/documents); the form takes their ids.
    for (const doc of ['proposal', 'feasibilityStudy', 'preliminaryDesign', 'investmentEstimate']) {
      const upload = dept.page.getByTestId(`upload-documentIds-${doc}`);
      await upload.locator('input[type=file]').setInputFiles({
        name: `${doc}.pdf`,
        mimeType: 'application/pdf',
        buffer: Buffer.concat([
          readFileSync(path.join(ROOT, 'docs', 'sample-contract.pdf')),
          Buffer.from(`\n% ${doc}\n`),
        ]),
      });
      await dept.page.getByTestId(`upload-documentIds-${doc}-done`).waitFor({ timeout: 30_000 });
    }
    await shot(dept.page, '05-apply');
    await submitAndFollow(dept.page, '提交申报', /\/projects\/JC\d{4}-/);
    const id = decodeURIComponent(new URL(dept.page.url()).pathname.split('/').pop()!);
    await openProject(dept.page, id, '技术审核');
    await shot(dept.page, '06-project-department');

    // An officer of another department cannot open it: the API's refusal is shown, not a blank page.
    const other = await signIn(stranger);
    await other.page.goto(`${api}/projects/${id}`);
    await expect.poll(() => other.page.locator('.problem').innerText(), { timeout: 30_000 }).toMatch(/无权|未找到/);
    expect(await other.page.locator('body').innerText()).not.toContain(TITLE);
    await shot(other.page, '07-project-other-department-refused');
    await other.context.close();

    // The BDB reviewer finds it in the inbox and passes the technical review with the full checklist.
    const bdb = await signIn(reviewer);
    await expect.poll(() => bdb.page.locator('main').innerText(), { timeout: 30_000 }).toContain(TITLE);
    // Measured, not asserted (issue 16 asks ≤ 1.5 s on loopback): a fresh load of 待办 until its row shows.
    const started = Date.now();
    await bdb.page.goto(`${api}/inbox`);
    await bdb.page.getByRole('link', { name: TITLE }).waitFor();
    console.log(`console-ui: 待办 interactive ${Date.now() - started} ms after navigation (loopback, Chromium)`);
    await shot(bdb.page, '08-inbox-bdb');
    await bdb.page.getByRole('link', { name: TITLE }).click();
    await bdb.page.getByTestId('action-technical-review').waitFor();
    const review = bdb.page.getByTestId('action-technical-review');
    await review.getByText('通过', { exact: true }).click();
    for (const item of ['信息资源目录', '数据共享', '集约建设', '迁云上云', '安全可控'])
      await review.getByLabel(item).check();
    await review.locator('#f-opinion').fill('符合集约建设要求。');
    await shot(bdb.page, '09-technical-review-form');
    await submitAction(bdb.page, 'technical-review', '审批立项');

    // The approval officer approves the establishment.
    const approval = await signIn(approver);
    await openProject(approval.page, id, '审批立项');
    const est = approval.page.getByTestId('action-establishment');
    await est.getByText('批准立项', { exact: true }).click();
    await est.locator('#f-approvalNo').fill(`晋审批〔${YEAR}〕8号`);
    await est.locator('#f-approvedEstimateFen').fill('300000'); // Art. 8: 批复概算 (元)
    await submitAction(approval.page, 'establishment', '资金安排');

    // Finance allocates the construction budget (amounts typed in 元).
    const finance = await signIn(accountant);
    await openProject(finance.page, id, '资金安排');
    const budget = finance.page.getByTestId('action-budget');
    await budget.getByText('建设资金', { exact: true }).click();
    await budget.locator('#f-year').fill(String(YEAR));
    await budget.locator('#f-amountFen').fill('300000');
    await budget.locator('#f-cityShareFen').fill('300000');
    await budget.locator('#f-countyShareFen').fill('0');
    await shot(finance.page, '10-budget-form');
    // Art. 11: the money is held and the project stays in 资金安排 until the BDB publishes its plan.
    await submitAction(finance.page, 'budget', '资金安排');
    await finance.page.goto(`${api}/funds`);
    await expect.poll(() => finance.page.locator('main').innerText(), { timeout: 30_000 }).toContain('300,000.00');
    await shot(finance.page, '11-funds');

    // A second BDB officer lists the held allocation in an allocation plan: its publicity starts.
    const bdb2 = await signIn(publisher);
    await openProject(bdb2.page, id);
    await bdb2.page.getByTestId('action-allocation-publication').getByRole('button', { name: /发布/ }).click();
    await expect
      .poll(
        async () =>
          (await bdb2.page.locator('.problem').count())
            ? await bdb2.page.locator('.problem').first().innerText()
            : (await bdb2.page.getByTestId('action-allocation-publication').count()) === 0
              ? 'published'
              : 'waiting',
        { timeout: 60_000 },
      )
      .toBe('published');
    await bdb2.page.goto(`${api}/plans`);
    await expect.poll(() => bdb2.page.locator('main').innerText(), { timeout: 30_000 }).toContain(PLAN_ITEM);
    await shot(bdb2.page, '12-annual-plan-bdb');
    // Art. 6: the BDB edits the annual plan through its form (amounts in 元 back to the same fen).
    await bdb2.page.getByTestId('plan-form').locator('#f-0-title').fill('一网通办（修订）');
    await bdb2.page.getByRole('button', { name: '保存年度计划' }).click();
    // The edit is a new draft (version 2); it is in force once the city government's approval is recorded.
    const latest = async () =>
      (
        (await call('GET', `/v1/annual-plans/${YEAR}/versions`, bdbKey)) as {
          items: Array<{ version: number; status: string }>;
        }
      ).items.at(-1);
    await expect.poll(latest, { timeout: 30_000 }).toEqual(expect.objectContaining({ version: 2, status: 'draft' }));
    await call('POST', `/v1/annual-plans/${YEAR}/approval`, bdbKey, {
      approvedOn: `${YEAR}-01-20`,
      documentNo: '晋市政函〔2026〕2号',
    });
    await bdb2.page.reload();
    await expect.poll(() => bdb2.page.locator('main').innerText(), { timeout: 30_000 }).toContain('一网通办（修订）');
    const plan = (await call('GET', `/v1/annual-plans/${YEAR}`, bdbKey)) as {
      items: Array<{ title: string; ceilingFen: number }>;
    };
    expect(plan.items).toEqual([expect.objectContaining({ title: '一网通办（修订）', ceilingFen: 500_000_00 })]);
    // Others read it only.
    await dept.page.goto(`${api}/plans`);
    await expect.poll(() => dept.page.locator('main').innerText(), { timeout: 30_000 }).toContain('一网通办（修订）');
    expect(await dept.page.getByTestId('plan-form').count()).toBe(0);

    // The public page, without signing in, lists the allocation under notice.
    const visitor = await profile();
    const pub = await newPage(visitor);
    await pub.goto(`${api}/public`);
    await expect.poll(() => pub.getByTestId('public-allocations').innerText(), { timeout: 30_000 }).toContain(TITLE);
    expect(await pub.getByTestId('public-allocations').innerText()).toContain('300,000.00 元');
    await shot(pub, '13-public');
    await visitor.close();

    // The audit timeline names every person who acted, and the chain links up.
    await openProject(bdb.page, id);
    await bdb.page.getByRole('tab', { name: '审计记录' }).click();
    const timeline = bdb.page.getByTestId('audit-timeline');
    for (const person of [officer, reviewer, approver, accountant, publisher])
      await expect.poll(() => timeline.innerText(), { timeout: 30_000 }).toContain(person.displayName);
    expect(await bdb.page.getByTestId('chain-status').innerText()).toContain('哈希链校验通过');
    await shot(bdb.page, '14-project-audit-timeline');
    await bdb.page.getByRole('tab', { name: '资金' }).click();
    await shot(bdb.page, '15-project-funds');
    await bdb.page.goto(`${api}/projects`);
    await expect.poll(() => bdb.page.locator('main').innerText(), { timeout: 30_000 }).toContain(id);
    await shot(bdb.page, '16-projects');
    // The list's Excel export with the same filters downloads through the session cookie.
    const [download] = await Promise.all([
      bdb.page.waitForEvent('download'),
      bdb.page.getByRole('link', { name: /导出电子表格/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);

    for (const s of [dept, bdb, approval, finance, bdb2]) await s.context.close();
    console.log(
      `console-ui: project ${id} applied by ${officer.displayName}, reviewed by ${reviewer.displayName}, approved by ${approver.displayName}, allocated by ${accountant.displayName}, published by ${publisher.displayName}; listed on /public`,
    );
  }, 300_000);

  it("5 wrong passwords lock the account: the right password is refused afterwards, with the API's words", async () => {
    const person = await createPerson('sun.li', '孙丽', 'department', { department: 'zwfw' });
    const context = await profile();
    const page = await newPage(context);
    await page.goto(`${api}/login`);
    const texts: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.locator('#login-name').fill(person.loginName);
      await page.locator('#login-password').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await expect.poll(() => page.locator('.problem').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      texts.push(await page.locator('.problem').innerText());
    }
    await page.locator('#login-password').fill(person.password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.locator('.problem').innerText(), { timeout: 15_000 }).toMatch(/锁定/);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot(page, '17-login-locked');
    console.log(
      `console-ui: after 5 wrong passwords: "${(await page.locator('.problem').innerText()).replace(/\s+/g, ' ')}"`,
    );
    await context.close();
  }, 120_000);

  it("an administrator cannot sign in without the TOTP code; with it the security administrator's 安全管理 page opens", async () => {
    const person = await createPerson('admin.zhou', '周敏', 'secadmin');
    expect(person.totpSecret).toBeTruthy();
    const context = await profile();
    const page = await newPage(context);
    await page.goto(`${api}/login`);
    await page.locator('#login-name').fill(person.loginName);
    await page.locator('#login-password').fill(person.password);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.locator('#login-totp').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    // A wrong code is refused too.
    const wrong = String((Number(totpCode(person.totpSecret!, new Date())) + 1) % 1_000_000).padStart(6, '0');
    await page.locator('#login-totp').fill(wrong);
    await page.getByRole('button', { name: '验证并登录' }).click();
    await expect.poll(() => page.locator('.problem').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/login');
    const me = await context.request.get(`${api}/v1/auth/me`);
    expect(me.status()).toBe(401);
    await context.close();

    const signed = await signIn(person, { screenshots: true });
    await signed.page.goto(`${api}/admin`);
    await expect.poll(() => signed.page.locator('main').innerText(), { timeout: 30_000 }).toContain('zhang.wei');
    await shot(signed.page, '18-admin-accounts');
    // Art. 24-25, 28 (GB/T 39786 logs): the account's security trail in its detail — the wrong code, then the sign-in, from loopback.
    await signed.page.locator('tr', { hasText: person.loginName }).locator('.ant-table-row-expand-icon').click();
    const trail = signed.page.getByTestId(`account-events-${person.loginName}`);
    await expect.poll(() => trail.innerText(), { timeout: 15_000 }).toContain('登录');
    const trailText = await trail.innerText();
    for (const heading of ['时间', '事件', '结果', '来源地址']) expect(trailText).toContain(heading);
    expect(trailText).toContain('动态验证码错误');
    expect(trailText).toContain('成功');
    expect(trailText).toMatch(/127\.0\.0\.1|::1/);
    await shot(signed.page, '18b-admin-account-trail');
    await signed.page.getByRole('tab', { name: '接口密钥' }).click();
    await shot(signed.page, '19-admin-keys');
    // 三员分立: the security administrator's page has no configuration tab.
    expect(await signed.page.getByRole('tab').allInnerTexts()).toEqual(['个人账户', '接口密钥']);
    await signed.context.close();
  }, 120_000);

  it('loads nothing from outside the API, breaks no Content-Security-Policy rule, and the first load stays within 600 KiB gzip of JavaScript', async () => {
    const res = await fetch(`${api}/inbox`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await res.text()).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    // The API's own paths are never answered by the console.
    for (const p of ['/v1/nothing', '/openapi.json', '/healthz', '/docs'])
      expect((await fetch(`${api}${p}`)).headers.get('content-security-policy') ?? '').not.toContain('nonce-');
    expect(outside).toEqual([]);
    expect(violations).toEqual([]);
    const report = sizeReport();
    console.log(
      `console-ui: initial JavaScript ${(report.initialJsGzipBytes / 1024).toFixed(1)} KiB gzip (budget ${INITIAL_JS_BUDGET_BYTES / 1024} KiB), ${report.chunks} chunks ${(report.totalJsGzipBytes / 1024).toFixed(1)} KiB in all`,
    );
    expect(report.initialJsGzipBytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET_BYTES);
  });
});
