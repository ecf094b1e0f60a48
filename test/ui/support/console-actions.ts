/**
 * What a person does on a page of the console in the lifecycle story (test/ui/lifecycle.e2e.ts):
 * Ant Design selects, date pickers and uploads, the record tabs, the project page and its action
 * cards, and reading the stage, the pending actions and a Chinese date.
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { base, projectId, type Person } from './lifecycle-story.ts';

export const pageOf = (where: Locator | Page): Page =>
  'page' in where && typeof where.page === 'function' ? where.page() : (where as Page);

/** Picks an option of an Ant Design Select in `where` (typing `search` first when given). */
export async function choose(
  where: Locator | Page,
  selector: string,
  option: string | RegExp,
  search?: string,
): Promise<void> {
  await where.locator(selector).click();
  if (search) await where.locator(selector).fill(search);
  await pageOf(where)
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

/** Types a date (2027-06-30, or with a time 2027-06-30 09:30) into an Ant Design date picker in `where` and confirms it. */
export async function pickDate(where: Locator | Page, selector: string, date: string): Promise<void> {
  const input = where.locator(selector);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** Chooses a file for an upload control (data-testid `upload-…`) inside an action card and waits until it is stored. */
export async function upload(
  where: Locator | Page,
  testId: string,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  await where.getByTestId(testId).locator('input[type=file]').setInputFiles(file);
  await where.getByTestId(`${testId}-done`).waitFor({ timeout: 30_000 });
}

/** Opens a tab of the project's records; clicks again if a reload of the page put the first tab back. */
export async function recordTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await expect
    .poll(
      async () => {
        if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
        return tab.getAttribute('aria-selected');
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe('true');
}

/** The page's text with a record tab open (selected again when a reload put the first tab back). */
export async function tabText(page: Page, name: string): Promise<string> {
  const tab = page.getByRole('tab', { name, exact: true });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  return page.locator('main').innerText();
}

/** Waits until a record tab shows every one of `texts`. */
export async function seeInTab(page: Page, name: string, texts: string[]): Promise<void> {
  await expect
    .poll(
      async () => {
        const text = await tabText(page, name);
        return texts.filter((t) => !text.includes(t));
      },
      { timeout: 30_000, interval: 500 },
    )
    .toEqual([]);
}

export const stageOf = (page: Page) => page.getByTestId('stage-tag').innerText();
export const pendingOf = (page: Page) => page.getByTestId('pending-actions').innerText();

/** The project page of `person`, once its stage tag reads `stage`. */
export async function open(person: Person, stage: string): Promise<Page> {
  const page = person.page!;
  await page.goto(`${base}/projects/${encodeURIComponent(projectId)}`);
  await page.getByTestId('stage-tag').waitFor({ timeout: 30_000 });
  await expect.poll(() => stageOf(page), { timeout: 60_000 }).toBe(stage);
  return page;
}

/** A pending action card of this person, or the offered one opened by its button. */
export async function card(page: Page, action: string, offered = false): Promise<Locator> {
  if (offered) await page.getByTestId(`offer-${action}`).click();
  const c = page.getByTestId(`action-${action}`);
  await c.waitFor({ timeout: 60_000 });
  if (!offered) expect(await c.getAttribute('class')).toContain('action-pending');
  return c;
}

/** Submits a card's form; waits until the card is gone or the page says 已提交, failing on a refusal. */
export async function submit(page: Page, c: Locator, expectation: () => Promise<unknown>): Promise<void> {
  await c.getByRole('button', { name: /^提交|^发布/ }).click();
  await expect
    .poll(
      async () => {
        const problem = page.locator('.problem');
        if ((await problem.count()) > 0) throw new Error(`refused: ${await problem.first().innerText()}`);
        return expectation();
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBeTruthy();
}

export const ymd = (text: string): string | undefined => {
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(text);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : undefined;
};
