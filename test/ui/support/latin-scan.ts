/**
 * The reading half of test/ui/latin-text.e2e.ts: the allow-list of identifiers, the in-page scan of
 * every text a person reads, the Selects and tabs clicked through, and the report of offending words
 * by role. `scans` is a live binding, counted by check.
 */
import { type Page } from 'playwright-core';
import { expect } from 'vitest';

// --- the allow-list -------------------------------------------------------------------------------

/**
 * Latin words that are identifiers, not text (each explained):
 * - project ids (JC2026-7K3M9Q2D) and the records' own numbers the system gives (alloc-1, obj-1,
 *   cr-1, rect-1, inc-1, drill-1, adr-1, acc-1, risk-1, plan-1, dl-3): they are what a person quotes;
 * - document ids (doc_…) and SM3/SHA hex digests (SM3 is the national standard the digest is named after);
 * - what this test itself typed as data: plan item codes, contract numbers, login names, catalogue
 *   codes, document file names, free references of legacy filings (see TYPED below);
 * - what a page marks translate="no" (HTML's own mark for text not to be translated): the codes of
 *   the departments and jurisdictions registries on 系统管理 › 部门与辖区, where the admin manages
 *   them, and the example login name of the account form (`grep -rn 'translate="no"' console/src`).
 */
const IDENTIFIER = [
  /^JC\d{4}-[0-9A-Z]{8}$/, // project id
  /^(alloc|obj|cr|rect|inc|drill|adr|acc|risk|plan|dl)-\d+$/, // a project's own record numbers
  /^AP\d{4}-[0-9A-Za-z-]+$/, // allocation plan (拟分配计划) ids
  /^doc_[0-9a-f]{24}$/, // uploaded document id
  /^[0-9a-f]*[a-f][0-9a-f]*…?$/, // a digest or its first characters (SM3 hex)
];
/*
 * ICONS: Ant Design's icons carry their glyph's name as aria-label (span.anticon role=img
 * aria-label="check"): the scan leaves those out — they are the library's, on decorative glyphs
 * (a screen reader reads the control's own Chinese label; see the report of issue 26).
 */
/** Names of standards and file formats with no Chinese name people use instead. */
const NAMES = new Set(['SM3', 'PDF', 'OFD', 'DOCX', 'XLSX', 'PNG', 'JPEG']);
/** What the test typed (set while seeding). */
const TYPED = new Set<string>();
export const typed = (...words: string[]) => {
  for (const w of words) for (const token of w.match(TOKEN) ?? []) TYPED.add(token);
  return words[0]!;
};

/** A "word": a run of letters, digits and the joiners of identifiers, with at least one Latin letter. */
const TOKEN = /[A-Za-z0-9_][A-Za-z0-9_.:/@#&+-]*[A-Za-z0-9_]|[A-Za-z]/g;
const LATIN = /[A-Za-z]/;

function allowed(word: string): boolean {
  const w = word.replace(/[.:]+$/, '');
  if (!LATIN.test(w)) return true;
  return NAMES.has(w) || TYPED.has(w) || TYPED.has(word) || IDENTIFIER.some((re) => re.test(w));
}

// --- the page scan --------------------------------------------------------------------------------

export interface Seen {
  text: string;
  where: string;
}

/** Runs in the page: every visible text with where it is (nearest data-testid, element, class). */
const SCAN = `(() => {
  const out = [];
  const describe = (el) => {
    const tid = el.closest('[data-testid]');
    const cls = (el.getAttribute('class') || '').split(/\\s+/).filter((c) => c && !c.startsWith('css-')).slice(0, 2).join('.');
    const card = el.closest('.ant-card');
    const cardTitle = card ? (card.querySelector(':scope > .ant-card-head .ant-card-head-title')?.textContent || '').slice(0, 30) : '';
    return [tid ? '[data-testid=' + tid.getAttribute('data-testid') + ']' : '', el.tagName.toLowerCase() + (cls ? '.' + cls : ''), cardTitle ? '卡片「' + cardTitle + '」' : ''].filter(Boolean).join(' ');
  };
  // Rendered, and not inside a box of no size that clips it (Ant Design's Select keeps a 0×0
  // listbox of option values for its own bookkeeping; screen readers read the options' labels).
  const visible = (el) => {
    // HTML's mark for what is not to be translated (the codes of the registries the admin manages).
    if (el.closest('[translate=no]')) return false;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if ((r.width === 0 || r.height === 0) && getComputedStyle(a).overflow !== 'visible') return false;
    }
    return true;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue || '';
    if (!/[A-Za-z]/.test(text)) continue;
    const el = n.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName) || !visible(el)) continue;
    out.push({ text, where: describe(el) });
  }
  for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label], [alt], input, textarea')) {
    if (!visible(el)) continue;
    for (const attr of ['title', 'placeholder', 'aria-label', 'alt']) {
      // Ant Design's icons carry their glyph's name (check, ellipsis…) as aria-label: not text (see ICONS below).
      if (attr === 'aria-label' && el.matches('span.anticon[role=img]')) continue;
      const v = el.getAttribute(attr);
      if (v && /[A-Za-z]/.test(v)) out.push({ text: v, where: describe(el) + ' @' + attr });
    }
    if ((el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && !['password', 'hidden', 'file', 'checkbox', 'radio'].includes(el.type) && /[A-Za-z]/.test(el.value)) {
      out.push({ text: el.value, where: describe(el) + ' @value' });
    }
  }
  if (/[A-Za-z]/.test(document.title)) out.push({ text: document.title, where: 'document.title' });
  return out;
})()`;

/** By role, then by word and element: the text around it and the pages it was seen on. */
const offenders = new Map<string, Map<string, { around: string; pages: Set<string> }>>();
export let scans = 0;

/** Reads the page now and keeps every word outside the allow-list, by role. */
export async function check(page: Page, who: string, what: string): Promise<void> {
  scans++;
  const seen = await page.evaluate<Seen[]>(SCAN);
  for (const { text, where } of seen) {
    for (const word of text.match(TOKEN) ?? []) {
      if (allowed(word)) continue;
      const i = text.indexOf(word);
      const around = text.slice(Math.max(0, i - 30), i + word.length + 30).replace(/\s+/g, ' ');
      if (!offenders.has(who)) offenders.set(who, new Map());
      const key = `«${word}» in ${where}`;
      const entry = offenders.get(who)!.get(key) ?? { around, pages: new Set<string>() };
      entry.pages.add(what);
      offenders.get(who)!.set(key, entry);
    }
  }
}

/** Waits until the page's spinners settled (and, after a navigation, the network). */
export async function settle(page: Page, network = false): Promise<void> {
  if (network) await page.waitForLoadState('networkidle');
  await page.waitForTimeout(120);
  await expect
    .poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count(), { timeout: 30_000 })
    .toBe(0);
}

/** The Selects read already, by role, form and field: the same form's options are read once per role. */
const selectsRead = new Set<string>();

/**
 * Opens each visible, enabled Select inside `scope`, reads its options (scrolling the list), closes
 * it; `form` names the form, so that a form met again (the same action on another project) is not
 * read again by the same role.
 */
export async function checkSelects(page: Page, scope: string, who: string, what: string, form = what): Promise<void> {
  const selects = page.locator(`${scope} .ant-select:not(.ant-select-disabled)`);
  const count = await selects.count();
  for (let i = 0; i < count; i++) {
    const select = selects.nth(i);
    if (!(await select.isVisible())) continue;
    const name =
      (await select.getAttribute('id')) ??
      (await select.locator('input').first().getAttribute('id')) ??
      `第 ${i + 1} 个选择框`;
    if (selectsRead.has(`${who}|${form}|${name}`)) continue;
    selectsRead.add(`${who}|${form}|${name}`);
    await select.scrollIntoViewIfNeeded();
    await select.click();
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    if (
      !(await dropdown
        .waitFor({ timeout: 3_000 })
        .then(() => true)
        .catch(() => false))
    )
      continue;
    await page.waitForTimeout(250); // its opening animation starts from opacity 0
    await check(page, who, `${what} › 选择框 ${name} 的选项`);
    // The options are a virtual list: scroll through it and read again.
    for (let step = 0; step < 6; step++) {
      const moved = await dropdown.evaluate((d) => {
        const holder = d.querySelector('.rc-virtual-list-holder') as unknown as {
          scrollTop: number;
          clientHeight: number;
          scrollHeight: number;
        } | null;
        if (!holder || holder.scrollTop + holder.clientHeight >= holder.scrollHeight) return false;
        holder.scrollTop += holder.clientHeight;
        return true;
      });
      if (!moved) break;
      await page.waitForTimeout(80);
      await check(page, who, `${what} › 选择框 ${name} 的选项`);
    }
    await page.keyboard.press('Escape');
    await page.waitForTimeout(80);
  }
}

/** Clicks through the tabs inside `scope` (their panes rendered one by one), reading each. */
export async function checkTabs(
  page: Page,
  scope: string,
  who: string,
  what: string,
  each?: (tab: string) => Promise<void>,
): Promise<void> {
  const tabs = page.locator(`${scope} [role=tab]`);
  const names = (await tabs.allInnerTexts()).map((t) => t.trim());
  for (const [i, name] of names.entries()) {
    await tabs.nth(i).click();
    await settle(page);
    // The audit trail loads when its tab opens.
    if (name === '审计记录')
      await expect
        .poll(() => page.getByTestId('chain-status').innerText(), { timeout: 15_000 })
        .toMatch(/[1-9]\d* 条记录/);
    await check(page, who, `${what} › 标签页「${name}」`);
    await each?.(name);
  }
}

export function report(who: string): string[] {
  const found = [...(offenders.get(who) ?? [])].map(([key, { around, pages }]) => {
    const list = [...pages];
    return `${key} — “${around}” — on ${list.slice(0, 3).join('; ')}${list.length > 3 ? ` (+${list.length - 3} more)` : ''}`;
  });
  if (found.length) console.log(`\nLatin words on ${who}'s pages (${found.length}):\n  ${found.join('\n  ')}\n`);
  return found;
}
