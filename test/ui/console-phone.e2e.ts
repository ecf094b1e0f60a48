/**
 * The web console on a phone (issue 26): `npm start` on free ports and an empty data directory,
 * projects in several stages made through the API (the test's own setup), then every console route
 * of every role at 390×844 in Debian's Chromium — signed out (login, 公示), department, BDB,
 * approval, finance, admin — each with data: the page must fit the screen (the document never
 * scrolls sideways: document.scrollingElement.scrollWidth ≤ 390), statistic cards keep their words
 * on one line, the menu is a drawer that opens from the header. Also at phone width: 统计分析 draws
 * its charts with no Content-Security-Policy violation, the approval bureau's 资金 tab shows no
 * refusal, and opening a notice marks it read. Screenshots of every page into .artifacts/screenshots/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/net.ts';
import { ROOT, spawnEntry, STARTED, type Child } from '../faults/support.ts';
import { signInOn } from './support.ts';
import type { Person as SignedInPerson } from './support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(ROOT, '.artifacts', 'screenshots');
const WIDTH = 390;
const HEIGHT = 844;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-phone-'));
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

let system: Child;
let browser: Browser;
let api: string;
let admin: string;
const violations: string[] = [];
const projects: Record<'budgeted' | 'review' | 'rejected', string> = { budgeted: '', review: '', rejected: '' };

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

interface Person extends SignedInPerson {
  role: string;
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
    role,
    loginName,
    displayName,
    password: created.initialPassword,
    ...(created.totpEnrolment ? { totpSecret: created.totpEnrolment.secret } : {}),
  };
}

/** A phone: 390×844, touch, recording Content-Security-Policy violations. */
async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: HEIGHT },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  await context.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));",
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('CSP violation')) violations.push(`${page.url()}: ${m.text()}`);
  });
  return { context, page };
}

async function signIn(person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await phone();
  await signInOn(page, api, person);
  return { context, page };
}

/** Loads a route, waits until it settled, screenshots it and answers how wide the document is. */
async function visit(page: Page, route: string, shotName: string): Promise<number> {
  await page.goto(`${api}${route}`);
  await page.locator('main, form').first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count(), { timeout: 30_000 })
    .toBe(0);
  await page.waitForTimeout(300); // transitions settle
  await page.screenshot({ path: path.join(SHOTS, `${shotName}.png`), fullPage: true });
  return page.evaluate(() => (globalThis as any).document.scrollingElement.scrollWidth as number);
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
  // The banner shows only the key's first characters (issue 28); the whole key is in DATA_DIR.
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

  // Data in several stages, made through the API: a budgeted project with a rectification order,
  // one awaiting the technical review, one rejected.
  const bdb = (await call('POST', '/v1/admin/api-keys', admin, { role: 'bdb', name: 'phone setup' })).key as string;
  const approval = (await call('POST', '/v1/admin/api-keys', admin, { role: 'approval', name: 'phone setup' }))
    .key as string;
  const finance = (await call('POST', '/v1/admin/api-keys', admin, { role: 'finance', name: 'phone setup' }))
    .key as string;
  const dept = (
    await call('POST', '/v1/admin/api-keys', admin, { role: 'department', name: 'phone setup', department: 'zwfw' })
  ).key as string;
  const items = ['1', '2', '3'].map((n) => ({
    code: `${YEAR}-PHONE-${n}`,
    title: `政务服务一网通办平台（${n}期）`,
    department: 'zwfw',
    ceilingFen: 500_000_00,
  }));
  await call('PUT', `/v1/annual-plans/${YEAR}`, bdb, { items });
  await call('POST', `/v1/annual-plans/${YEAR}/approval`, bdb, {
    approvedOn: `${YEAR}-01-10`,
    documentNo: `晋市政函〔${YEAR}〕1号`,
  });
  const apply = async (n: number) =>
    (
      await call('POST', '/v1/projects', dept, {
        title: `政务服务一网通办平台（${n}期）建设项目，整合全市各部门政务服务事项实现一网通办`,
        summary: '整合各部门政务服务事项，实现一网通办。',
        kind: 'new',
        year: YEAR,
        annualPlanItem: `${YEAR}-PHONE-${n}`,
        estimate: { totalFen: 300_000_00, cityShareFen: 300_000_00, countyShareFen: 0 },
        plannedCompletionDate: `${YEAR + 1}-06-30`,
        documents: {
          proposal: 'sha256:0a1b2c',
          feasibilityStudy: 'sha256:1b2c3d',
          preliminaryDesign: 'sha256:2c3d4e',
          investmentEstimate: 'sha256:3d4e5f',
        },
        classified: false,
        leader: { name: '张伟', post: '信息科科长', contact: '0356-1234567' },
      })
    ).id as string;
  const checklist = {
    resourceCatalog: true,
    dataSharing: true,
    intensiveConstruction: true,
    cloudDeployment: true,
    securityControllable: true,
  };
  projects.budgeted = await apply(1);
  await call('POST', `/v1/projects/${projects.budgeted}/technical-review`, bdb, {
    decision: 'pass',
    opinion: '符合集约建设要求。',
    checklist,
  });
  await call('POST', `/v1/projects/${projects.budgeted}/establishment`, approval, {
    decision: 'approve',
    approvalNo: `晋审批〔${YEAR}〕8号`,
    opinion: '同意立项。',
    approvedEstimateFen: 300_000_00,
  }); // Art. 8: 批复概算
  await call('POST', `/v1/projects/${projects.budgeted}/budget`, finance, {
    fundType: 'construction',
    year: YEAR,
    amountFen: 300_000_00,
    cityShareFen: 300_000_00,
    countyShareFen: 0,
  });
  await call('POST', `/v1/projects/${projects.budgeted}/rectification-orders`, bdb, {
    reason: 'other',
    description: '请补充项目负责人变更的说明材料。',
  });
  projects.review = await apply(2);
  projects.rejected = await apply(3);
  await call('POST', `/v1/projects/${projects.rejected}/technical-review`, bdb, {
    decision: 'reject',
    opinion: '与已建系统重复建设。',
    checklist: { ...checklist, intensiveConstruction: false },
  });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(`console-phone: screenshots in ${SHOTS}`);
});

/** The routes each role's menu offers, plus the project page (and the application form for departments). */
const ROUTES: Record<string, string[]> = {
  department: ['/inbox', '/projects', '/projects/new', '/statistics', '/plans', '/public', '/password'],
  bdb: ['/inbox', '/projects', '/funds', '/statistics', '/plans', '/public', '/password'],
  approval: ['/inbox', '/projects', '/statistics', '/plans', '/public', '/password'],
  finance: ['/inbox', '/projects', '/funds', '/statistics', '/plans', '/public', '/password'],
  sysadmin: ['/inbox', '/projects', '/statistics', '/plans', '/public', '/admin', '/password'],
};

describe('the console at 390×844', () => {
  it('signed out: the sign-in and 公示 pages fit the screen', async () => {
    const { context, page } = await phone();
    const widths: Record<string, number> = {};
    widths['/login'] = await visit(page, '/login', 'phone-signed-out-login');
    widths['/public'] = await visit(page, '/public', 'phone-signed-out-public');
    expect(widths).toEqual({ '/login': expect.any(Number), '/public': expect.any(Number) });
    for (const [route, width] of Object.entries(widths)) expect(width, route).toBeLessThanOrEqual(WIDTH);
    await context.close();
  });

  it('every route of every role, with data, fits the screen; the menu is a drawer; statistic cards keep their words', async () => {
    const people = [
      await createPerson('phone.dept', '张伟', 'department', { department: 'zwfw' }),
      await createPerson('phone.bdb', '王芳', 'bdb'),
      await createPerson('phone.approval', '刘洋', 'approval'),
      await createPerson('phone.finance', '陈静', 'finance'),
      await createPerson('phone.sysadmin', '赵磊', 'sysadmin'),
    ];
    const tooWide: string[] = [];
    for (const person of people) {
      const { context, page } = await signIn(person);
      // The header does not overlap: the person's name is inside the screen, the menu behind a button.
      const who = (await page.getByTestId('who').boundingBox())!;
      expect(who.x + who.width, `${person.role}: header`).toBeLessThanOrEqual(WIDTH);
      await page.getByRole('button', { name: '打开主菜单' }).click();
      const drawer = page.getByRole('dialog');
      await drawer.waitFor();
      for (const route of ROUTES[person.role]!.filter((r) => r !== '/projects/new')) {
        expect(await drawer.locator(`a[href="${route}"]`).count(), `${person.role}: menu ${route}`).toBe(1);
      }
      const box = (await drawer.boundingBox())!;
      expect(box.x + box.width, `${person.role}: drawer`).toBeLessThanOrEqual(WIDTH);
      await page.screenshot({ path: path.join(SHOTS, `phone-${person.role}-menu.png`) });
      await drawer.locator('a[href="/projects"]').click();
      await page.waitForURL((u) => u.pathname === '/projects');
      await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);

      for (const route of [...ROUTES[person.role]!, `/projects/${projects.budgeted}`]) {
        const name = `phone-${person.role}-${route === `/projects/${projects.budgeted}` ? 'project' : route.slice(1).replace(/\//g, '-')}`;
        const width = await visit(page, route, name);
        if (width > WIDTH) tooWide.push(`${person.role} ${route}: ${width} px`);
        if (route === '/inbox') {
          // Statistic cards: their titles on one line, not one character per line.
          for (const title of await page.locator('.ant-statistic-title').all()) {
            const b = (await title.boundingBox())!;
            expect(b.height, `${person.role}: ${await title.innerText()}`).toBeLessThan(30);
          }
        }
      }
      await context.close();
    }
    expect(tooWide).toEqual([]);
  });

  it('统计分析 draws its charts within the screen; the approval bureau sees no money and no refusal; a notice opened is read', async () => {
    const bdb = await createPerson('phone.bdb2', '李强', 'bdb');
    const { context, page } = await signIn(bdb);
    await visit(page, '/statistics', 'phone-bdb-statistics-charts');
    for (const card of [
      'funds-by-year',
      'funds-by-type',
      'funds-by-department',
      'projects-by-stage',
      'deadlines',
      'articles',
    ]) {
      const canvas = page.getByTestId(card).locator('canvas');
      await canvas.first().waitFor();
      const b = (await canvas.first().boundingBox())!;
      expect(b.x + b.width, card).toBeLessThanOrEqual(WIDTH);
    }
    await expect.poll(() => page.getByTestId('projects-by-stage').innerText()).toContain('技术审核');
    expect(await page.getByTestId('funds-by-type').innerText()).toContain('300,000.00 元');
    await context.close();

    const approver = await createPerson('phone.approval2', '周敏', 'approval');
    const a = await signIn(approver);
    await visit(a.page, '/statistics', 'phone-approval-statistics');
    expect(await a.page.getByTestId('funds-by-year').count()).toBe(0);
    await visit(a.page, `/projects/${projects.budgeted}`, 'phone-approval-project');
    await a.page.getByRole('tab', { name: '资金' }).click();
    await a.page.waitForLoadState('networkidle');
    await a.page.screenshot({ path: path.join(SHOTS, 'phone-approval-project-funds.png'), fullPage: true });
    expect(await a.page.locator('.problem').count()).toBe(0);
    expect(await a.page.locator('main').innerText()).not.toContain('资金台账');
    await a.context.close();

    // The department's officer: the rectification order's notice, opened, is read; 全部已读 clears the rest.
    const officer = await createPerson('phone.dept2', '孙丽', 'department', { department: 'zwfw' });
    const d = await signIn(officer);
    await visit(d.page, '/inbox', 'phone-department-inbox-notices');
    const unread = async () => Number((await d.page.getByTestId('unread-count').innerText()).replace(/\D/g, ''));
    const before = await unread();
    expect(before).toBeGreaterThan(0);
    await d.page.getByTestId('notice').first().getByRole('link').click();
    await d.page.waitForURL((u) => u.pathname.startsWith('/projects/'));
    await visit(d.page, '/inbox', 'phone-department-inbox-after-opening');
    await expect.poll(unread).toBe(before - 1);
    if (before > 1) {
      await d.page.getByRole('button', { name: '全部已读' }).click();
      await expect.poll(unread).toBe(0);
    }
    await d.context.close();
    expect(violations).toEqual([]);
  });
});
