/**
 * The system of test/ui/latin-text.e2e.ts: `npm start` on the Java time-skipping Temporal server,
 * Chromium, the API calls and uploads of the test's own setup, the people and their sign-in.
 * `env`, `api`, `admin` and the rest are live bindings, set by useLatinSystem's beforeAll.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { resolveTestServer } from '../../../scripts/temporal-bin.ts';
import { ROOT, spawnEntry, STARTED, type Child } from '../../faults/support.ts';
import { freePort } from '../../support/net.ts';
import { createTimeSkipping } from '../../support/time-skipping.ts';
import { registerSearchAttributes } from '../../workflow/support.ts';
import { CHROMIUM, signInOn } from '../support.ts';
import type { Person as SignedInPerson } from '../support.ts';
import { typed } from './latin-scan.ts';

export let env: TestWorkflowEnvironment;
let system: Child;
let browser: Browser;
export let api: string;
export let admin: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-latin-'));

export async function call(
  method: string,
  p: string,
  key: string | undefined,
  body?: unknown,
): Promise<Record<string, any>> {
  const res = await fetch(`${api}${p}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, any>;
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Uploads a file as `key` (POST /v1/documents) and answers its id. */
export async function upload(key: string, name: string): Promise<string> {
  const body = Buffer.concat([
    readFileSync(path.join(ROOT, 'docs', 'sample-contract.pdf')),
    Buffer.from(`\n% ${name}\n`),
  ]);
  const res = await fetch(`${api}/v1/documents`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent(name),
    },
    body,
  });
  const json = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`upload ${name} → ${res.status} ${JSON.stringify(json)}`);
  return json.id;
}

export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Person extends SignedInPerson {
  role: string;
}

export async function createPerson(
  loginName: string,
  displayName: string,
  role: string,
  extra: Record<string, string> = {},
): Promise<Person> {
  typed(loginName);
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

export async function profile(): Promise<BrowserContext> {
  // Wide enough that the project page's nine record tabs need no overflow menu.
  return browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
}

/** Signs in through the login page (TOTP when asked), changing the one-time password at the first sign-in. */
export async function signIn(person: Person): Promise<{ context: BrowserContext; page: Page }> {
  const context = await profile();
  const page = await context.newPage();
  await signInOn(page, api, person);
  return { context, page };
}

// --- the data -------------------------------------------------------------------------------------

/** The projects by what they show (their stage and records). */
export const P: Record<string, string> = {};
export const people: Record<string, Person> = {};

/** Starts the system and Chromium and seeds the data before the file's tests; stops them after. */
export function useLatinSystem(seed: () => Promise<void>): void {
  beforeAll(async () => {
    // The Java time-skipping server: time stands still unless the test sleeps (env.sleep skips it).
    env = await createTimeSkipping(await resolveTestServer({ log: () => {} }));
    await registerSearchAttributes(env);
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    system = await spawnEntry(
      'scripts/start.ts',
      {
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        TEMPORAL_ADDRESS: env.address,
        TEMPORAL_UI_URL: '',
        ADMIN_API_KEY: '',
        DOCUMENT_UPLOADS_PER_MINUTE: '0',
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
    await seed();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await env?.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

/** A calendar day in Asia/Shanghai, `days` from the server's now. */
export const day = async (days = 0) =>
  new Date((await env.currentTimeMs()) + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
