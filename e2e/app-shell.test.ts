import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { e2e, launchBrowser, phoneContext } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

it('serves the built app, which renders its heading', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(e2e().appUrl);
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Consult');
  await context.close();
});
