/**
 * The system of the console's lifecycle story (test/ui/lifecycle.e2e.ts) and what its people share:
 * the worker and the Hono API (PGlite) on the Java time-skipping server, served with the built console,
 * Chromium, the five people and their sign-in, the clocks that follow the server, screenshots, and the
 * steps that stop after the first failure. `base` and `projectId` are live bindings: set by
 * useLifecycleStory's beforeAll and by setProjectId, read by the story.
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, it, onTestFailed } from 'vitest';
import { ensureConsoleBuilt } from '../../../console/scripts/build.ts';
import { createAccountService, NO_ORIGIN } from '../../../api/sessions.ts';
import { createAccountBody } from '../../../api/schemas/accounts.ts';
import { resolveTestServer } from '../../../scripts/temporal-bin.ts';
import { ROOT } from '../../faults/support.ts';
import { startSystem, TEST_DOCUMENT_KEYS, type TestSystem } from '../../support/system.ts';
import { createTimeSkipping } from '../../support/time-skipping.ts';
import { registerSearchAttributes } from '../../workflow/support.ts';
import { totpCode } from '../../../lib/totp.ts';
import { CHROMIUM, signInOn } from '../support.ts';

const SHOTS =
  process.env.UPDATE_WALKTHROUGH === '1'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(ROOT, '.artifacts', 'screenshots', 'lifecycle');
/** Where a failed step leaves every person's page, full length. */
const FAILED_SHOTS = path.join(ROOT, '.artifacts', 'screenshots');

export interface Person {
  role: 'secadmin' | 'sysadmin' | 'department' | 'bdb' | 'approval' | 'finance';
  loginName: string;
  displayName: string;
  /** How the admin picks the role in 新建账户. */
  roleLabel: string;
  password: string;
  totpSecret?: string;
  context?: BrowserContext;
  page?: Page;
}

export const people = {
  admin: {
    role: 'secadmin',
    loginName: 'wang.admin',
    displayName: '王管理员',
    roleLabel: '安全管理员',
    password: '',
  } as Person,
  sysadmin: {
    role: 'sysadmin',
    loginName: 'zhao.sys',
    displayName: '赵系统',
    roleLabel: '系统管理员',
    password: '',
  } as Person,
  dept: {
    role: 'department',
    loginName: 'zhang.wei',
    displayName: '张伟',
    roleLabel: '项目单位',
    password: '',
  } as Person,
  bdb: { role: 'bdb', loginName: 'li.na', displayName: '李娜', roleLabel: '市大数据应用局', password: '' } as Person,
  approval: {
    role: 'approval',
    loginName: 'liu.yang',
    displayName: '刘洋',
    roleLabel: '审批部门',
    password: '',
  } as Person,
  finance: {
    role: 'finance',
    loginName: 'chen.jing',
    displayName: '陈静',
    roleLabel: '财政部门',
    password: '',
  } as Person,
};

let env: TestWorkflowEnvironment;
let system: TestSystem;
let server: ServerType;
let browser: Browser;
export let base: string;
/** The time-skipping server's time minus the machine's: the API's and the browsers' clocks follow it. */
let offset = 0;
export const clock = () => new Date(Date.now() + offset);
/** The server's day in Asia/Shanghai, YYYY-MM-DD, `days` later. */
export const day = (days = 0) =>
  new Date(clock().getTime() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
export const year = () => Number(day().slice(0, 4));
/** Set by the first step: the project everyone works on. */
export let projectId = '';
let shotNo = 0;
export const outside: string[] = [];
/** Sets the project everyone works on (the first step creates it). */
export function setProjectId(id: string): void {
  projectId = id;
}

/** A PDF that differs per label (a comment after the sample's %%EOF). */
export const pdf = (name: string, label = name) => ({
  name,
  mimeType: 'application/pdf',
  buffer: Buffer.concat([readFileSync(path.join(ROOT, 'docs', 'sample-contract.pdf')), Buffer.from(`\n% ${label}\n`)]),
});

/** A screenshot of the viewport (1366×768; `top` scrolled to the top first) once the network and Ant Design's transitions settle. */
export async function shot(page: Page, name: string, top?: Locator | 'page'): Promise<void> {
  await page.waitForLoadState('networkidle');
  if (top === 'page')
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  else if (top) await top.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(400);
  shotNo += 1;
  await page.screenshot({ path: path.join(SHOTS, `lifecycle-${name}.png`) });
}

/** A fresh browser profile at 1366×768 whose clock is the server's, reaching nothing but the API. */
export async function profile(): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  });
  await context.clock.install({ time: clock() });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  return context;
}

/** Signs in through the login page (the TOTP code at the skipped server's time); at the first sign-in changes the one-time password. */
export async function signIn(person: Person): Promise<Page> {
  await person.context?.close();
  person.context = await profile();
  const page = (person.page = await person.context.newPage());
  await signInOn(page, base, person, (secret) => totpCode(secret, clock()));
  return page;
}

/** Skips the time-skipping server to 10:00 (Asia/Shanghai) of `isoDay` and moves the clocks with it. */
export async function skipTo(isoDay: string): Promise<void> {
  const target = Date.parse(`${isoDay}T10:00:00+08:00`);
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
  offset = (await env.currentTimeMs()) - Date.now();
}

/** Starts the system, the first two administrators and Chromium before the story; stops them after it. */
export function useLifecycleStory(): void {
  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed already in this worker process
    }
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(FAILED_SHOTS, { recursive: true });
    await ensureConsoleBuilt({ log: (l) => process.stderr.write(`${l}\n`) });
    env = await createTimeSkipping(await resolveTestServer({ log: (l) => process.stderr.write(`[temporal] ${l}\n`) }));
    await registerSearchAttributes(env);
    offset = (await env.currentTimeMs()) - Date.now();
    system = await startSystem('pglite', env.address, { clock });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: system.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The test's own set-up: the first (security) administrator, as `npm run accounts -- create-admin`
    // creates it, and the system administrator (三员分立), as `npm run accounts -- create --role sysadmin`.
    const accounts = createAccountService(system.database.db, { keys: TEST_DOCUMENT_KEYS, now: clock });
    for (const person of [people.admin, people.sysadmin]) {
      const created = await accounts.createAccount(
        createAccountBody.parse({ loginName: person.loginName, displayName: person.displayName, role: person.role }),
        { keyId: `cli:${os.userInfo().username}`, name: os.userInfo().username },
        NO_ORIGIN,
      );
      person.password = created.initialPassword;
      person.totpSecret = created.totpEnrolment!.secret;
    }
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
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await system?.stop();
    await env?.teardown();
    console.log(`lifecycle: ${shotNo} screenshots in ${SHOTS}`);
  });
}

/** The steps run in order on one project: after a failed step the rest are skipped. */
let failed = false;
export function step(name: string, fn: () => Promise<void>, timeout = 300_000) {
  it(
    name,
    async (ctx) => {
      if (failed) ctx.skip();
      onTestFailed(async () => {
        failed = true;
        for (const p of Object.values(people))
          if (p.page && !p.page.isClosed())
            await p.page
              .screenshot({ path: path.join(FAILED_SHOTS, `lifecycle-failed-${p.loginName}.png`), fullPage: true })
              .catch(() => undefined);
      });
      await fn();
    },
    timeout,
  );
}
