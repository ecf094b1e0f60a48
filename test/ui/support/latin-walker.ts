/**
 * The visits of test/ui/latin-text.e2e.ts: a route of a role's menu, a project page with its tabs,
 * action cards and Selects, and the administrators' dialogs — each read by check.
 */
import { type Page } from 'playwright-core';
import { expect } from 'vitest';
import { check, checkSelects, checkTabs, settle } from './latin-scan.ts';
import { api, P } from './latin-system.ts';

export async function visitRoute(page: Page, who: string, route: string): Promise<void> {
  await page.goto(`${api}${route}`);
  await page
    .locator('main, form')
    .first()
    .waitFor({ state: 'attached', timeout: 30_000 })
    .catch((e: Error) => {
      throw new Error(`${who} ${route}: ${e.message}`);
    });
  await settle(page, true);
  await check(page, who, route);
  if (route === '/inbox') {
    // Every notice, read or not.
    await page.locator('.ant-segmented-item', { hasText: '全部' }).click();
    await settle(page, true);
    await check(page, who, `${route} › 全部通知`);
  }
  await checkSelects(page, 'main', who, route);
  await checkTabs(page, 'main', who, route, async (tab) => checkSelects(page, 'main', who, `${route} › ${tab}`));
}

/** A project page: the page, each tab, each action card's form (opened) and each Select's options. */
export async function visitProject(page: Page, who: string, name: string): Promise<void> {
  const id = P[name]!;
  const where = `项目「${name}」/projects/${id}`;
  await page.goto(`${api}/projects/${id}`);
  await page.locator('[data-testid=stage-tag], .problem').first().waitFor({ timeout: 30_000 });
  await settle(page, true);
  await check(page, who, where);
  if ((await page.getByTestId('stage-tag').count()) === 0) return; // refused: its text was read
  await checkSelects(page, '[data-testid=action-panel]', who, `${where} › 办理`, `办理（${name}）`);
  for (const choose of await page.locator('[data-testid^=choose-]').all()) {
    await choose.click();
    await settle(page);
    await check(page, who, `${where} › ${await choose.innerText()}`);
    await checkSelects(
      page,
      '[data-testid=action-rectification-decision]',
      who,
      `${where} › ${await choose.innerText()}`,
      `choose-${await choose.innerText()}`,
    );
  }
  const offers = page.locator('[data-testid^=offer-]');
  for (let i = 0; i < (await offers.count()); i++) {
    const offer = offers.nth(i);
    const action = (await offer.getAttribute('data-testid'))!.slice('offer-'.length);
    await offer.click();
    await page.getByTestId(`action-${action}`).last().waitFor({ timeout: 10_000 });
    await check(page, who, `${where} › 其他可办理事项「${await offer.innerText()}」`);
    await checkSelects(
      page,
      `[data-testid=action-panel] > .ant-card-body > [data-testid=action-${action}]`,
      who,
      `${where} › 「${await offer.innerText()}」`,
      `offer-${action}`,
    );
    await offer.click(); // closes it again
  }
  await checkTabs(page, '[data-testid=record-tabs]', who, where);
}

/**
 * The administrators' dialogs and expanded rows (三员分立, each on their own page): the security
 * administrator's account trail and 停用's confirmation; the system administrator's 修改 and 改名.
 */
export async function adminDialogs(page: Page, who: string, role: 'sysadmin' | 'secadmin'): Promise<void> {
  await page.goto(`${api}/admin`);
  await settle(page, true);
  const where = (what: string) => `/admin › ${what}`;
  if (role === 'secadmin') {
    await page.locator('.ant-table-row-expand-icon').first().click();
    await expect
      .poll(() => page.locator('[data-testid^=account-events-] .ant-table-row').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await check(page, who, where('个人账户 › 账户安全记录'));
    await page
      .getByRole('button', { name: /停\s*用/ })
      .first()
      .click();
    await page.locator('.ant-popconfirm').waitFor();
    await page.waitForTimeout(400);
    await check(page, who, where('个人账户 › 停用确认'));
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    return;
  }
  await page.getByRole('tab', { name: '部门与辖区' }).click();
  await settle(page);
  for (const button of [/修\s*改/, /改\s*名/]) {
    await page.getByRole('button', { name: button }).first().click();
    const dialog = page.locator('.ant-modal').last();
    await dialog.waitFor();
    await page.waitForTimeout(400); // its opening animation starts from opacity 0
    await check(page, who, where(`部门与辖区 › ${button.source.replace(/\\s\*/g, '')}`));
    await checkSelects(page, '.ant-modal', who, where('部门与辖区 › 对话框'));
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
}
