/**
 * GET /docs in Debian's Chromium (docs/API.md "Operations": Swagger UI), with the network limited to the API:
 * `npm start` on free ports and an empty data directory, then a page that may load nothing but the
 * API's own origin. Swagger UI must render the operations from /openapi.json with its CSS and JS
 * from /docs/assets (issue 14: the docs work offline; no CDN).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/net.ts';
import { spawnEntry, STARTED, type Child } from '../faults/support.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bdp-docs-ui-'));
let system: Child;
let browser: Browser;
let api: string;

beforeAll(async () => {
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
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

describe('Swagger UI at /docs', () => {
  it('renders the operations with nothing loaded from outside the API', async () => {
    const context = await browser.newContext();
    const outside: string[] = [];
    const failed: string[] = [];
    // Offline: any request to another origin is recorded and aborted.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${api}/`) || url.startsWith('data:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${api}/docs`);
    // One opblock per operation; the technical review command among them.
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 60_000 }).toBeGreaterThan(40);
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toContain('/v1/projects/{id}/technical-review');
    // The stylesheet applied: Swagger UI's own CSS gives the operation blocks a border.
    const border = await page
      .locator('.opblock')
      .first()
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopStyle: string } }).getComputedStyle(el)
            .borderTopStyle,
      );
    expect(border).toBe('solid');
    expect(outside).toEqual([]);
    expect(failed).toEqual([]);
    console.log(
      `docs-ui: ${await page.locator('.opblock').count()} operations rendered at ${api}/docs, no request outside the API`,
    );
    await context.close();
  }, 120_000);
});
