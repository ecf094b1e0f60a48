/**
 * What the console's browser tests share: `npm start` on free ports and an empty data directory,
 * Debian's Chromium (playwright-core), personal accounts created through the admin API, sign-in
 * through the login page (the one-time password changed at the first sign-in), screenshots into
 * .artifacts/screenshots/. Only the test's own setup calls the API; people act in the console.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { totpCode } from '../../lib/totp.ts';
import { freePort } from '../support/net.ts';
import { ROOT, spawnEntry, STARTED, type Child } from '../faults/support.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, '.artifacts', 'screenshots');
export const NEW_PASSWORD = 'Jincheng-2026-secure!';

export interface Person {
  loginName: string;
  displayName: string;
  password: string;
  totpSecret?: string | undefined;
}

/**
 * Signs `person` in on `page` through the login page of `base`: the TOTP code when asked (`code`
 * makes it; default lib/totp.ts at the wall clock — a test on a skipped server passes its clock's),
 * the one-time password changed to NEW_PASSWORD at the first sign-in; resolves once the header
 * names the person.
 */
export async function signInOn(
  page: Page,
  base: string,
  person: Person,
  code: (secret: string) => string = (secret) => totpCode(secret, new Date()),
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('#login-name').fill(person.loginName);
  await page.locator('#login-password').fill(person.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  if (person.totpSecret) {
    await page.locator('#login-totp').waitFor();
    await page.locator('#login-totp').fill(code(person.totpSecret));
    await page.getByRole('button', { name: '验证并登录' }).click();
  }
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
  if (new URL(page.url()).pathname === '/password') {
    await page.locator('#pw-current').fill(person.password);
    await page.locator('#pw-new').fill(NEW_PASSWORD);
    await page.locator('#pw-confirm').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '修改密码' }).last().click();
    await page.waitForURL((u) => u.pathname !== '/password', { timeout: 30_000 });
    person.password = NEW_PASSWORD;
  }
  await expect.poll(() => page.getByTestId('who').innerText(), { timeout: 30_000 }).toContain(person.displayName);
}

export interface ConsoleSystem {
  api: string;
  admin: string;
  browser: Browser;
  /** Requests that tried to leave the API's origin. */
  outside: string[];
  call(method: string, p: string, key: string, body?: unknown): Promise<Record<string, unknown>>;
  createPerson(loginName: string, displayName: string, role: string, extra?: Record<string, string>): Promise<Person>;
  profile(): Promise<BrowserContext>;
  signIn(person: Person): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** Starts `npm start` (embedded PostgreSQL and Temporal) and Chromium. */
export async function startConsole(name: string): Promise<ConsoleSystem> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `bdp-${name}-`));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const api = `http://127.0.0.1:${port}`;
  const system: Child = await spawnEntry(
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
  const admin = readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim();
  const browser = await chromium.launch({
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
  const outside: string[] = [];

  const call = async (method: string, p: string, key: string, body?: unknown) => {
    const res = await fetch(`${api}${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const profile = async () => {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${api}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    return context;
  };

  return {
    api,
    admin,
    browser,
    outside,
    call,
    profile,
    async createPerson(loginName, displayName, role, extra = {}) {
      const created = (await call('POST', '/v1/admin/accounts', admin, { loginName, displayName, role, ...extra })) as {
        initialPassword: string;
      };
      return { loginName, displayName, password: created.initialPassword };
    },
    async signIn(person) {
      const context = await profile();
      const page = await context.newPage();
      await signInOn(page, api, person);
      return { context, page };
    },
    async stop() {
      await browser.close();
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A screenshot after the network and Ant Design's transitions settle. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The project page, waiting for its stage tag to read `stage`. */
export async function openProject(page: Page, api: string, id: string, stage?: string): Promise<void> {
  await page.goto(`${api}/projects/${encodeURIComponent(id)}`);
  await page.getByTestId('stage-tag').waitFor({ timeout: 30_000 });
  if (stage) await expect.poll(() => page.getByTestId('stage-tag').innerText(), { timeout: 30_000 }).toBe(stage);
}

/** Types a date into an Ant Design date picker the way a person does (2027-06-30 or 2027年6月30日) and confirms it. */
export async function pickDate(page: Page, selector: string, date: string): Promise<void> {
  const input = page.locator(selector);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/**
 * Submits the form with the button `label` and waits for the page it leads to (`url`). A refusal or
 * a field the form rejects fails at once with the words the page shows, not after a silent timeout.
 */
export async function submitAndFollow(page: Page, label: string, url: RegExp, timeout = 60_000): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  const shown = page.locator('form.schema-form > .problem, .ant-form-item-explain-error').first();
  const outcome = await Promise.race([
    page.waitForURL(url, { timeout }).then(
      () => 'followed' as const,
      () => 'timeout' as const,
    ),
    shown.waitFor({ state: 'visible', timeout }).then(
      () => 'shown' as const,
      () => 'timeout' as const,
    ),
  ]);
  if (outcome === 'followed') return;
  const words = outcome === 'shown' ? await shown.innerText() : await page.locator('main').innerText();
  throw new Error(`「${label}」之后未到达 ${url}（${outcome}）：${words}`);
}

/** Chooses a file for an upload control (data-testid `upload-…`) and waits until it is stored. */
export async function uploadFile(
  page: Page,
  testId: string,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  await page.getByTestId(testId).locator('input[type=file]').setInputFiles(file);
  await page.getByTestId(`${testId}-done`).waitFor({ timeout: 30_000 });
}
