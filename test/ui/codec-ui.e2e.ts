/**
 * Art. 28, end to end in a real browser: `npm start` (dev server with its Web UI, worker, API,
 * PGlite), a project whose title exists only encrypted in Temporal, and Debian's Chromium driven by
 * playwright-core. An administrator signs in at <API>/codec/session, sets the UI's Codec Server to
 * this browser's setting with "Include cross-origin credentials" (what the settings dialog stores),
 * and the Temporal UI shows the decrypted title; a browser without the session does not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/net.ts';
import { spawnEntry, STARTED, type Child } from '../faults/support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TITLE = `机密 UI decode check ${process.pid}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-ui-'));
let system: Child;
let browser: Browser;
let api: string;
let ui: string;
let admin: string;

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

beforeAll(async () => {
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${port}`;
  ui = `http://127.0.0.1:${uiPort}`;
  // `npm start` as an administrator runs it, on free ports and an empty data directory.
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
  expect(system.output()).toMatch(/管理员密钥\s+admin_/);
  admin = readFileSync(path.join(dataDir, 'admin-api-key'), 'utf8').trim();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 360_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A browser profile with the UI's Codec Server set to this API, credentials included. */
async function uiProfile(): Promise<BrowserContext> {
  const context = await browser.newContext();
  const settings = { endpoint: `${api}/codec`, includeCredentials: true, overrideRemoteCodecConfiguration: true };
  await context.addInitScript({
    content: Object.entries(settings)
      .map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(JSON.stringify(v))});`)
      .join('\n'),
  });
  return context;
}

describe('the Temporal UI shows administrators decrypted payloads', () => {
  it('Art. 28: after signing in at /codec/session the UI decodes the workflow input; without the session it cannot', async () => {
    const department = (
      await call('POST', '/v1/admin/api-keys', admin, { role: 'department', name: 'UI check', department: 'uicheck' })
    ).key as string;
    const bdb = (await call('POST', '/v1/admin/api-keys', admin, { role: 'bdb', name: 'UI check BDB' })).key as string;
    await call('PUT', '/v1/annual-plans/2026', bdb, {
      items: [{ code: '2026-UI', title: 'UI', department: 'uicheck', ceilingFen: 100_000 }],
    });
    await call('POST', '/v1/annual-plans/2026/approval', bdb, {
      approvedOn: '2026-01-10',
      documentNo: '晋市政函〔2026〕1号',
    }); // Art. 6
    const { id } = (await call('POST', '/v1/projects', department, {
      title: TITLE,
      summary: '',
      kind: 'new',
      jurisdiction: 'city',
      year: 2026,
      annualPlanItem: '2026-UI',
      estimate: { totalFen: 100_000, cityShareFen: 100_000, countyShareFen: 0 },
      plannedCompletionDate: '2027-06-30',
      documents: {
        proposal: 'sha256:a',
        feasibilityStudy: 'sha256:b',
        preliminaryDesign: 'sha256:c',
        investmentEstimate: 'sha256:d',
      },
      classified: false,
      leader: { name: 'UI', post: 'check', contact: '0356-0000000' },
    })) as { id: string };
    const workflowPage = `${ui}/namespaces/default/workflows/project-${id}`;

    // Without a session: the UI asks the codec, gets 401, and shows no plaintext.
    const stranger = await uiProfile();
    const strangerPage = await stranger.newPage();
    const refused: number[] = [];
    strangerPage.on('response', (r) => r.url().startsWith(`${api}/codec/decode`) && refused.push(r.status()));
    await strangerPage.goto(workflowPage);
    await expect.poll(() => refused.length, { timeout: 60_000 }).toBeGreaterThan(0);
    expect(refused.every((s) => s === 401)).toBe(true);
    expect(await strangerPage.locator('body').innerText()).not.toContain(TITLE);
    await stranger.close();

    // The administrator signs in on the API's page, then opens the same workflow in the UI.
    const adminProfile = await uiProfile();
    const signIn = await adminProfile.newPage();
    await signIn.goto(`${api}/codec/session`);
    await signIn.fill('#k', admin);
    await signIn.click('button:has-text("Sign in")');
    await expect.poll(() => signIn.locator('#r').innerText(), { timeout: 30_000 }).toMatch(/^Signed in until /);
    const page = await adminProfile.newPage();
    const decoded: number[] = [];
    page.on('response', (r) => r.url().startsWith(`${api}/codec/decode`) && decoded.push(r.status()));
    await page.goto(workflowPage);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 60_000 }).toContain(TITLE);
    expect(decoded).toContain(200);
    console.log(
      `ui: ${workflowPage} shows "${TITLE}" decoded (${decoded.length} codec calls, all ${[...new Set(decoded)].join('/')}); without the session: ${refused.length} × 401`,
    );
    await adminProfile.close();
  }, 180_000);
});
