/**
 * Administration, the annual plan and plan filings in the console (issue 26), end to end in Debian's
 * Chromium against `npm start` on free ports and an empty data directory. The only step outside the
 * console is the one the start banner names: the first (security) administrator, created with
 * `npm run accounts -- create-admin` (through the running API, with the admin key npm start keeps).
 * Then, by clicking (三员分立, each administrator seeing the tabs of their duty only):
 *
 *   the security administrator creates the system and audit administrators' accounts (the one-time
 *   password in a dialog, the TOTP as a QR code; no security administrator offered); the system
 *   administrator registers a department (市卫生健康委员会); the security administrator creates the
 *   department's officer and a key choosing it from a list, and the form is cleared; the system
 *   administrator enters a State Council notice through the calendar form and adjusts a day, and
 *   issues a deadline policy version, the periods the measures fix not editable; the auditor reads
 *   it all on the administrators' trail and cannot change an account;
 *   a BDB officer drafts the annual plan, records the city government's approval, drafts again
 *   beside the version in force and approves it (Art. 6) — named, never as `account:…`;
 *   a department officer, greeted by the department's name, files the department's own plan (备案)
 *   and the BDB lists it; the officer enrols an authenticator on 我的账户, and signing in asks for it.
 *
 * Screenshots at 1366×768 go to .artifacts/screenshots/admin-*.png. No year below depends on today.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { freePort } from '../support/net.ts';
import { ROOT, spawnEntry, STARTED, type Child } from '../faults/support.ts';
import { totpCode } from '../../lib/totp.ts';
import { signInOn } from './support.ts';
import type { Person as SignedInPerson } from './support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, '.artifacts', 'screenshots');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-console-admin-'));
/** Years far from any today: the plan's and the calendar's (a year no package notice covers). */
const PLAN_YEAR = 2030;
const CALENDAR_YEAR = 2031;
/** Codes and English that must never reach a person on these pages. */
const LEAKS =
  /account:|chinese-days|provisional|\bnotice\b|\bdraft\b|in-force|superseded|workingDays|calendarDays|\bcity\b|[{}]/;

let system: Child;
let browser: Browser;
let api: string;
let port: number;

type Person = SignedInPerson;

async function profile(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await context.route('**/*', (route) =>
    route.request().url().startsWith(`${api}/`) || route.request().url().startsWith('data:')
      ? route.continue()
      : route.abort(),
  );
  return context;
}

const shot = async (page: Page, name: string, fullPage = false) => {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400); // Ant Design's transitions settle
  await page.screenshot({ path: path.join(SHOTS, `admin-${name}.png`), fullPage });
};

/** Every page still open, screenshotted when a step fails (admin-failed-N.png). */
const open: Page[] = [];

/** Signs in through the login page (the TOTP code when asked); at the first sign-in changes the one-time password. */
async function signIn(person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await profile();
  const page = await context.newPage();
  open.push(page);
  await signInOn(page, api, person, (secret) => totpCode(secret, new Date()));
  return { context, page };
}

/** Picks an option of an Ant Design Select (typing `search` first when given). */
async function choose(page: Page, selector: string, option: string, search?: string) {
  await page.locator(selector).click();
  if (search) await page.locator(selector).fill(search);
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

const mainText = (page: Page) => page.locator('main').innerText();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  port = apiPort;
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
  console.log(`console-admin-ui: screenshots in ${SHOTS}/admin-*.png`);
});

describe('administration, the annual plan and plan filings in the console', () => {
  it("npm start: readable Chinese lines only, and the next step names the first administrator's command", () => {
    const out = system.output();
    const banner = out.slice(out.indexOf('✔'));
    expect(banner).toMatch(/✔ 晋城市政务大数据项目管理系统已启动（[\d.]+ 秒）/);
    expect(banner).not.toMatch(/is running|Admin key|\(new\)/);
    expect(banner).toContain('npm run accounts -- create-admin');
    // The structured log reaches the terminal as lines, never as raw JSON.
    expect(out.split('\n').filter((l) => l.trim().startsWith('{'))).toEqual([]);
  });

  it('三员分立, BDB and a department: accounts with the QR dialog, departments, the State Council notice, a policy, the trail, the plan approved twice, a filing, TOTP enrolment', async () => {
    onTestFailed(async () => {
      for (const [i, page] of open.entries())
        if (!page.isClosed())
          await page
            .screenshot({ path: path.join(SHOTS, `admin-failed-${i}.png`), fullPage: true })
            .catch(() => undefined);
    });
    // The step the banner names: the first administrator, with the embedded database of npm start.
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/accounts.ts', 'create-admin', '--login', 'wang.admin', '--name', '王管理员'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: '',
          ADMIN_API_KEY: '',
        },
      },
    );
    const first: Person = {
      loginName: 'wang.admin',
      displayName: '王管理员',
      password: /^initial password: (.+)$/m.exec(stdout)![1]!,
      totpSecret: /^totp secret: (.+)$/m.exec(stdout)![1]!,
    };
    // 三员分立: the first administrator is the security administrator — accounts and keys, nothing else.
    const admin = await signIn(first);
    await admin.page.goto(`${api}/admin`);
    const tabsOf = (page: Page) => page.getByRole('tab').allInnerTexts();
    await expect.poll(() => admin.page.locator('main h3').first().innerText(), { timeout: 15_000 }).toBe('安全管理');
    expect(await tabsOf(admin.page)).toEqual(['个人账户', '接口密钥']);
    expect(await admin.page.locator('.ant-menu').first().innerText()).not.toContain('系统管理');

    // 个人账户: the one-time password in a dialog.
    await admin.page.getByRole('tab', { name: '个人账户' }).click();
    const createAccount = async (person: Omit<Person, 'password'>, role: string, department?: string) => {
      await admin.page.locator('#acc-name').fill(person.displayName);
      await admin.page.locator('#acc-login').fill(person.loginName);
      await choose(admin.page, '#acc-role', role);
      if (department) await choose(admin.page, '#acc-department', department, '卫生');
      await admin.page.getByRole('button', { name: '创建账户' }).click();
      const dialog = admin.page.getByTestId('created-account');
      await dialog.waitFor({ timeout: 15_000 });
      const password = (await dialog.getByTestId('initial-password').locator('code').innerText()).trim();
      const secret =
        (await dialog.getByTestId('totp-secret').count()) > 0
          ? (await dialog.getByTestId('totp-secret').locator('code').innerText()).replace(/\s+/g, '')
          : undefined;
      return { ...person, password, ...(secret ? { totpSecret: secret } : {}) };
    };
    // An administrator's account: the system administrator, the authenticator secret as a QR code in the dialog.
    const zhou = await createAccount({ loginName: 'zhou.min', displayName: '周敏' }, '系统管理员');
    expect(zhou.totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect.poll(() => admin.page.getByTestId('totp-qr').locator('svg').count()).toBeGreaterThan(0);
    await shot(admin.page, '03-admin-account-qr-dialog');
    await admin.page.getByRole('button', { name: '已交给本人，关闭' }).click();
    const li = await createAccount({ loginName: 'li.audit', displayName: '李审计' }, '审计管理员');
    await admin.page.getByRole('button', { name: '已交给本人，关闭' }).click();
    // Security administrators are created by whoever operates the server: not offered here.
    await admin.page.locator('#acc-role').click();
    const offered = await admin.page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .allInnerTexts();
    expect(offered).toEqual(expect.arrayContaining(['系统管理员', '审计管理员', '市大数据应用局']));
    expect(offered).not.toContain('安全管理员');
    await admin.page.keyboard.press('Escape');
    const wang = await createAccount({ loginName: 'wang.fang', displayName: '王芳' }, '市大数据应用局');
    await admin.page.getByRole('button', { name: '已交给本人，关闭' }).click();
    expect(await mainText(admin.page)).not.toMatch(LEAKS);

    // 部门与辖区: the system administrator registers the department by its Chinese name.
    const sys = await signIn(zhou);
    await sys.page.goto(`${api}/admin`);
    await expect.poll(() => sys.page.locator('main h3').first().innerText(), { timeout: 15_000 }).toBe('系统管理');
    expect(await tabsOf(sys.page)).toEqual(['部门与辖区', '工作日历', '期限政策']);
    await sys.page.getByRole('tab', { name: '部门与辖区' }).click();
    await sys.page.locator('#dep-name').fill('市卫生健康委员会');
    await sys.page.locator('#dep-code').fill('wjw');
    await sys.page.getByRole('button', { name: '登记部门' }).click();
    await expect
      .poll(() => sys.page.getByTestId('departments').innerText(), { timeout: 15_000 })
      .toContain('市卫生健康委员会');
    expect(await sys.page.getByTestId('departments').innerText()).toContain('晋城市');
    await shot(sys.page, '01-departments', true);

    // Back to the security administrator: the department's officer, chosen from the registry.
    await admin.page.reload();
    await admin.page.getByRole('tab', { name: '个人账户' }).click();
    const zhang = await createAccount({ loginName: 'zhang.wei', displayName: '张伟' }, '项目单位', '市卫生健康委员会');
    expect(zhang.password).toHaveLength(16);
    expect(await admin.page.getByTestId('created-account').innerText()).toContain('只显示这一次');
    await shot(admin.page, '02-account-created-dialog');
    await admin.page.getByRole('button', { name: '已交给本人，关闭' }).click();
    // The form is cleared for the next person.
    expect(await admin.page.locator('#acc-name').inputValue()).toBe('');
    expect(await admin.page.locator('#acc-login').inputValue()).toBe('');
    await expect.poll(() => mainText(admin.page), { timeout: 15_000 }).toContain('zhang.wei');
    expect(await mainText(admin.page)).toContain('市卫生健康委员会');

    // 接口密钥 for a department's system: the department from the same list; the key shown once.
    await admin.page.getByRole('tab', { name: '接口密钥' }).click();
    await admin.page.locator('#key-name').fill('市卫健委业务系统');
    await choose(admin.page, '#key-role', '项目单位');
    await choose(admin.page, '#key-department', '市卫生健康委员会', '卫生');
    await admin.page.getByRole('button', { name: '创建密钥' }).click();
    await expect
      .poll(() => admin.page.getByTestId('created-key').innerText(), { timeout: 15_000 })
      .toMatch(/bdp_[0-9a-f]{12}_/);
    await admin.page.getByRole('button', { name: '已保存，关闭' }).click();
    expect(await admin.page.locator('#key-name').inputValue()).toBe('');
    await expect.poll(() => mainText(admin.page), { timeout: 15_000 }).toContain('市卫健委业务系统');
    expect(await mainText(admin.page)).toContain('市卫生健康委员会');

    await admin.context.close();

    // 工作日历: the State Council notice of a year entered through the form, then one day adjusted.
    await sys.page.getByRole('tab', { name: '工作日历' }).click();
    // The page first shows the first year still without its notice (this year's or next), then the one typed.
    await sys.page.getByTestId('notice-form').waitFor({ timeout: 15_000 });
    await sys.page.locator('#calendar-year').fill(String(CALENDAR_YEAR));
    await sys.page.getByText(`录入${CALENDAR_YEAR}年国务院节假日安排通知`).waitFor({ timeout: 15_000 });
    await sys.page.getByTestId('notice-form').waitFor();
    await sys.page.locator('#notice-ref').fill(`国办发明电〔${CALENDAR_YEAR - 1}〕12号`);
    const holidays = await sys.page.locator('[id^="hol-"][id$="-name"]').count();
    await sys.page.getByRole('button', { name: '添加放假安排' }).click();
    await sys.page.locator(`#hol-${holidays}-name`).fill('春节');
    await sys.page.locator(`#hol-${holidays}-from`).fill(`${CALENDAR_YEAR}-01-22`);
    await sys.page.locator(`#hol-${holidays}-to`).fill(`${CALENDAR_YEAR}-01-28`);
    const makeUps = await sys.page.locator('[id^="mk-"][id$="-date"]').count();
    await sys.page.getByRole('button', { name: '添加调休上班日' }).click();
    await sys.page.locator(`#mk-${makeUps}-date`).fill(`${CALENDAR_YEAR}-02-08`);
    await sys.page.locator(`#mk-${makeUps}-name`).fill('春节调休上班');
    await sys.page.getByRole('button', { name: '录入国务院通知' }).click();
    await expect
      .poll(() => sys.page.getByTestId('notice-result').innerText(), { timeout: 30_000 })
      .toContain(`已录入${CALENDAR_YEAR}年国务院通知`);
    const days = sys.page.getByTestId('calendar-days');
    await expect.poll(() => days.innerText(), { timeout: 15_000 }).toContain('国务院通知');
    expect(await days.innerText()).toContain(`国办发明电〔${CALENDAR_YEAR - 1}〕12号`);
    expect(await days.innerText()).toContain(`${CALENDAR_YEAR}年1月22日`);
    expect(await days.innerText()).toContain('上班');
    await shot(sys.page, '04-calendar-notice', true);
    await sys.page.locator('#ovr-date').fill(`${CALENDAR_YEAR}-05-06`);
    await sys.page.locator('#ovr-name').fill('市政府临时安排');
    await sys.page.getByRole('button', { name: '调整该日' }).click();
    await expect.poll(() => mainText(sys.page), { timeout: 15_000 }).toContain(`${CALENDAR_YEAR}年5月6日已调整为休息`);
    await sys.page
      .getByTestId('calendar-days')
      .locator('.ant-pagination-item')
      .last()
      .click()
      .catch(() => undefined);
    await expect.poll(() => mainText(sys.page), { timeout: 15_000 }).toContain('管理员调整');
    expect(await mainText(sys.page)).not.toMatch(LEAKS);
    await shot(sys.page, '05-calendar-adjusted-day', true);

    // 期限政策: 法定 periods are shown and not editable in the city's policy; a local one changes.
    await sys.page.getByRole('tab', { name: '期限政策' }).click();
    await sys.page.getByTestId('policy-form').waitFor({ timeout: 15_000 });
    expect(await sys.page.getByTestId('setting-contractFiling').innerText()).toContain('法定');
    expect(await sys.page.getByTestId('setting-completionReport').innerText()).toContain('法定');
    expect(await sys.page.getByTestId('setting-publicity').innerText()).toContain('本地政策');
    expect(await sys.page.locator('#pol-contractFiling-amount').isDisabled()).toBe(true);
    expect(await sys.page.locator('#pol-publicity-amount').isDisabled()).toBe(false);
    await sys.page.locator('#pol-publicity-amount').fill('7');
    await sys.page.getByRole('button', { name: '发布新版本' }).click();
    await expect.poll(() => sys.page.getByTestId('policy-saved').innerText(), { timeout: 15_000 }).toContain('第 2 版');
    await sys.page.locator('tr', { hasText: '第 2 版' }).locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => sys.page.getByTestId('policy-version-2').innerText()).toContain('公示期：7 个工作日');
    expect(await mainText(sys.page)).toContain('周敏');
    expect(await mainText(sys.page)).not.toMatch(LEAKS);
    await shot(sys.page, '06-policy', true);
    await sys.context.close();

    // 安全审计: the auditor reads the administrators' trail and the accounts, and can change nothing.
    const audit = await signIn(li);
    await audit.page.goto(`${api}/admin`);
    await expect.poll(() => audit.page.locator('main h3').first().innerText(), { timeout: 15_000 }).toBe('安全审计');
    expect(await tabsOf(audit.page)).toEqual(['管理员操作记录', '个人账户', '接口密钥']);
    const trail = audit.page.getByTestId('admin-trail');
    await expect.poll(() => trail.innerText(), { timeout: 15_000 }).toContain('登记部门');
    await expect
      .poll(() => audit.page.getByTestId('trail-verification').innerText(), { timeout: 15_000 })
      .toContain('哈希链校验通过');
    for (const text of ['周敏', '系统管理员', '签发接口密钥', '王管理员', '安全管理员', '发布期限政策版本'])
      expect(await trail.innerText()).toContain(text);
    expect(await mainText(audit.page)).not.toMatch(LEAKS);
    await shot(audit.page, '06b-audit-trail', true);
    await audit.page.getByRole('tab', { name: '个人账户' }).click();
    await expect.poll(() => mainText(audit.page), { timeout: 15_000 }).toContain('zhang.wei');
    expect(await audit.page.getByRole('button', { name: '停用' }).count()).toBe(0);
    expect(await audit.page.getByRole('button', { name: '创建账户' }).count()).toBe(0);
    await audit.context.close();

    // 年度计划: the BDB officer drafts an item, records the approval, drafts again, approves again.
    const bdb = await signIn(wang);
    await bdb.page.goto(`${api}/plans`);
    await bdb.page.getByTestId('plan-versions').waitFor({ timeout: 15_000 });
    await bdb.page.locator('#plan-year').fill(String(PLAN_YEAR));
    await bdb.page.getByText(`${PLAN_YEAR}年度计划尚无经市人民政府批准的版本`).waitFor({ timeout: 15_000 });
    await bdb.page.getByRole('button', { name: '添加计划项目' }).click();
    await bdb.page.locator('#f-0-code').fill(`${PLAN_YEAR}-WJW-01`);
    await bdb.page.locator('#f-0-title').fill('全民健康信息平台');
    await choose(bdb.page, '#f-0-department', '市卫生健康委员会', '卫生');
    await bdb.page.locator('#f-0-ceilingFen').fill('500000');
    await bdb.page.getByRole('button', { name: '保存年度计划' }).click();
    const draft = bdb.page.getByTestId('plan-draft');
    await expect.poll(() => draft.innerText(), { timeout: 15_000 }).toContain('全民健康信息平台');
    expect(await draft.innerText()).toContain('第 1 版');
    expect(await draft.innerText()).toContain('草稿');
    expect(await draft.innerText()).toContain('市卫生健康委员会');
    expect(await draft.innerText()).toContain('王芳');
    await shot(bdb.page, '07-plan-draft', true);

    await bdb.page.locator('#approval-date').fill(`${PLAN_YEAR}-01-15`);
    await bdb.page.locator('#approval-no').fill(`晋市政函〔${PLAN_YEAR}〕1号`);
    await bdb.page.getByRole('button', { name: /记录批准/ }).click();
    const inForce = bdb.page.getByTestId('plan-in-force');
    await expect.poll(() => inForce.innerText(), { timeout: 15_000 }).toContain('全民健康信息平台');
    for (const text of [
      '已批准',
      '第 1 版',
      `晋市政函〔${PLAN_YEAR}〕1号`,
      `${PLAN_YEAR}年1月15日`,
      '王芳',
      '全民健康信息平台',
      '500,000.00 元',
      '市卫生健康委员会',
    ])
      expect(await inForce.innerText()).toContain(text);
    expect(await mainText(bdb.page)).not.toMatch(LEAKS);
    await shot(bdb.page, '08-plan-approved', true);

    // A second draft beside the version in force; approving it supersedes version 1.
    await bdb.page.locator('#f-0-title').fill('全民健康信息平台（二期）');
    await bdb.page.getByRole('button', { name: '保存年度计划' }).click();
    await expect.poll(() => draft.innerText(), { timeout: 15_000 }).toContain('二期');
    expect(await draft.innerText()).toContain('第 2 版');
    expect(await draft.innerText()).toContain('修改');
    expect(await inForce.innerText()).toContain('第 1 版');
    expect(await inForce.innerText()).not.toContain('二期');
    await shot(bdb.page, '09-plan-draft-beside-in-force', true);
    await bdb.page.locator('#approval-date').fill(`${PLAN_YEAR}-03-01`);
    await bdb.page.locator('#approval-no').fill(`晋市政函〔${PLAN_YEAR}〕9号`);
    await bdb.page.getByRole('button', { name: /记录批准/ }).click();
    await expect.poll(() => inForce.innerText(), { timeout: 15_000 }).toContain('二期');
    expect(await inForce.innerText()).toContain('第 2 版');
    const versions = await bdb.page.getByTestId('plan-versions').innerText();
    expect(versions).toContain('已被取代');
    expect(versions).toContain('已批准');
    await bdb.page.locator('tr', { hasText: '已被取代' }).locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => bdb.page.getByTestId('plan-version-1-items').innerText()).toContain('全民健康信息平台');
    expect(await mainText(bdb.page)).not.toMatch(LEAKS);
    await shot(bdb.page, '10-plan-versions', true);

    // 规划备案: the department officer, greeted by the department's name, files its own plan.
    const dept = await signIn(zhang);
    await expect
      .poll(() => dept.page.getByTestId('who').innerText(), { timeout: 15_000 })
      .toBe('张伟（项目单位 · 市卫生健康委员会）');
    await dept.page.goto(`${api}/plan-filings`);
    await dept.page.locator('#filing-title').fill('市卫生健康委员会“十五五”信息化建设规划');
    await dept.page.locator('#filing-doc').fill(`晋卫发〔${PLAN_YEAR}〕15号`);
    await dept.page.locator('#filing-date').fill(`${PLAN_YEAR}-02-01`);
    await dept.page.locator('#filing-year').fill(String(PLAN_YEAR));
    await dept.page.getByRole('button', { name: '报送备案' }).click();
    await expect.poll(() => dept.page.getByTestId('filings').innerText(), { timeout: 15_000 }).toContain('十五五');
    expect(await dept.page.getByTestId('filings').innerText()).toContain('市卫生健康委员会');
    await shot(dept.page, '11-plan-filing-department', true);
    await bdb.page.goto(`${api}/plan-filings`);
    await expect.poll(() => bdb.page.getByTestId('filings').innerText(), { timeout: 15_000 }).toContain('十五五');
    for (const text of ['市卫生健康委员会', '张伟', `${PLAN_YEAR}年2月1日`])
      expect(await bdb.page.getByTestId('filings').innerText()).toContain(text);
    expect(await mainText(bdb.page)).not.toMatch(LEAKS);
    await shot(bdb.page, '12-plan-filings-bdb', true);
    // The department reads the plan in force, by names.
    await dept.page.goto(`${api}/plans`);
    await dept.page.getByTestId('plan-versions').waitFor({ timeout: 15_000 });
    await dept.page.locator('#plan-year').fill(String(PLAN_YEAR));
    await expect
      .poll(() => dept.page.getByTestId('plan-in-force').innerText(), { timeout: 15_000 })
      .toContain('全民健康信息平台（二期）');
    expect(await dept.page.getByTestId('plan-form').count()).toBe(0);

    // 我的账户: the officer enrols an authenticator; signing in then asks for its code.
    await dept.page.goto(`${api}/account`);
    await dept.page.getByRole('button', { name: '绑定身份验证器' }).click();
    // A session alone cannot bind a second factor (issue 28): the current password first.
    await dept.page.locator('#totp-password').fill('not-the-password');
    await dept.page.getByRole('button', { name: '下一步' }).click();
    await expect.poll(() => mainText(dept.page), { timeout: 15_000 }).toContain('当前密码错误');
    await dept.page.locator('#totp-password').fill(zhang.password);
    await dept.page.getByRole('button', { name: '下一步' }).click();
    await dept.page.getByTestId('totp-qr').locator('svg').waitFor({ timeout: 15_000 });
    const secret = (await dept.page.getByTestId('totp-secret').locator('code').innerText()).replace(/\s+/g, '');
    await shot(dept.page, '13-account-totp-enrolment');
    await dept.page.locator('#totp-code').fill(totpCode(secret, new Date()));
    await dept.page.getByRole('button', { name: '确认绑定' }).click();
    await expect.poll(() => mainText(dept.page), { timeout: 15_000 }).toContain('身份验证器已绑定');
    await dept.context.close();
    // A code is accepted once: the next sign-in uses the authenticator's next code.
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
    const again = await signIn({ ...zhang, totpSecret: secret });
    await expect
      .poll(() => again.page.getByTestId('who').innerText(), { timeout: 15_000 })
      .toContain('市卫生健康委员会');
    await again.context.close();
    await bdb.context.close();
  }, 300_000);
});
