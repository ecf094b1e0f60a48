/**
 * Chinese everywhere a person reads (issue 26): every console route, as every role (admin,
 * department, BDB, approval bureau, finance — and signed out for /public and /login), with projects
 * in every stage, must show no Latin-letter word outside a short allow-list of identifiers.
 *
 * The system is `npm start` (embedded PGlite, the real worker and API, the console it serves) on the
 * Java time-skipping Temporal server, so the 5 working days of publicity (Art. 11) pass in a second;
 * Debian's Chromium reads the pages. The test's own setup makes the data through the API (keys of
 * each role): projects in technical review, returned (退回修改), establishment review, budgeting with
 * held money, publicity with an objection (open and awaiting resolution), contracting, construction
 * with contracts (one signed before the approval: an order the system issues itself), a disbursement,
 * change requests, rectifications (open, answered, failed and suspended), an acceptance-delay reason,
 * joint acceptance, completion filing, operating with an evaluation, incident and drill, an existing
 * system, a county co-built project awaiting the county's confirmation, rejected, withdrawn,
 * terminated and decommissioned; an annual plan in force and a draft, a plan filing, a cloud-platform
 * evaluation.
 *
 * What is read on each page: the visible text (every text node whose element is rendered), the
 * attributes people read (title, placeholder, aria-label, alt), the values of visible inputs and the
 * document's title — after the page settled, after each tab is opened, after each action card's
 * form is opened (其他可办理事项, the choices of a failed rectification) and with each Select's
 * options open (scrolled through). Every offending word is printed with its role, page, element
 * (nearest data-testid, tag and class) and the text around it.
 */
import { describe, expect, it } from 'vitest';
import { check, report, scans, settle, typed } from './support/latin-scan.ts';
import { seed } from './support/latin-seed.ts';
import { api, P, people, profile, signIn, useLatinSystem } from './support/latin-system.ts';
import { adminDialogs, visitProject, visitRoute } from './support/latin-walker.ts';

useLatinSystem(seed);

/** The routes of each role's menu (App.tsx PAGES) besides the project pages. */
const ROUTES: Record<string, string[]> = {
  department: [
    '/inbox',
    '/projects',
    '/projects/new',
    '/existing-systems',
    '/cloud-platform',
    '/plan-filings',
    '/statistics',
    '/plans',
    '/public',
    '/account',
    '/password',
  ],
  bdb: [
    '/inbox',
    '/projects',
    '/funds',
    '/cloud-platform',
    '/plan-filings',
    '/statistics',
    '/plans',
    '/public',
    '/account',
    '/password',
  ],
  approval: ['/inbox', '/projects', '/cloud-platform', '/statistics', '/plans', '/public', '/account', '/password'],
  finance: [
    '/inbox',
    '/projects',
    '/funds',
    '/cloud-platform',
    '/statistics',
    '/plans',
    '/public',
    '/account',
    '/password',
  ],
  sysadmin: ['/admin', '/inbox', '/projects', '/statistics', '/plans', '/public', '/account', '/password'],
  secadmin: ['/admin', '/inbox', '/projects', '/statistics', '/plans', '/public', '/account', '/password'],
  auditadmin: ['/admin', '/inbox', '/projects', '/statistics', '/plans', '/public', '/account', '/password'],
};

const visited: string[] = [];

async function tour(role: keyof typeof ROUTES, projects: string[]): Promise<void> {
  const person = people[role]!;
  const { context, page } = await signIn(person);
  const who = `${role}（${person.displayName}）`;
  for (const route of ROUTES[role]!) {
    await visitRoute(page, who, route);
    visited.push(`${role} ${route}`);
  }
  if (role === 'sysadmin' || role === 'secadmin') await adminDialogs(page, who, role);
  for (const name of projects) {
    await visitProject(page, who, name);
    visited.push(`${role} 项目「${name}」`);
  }
  await context.close();
}

const ALL_PROJECTS = () => Object.keys(P);

describe('Chinese everywhere a person reads', () => {
  it('signed out: /login and /public', async () => {
    const context = await profile();
    const page = await context.newPage();
    for (const route of ['/login', '/public']) {
      await page.goto(`${api}${route}`);
      await page.locator('main, form').first().waitFor({ timeout: 30_000 });
      await settle(page, true);
      await check(page, '未登录', route);
      visited.push(`signed out ${route}`);
    }
    // A failed sign-in shows the API's refusal.
    await page.goto(`${api}/login`);
    await page.locator('#login-name').fill('nobody.here');
    typed('nobody.here');
    await page.locator('#login-password').fill('wrong-password-123');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.locator('.problem, .ant-alert-error').first().waitFor({ timeout: 15_000 });
    await check(page, '未登录', '/login › 登录失败');
    await context.close();
    expect(report('未登录')).toEqual([]);
  }, 120_000);

  for (const role of ['department', 'bdb', 'approval', 'finance', 'sysadmin', 'secadmin', 'auditadmin'] as const) {
    it(`${role}: every route and every project page`, async () => {
      await tour(role, ALL_PROJECTS());
      const person = people[role]!;
      expect(report(`${role}（${person.displayName}）`)).toEqual([]);
    }, 1_200_000);
  }

  it("a county's finance: the county share awaiting its confirmation (Art. 12)", async () => {
    const person = people.countyFinance!;
    const { context, page } = await signIn(person);
    const who = `county finance（${person.displayName}）`;
    for (const route of ['/inbox', '/projects', '/funds']) await visitRoute(page, who, route);
    await visitProject(page, who, 'county');
    await context.close();
    console.log(`latin-text: ${scans} readings of ${visited.length} pages and project pages`);
    expect(report(who)).toEqual([]);
  }, 300_000);
});
